package domain

import (
	"maps"
	"slices"
)

// MinReportableCount is the smallest number of samples an aggregate
// reports: a smaller count is suppressed (reported as unknown), so that
// nobody outside the registry can single out a donor from a summary. The
// one threshold for every aggregate the registry shows.
const MinReportableCount = 5

// SampleTally is what the store counts of a set of samples (a dataset's):
// distinct samples in all, by material type (MIABIS CURIE) and by biobank
// (its id). It holds exact counts and never leaves the services.
type SampleTally struct {
	Total          int
	ByMaterialType map[string]int
	ByBiobank      map[string]int
}

// SampleSummary is a SampleTally fit to show: every count below
// MinReportableCount is nil (suppressed).
type SampleSummary struct {
	Total          *int
	ByMaterialType []SampleCount // by material CURIE
	ByBiobank      []SampleCount // by biobank id
}

// SampleCount is one cell of a summary: what it counts (a material CURIE
// or a biobank id) and how many samples, nil when suppressed.
type SampleCount struct {
	Key   string
	Count *int
}

// Summary suppresses the tally's small counts: the total when it is
// below MinReportableCount (and then every count), and in each breakdown
// the counts suppressionMask hides (small ones, and as many others as it
// takes that none can be recovered from the total). Cells come in key
// order.
func (t SampleTally) Summary() SampleSummary {
	hideAll := t.Total < MinReportableCount
	s := SampleSummary{Total: reportable(t.Total, hideAll)}
	s.ByMaterialType = suppressCells(t.ByMaterialType, hideAll)
	s.ByBiobank = suppressCells(t.ByBiobank, hideAll)
	return s
}

func reportable(n int, hide bool) *int {
	if hide || n < MinReportableCount {
		return nil
	}
	return &n
}

// suppressCells turns one breakdown into cells, hiding what
// suppressionMask hides.
func suppressCells(counts map[string]int, hideAll bool) []SampleCount {
	keys := slices.Sorted(maps.Keys(counts))
	ns := make([]int, len(keys))
	for i, k := range keys {
		ns[i] = counts[k]
	}
	hide := suppressionMask(ns, hideAll)
	out := make([]SampleCount, len(keys))
	for i, k := range keys {
		out[i] = SampleCount{Key: k, Count: reportable(ns[i], hide[i])}
	}
	return out
}
