package domain_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"databank/domain"
)

func TestSuppressionBuckets(t *testing.T) {
	tests := []struct {
		name   string
		k      int
		donors []int
		hidden []bool
	}{
		{"nothing small", 0, []int{9, 7, 5}, []bool{false, false, false}},
		{"a lone small bucket takes the next smallest with it", 0, []int{20, 9, 3}, []bool{false, true, true}},
		{"two small ones adding up to less than five take a third", 0, []int{20, 9, 1, 2}, []bool{false, true, true, true}},
		{"two small ones adding up to five stand", 0, []int{20, 9, 2, 3}, []bool{false, false, true, true}},
		{"everything small", 0, []int{1, 2}, []bool{true, true}},
		{"one bucket", 0, []int{3}, []bool{true}},
		{"a threshold of ten", 10, []int{20, 9, 12}, []bool{false, true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bs := make([]domain.Bucket, len(tt.donors))
			for i, n := range tt.donors {
				bs[i] = domain.Bucket{Value: string(rune('a' + i)), Count: n * 2, DonorCount: n}
			}
			got := domain.Suppression{MinCount: tt.k}.Buckets(bs)
			for i, b := range got {
				assert.Equal(t, tt.hidden[i], b.Suppressed, "bucket %d", i)
				if b.Suppressed {
					assert.Zero(t, b.Count)
					assert.Zero(t, b.DonorCount)
				} else {
					assert.Equal(t, tt.donors[i], b.DonorCount)
				}
			}
		})
	}
}

// Every condition has its neighbour, at any depth: in and, or, not, in a
// condition on the data and its samples, and each value of a list of
// alternatives.
func TestRelaxationsReachEveryCondition(t *testing.T) {
	yes := true
	f := domain.SampleFilter{
		MaterialType: "MIABIS:DNA",
		Statuses:     []string{"available", "reserved"},
		HasData:      &domain.DataFileFilter{Assay: "ASSAY:WGS", Assembly: "ASSEMBLY:GRCh38", Sample: &domain.SampleFilter{Sex: "female"}},
		Biobanks:     []string{"DNB", "EST"},
		BiobankIDs:   []string{"id-dnb", "id-est"},
		Consent: &domain.ConsentFilter{Outcomes: []domain.ConsentOutcome{domain.ConsentPermitted, domain.ConsentNeedsReview},
			Keys: []string{"k1", "k2", "k3"}, KeyOutcomes: []domain.ConsentOutcome{domain.ConsentPermitted, domain.ConsentNeedsReview, domain.ConsentPermitted}},
		And: []domain.SampleFilter{{Sex: "male"}, {Or: []domain.SampleFilter{{VitalStatus: "alive"}, {HasDataFiles: &yes}}}},
		Not: &domain.SampleFilter{Diagnosis: "ICD10:E11", AnatomicalSite: "UBERON:0000178"},
	}
	var names []string
	for name := range f.Relaxations() {
		names = append(names, name)
	}
	assert.ElementsMatch(t, []string{
		"biobank", "biobanks[0]", "biobanks[1]", "materialType", "status", "statuses[0]", "statuses[1]",
		"hasData", "hasData.assay", "hasData.assembly", "hasData.hasSample", "hasData.hasSample.sex",
		"consent", "consent.outcomes.NEEDS_REVIEW", "consent.outcomes.PERMITTED",
		"and[0]", "and[0].sex", "and[1]", "and[1].or[0]", "and[1].or[0].vitalStatus", "and[1].or[1]", "and[1].or[1].hasDataFiles",
		"not", "not.diagnosis", "not.anatomicalSite",
	}, names)
	g := f.Relaxations()["and[1].or[0].vitalStatus"]
	assert.Empty(t, g.And[1].Or[0].VitalStatus)
	assert.Equal(t, "alive", f.And[1].Or[0].VitalStatus, "the filter itself is left as it was")
	assert.Equal(t, []string{"reserved"}, f.Relaxations()["statuses[0]"].Statuses)
	est := f.Relaxations()["biobanks[0]"]
	assert.Equal(t, []string{"EST"}, est.Biobanks)
	assert.Equal(t, []string{"id-est"}, est.BiobankIDs)
	// the store selects by the resolved keys: a neighbour drops those of one outcome
	c := f.Relaxations()["consent.outcomes.PERMITTED"].Consent
	assert.Equal(t, []string{"k2"}, c.Keys)
	assert.Equal(t, []domain.ConsentOutcome{domain.ConsentNeedsReview}, c.Outcomes)
	assert.Len(t, f.Consent.Keys, 3, "the filter itself is left as it was")
	assert.Equal(t, len(names), f.Neighbours(), "counted without building them")

	// the count grows with the filter, not faster
	big := domain.SampleFilter{}
	for range 99 {
		big.And = append(big.And, domain.SampleFilter{Sex: "male", MaterialType: "MIABIS:DNA"})
	}
	assert.Equal(t, 99*3, big.Neighbours())
	assert.Greater(t, big.Neighbours(), domain.MaxNeighbours, "refused before its neighbours are built")

	// a donor filter's neighbours include its samples' filter's
	d := domain.DonorFilter{Sex: "male", HasSample: &domain.SampleFilter{BiobankCode: "DNB", Not: &domain.SampleFilter{DonorID: "x"}}}
	var dn []string
	for name := range d.Relaxations() {
		dn = append(dn, name)
	}
	assert.ElementsMatch(t, []string{"sex", "hasSample", "hasSample.biobank", "hasSample.not", "hasSample.not.donor"}, dn)
}
