package domain

import (
	"fmt"
	"slices"
)

// Small counts are suppressed for readers who see aggregates only
// (Actor.AggregatesOnly), with one threshold k (Suppression.MinCount): a
// count of fewer donors is not shown, neither alone nor so that it could
// be recovered from others.

// DefaultMinCount is k when none is configured (DATABANK_MIN_COUNT).
const DefaultMinCount = 5

// Suppression is the rule of small counts with its threshold: a count
// below MinCount is not shown (DefaultMinCount when MinCount is below 2,
// so that the zero value suppresses too).
type Suppression struct {
	MinCount int
}

// K is the threshold: the smallest count shown.
func (s Suppression) K() int {
	if s.MinCount < 2 {
		return DefaultMinCount
	}
	return s.MinCount
}

// CountsSuppressed reports whether a count of samples and their donors
// must be hidden.
func (s Suppression) CountsSuppressed(samples, donors int) bool {
	return samples < s.K() || donors < s.K()
}

// mask decides which of one breakdown's counts to hide: every count
// below K (primary suppression), then as many of the smallest remaining
// ones as it takes for the hidden ones to be at least two and to add up
// to at least K (complementary
// suppression), so that no hidden count can be recovered by subtracting
// the shown ones from the total, or from each other. hideAll hides every
// count (the total itself is too small). The one rule of every breakdown
// the registry shows: facets (Buckets) and dataset summaries (Summary).
func (s Suppression) mask(counts []int, hideAll bool) []bool {
	k := s.K()
	hide := make([]bool, len(counts))
	hidden, sum := 0, 0
	for i, n := range counts {
		if hideAll || n < k {
			hide[i] = true
			hidden++
			sum += n
		}
	}
	for hidden > 0 && (hidden < 2 || sum < k) {
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

// Buckets hides the buckets of one facet by their donors (mask); a
// hidden bucket's counts are 0 and it is marked Suppressed.
func (s Suppression) Buckets(bs []Bucket) []Bucket {
	out := slices.Clone(bs)
	donors := make([]int, len(out))
	for i, b := range out {
		donors[i] = b.DonorCount
	}
	for i, hide := range s.mask(donors, false) {
		if hide {
			out[i].Suppressed, out[i].Count, out[i].DonorCount = true, 0, 0
		}
	}
	return out
}

// Relaxations returns the neighbours of f, named by the path of what
// each leaves out: f without one of its conditions, at any depth (inside
// and, or and not too), and without each nested filter as a whole. A count
// of f and a count of one of them differ by exactly the donors that one
// condition sets apart, so their difference could single those out,
// whichever of the two is the larger (leaving out a condition under not
// narrows). Wrapping a condition in and, or or not thus hides nothing.
func (f SampleFilter) Relaxations() map[string]SampleFilter {
	out := map[string]SampleFilter{}
	f.relax("", out)
	return out
}

// MaxNeighbours bounds the neighbours a count for readers of aggregates
// is checked against (each costs a count): a filter with more is refused
// (TooManyNeighbours) before any is built.
const MaxNeighbours = 200

// Neighbours counts f's neighbours (Relaxations) without building them.
func (f SampleFilter) Neighbours() int {
	n := 0
	f.countNeighbours(&n)
	return n
}

func (f SampleFilter) countNeighbours(n *int) {
	for _, set := range []bool{f.BiobankCode != "" || f.BiobankID != "" || len(f.Biobanks) > 0, f.DonorID != "", len(f.ExternalIDs) > 0,
		f.MaterialType != "", f.AnatomicalSite != "", f.StorageTemperature != "", f.CollectedFrom != nil || f.CollectedTo != nil,
		f.Status != "" || len(f.Statuses) > 0, f.RemainingAtLeast != nil, f.Sex != "", f.BirthYearFrom != nil || f.BirthYearTo != nil,
		f.AgeAtCollectionFrom != nil || f.AgeAtCollectionTo != nil, f.Diagnosis != "", f.VitalStatus != "", f.HasDataFiles != nil,
		f.HasData != nil, f.DerivedFrom != "", f.SameDonorAs != "", f.Consent != nil, f.Not != nil} {
		if set {
			*n++
		}
	}
	if h := f.HasData; h != nil {
		for _, set := range []bool{h.Format != "", h.Assay != "", h.Assembly != "", h.DatasetID != "", h.StudyID != "", h.Sample != nil} {
			if set {
				*n++
			}
		}
		if h.Sample != nil {
			h.Sample.countNeighbours(n)
		}
	}
	if len(f.Biobanks) > 1 {
		*n += len(f.Biobanks)
	}
	if len(f.Statuses) > 1 {
		*n += len(f.Statuses)
	}
	if f.Consent != nil && len(distinctOutcomes(f.Consent.KeyOutcomes)) > 1 {
		*n += len(distinctOutcomes(f.Consent.KeyOutcomes))
	}
	if f.Not != nil {
		f.Not.countNeighbours(n)
	}
	for _, xs := range [][]SampleFilter{f.And, f.Or} {
		for _, x := range xs {
			*n++
			x.countNeighbours(n)
		}
	}
}

// distinctOutcomes are the outcomes among a consent condition's keys.
func distinctOutcomes(os []ConsentOutcome) []ConsentOutcome {
	out := slices.Clone(os)
	slices.Sort(out)
	return slices.Compact(out)
}

// relax adds f's neighbours to out, their names prefixed with at.
func (f SampleFilter) relax(at string, out map[string]SampleFilter) {
	add := func(name string, set bool, clear func(*SampleFilter)) {
		if set {
			g := f
			clear(&g)
			out[at+name] = g
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
	add("not", f.Not != nil, func(g *SampleFilter) { g.Not = nil })
	if h := f.HasData; h != nil { // each condition on the files, and on their samples
		for _, c := range []struct {
			name  string
			set   bool
			clear func(*DataFileFilter)
		}{
			{"format", h.Format != "", func(d *DataFileFilter) { d.Format = "" }},
			{"assay", h.Assay != "", func(d *DataFileFilter) { d.Assay = "" }},
			{"assembly", h.Assembly != "", func(d *DataFileFilter) { d.Assembly = "" }},
			{"dataset", h.DatasetID != "", func(d *DataFileFilter) { d.DatasetID = "" }},
			{"study", h.StudyID != "", func(d *DataFileFilter) { d.StudyID = "" }},
			{"hasSample", h.Sample != nil, func(d *DataFileFilter) { d.Sample = nil }},
		} {
			if c.set {
				d := *h
				c.clear(&d)
				g := f
				g.HasData = &d
				out[at+"hasData."+c.name] = g
			}
		}
		if h.Sample != nil {
			inner := map[string]SampleFilter{}
			h.Sample.relax("", inner)
			for name, r := range inner {
				d := *h
				d.Sample = &r
				g := f
				g.HasData = &d
				out[at+"hasData.hasSample."+name] = g
			}
		}
	}
	// one value fewer in a list of alternatives narrows by that value's
	// donors (the services keep the lists free of repeats)
	if len(f.Biobanks) > 1 && len(f.BiobankIDs) == len(f.Biobanks) {
		for i := range f.Biobanks {
			g := f
			g.Biobanks = slices.Delete(slices.Clone(f.Biobanks), i, i+1)
			g.BiobankIDs = slices.Delete(slices.Clone(f.BiobankIDs), i, i+1)
			out[fmt.Sprintf("%sbiobanks[%d]", at, i)] = g
		}
	}
	if len(f.Statuses) > 1 {
		for i := range f.Statuses {
			g := f
			g.Statuses = slices.Delete(slices.Clone(f.Statuses), i, i+1)
			out[fmt.Sprintf("%sstatuses[%d]", at, i)] = g
		}
	}
	if c := f.Consent; c != nil && len(c.KeyOutcomes) == len(c.Keys) {
		// the store selects by the resolved keys: a neighbour drops the
		// keys of one outcome
		if outcomes := distinctOutcomes(c.KeyOutcomes); len(outcomes) > 1 {
			for _, o := range outcomes {
				d := *c
				d.Outcomes = slices.DeleteFunc(slices.Clone(c.Outcomes), func(x ConsentOutcome) bool { return x == o })
				d.Keys, d.KeyOutcomes = nil, nil
				for i, k := range c.Keys {
					if c.KeyOutcomes[i] != o {
						d.Keys, d.KeyOutcomes = append(d.Keys, k), append(d.KeyOutcomes, c.KeyOutcomes[i])
					}
				}
				g := f
				g.Consent = &d
				out[at+"consent.outcomes."+string(o)] = g
			}
		}
	}
	if f.Not != nil {
		inner := map[string]SampleFilter{}
		f.Not.relax("", inner)
		for name, r := range inner {
			g := f
			g.Not = &r
			out[at+"not."+name] = g
		}
	}
	for _, list := range []struct {
		name  string
		items []SampleFilter
		set   func(*SampleFilter, []SampleFilter)
	}{
		{"and", f.And, func(g *SampleFilter, xs []SampleFilter) { g.And = xs }},
		{"or", f.Or, func(g *SampleFilter, xs []SampleFilter) { g.Or = xs }},
	} {
		for i := range list.items {
			name := fmt.Sprintf("%s%s[%d]", at, list.name, i)
			g := f
			list.set(&g, slices.Delete(slices.Clone(list.items), i, i+1))
			out[name] = g
			inner := map[string]SampleFilter{}
			list.items[i].relax("", inner)
			for n, r := range inner {
				g := f
				xs := slices.Clone(list.items)
				xs[i] = r
				list.set(&g, xs)
				out[name+"."+n] = g
			}
		}
	}
}

// SelectsIndividuals names the first condition of f, at any depth, that
// picks samples or donors by who they are rather than by what they are
// (donor, sameDonorAs, derivedFrom, sampleIds, and a file's sample, donor
// or accession): a count over a set the reader chose by identity tells
// what its members share (five chosen barcodes, all of them of male
// donors), however large it is, so readers of aggregates may not use them.
func (f *SampleFilter) SelectsIndividuals() (string, bool) {
	var name string
	found := f.uses(func(g *SampleFilter) bool {
		switch {
		case g.DonorID != "":
			name = "donor"
		case g.SameDonorAs != "":
			name = "sameDonorAs"
		case g.DerivedFrom != "":
			name = "derivedFrom"
		case len(g.ExternalIDs) > 0:
			name = "sampleIds"
		case g.HasData != nil && (g.HasData.SampleID != "" || g.HasData.DonorID != "" || g.HasData.Accession != ""):
			name = "hasData (a sample, donor or file by id)"
		}
		return name != ""
	})
	return name, found
}

// UsesDonorAttributes reports whether f, or a filter nested in it,
// selects by a donor's attributes (sex, birth year, age, diagnosis, vital
// status): a federation client, which may not read them, may not select
// by them either.
func (f *SampleFilter) UsesDonorAttributes() bool {
	return f.uses(func(g *SampleFilter) bool {
		return g.Sex != "" || g.BirthYearFrom != nil || g.BirthYearTo != nil || g.AgeAtCollectionFrom != nil || g.AgeAtCollectionTo != nil ||
			g.Diagnosis != "" || g.VitalStatus != "" || g.DonorID != ""
	})
}

// UsesBirthYear reports whether f, or a filter nested in it, selects by
// a donor's birth year or age at collection: a listing of pseudonymised
// samples (Donor.Pseudonymised) selected by year after year would give
// back the birth years it hides.
func (f *SampleFilter) UsesBirthYear() bool {
	return f.uses(func(g *SampleFilter) bool {
		return g.BirthYearFrom != nil || g.BirthYearTo != nil || g.AgeAtCollectionFrom != nil || g.AgeAtCollectionTo != nil
	})
}

// UsesDiagnosis reports whether f, or a filter nested in it, selects by
// diagnosis: a listing of samples of readers who do not see diagnoses,
// selected code by code, would give them back.
func (f *SampleFilter) UsesDiagnosis() bool {
	return f.uses(func(g *SampleFilter) bool { return g.Diagnosis != "" })
}

// uses reports whether test holds for f or a filter nested in it.
func (f *SampleFilter) uses(test func(*SampleFilter) bool) bool {
	if f == nil {
		return false
	}
	if test(f) || f.HasData != nil && f.HasData.Sample.uses(test) || f.Not.uses(test) {
		return true
	}
	for i := range f.And {
		if f.And[i].uses(test) {
			return true
		}
	}
	for i := range f.Or {
		if f.Or[i].uses(test) {
			return true
		}
	}
	return false
}

// Relaxations returns f without each one of its top-level conditions,
// named, as SampleFilter.Relaxations does for samples.
func (f DonorFilter) Relaxations() map[string]DonorFilter {
	out := map[string]DonorFilter{}
	add := func(name string, set bool, clear func(*DonorFilter)) {
		if set {
			g := f
			clear(&g)
			out[name] = g
		}
	}
	add("biobank", f.BiobankCode != "" || f.BiobankID != "", func(g *DonorFilter) { g.BiobankCode, g.BiobankID = "", "" })
	add("sex", f.Sex != "", func(g *DonorFilter) { g.Sex = "" })
	add("diagnosis", f.Diagnosis != "", func(g *DonorFilter) { g.Diagnosis = "" })
	add("vitalStatus", f.VitalStatus != "", func(g *DonorFilter) { g.VitalStatus = "" })
	add("birthYear", f.BirthYearFrom != nil || f.BirthYearTo != nil, func(g *DonorFilter) { g.BirthYearFrom, g.BirthYearTo = nil, nil })
	add("hasSample", f.HasSample != nil, func(g *DonorFilter) { g.HasSample = nil })
	if f.HasSample != nil { // every neighbour of the samples' filter too
		for name, r := range f.HasSample.Relaxations() {
			g := f
			g.HasSample = &r
			out["hasSample."+name] = g
		}
	}
	return out
}
