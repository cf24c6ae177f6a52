package domain

import (
	"strconv"
	"strings"
	"time"
)

// An approved researcher sees sample-level records (pseudonymised ids; a
// donor's age band, never the birth year) and file metadata for exactly
// the samples and files of their approvals, and may preview the
// withdrawal of those samples. An approval comes from a verified GA4GH
// ControlledAccessGrants visa naming a dataset (Actor.DatasetGrants), or
// from staff, who record it for a dataset or for a named set of samples
// (AccessApproval). Everything else stays aggregate, as for any
// researcher.

// AccessApproval is a staff-recorded approval of one researcher's access
// to a dataset or to a named set of samples.
type AccessApproval struct {
	ID string
	// Researcher is the approved actor's name (Actor.Name: the token's
	// name, or the OpenID Connect subject) and Issuer its issuer (empty
	// for tokens): both must match.
	Researcher string
	Issuer     string
	// DatasetID approves the dataset's files and the samples they hold;
	// DatasetExternalID names it on input. SampleIDs approve those
	// samples and their files, under the set's Name.
	DatasetID         string
	DatasetExternalID string
	SampleIDs         []string
	Name              string
	// Reason records the decision (a data access committee's reference).
	Reason    string
	ExpiresOn *time.Time
	RevokedAt *time.Time
	RevokedBy string
	CreatedAt time.Time
	CreatedBy string
}

// MaxApprovedSamples bounds the samples of one approval.
const MaxApprovedSamples = 100000

// Validate normalises a and records every field error in v.
func (a *AccessApproval) Validate(v *Validation) {
	a.Researcher = strings.TrimSpace(a.Researcher)
	a.Issuer = strings.TrimSpace(a.Issuer)
	a.Name = strings.TrimSpace(a.Name)
	a.Reason = strings.TrimSpace(a.Reason)
	if a.Researcher == "" {
		v.Fail("researcher", "", "is required: the approved researcher's name (token name or OpenID Connect subject)")
	}
	hasDataset := a.DatasetID != "" || a.DatasetExternalID != ""
	switch {
	case hasDataset && len(a.SampleIDs) > 0:
		v.Fail("samples", strconv.Itoa(len(a.SampleIDs))+" samples", "must be empty when a dataset is approved: record one approval each")
	case !hasDataset && len(a.SampleIDs) == 0:
		v.Fail("dataset", "", "is required, or samples: an approval covers a dataset or a named set of samples")
	case len(a.SampleIDs) > MaxApprovedSamples:
		v.Fail("samples", strconv.Itoa(len(a.SampleIDs))+" samples", "must be at most %d", MaxApprovedSamples)
	}
	if len(a.SampleIDs) > 0 && a.Name == "" {
		v.Fail("name", "", "is required for a set of samples: it names the set")
	}
	if a.Reason == "" {
		v.Fail("reason", "", "is required: the access decision it records (e.g. the committee's reference)")
	}
	if a.ExpiresOn != nil && a.ExpiresOn.Before(Today()) {
		v.Fail("expiresOn", a.ExpiresOn.Format(time.DateOnly), "must not be before today: it is the approval's last day")
	}
}

// AgeBand is the ten-year band of a donor born in birthYear, by their age
// on day ("40-49"); "" when the year is unknown. Approved researchers see
// it instead of the birth year.
func AgeBand(birthYear *int, day time.Time) string {
	if birthYear == nil {
		return ""
	}
	age := day.Year() - *birthYear
	if age < 0 {
		return ""
	}
	if age >= 90 {
		return "90+"
	}
	lo := age / 10 * 10
	return strconv.Itoa(lo) + "-" + strconv.Itoa(lo+9)
}

// Pseudonymised returns d as approved researchers see it: the birth year
// replaced by its age band today.
func (d Donor) Pseudonymised() Donor {
	d.AgeBand = AgeBand(d.BirthYear, Today())
	d.BirthYear = nil
	return d
}
