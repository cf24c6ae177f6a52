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
		Consent:      &domain.ConsentFilter{Outcomes: []domain.ConsentOutcome{domain.ConsentPermitted, domain.ConsentNeedsReview}},
		And:          []domain.SampleFilter{{Sex: "male"}, {Or: []domain.SampleFilter{{VitalStatus: "alive"}, {HasDataFiles: &yes}}}},
		Not:          &domain.SampleFilter{Diagnosis: "ICD10:E11", AnatomicalSite: "UBERON:0000178"},
	}
	var names []string
	for name := range f.Relaxations() {
		names = append(names, name)
	}
	assert.ElementsMatch(t, []string{
		"materialType", "status", "statuses[0]", "statuses[1]",
		"hasData", "hasData.assay", "hasData.assembly", "hasData.hasSample", "hasData.hasSample.sex",
		"consent", "consent.outcomes[0]", "consent.outcomes[1]",
		"and[0]", "and[0].sex", "and[1]", "and[1].or[0]", "and[1].or[0].vitalStatus", "and[1].or[1]", "and[1].or[1].hasDataFiles",
		"not", "not.diagnosis", "not.anatomicalSite",
	}, names)
	g := f.Relaxations()["and[1].or[0].vitalStatus"]
	assert.Empty(t, g.And[1].Or[0].VitalStatus)
	assert.Equal(t, "alive", f.And[1].Or[0].VitalStatus, "the filter itself is left as it was")
	assert.Equal(t, []string{"reserved"}, f.Relaxations()["statuses[0]"].Statuses)
}
