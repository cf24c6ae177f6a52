package domain

import (
	"regexp"
	"strings"
	"unicode"
)

// Reference is an id a record is known by elsewhere: a scheme (drs, ena,
// dbgap, ega, doi …) and the id within it.
type Reference struct {
	EntityID string
	Scheme   string
	Value    string
}

// ReferenceKinds are the kinds of record that take references (GraphQL
// type names).
var ReferenceKinds = []string{"Dataset", "DataFile", "Study", "Sample"}

var schemePattern = regexp.MustCompile(`^[a-z][a-z0-9.+-]{1,31}$`)

// Validate normalises r (the scheme in lower case, the id trimmed) and
// records its errors in v.
func (r *Reference) Validate(v *Validation) {
	r.Scheme = strings.ToLower(strings.TrimSpace(r.Scheme))
	r.Value = strings.TrimSpace(r.Value)
	if !schemePattern.MatchString(r.Scheme) {
		v.Fail("scheme", r.Scheme, "must be 2 to 32 lower-case letters, digits or . + -, starting with a letter (drs, ena, dbgap, ega, doi)")
	}
	switch {
	case r.Value == "":
		v.Fail("id", r.Value, "is required")
	case len(r.Value) > 512:
		v.Fail("id", Quote(r.Value, QuoteMax), "must be at most 512 bytes")
	case strings.IndexFunc(r.Value, func(c rune) bool { return unicode.IsControl(c) || unicode.IsSpace(c) }) >= 0:
		v.Fail("id", Quote(r.Value, QuoteMax), "must not hold spaces or control characters")
	}
}
