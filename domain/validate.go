package domain

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"databank/ontology"
)

// Validation collects field errors so that a caller sees all of them at
// once instead of fixing one at a time.
type Validation struct {
	prefix   string
	now      time.Time // what "in the future" is measured against; zero: the clock
	Fields   []FieldError
	Warnings []FieldError
}

// NewValidation starts a validation whose field paths begin with prefix
// (e.g. "input").
func NewValidation(prefix string) *Validation { return &Validation{prefix: prefix} }

// AsOf sets the time dates are checked against (none may lie after it). A
// bulk reader sets it once, instead of reading the clock for every row.
func (v *Validation) AsOf(t time.Time) *Validation {
	v.now = t
	return v
}

// Now returns the time dates are checked against: the AsOf time, else the
// current time.
func (v *Validation) Now() time.Time {
	if v.now.IsZero() {
		return time.Now()
	}
	return v.now
}

func (v *Validation) path(field string) string {
	if v.prefix == "" {
		return field
	}
	return v.prefix + "." + field
}

// ColumnOf returns the registry file column that holds a validation field:
// its snake_case spelling (parentSampleId → parent_sample_id). Business
// rules name their fields once, for both entry points: a mutation reports
// the field, an import the column.
func ColumnOf(field string) string {
	var b strings.Builder
	for i, r := range field {
		if 'A' <= r && r <= 'Z' {
			if i > 0 {
				b.WriteByte('_')
			}
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Fail records a field error.
func (v *Validation) Fail(field, value, format string, args ...any) {
	v.Fields = append(v.Fields, FieldError{Field: v.path(field), Value: value, Message: fmt.Sprintf(format, args...)})
}

// Warn records a warning that does not stop the operation.
func (v *Validation) Warn(field, value, format string, args ...any) {
	v.Warnings = append(v.Warnings, FieldError{Field: v.path(field), Value: value, Message: fmt.Sprintf(format, args...)})
}

// Err returns an EINVALID error holding every recorded field error, or nil.
func (v *Validation) Err() error {
	if len(v.Fields) == 0 {
		return nil
	}
	return &Error{Code: EINVALID, Message: "invalid input", Fields: v.Fields}
}

// Required records an error when s is blank, and reports whether it was set.
func (v *Validation) Required(field, s string) bool {
	if strings.TrimSpace(s) == "" {
		v.Fail(field, s, "is required")
		return false
	}
	return true
}

// Text checks a free-text field: valid UTF-8, no control characters, and
// at most max bytes.
func (v *Validation) Text(field, s string, max int) {
	switch {
	case !utf8.ValidString(s):
		v.Fail(field, "", "is not valid UTF-8")
	case len(s) > max:
		v.Fail(field, "", "is longer than %d bytes", max)
	case strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\t' }):
		v.Fail(field, s, "contains control characters")
	}
}

// ExternalIDShape is what an identifier of the wrong shape is told (see
// IsExternalID).
const ExternalIDShape = "must be 1-128 letters, digits or . _ : / - starting with a letter or digit"

// ExternalID checks an identifier users know an entity by: 1–128 letters,
// digits and . _ : / - , starting with a letter or digit.
func (v *Validation) ExternalID(field, s string) {
	if !v.Required(field, s) {
		return
	}
	if !IsExternalID(s) {
		v.Fail(field, s, "%s", ExternalIDShape)
	}
}

// Code resolves a coded value against the allowed systems of vocab and
// stores the canonical CURIE in *dst. Unknown codes fail with suggestions; obsolete
// ones pass with a warning naming the replacement. An empty value is left
// alone (use Required first for mandatory codes).
func (v *Validation) Code(vocab Vocabulary, field string, dst *string, systems ...string) {
	if strings.TrimSpace(*dst) == "" {
		*dst = ""
		return
	}
	term, err := vocab.ResolveCode(*dst, systems...)
	if err != nil {
		var unknown *ontology.UnknownCodeError
		var ambiguous *ontology.AmbiguousCodeError
		switch {
		case errors.As(err, &unknown):
			msg := fmt.Sprintf("unknown code %q (allowed: %s)", *dst, strings.Join(systems, ", "))
			if len(unknown.Suggestions) > 0 {
				msg += "; did you mean " + strings.Join(unknown.Suggestions, ", ") + "?"
			}
			v.Fail(field, *dst, "%s", msg)
		case errors.As(err, &ambiguous):
			v.Fail(field, *dst, "ambiguous code %q: matches %s", *dst, strings.Join(ambiguous.Matches, ", "))
		default:
			v.Fail(field, *dst, "%v", err)
		}
		return
	}
	if term.Status == ontology.StatusObsolete {
		if term.ReplacedBy != "" {
			v.Warn(field, *dst, "%s is obsolete; use %s", term.CURIE, term.ReplacedBy)
		} else {
			v.Warn(field, *dst, "%s is obsolete", term.CURIE)
		}
	}
	*dst = term.CURIE
}

// Enum checks that *dst is one of allowed (case-insensitive) and stores
// the canonical spelling.
func (v *Validation) Enum(field string, dst *string, allowed ...string) {
	for _, a := range allowed {
		if strings.EqualFold(strings.TrimSpace(*dst), a) {
			*dst = a
			return
		}
	}
	v.Fail(field, *dst, "must be one of %s", strings.Join(allowed, ", "))
}

// IsExternalID reports whether s has the shape of an identifier users know
// an entity by: ^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$, checked by hand
// because it runs for every id of every imported row. It is the only
// definition of that shape: the store checks ids found in SQL with it.
func IsExternalID(s string) bool {
	if len(s) == 0 || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case i > 0 && (c == '.' || c == '_' || c == ':' || c == '/' || c == '-'):
		default:
			return false
		}
	}
	return true
}
