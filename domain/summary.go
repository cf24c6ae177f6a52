package domain

import (
	"cmp"
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

// Summary suppresses the tally's small counts. A count below
// MinReportableCount is nil; when a breakdown would hide exactly one
// count while the total is shown, the next smallest count is hidden too
// (otherwise the total minus the shown counts would reveal it); when the
// total itself is small, every count is hidden. Cells come in key order.
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

// suppressCells turns one breakdown into cells, with the primary and the
// secondary suppression of Summary.
func suppressCells(counts map[string]int, hideAll bool) []SampleCount {
	out := make([]SampleCount, 0, len(counts))
	hidden := 0
	for k, n := range counts {
		c := SampleCount{Key: k, Count: reportable(n, hideAll)}
		if c.Count == nil {
			hidden++
		}
		out = append(out, c)
	}
	slices.SortFunc(out, func(a, b SampleCount) int { return cmp.Compare(a.Key, b.Key) })
	if hidden == 1 {
		smallest := -1
		for i, c := range out {
			if c.Count != nil && (smallest < 0 || *c.Count < *out[smallest].Count) {
				smallest = i
			}
		}
		if smallest >= 0 {
			out[smallest].Count = nil
		}
	}
	return out
}
