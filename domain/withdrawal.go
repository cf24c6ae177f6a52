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
