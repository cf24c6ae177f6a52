package domain

import (
	"maps"
	"slices"
)

// SampleTally is what the store counts of a set of samples (a dataset's):
// distinct samples in all, by material type (MIABIS CURIE) and by biobank
// (its id). It holds exact counts and never leaves the services.
type SampleTally struct {
	Total          int
	ByMaterialType map[string]int
	ByBiobank      map[string]int
}

// SampleSummary is a SampleTally fit to show: every count below the
// threshold is nil (suppressed).
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
// below K (and then every count), and in each breakdown the counts mask
// hides (small ones, and as many others as it takes that none can be
// recovered from the total). Cells come in key order.
func (s Suppression) Summary(t SampleTally) SampleSummary {
	hideAll := t.Total < s.K()
	out := SampleSummary{Total: s.reportable(t.Total, hideAll)}
	out.ByMaterialType = s.cells(t.ByMaterialType, hideAll)
	out.ByBiobank = s.cells(t.ByBiobank, hideAll)
	return out
}

func (s Suppression) reportable(n int, hide bool) *int {
	if hide || n < s.K() {
		return nil
	}
	return &n
}

// cells turns one breakdown into cells, hiding what mask hides.
func (s Suppression) cells(counts map[string]int, hideAll bool) []SampleCount {
	keys := slices.Sorted(maps.Keys(counts))
	ns := make([]int, len(keys))
	for i, k := range keys {
		ns[i] = counts[k]
	}
	hide := s.mask(ns, hideAll)
	out := make([]SampleCount, len(keys))
	for i, k := range keys {
		out[i] = SampleCount{Key: k, Count: s.reportable(ns[i], hide[i])}
	}
	return out
}
