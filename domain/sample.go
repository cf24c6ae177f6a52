package domain

import (
	"strings"
	"time"

	"databank/ontology"
)

// Sample status values.
const (
	SampleAvailable = "available"
	SampleReserved  = "reserved"
	SampleDepleted  = "depleted"
	SampleDestroyed = "destroyed"
)

// Sample is a physical specimen held by a biobank. Derived material
// (DNA extracted from blood, aliquots) points to its parent.
type Sample struct {
	ID                 string
	BiobankID          string
	BiobankCode        string // input only: names the biobank when BiobankID is empty (the services resolve it)
	ExternalID         string // barcode, unique within the biobank
	DonorID            string
	ParentID           string // "" for a primary sample
	MaterialType       string // MIABIS CURIE
	AnatomicalSite     string // UBERON CURIE
	CollectedOn        *time.Time
	StorageTemperature string // TEMP CURIE
	InitialQuantity    *Quantity
	// RegisteredRemaining is the remaining quantity according to the
	// biobank's registry, before the withdrawals recorded in Databank.
	RegisteredRemaining *Quantity
	// RemainingQuantity is what is left after every recorded withdrawal;
	// the store computes it.
	RemainingQuantity *Quantity
	QuantityUnit      string
	Status            string
	Audit
}

// Validate normalises s and records every field error in v. Lineage (the
// parent belongs to the same donor, ParentOfAnotherDonor; no cycles,
// LineageCycle) is checked by the store, which knows the other samples.
// Codes are checked against vocab.
func (s *Sample) Validate(v *Validation, vocab Vocabulary) {
	s.ExternalID = strings.TrimSpace(s.ExternalID)
	v.ExternalID("sampleId", s.ExternalID)
	if v.Required("materialType", s.MaterialType) {
		v.Code(vocab, "materialType", &s.MaterialType, ontology.Material)
	}
	v.Code(vocab, "anatomicalSite", &s.AnatomicalSite, ontology.Anatomy)
	v.Code(vocab, "storageTemperature", &s.StorageTemperature, ontology.Temperature)
	if s.CollectedOn != nil && s.CollectedOn.After(v.Now()) {
		v.Fail("collectedOn", FormatDate(s.CollectedOn), "must not be in the future")
	}
	if s.Status == "" {
		s.Status = SampleAvailable
	}
	v.Enum("status", &s.Status, SampleAvailable, SampleReserved, SampleDepleted, SampleDestroyed)
	if s.InitialQuantity != nil || s.RemainingQuantity != nil || s.QuantityUnit != "" {
		unit, ok := NormalizeUnit(s.QuantityUnit)
		if !ok {
			v.Fail("quantityUnit", s.QuantityUnit, "must be one of mL, uL, L, g, mg, ug, ng, cells, aliquots, slides, blocks")
		}
		s.QuantityUnit = unit
	}
	if s.InitialQuantity != nil && *s.InitialQuantity < 0 {
		v.Fail("initialQuantity", s.InitialQuantity.String(), "must not be negative")
	}
	if r := s.RegisteredRemaining; r != nil {
		switch {
		case *r < 0:
			v.Fail("registeredRemaining", r.String(), "must not be negative")
		case s.InitialQuantity != nil && *r > *s.InitialQuantity:
			v.Fail("registeredRemaining", r.String(), "must not exceed the initial quantity %s", s.InitialQuantity.String())
		}
	}
	if s.ParentID != "" && s.ParentID == s.ID {
		v.Fail("parentSampleId", s.ExternalID, "%s", SampleOwnParent)
	}
}

// SampleOwnParent is what a sample named as its own parent is told, by
// Validate and by the database's sample_not_own_parent check alike.
const SampleOwnParent = "a sample cannot be its own parent"

// ParentOfAnotherDonorFormat words a parent sample of another donor than
// its derived sample's: the parent's id, then the donor's. It has %s
// verbs only, so that an import's SQL words it with format() exactly as
// ParentOfAnotherDonor does.
const ParentOfAnotherDonorFormat = "parent sample %s belongs to another donor than %s: derived material comes from a sample of the same donor"

// ParentOfAnotherDonor records that parent, named as a sample's parent,
// belongs to another donor than donor, the sample's. (The database's
// lineage key refuses it too.)
func ParentOfAnotherDonor(v *Validation, parent, donor string) {
	v.Fail("parentSampleId", parent, ParentOfAnotherDonorFormat, parent, donor)
}

// UnitFixedByWithdrawals records that sample's quantity unit cannot change
// to unit: withdrawals recorded in another unit (recorded) stand.
func UnitFixedByWithdrawals(v *Validation, sample, unit, recorded string) {
	v.Fail("quantityUnit", unit, "sample %s has withdrawals recorded in %s; its unit cannot change while they stand", sample, recorded)
}

// MaxLineageDepth bounds the walk up a sample's ancestors that looks for
// lineage cycles, for mutations and imports alike.
const MaxLineageDepth = 1000

// LineageCycle records that sample, given parent, would become its own
// ancestor. Finding cycles needs the other samples, so the store walks
// the lineage (in SQL, for one sample or a whole import) and reports what
// it finds here.
func LineageCycle(v *Validation, sample, parent string) {
	v.Fail("parentSampleId", parent, "lineage cycle: with parent %s, sample %s would become its own ancestor", parent, sample)
}
