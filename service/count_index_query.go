package service

import (
	"cmp"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"databank/domain"
)

// indexPred is a compiled filter: a sample matches when sample[its
// profile] and donor[its donor's profile] are true (nil: every one).
type indexPred struct {
	sample []bool
	donor  []bool
}

// leafTables are the tables of single conditions decided for every
// profile, kept for the filters compiled together (a researcher's filter
// and its neighbours share most of their conditions).
type leafTables struct {
	isA    func(code, ancestor string) bool
	tables map[string][]bool
}

func newLeafTables(isA func(code, ancestor string) bool) *leafTables {
	return &leafTables{isA: isA, tables: map[string][]bool{}}
}

// table is the table named key, made once.
func (l *leafTables) table(key string, made func() []bool) []bool {
	t, ok := l.tables[key]
	if !ok {
		t = made()
		l.tables[key] = t
	}
	return t
}

// leafKey names a condition by its kind and its lists of values, each
// value quoted and each list bracketed: no two different conditions
// share a name (an empty list and a list of one empty value do not).
func leafKey(kind string, lists ...[]string) string {
	var b strings.Builder
	b.WriteString(kind)
	for _, list := range lists {
		b.WriteByte('[')
		for i, v := range list {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Quote(v))
		}
		b.WriteByte(']')
	}
	return b.String()
}

// compile decides f for every profile; ok is false when f asks for what
// the index does not hold (its answer then comes from SQL). Tables are
// shared, never changed once made.
func (ix *countIndex) compile(f *domain.SampleFilter, leaves *leafTables) (indexPred, bool) {
	isA := leaves.isA
	rest := *f
	rest.And, rest.Or, rest.Not = nil, nil, nil
	rest.BiobankCode, rest.BiobankID, rest.Biobanks, rest.BiobankIDs = "", "", nil, nil
	rest.MaterialType, rest.Status, rest.Statuses, rest.Sex = "", "", nil, ""
	rest.HasDataFiles, rest.HasData, rest.Consent = nil, nil, nil
	if !reflect.ValueOf(rest).IsZero() {
		return indexPred{}, false // another field (ids, dates, quantities, diagnoses, lineage, a scope, retired samples)
	}
	var p indexPred
	sampleCond := func(key string, keep func(x *sampleProfile) bool) {
		p.sample = andTables(p.sample, leaves.table(key, func() []bool { return decide(ix.profiles, keep) }))
	}
	donorCond := func(key string, keep func(x *donorProfile) bool) {
		p.donor = andTables(p.donor, leaves.table(key, func() []bool { return decide(ix.donorProfiles, keep) }))
	}
	if f.BiobankID != "" || len(f.BiobankIDs) > 0 {
		sampleCond(leafKey("biobank", []string{f.BiobankID}, f.BiobankIDs), func(x *sampleProfile) bool {
			same := func(id string) bool { return strings.EqualFold(id, x.biobankID) } // uuids, in any case
			return (f.BiobankID == "" || same(f.BiobankID)) && (len(f.BiobankIDs) == 0 || slices.ContainsFunc(f.BiobankIDs, same))
		})
	}
	if f.MaterialType != "" {
		sampleCond(leafKey("material", []string{f.MaterialType}), func(x *sampleProfile) bool { return x.hasMaterial && isA(x.materialType, f.MaterialType) })
	}
	if f.Status != "" {
		sampleCond(leafKey("status", []string{f.Status}), func(x *sampleProfile) bool { return x.status == f.Status })
	}
	if len(f.Statuses) > 0 {
		sampleCond(leafKey("statuses", f.Statuses), func(x *sampleProfile) bool { return slices.Contains(f.Statuses, x.status) })
	}
	if f.HasDataFiles != nil {
		want := *f.HasDataFiles
		sampleCond(leafKey("files", []string{strconv.FormatBool(want)}), func(x *sampleProfile) bool { return (len(x.files) > 0) == want })
	}
	if d := f.HasData; d != nil {
		if !reflect.ValueOf(domain.DataFileFilter{Assay: d.Assay, Assembly: d.Assembly, Format: d.Format}).Equal(reflect.ValueOf(*d)) {
			return indexPred{}, false // a file's study, dataset, accession …
		}
		under := func(code, ancestor string) bool { return ancestor == "" || code != "" && isA(code, ancestor) }
		sampleCond(leafKey("data", []string{d.Assay, d.Assembly, d.Format}), func(x *sampleProfile) bool {
			return slices.ContainsFunc(x.files, func(k fileKind) bool {
				return under(k.assay, d.Assay) && under(k.assembly, d.Assembly) && under(k.format, d.Format)
			})
		})
	}
	if f.Sex != "" {
		donorCond(leafKey("sex", []string{f.Sex}), func(x *donorProfile) bool { return x.hasSex && x.sex == f.Sex })
	}
	if c := f.Consent; c != nil {
		if c.At.Format("2006-01-02") != ix.day {
			return indexPred{}, false
		}
		donorCond(leafKey("consent", c.Keys), func(x *donorProfile) bool { return slices.Contains(c.Keys, x.consentKey) })
	}
	for i := range f.And {
		q, ok := ix.compile(&f.And[i], leaves)
		if !ok {
			return indexPred{}, false
		}
		p = indexPred{sample: andTables(p.sample, q.sample), donor: andTables(p.donor, q.donor)}
	}
	if len(f.Or) > 0 {
		var alt indexPred
		var have bool // whether alt holds an alternative yet
		for i := range f.Or {
			q, ok := ix.compile(&f.Or[i], leaves)
			if !ok {
				return indexPred{}, false
			}
			if !have {
				alt, have = q, true
				continue
			}
			if alt, ok = orPreds(alt, q, len(ix.profiles), len(ix.donorProfiles)); !ok {
				return indexPred{}, false
			}
		}
		p = indexPred{sample: andTables(p.sample, alt.sample), donor: andTables(p.donor, alt.donor)}
	}
	if f.Not != nil {
		q, ok := ix.compile(f.Not, leaves)
		if !ok {
			return indexPred{}, false
		}
		switch {
		case q.donor == nil:
			p.sample = andTables(p.sample, notTable(q.sample, len(ix.profiles)))
		case q.sample == nil:
			p.donor = andTables(p.donor, notTable(q.donor, len(ix.donorProfiles)))
		default:
			return indexPred{}, false // not (a sample's and its donor's conditions) is not one table of each
		}
	}
	return p, true
}

// decide is keep of each profile.
func decide[P any](profiles []P, keep func(*P) bool) []bool {
	out := make([]bool, len(profiles))
	for i := range profiles {
		out[i] = keep(&profiles[i])
	}
	return out
}

// andTables is a and b (nil: all true).
func andTables(a, b []bool) []bool {
	switch {
	case a == nil:
		return b
	case b == nil:
		return a
	}
	out := make([]bool, len(a))
	for i := range a {
		out[i] = a[i] && b[i]
	}
	return out
}

// notTable is not t (nil: all true, so none).
func notTable(t []bool, n int) []bool {
	out := make([]bool, n)
	for i := range out {
		out[i] = t != nil && !t[i]
	}
	return out
}

// orPreds is a or b when it is one table of each kind: both of samples
// only, or both of donors only (or one matching everything).
func orPreds(a, b indexPred, profiles, donors int) (indexPred, bool) {
	all := func(p indexPred) bool { return p.sample == nil && p.donor == nil }
	switch {
	case all(a) || all(b):
		return indexPred{}, true
	case a.donor == nil && b.donor == nil:
		return indexPred{sample: orTables(a.sample, b.sample, profiles)}, true
	case a.sample == nil && b.sample == nil:
		return indexPred{donor: orTables(a.donor, b.donor, donors)}, true
	}
	return indexPred{}, false
}

func orTables(a, b []bool, n int) []bool {
	out := make([]bool, n)
	for i := range out {
		out[i] = a[i] || b[i]
	}
	return out
}

// indexJob is one count of a pass: the samples matching pred, and their
// donors, in buckets (one bucket, 0, when byProfile and byDonor are nil).
type indexJob struct {
	pred      indexPred
	byProfile []int32 // a sample facet's bucket, by sample profile
	byDonor   []int32 // a donor facet's bucket, by donor profile
	buckets   int
}

// indexCounts are a job's counts by bucket.
type indexCounts struct {
	samples, donors []int
}

// facetJob is the job of a facet request over pred: its buckets named
// as the store names them (the stored value mapped by r.Buckets, NULL as
// domain.MissingBucket), or ok false for a facet the index does not hold.
func (ix *countIndex) facetJob(pred indexPred, r domain.FacetRequest, biobankCodes map[string]string) (job indexJob, names []string, ok bool) {
	index := map[string]int32{}
	bucket := func(value string, null bool) int32 {
		name := domain.MissingBucket
		if !null {
			name = value
			if m, ok := r.Buckets[value]; ok {
				name = m
			}
		}
		b, ok := index[name]
		if !ok {
			b = int32(len(names))
			index[name] = b
			names = append(names, name)
		}
		return b
	}
	job.pred = pred
	switch r.Facet {
	case domain.FacetBiobank, domain.FacetMaterialType, domain.FacetStatus, domain.FacetHasData:
		job.byProfile = make([]int32, len(ix.profiles))
		for i := range ix.profiles {
			x := &ix.profiles[i]
			switch r.Facet {
			case domain.FacetBiobank:
				code, known := biobankCodes[x.biobankID]
				job.byProfile[i] = bucket(code, !known)
			case domain.FacetMaterialType:
				job.byProfile[i] = bucket(x.materialType, !x.hasMaterial)
			case domain.FacetStatus:
				job.byProfile[i] = bucket(x.status, false)
			case domain.FacetHasData:
				job.byProfile[i] = bucket(strconv.FormatBool(len(x.files) > 0), false)
			}
		}
	case domain.FacetSex, domain.FacetConsentOutcome:
		if r.Facet == domain.FacetConsentOutcome && r.At.Format("2006-01-02") != ix.day {
			return indexJob{}, nil, false
		}
		job.byDonor = make([]int32, len(ix.donorProfiles))
		for i := range ix.donorProfiles {
			x := &ix.donorProfiles[i]
			if r.Facet == domain.FacetSex {
				job.byDonor[i] = bucket(x.sex, !x.hasSex)
			} else {
				job.byDonor[i] = bucket(x.consentKey, false)
			}
		}
	default:
		return indexJob{}, nil, false // several values a sample (assays, diagnoses, datasets) or values the index does not hold
	}
	job.buckets = len(names)
	return job, names, true
}

// facetBuckets are a facet's counted buckets as the store orders them:
// largest first, then by value; empty buckets left out.
func facetBuckets(c indexCounts, names []string) []domain.Bucket {
	out := []domain.Bucket{}
	for b, name := range names {
		if c.samples[b] > 0 {
			out = append(out, domain.Bucket{Value: name, Count: c.samples[b], DonorCount: c.donors[b]})
		}
	}
	slices.SortFunc(out, func(a, b domain.Bucket) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Value, b.Value))
	})
	return out
}
