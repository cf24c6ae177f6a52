package domain

import "strings"

// RowScope is what a reader confined to part of the registry may see row
// by row. An approved researcher: the samples linked to a current file of
// one of DatasetIDs, the samples SampleIDs, the files of both, and those
// samples' donors. Staff of some biobanks only: the donors and samples of
// BiobankIDs and the files holding those samples.
type RowScope struct {
	DatasetIDs []string
	SampleIDs  []string
	BiobankIDs []string
}

// Empty reports whether the scope holds nothing.
func (s *RowScope) Empty() bool {
	return s == nil || len(s.DatasetIDs) == 0 && len(s.SampleIDs) == 0 && len(s.BiobankIDs) == 0
}

// SeesRows says what a confined actor may see row by row.
func (a Actor) SeesRows() string {
	if a.AggregatesOnly() {
		return "the samples and files of your approved datasets and sample sets"
	}
	return "the records of your biobanks (" + strings.Join(a.Biobanks, ", ") + ")"
}

// NotVisible refuses a confined actor a record (what: "sample 0190…",
// "donor D1") that does not exist or lies outside its RowScope: the two
// answer alike, so that nothing outside the scope can be probed.
func NotVisible(a Actor, what string) error {
	return Errorf(EFORBIDDEN, "%s not found, or outside what you may see: %s", what, a.SeesRows())
}

// Holding names records whose data belongs to biobanks: a write on a
// record shared across biobanks (a data file, a dataset) needs an actor
// who acts for every biobank whose samples it holds.
type Holding struct {
	SampleIDs      []string
	WithdrawalIDs  []string
	FileIDs        []string
	FileAccessions []string // data files by external id
	FileSHA256s    []string // data files by content
	DatasetIDs     []string
}
