package domain

import "slices"

// Small counts are suppressed for readers who see aggregates only
// (Actor.AggregatesOnly), with MinReportableCount the one threshold:
// a count of fewer donors is not shown, neither alone nor so that it
// could be recovered from others.

// CountsSuppressed reports whether a count of samples and their donors
// must be hidden.
func CountsSuppressed(samples, donors int) bool {
	return samples < MinReportableCount || donors < MinReportableCount
}

// suppressionMask decides which of one breakdown's counts to hide: every
// count below MinReportableCount (primary suppression), then as many of
// the smallest remaining ones as it takes for the hidden ones to be at
// least two and to add up to at least MinReportableCount (complementary
// suppression), so that no hidden count can be recovered by subtracting
// the shown ones from the total, or from each other. hideAll hides every
// count (the total itself is too small). The one rule of every breakdown
// the registry shows: facets (SuppressBuckets) and dataset summaries
// (SampleTally.Summary).
func suppressionMask(counts []int, hideAll bool) []bool {
	hide := make([]bool, len(counts))
	hidden, sum := 0, 0
	for i, n := range counts {
		if hideAll || n < MinReportableCount {
			hide[i] = true
			hidden++
			sum += n
		}
	}
	for hidden > 0 && (hidden < 2 || sum < MinReportableCount) {
		smallest := -1
		for i, n := range counts {
			if !hide[i] && (smallest < 0 || n < counts[smallest]) {
				smallest = i
			}
		}
		if smallest < 0 {
			break
		}
		hide[smallest] = true
		hidden++
		sum += counts[smallest]
	}
	return hide
}

// SuppressBuckets hides the buckets of one facet by their donors
// (suppressionMask); a hidden bucket's counts are 0 and it is marked
// Suppressed.
func SuppressBuckets(bs []Bucket) []Bucket {
	out := slices.Clone(bs)
	donors := make([]int, len(out))
	for i, b := range out {
		donors[i] = b.DonorCount
	}
	for i, hide := range suppressionMask(donors, false) {
		if hide {
			out[i].Suppressed, out[i].Count, out[i].DonorCount = true, 0, 0
		}
	}
	return out
}

// Relaxations returns f without each one of its top-level conditions,
// named: the filters a count of f could be subtracted from to single out
// the donors that condition excludes.
func (f SampleFilter) Relaxations() map[string]SampleFilter {
	out := map[string]SampleFilter{}
	add := func(name string, set bool, clear func(*SampleFilter)) {
		if set {
			g := f
			clear(&g)
			out[name] = g
		}
	}
	add("biobank", f.BiobankCode != "" || f.BiobankID != "" || len(f.Biobanks) > 0, func(g *SampleFilter) {
		g.BiobankCode, g.BiobankID, g.Biobanks, g.BiobankIDs = "", "", nil, nil
	})
	add("donor", f.DonorID != "", func(g *SampleFilter) { g.DonorID = "" })
	add("sampleIds", len(f.ExternalIDs) > 0, func(g *SampleFilter) { g.ExternalIDs = nil })
	add("materialType", f.MaterialType != "", func(g *SampleFilter) { g.MaterialType = "" })
	add("anatomicalSite", f.AnatomicalSite != "", func(g *SampleFilter) { g.AnatomicalSite = "" })
	add("storageTemperature", f.StorageTemperature != "", func(g *SampleFilter) { g.StorageTemperature = "" })
	add("collected", f.CollectedFrom != nil || f.CollectedTo != nil, func(g *SampleFilter) { g.CollectedFrom, g.CollectedTo = nil, nil })
	add("status", f.Status != "" || len(f.Statuses) > 0, func(g *SampleFilter) { g.Status, g.Statuses = "", nil })
	add("remainingAtLeast", f.RemainingAtLeast != nil, func(g *SampleFilter) { g.RemainingAtLeast = nil })
	add("sex", f.Sex != "", func(g *SampleFilter) { g.Sex = "" })
	add("birthYear", f.BirthYearFrom != nil || f.BirthYearTo != nil, func(g *SampleFilter) { g.BirthYearFrom, g.BirthYearTo = nil, nil })
	add("ageAtCollection", f.AgeAtCollectionFrom != nil || f.AgeAtCollectionTo != nil, func(g *SampleFilter) {
		g.AgeAtCollectionFrom, g.AgeAtCollectionTo = nil, nil
	})
	add("diagnosis", f.Diagnosis != "", func(g *SampleFilter) { g.Diagnosis = "" })
	add("vitalStatus", f.VitalStatus != "", func(g *SampleFilter) { g.VitalStatus = "" })
	add("hasDataFiles", f.HasDataFiles != nil, func(g *SampleFilter) { g.HasDataFiles = nil })
	add("hasData", f.HasData != nil, func(g *SampleFilter) { g.HasData = nil })
	add("derivedFrom", f.DerivedFrom != "", func(g *SampleFilter) { g.DerivedFrom = "" })
	add("sameDonorAs", f.SameDonorAs != "", func(g *SampleFilter) { g.SameDonorAs = "" })
	add("consent", f.Consent != nil, func(g *SampleFilter) { g.Consent = nil })
	add("and", len(f.And) > 0, func(g *SampleFilter) { g.And = nil })
	add("or", len(f.Or) > 0, func(g *SampleFilter) { g.Or = nil })
	add("not", f.Not != nil, func(g *SampleFilter) { g.Not = nil })
	return out
}

// UsesDonorAttributes reports whether f, or a filter nested in it,
// selects by a donor's attributes (sex, birth year, age, diagnosis, vital
// status): a federation client, which may not read them, may not select
// by them either.
func (f *SampleFilter) UsesDonorAttributes() bool {
	if f == nil {
		return false
	}
	if f.Sex != "" || f.BirthYearFrom != nil || f.BirthYearTo != nil || f.AgeAtCollectionFrom != nil || f.AgeAtCollectionTo != nil ||
		f.Diagnosis != "" || f.VitalStatus != "" || f.DonorID != "" {
		return true
	}
	if f.HasData != nil && f.HasData.Sample.UsesDonorAttributes() {
		return true
	}
	for i := range f.And {
		if f.And[i].UsesDonorAttributes() {
			return true
		}
	}
	for i := range f.Or {
		if f.Or[i].UsesDonorAttributes() {
			return true
		}
	}
	return f.Not.UsesDonorAttributes()
}
