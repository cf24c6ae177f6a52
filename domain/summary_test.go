package domain_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"databank/domain"
)

func n(v int) *int { return &v }

// Counts below the threshold are hidden, and so is the count that would
// let the total reveal a hidden one.
func TestSampleTallySummarySuppresses(t *testing.T) {
	tests := []struct {
		name  string
		tally domain.SampleTally
		want  domain.SampleSummary
	}{
		{"all large", domain.SampleTally{Total: 12, ByMaterialType: map[string]int{"A": 5, "B": 7}, ByBiobank: map[string]int{"X": 12}},
			domain.SampleSummary{Total: n(12), ByMaterialType: []domain.SampleCount{{"A", n(5)}, {"B", n(7)}}, ByBiobank: []domain.SampleCount{{"X", n(12)}}}},
		{"one small cell hides the next smallest", domain.SampleTally{Total: 20, ByMaterialType: map[string]int{"A": 2, "B": 8, "C": 10}, ByBiobank: map[string]int{"X": 20}},
			domain.SampleSummary{Total: n(20), ByMaterialType: []domain.SampleCount{{"A", nil}, {"B", nil}, {"C", n(10)}}, ByBiobank: []domain.SampleCount{{"X", n(20)}}}},
		{"two small cells hide only themselves", domain.SampleTally{Total: 20, ByMaterialType: map[string]int{"A": 2, "B": 3, "C": 15}, ByBiobank: map[string]int{}},
			domain.SampleSummary{Total: n(20), ByMaterialType: []domain.SampleCount{{"A", nil}, {"B", nil}, {"C", n(15)}}, ByBiobank: []domain.SampleCount{}}},
		{"a small total hides everything", domain.SampleTally{Total: 4, ByMaterialType: map[string]int{"A": 4}, ByBiobank: map[string]int{"X": 4}},
			domain.SampleSummary{ByMaterialType: []domain.SampleCount{{"A", nil}}, ByBiobank: []domain.SampleCount{{"X", nil}}}},
		{"nothing", domain.SampleTally{}, domain.SampleSummary{ByMaterialType: []domain.SampleCount{}, ByBiobank: []domain.SampleCount{}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, domain.Suppression{}.Summary(tc.tally))
		})
	}
	assert.Equal(t, 5, domain.Suppression{}.K(), "the zero value suppresses with the default")
	ten := domain.Suppression{MinCount: 10}.Summary(domain.SampleTally{Total: 9, ByBiobank: map[string]int{"X": 9}})
	assert.Nil(t, ten.Total, "DATABANK_MIN_COUNT=10 hides a total of 9")
}
