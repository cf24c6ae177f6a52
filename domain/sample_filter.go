package domain

import "time"

// SampleFilter selects samples. Every field given must match; And, Or and
// Not combine nested filters. Vocabulary codes match the code and every
// code below it. A condition on a value the sample does not have (no
// collection date, no quantity) is false, and its Not true: "not
// collected in 2020" includes samples of unknown date.
type SampleFilter struct {
	And []SampleFilter
	Or  []SampleFilter
	Not *SampleFilter

	BiobankCode        string   // resolved to BiobankID by the services
	BiobankID          string   //
	Biobanks           []string // codes; resolved to BiobankIDs by the services
	BiobankIDs         []string //
	DonorID            string
	ExternalIDs        []string
	MaterialType       string // CURIE
	AnatomicalSite     string // CURIE
	StorageTemperature string // CURIE
	CollectedFrom      *time.Time
	CollectedTo        *time.Time
	Status             string
	Statuses           []string
	RemainingAtLeast   *QuantityFilter

	// The donor's attributes.
	Sex                 string
	BirthYearFrom       *int
	BirthYearTo         *int
	AgeAtCollectionFrom *int
	AgeAtCollectionTo   *int
	Diagnosis           string // ICD-10 CURIE
	VitalStatus         string

	// Data: HasDataFiles asks for any current file; HasData for a file
	// matching a filter (its Sample field, when set, asks that one of the
	// file's current samples match it too).
	HasDataFiles *bool
	HasData      *DataFileFilter

	// Lineage: every sample derived, directly or not, from DerivedFrom;
	// every sample of SameDonorAs's donor.
	DerivedFrom string
	SameDonorAs string

	// Consent: samples whose donor's consent in force decides Purpose as
	// one of the outcomes.
	Consent *ConsentFilter

	// Scope confines the samples to what the reader may see row by row
	// (RowScope); set by the services only, never from input.
	Scope *RowScope

	IncludeRetired bool // applies to the top level only
}

// QuantityFilter asks for at least Amount of Unit. Mass (ng, ug, mg, g)
// and volume (uL, mL, L) compare across their units; other units only
// with themselves.
type QuantityFilter struct {
	Amount Quantity
	Unit   string
}

// ConsentFilter selects samples by their donor's consent decision.
type ConsentFilter struct {
	Purpose  ResearchPurpose
	Outcomes []ConsentOutcome

	// Resolved by the services: the day the consent in force is taken
	// on, and the keys (ConsentShape.Key) of the consent terms whose
	// decision is among Outcomes; NoConsentKey stands for donors without
	// a consent in force.
	At   time.Time
	Keys []string
	// KeyOutcomes holds the outcome of each of Keys, in the same order
	// (for the differencing guard's neighbours).
	KeyOutcomes []ConsentOutcome
}

// ConsentShape is one combination of consent terms present in the
// registry; Key identifies it in the store's queries.
type ConsentShape struct {
	Key        string
	Permission string
	Modifiers  []string
	Disease    string
}

// NoConsentKey is the key of donors without a consent in force (none
// recorded, or the latest withdrawn).
const NoConsentKey = ""

// MaxFilterDepth bounds the nesting of And, Or, Not and filters inside
// filters (hasData, hasSample), and MaxFilterClauses their total number.
const (
	MaxFilterDepth   = 8
	MaxFilterClauses = 100
)
