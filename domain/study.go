package domain

import (
	"regexp"
	"strings"
)

// Study is a research project that withdraws samples or produces data.
type Study struct {
	ID                    string
	ExternalID            string // study id
	Title                 string
	PrincipalInvestigator string
	EthicsApproval        string
	Accession             string // EGAS + 11 digits, optional
	Audit
}

var egaPattern = map[string]*regexp.Regexp{
	"EGAS": regexp.MustCompile(`^EGAS[0-9]{11}$`),
	"EGAD": regexp.MustCompile(`^EGAD[0-9]{11}$`),
	"EGAF": regexp.MustCompile(`^EGAF[0-9]{11}$`),
	"EGAC": regexp.MustCompile(`^EGAC[0-9]{11}$`),
}

// IsEGAAccession reports whether s is an EGA accession of the given type
// prefix (EGAS, EGAD, EGAF, EGAC).
func IsEGAAccession(prefix, s string) bool {
	p, ok := egaPattern[prefix]
	return ok && p.MatchString(s)
}

// Validate normalises s and records every field error in v.
func (s *Study) Validate(v *Validation) {
	s.ExternalID = strings.TrimSpace(s.ExternalID)
	s.Title = strings.TrimSpace(s.Title)
	s.Accession = strings.ToUpper(strings.TrimSpace(s.Accession))
	v.ExternalID("studyId", s.ExternalID)
	if v.Required("title", s.Title) {
		v.Text("title", s.Title, 500)
	}
	v.Text("principalInvestigator", s.PrincipalInvestigator, 200)
	v.Text("ethicsApproval", s.EthicsApproval, 200)
	if s.Accession != "" && !IsEGAAccession("EGAS", s.Accession) {
		v.Fail("accession", s.Accession, "must be EGAS followed by 11 digits")
	}
}
