package domain

import (
	"strconv"
	"strings"
	"time"

	"databank/ontology"
)

// Sex values of a donor.
const (
	SexFemale  = "female"
	SexMale    = "male"
	SexOther   = "other"
	SexUnknown = "unknown"
)

// Vital status values of a donor.
const (
	VitalAlive    = "alive"
	VitalDeceased = "deceased"
	VitalUnknown  = "unknown"
)

// Donor is a pseudonymised person who gave samples. Databank never holds
// direct identifiers: no names, no full birth dates.
type Donor struct {
	ID          string
	BiobankID   string
	BiobankCode string // input only: names the biobank when BiobankID is empty (the services resolve it)
	ExternalID  string // pseudonymous id, unique within the biobank
	Sex         string
	BirthYear   *int
	// AgeBand is the ten-year band of the donor's age today (AgeBand),
	// set on reading; approved researchers see it instead of BirthYear.
	AgeBand     string
	VitalStatus string
	Audit
}

// Validate normalises d and records every field error in v.
func (d *Donor) Validate(v *Validation) {
	d.ExternalID = strings.TrimSpace(d.ExternalID)
	v.ExternalID("donorId", d.ExternalID)
	if d.Sex == "" {
		d.Sex = SexUnknown
	}
	v.Enum("sex", &d.Sex, SexFemale, SexMale, SexOther, SexUnknown)
	if d.VitalStatus == "" {
		d.VitalStatus = VitalUnknown
	}
	v.Enum("vitalStatus", &d.VitalStatus, VitalAlive, VitalDeceased, VitalUnknown)
	if d.BirthYear != nil {
		if y := *d.BirthYear; y < 1880 || y > v.Now().Year() {
			v.Fail("birthYear", strconv.Itoa(y), "must be a year between 1880 and this year")
		}
	}
}

// Diagnosis is an ontology-coded condition of a donor, dated either by
// calendar date or by the donor's age at diagnosis.
type Diagnosis struct {
	ID             string
	DonorID        string
	Code           string // CURIE, e.g. ICD10:E11.9
	DiagnosedOn    *time.Time
	AgeAtDiagnosis *int
	Audit
}

// DiagnosisSystems are the code systems a diagnosis may use.
var DiagnosisSystems = []string{ontology.ICD10}

// Validate normalises d and records every field error in v; its
// codes are checked against vocab.
func (d *Diagnosis) Validate(v *Validation, vocab Vocabulary) {
	if v.Required("code", d.Code) {
		v.Code(vocab, "code", &d.Code, DiagnosisSystems...)
	}
	if d.AgeAtDiagnosis != nil && (*d.AgeAtDiagnosis < 0 || *d.AgeAtDiagnosis > 130) {
		v.Fail("ageAtDiagnosis", strconv.Itoa(*d.AgeAtDiagnosis), "must be between 0 and 130")
	}
	if d.DiagnosedOn != nil && d.DiagnosedOn.After(v.Now()) {
		v.Fail("diagnosedOn", FormatDate(d.DiagnosedOn), "must not be in the future")
	}
}
