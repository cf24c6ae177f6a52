package domain

// IsID reports whether s is written as a record id: a UUID in its
// canonical 36-character form (8-4-4-4-12 hexadecimal digits, any case).
func IsID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// CheckID is the one policy for ids given by a caller: a malformed id is
// EINVALID naming the argument that held it (never "not found", never
// silently skipped). An empty id is accepted; callers decide whether the
// argument is required.
func CheckID(arg, id string) error {
	if id == "" || IsID(id) {
		return nil
	}
	return &Error{Code: EINVALID, Message: "invalid id", Fields: []FieldError{{Field: arg, Value: Quote(id, 40),
		Message: "is not a record id (a UUID such as 0190a5c4-5b1e-7c3a-9f00-2d1e4b6a8c01); look the record up by its external id instead"}}}
}

// CheckIDs applies CheckID to every id of a list argument.
func CheckIDs(arg string, ids []string) error {
	for _, id := range ids {
		if err := CheckID(arg, id); err != nil {
			return err
		}
	}
	return nil
}
