package domain

import (
	"strings"
	"time"
)

// Withdrawal is material taken from a sample for a study. It reduces the
// sample's remaining quantity exactly once.
type Withdrawal struct {
	ID                 string
	BiobankID          string
	ExternalID         string // withdrawal id, unique within the biobank
	SampleID           string
	StudyID            string
	Quantity           Quantity
	QuantityUnit       string
	WithdrawnOn        time.Time
	Recipient          string
	DataReturnRequired bool
	DataReturnDue      *time.Time
	Audit
}

// Validate normalises w and records every field error in v. Whether the
// sample has enough material left is checked by the store.
func (w *Withdrawal) Validate(v *Validation) {
	w.ExternalID = strings.TrimSpace(w.ExternalID)
	v.ExternalID("withdrawalId", w.ExternalID)
	if w.Quantity <= 0 {
		v.Fail("quantity", w.Quantity.String(), "must be greater than zero")
	}
	unit, ok := NormalizeUnit(w.QuantityUnit)
	if !ok {
		v.Fail("quantityUnit", w.QuantityUnit, "must be one of mL, uL, L, g, mg, ug, ng, cells, aliquots, slides, blocks")
	}
	w.QuantityUnit = unit
	if w.WithdrawnOn.IsZero() {
		v.Fail("withdrawnOn", "", "is required")
	} else if w.WithdrawnOn.After(v.Now()) {
		v.Fail("withdrawnOn", FormatDate(&w.WithdrawnOn), "must not be in the future")
	}
	v.Text("recipient", w.Recipient, 200)
	if w.DataReturnDue != nil && !w.WithdrawnOn.IsZero() && w.DataReturnDue.Before(w.WithdrawnOn) {
		v.Fail("dataReturnDue", FormatDate(w.DataReturnDue), "must not be before withdrawnOn")
	}
	if w.DataReturnDue != nil && !w.DataReturnRequired {
		v.Fail("dataReturnDue", FormatDate(w.DataReturnDue), "is only allowed when dataReturnRequired is true")
	}
}

// SampleGivesMaterial reports whether a sample in the given status can
// give material: a depleted or destroyed sample has none left.
func SampleGivesMaterial(status string) bool {
	return status != SampleDepleted && status != SampleDestroyed
}

// SampleStatusesWithoutMaterial are the statuses SampleGivesMaterial
// refuses, for checks that select candidate rows in SQL.
var SampleStatusesWithoutMaterial = []string{SampleDepleted, SampleDestroyed}

// TakesMaterial reports whether recording w, which was old before (nil
// when w is new), takes material from its sample that was not taken
// before: a new withdrawal, one moved to another sample, or a larger
// quantity. Correcting anything else (the recipient, the study, the date,
// a smaller quantity) takes nothing, nor does a retired withdrawal.
func (w *Withdrawal) TakesMaterial(old *Withdrawal) bool {
	switch {
	case w.RetiredAt != nil:
		return false
	case old == nil:
		return true
	}
	return w.SampleID != old.SampleID || w.Quantity > old.Quantity
}

// WithdrawalSource is what the withdrawal rules need to know of the sample
// material is taken from.
type WithdrawalSource struct {
	ExternalID string // the sample's id
	Unit       string // its quantity unit, "" when it has no recorded quantity
	Status     string // its status once the change is made
	// StatusBefore is its status before the change, "" for a sample the
	// same change creates. A mutation changes one record, so for it both
	// are the sample's status. An import also brings the samples' status,
	// and its rows are taken together, in whichever order makes them hold:
	// a registry that lists a sample as depleted together with the
	// withdrawal that used it up is consistent.
	StatusBefore string
}

// CheckSource records in v why w, which was old before (nil when w is
// new), cannot be recorded against sample s: the sample has no recorded
// quantity, w is in another unit, or w takes material (TakesMaterial) from
// a sample that has none (SampleGivesMaterial) before and after the
// change. Mutations and imports both judge with it.
func (w *Withdrawal) CheckSource(v *Validation, old *Withdrawal, s WithdrawalSource) {
	switch {
	case s.Unit == "":
		v.Fail("sampleId", s.ExternalID, "sample %s has no quantity unit: record its quantity before withdrawing from it", s.ExternalID)
	case w.QuantityUnit != s.Unit:
		v.Fail("quantityUnit", w.QuantityUnit, "must be the unit of sample %s, %s", s.ExternalID, s.Unit)
	}
	if w.TakesMaterial(old) && !SampleGivesMaterial(s.Status) && s.StatusBefore != "" && !SampleGivesMaterial(s.StatusBefore) {
		v.Fail("sampleId", s.ExternalID, "sample %s is %s: no more material can be withdrawn from it", s.ExternalID, s.Status)
	}
}
