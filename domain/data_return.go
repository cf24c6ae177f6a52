package domain

import (
	"slices"
	"time"
)

// DataReturnStatus tells whether the derived data of a withdrawal came
// back to the biobank.
type DataReturnStatus string

// Data return statuses.
const (
	ReturnNotRequired DataReturnStatus = "NOT_REQUIRED" // neither the withdrawal nor the consent asks for it
	ReturnPending     DataReturnStatus = "PENDING"      // required, not yet returned, not yet due
	ReturnOverdue     DataReturnStatus = "OVERDUE"      // required, not returned, past due
	ReturnReturned    DataReturnStatus = "RETURNED"     // data derived from the withdrawn material is registered
)

// DefaultReturnDue is when data is due when a return is required but no
// due date was recorded: a year after the withdrawal, on the same day of
// the month (29 February gives 1 March).
func DefaultReturnDue(withdrawnOn time.Time) time.Time { return withdrawnOn.AddDate(1, 0, 0) }

// DataReturn is the state of a withdrawal's data return on a day.
type DataReturn struct {
	WithdrawalID string
	Status       DataReturnStatus
	Required     bool
	Reasons      []string   // why a return is required (or not)
	Due          *time.Time // the due day, when required
	DaysOverdue  int
	Files        []DataFile // the data returned
}

// DecideDataReturn decides a withdrawal's data return on day asOf. A
// return is required when the withdrawal says so, or when the donor's
// consent in force on the withdrawal's day (consent, nil when none)
// carries DUO RTN; returned are the files registered with the withdrawal
// or holding the withdrawn sample or a sample derived from it, registered
// since the withdrawal and not for another withdrawal (the store finds
// them). Of those, the files registered after asOf do not count: on a
// past day, the return is as it stood then. A retired withdrawal (one
// recorded in error) requires nothing.
func DecideDataReturn(w *Withdrawal, consent *Consent, returned []DataFile, asOf time.Time) DataReturn {
	end := asOf.AddDate(0, 0, 1) // registered on asOf still counts
	returned = slices.DeleteFunc(slices.Clone(returned), func(f DataFile) bool { return !f.CreatedAt.IsZero() && !f.CreatedAt.Before(end) })
	r := DataReturn{WithdrawalID: w.ID, Files: returned}
	if w.RetiredAt != nil {
		r.Status = ReturnNotRequired
		r.Reasons = []string{"the withdrawal was retired on " + w.RetiredAt.UTC().Format(DateLayout) + ": it was recorded in error"}
		return r
	}
	if w.DataReturnRequired {
		r.Required = true
		r.Reasons = append(r.Reasons, "the withdrawal's terms require the derived data to be returned")
	}
	if consent != nil && slices.Contains(consent.Modifiers, DUOReturnData) {
		r.Required = true
		r.Reasons = append(r.Reasons, "the donor's consent requires derived data to be returned to the biobank (RTN)")
	}
	if !r.Required {
		r.Status = ReturnNotRequired
		r.Reasons = []string{"neither the withdrawal nor the donor's consent requires a data return"}
		return r
	}
	due := w.DataReturnDue
	if due == nil {
		d := DefaultReturnDue(w.WithdrawnOn)
		due = &d
		r.Reasons = append(r.Reasons, "no due date was recorded: due a year after the withdrawal")
	}
	r.Due = due
	switch {
	case len(returned) > 0:
		r.Status = ReturnReturned
	case asOf.After(*due):
		r.Status = ReturnOverdue
		r.DaysOverdue = int(asOf.Sub(*due).Hours() / 24)
	default:
		r.Status = ReturnPending
	}
	return r
}

// OverdueReturn is a withdrawal whose data return is overdue.
type OverdueReturn struct {
	Withdrawal Withdrawal
	Return     DataReturn
}

// StudyExchange is what a study took from the biobank and gave back.
type StudyExchange struct {
	StudyID     string
	Withdrawals int
	// Material sums the withdrawn quantities by unit.
	Material []QuantityFilter
	Returns  map[DataReturnStatus]int
	// ReturnedFiles counts the files returned for the study's withdrawals.
	ReturnedFiles int
}

// SumExchange sums a study's withdrawals and their data returns (in the
// same order).
func SumExchange(studyID string, ws []Withdrawal, rs []DataReturn) StudyExchange {
	x := StudyExchange{StudyID: studyID, Withdrawals: len(ws), Returns: map[DataReturnStatus]int{}}
	byUnit := map[string]Quantity{}
	var units []string
	for _, w := range ws {
		if _, ok := byUnit[w.QuantityUnit]; !ok {
			units = append(units, w.QuantityUnit)
		}
		byUnit[w.QuantityUnit] += w.Quantity
	}
	slices.Sort(units)
	for _, u := range units {
		x.Material = append(x.Material, QuantityFilter{Amount: byUnit[u], Unit: u})
	}
	files := map[string]bool{}
	for _, r := range rs {
		x.Returns[r.Status]++
		for _, f := range r.Files {
			files[f.ID] = true
		}
	}
	x.ReturnedFiles = len(files)
	return x
}
