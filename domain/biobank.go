package domain

import (
	"regexp"
	"strings"
)

// Biobank is an institution that stores samples and consents for donors.
type Biobank struct {
	ID      string
	Code    string // short unique code users know it by, e.g. "DNB"
	Name    string
	Country string // ISO 3166-1 alpha-2
	Contact string
	Audit
}

var (
	biobankCodePattern = regexp.MustCompile(`^[A-Z][A-Z0-9_-]{1,15}$`)
	countryPattern     = regexp.MustCompile(`^[A-Z]{2}$`)
)

// Normalize canonicalises spelling: upper-case code and country, trimmed text.
func (b *Biobank) Normalize() {
	b.Code = strings.ToUpper(strings.TrimSpace(b.Code))
	b.Country = strings.ToUpper(strings.TrimSpace(b.Country))
	b.Name = strings.TrimSpace(b.Name)
	b.Contact = strings.TrimSpace(b.Contact)
}

// Validate normalises b and records every field error in v.
func (b *Biobank) Validate(v *Validation) {
	b.Normalize()
	if v.Required("code", b.Code) && !biobankCodePattern.MatchString(b.Code) {
		v.Fail("code", b.Code, "must be 2-16 upper-case letters, digits, _ or -, starting with a letter")
	}
	if v.Required("name", b.Name) {
		v.Text("name", b.Name, 200)
	}
	if v.Required("country", b.Country) && !countryPattern.MatchString(b.Country) {
		v.Fail("country", b.Country, "must be an ISO 3166-1 alpha-2 code such as DK or SE")
	}
	v.Text("contact", b.Contact, 200)
}
