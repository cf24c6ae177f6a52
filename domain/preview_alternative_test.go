package domain_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// A donor's lineage: blood b (parent: r, a retired sample that is not
// among the donor's current ones) with DNA children d1 and d2, d1 with an
// aliquot a1; blood c, another lineage of r; and a0, a lineage of its own
// (its id sorts first, so that only the distance puts it last).
func lineageOf(t *testing.T) []domain.Sample {
	t.Helper()
	q := func(s string) *domain.Quantity {
		v, err := domain.ParseQuantity(s)
		require.NoError(t, err)
		return &v
	}
	return []domain.Sample{
		{ID: "a1", ParentID: "d1", Status: "available", RemainingQuantity: q("500"), QuantityUnit: "ng"},
		{ID: "b", ParentID: "r", Status: "available", RemainingQuantity: q("2"), QuantityUnit: "mL"},
		{ID: "c", ParentID: "r", Status: "available", RemainingQuantity: q("3"), QuantityUnit: "mL"},
		{ID: "d1", ParentID: "b", Status: "available", RemainingQuantity: q("1"), QuantityUnit: "ug"},
		{ID: "d2", ParentID: "b", Status: "available", RemainingQuantity: q("4"), QuantityUnit: "ug"},
		{ID: "a0", Status: "depleted", RemainingQuantity: q("9"), QuantityUnit: "ug"},
	}
}

func TestPreviewAlternative(t *testing.T) {
	samples := lineageOf(t)
	byID := map[string]*domain.Sample{}
	for i := range samples {
		byID[samples[i].ID] = &samples[i]
	}
	twoUg := &domain.QuantityFilter{Amount: 2000, Unit: "ug"}
	tests := []struct {
		name          string
		requested     string
		withData      []string
		lacksMaterial bool
		want          string // "" for none
	}{
		{"the parent before a sibling", "d1", []string{"b", "d2"}, false, "b"},
		{"a child before a sibling", "d1", []string{"a1", "d2"}, false, "a1"},
		{"a sibling before a cousin", "a1", []string{"d2", "c"}, false, "d2"},
		{"through a retired parent", "b", []string{"c", "a0"}, false, "c"},
		{"another lineage last", "d2", []string{"a0"}, false, "a0"},
		{"equal distance: the smaller id", "b", []string{"d2", "d1"}, false, "d1"},
		{"its own data does not count", "d1", []string{"d1"}, false, ""},
		{"no data, material enough: not asked", "d1", nil, false, ""},
		{"no data: the most material among those with enough", "d1", nil, true, "d2"},
		{"data first, material second", "d1", []string{"c"}, true, "c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			with := map[string]bool{}
			for _, id := range tt.withData {
				with[id] = true
			}
			got := domain.PreviewAlternative(byID[tt.requested], samples, with, twoUg, tt.lacksMaterial)
			if tt.want == "" {
				assert.Nil(t, got)
				return
			}
			require.NotNil(t, got)
			assert.Equal(t, tt.want, got.ID)
		})
	}
	// a requested sample that is not among the donor's current ones (its
	// own parent link still places it in the lineage)
	gone := domain.Sample{ID: "g", ParentID: "d2"}
	assert.Equal(t, "d2", domain.PreviewAlternative(&gone, samples, map[string]bool{"d2": true, "c": true}, nil, false).ID)
}

func TestEnoughMaterial(t *testing.T) {
	q := func(s string) *domain.Quantity {
		v, err := domain.ParseQuantity(s)
		require.NoError(t, err)
		return &v
	}
	twoUg := &domain.QuantityFilter{Amount: *q("2"), Unit: "ug"}
	tests := []struct {
		name   string
		s      domain.Sample
		needed *domain.QuantityFilter
		ok     bool
		why    string
	}{
		{"enough, other unit", domain.Sample{Status: "available", RemainingQuantity: q("2500"), QuantityUnit: "ng"}, twoUg, true, ""},
		{"too little", domain.Sample{Status: "available", RemainingQuantity: q("1.5"), QuantityUnit: "ug"}, twoUg, false, "1.5 ug left, 2 ug needed"},
		{"depleted", domain.Sample{Status: "depleted", RemainingQuantity: q("5"), QuantityUnit: "ug"}, twoUg, false, "the sample is depleted"},
		{"not recorded", domain.Sample{Status: "available"}, twoUg, false, "not recorded"},
		{"incomparable", domain.Sample{Status: "available", RemainingQuantity: q("2"), QuantityUnit: "mL"}, twoUg, false, "does not compare with ug"},
		{"nothing asked, none left", domain.Sample{Status: "available", RemainingQuantity: q("0"), QuantityUnit: "ug"}, nil, false, "no material is left"},
		{"nothing asked, not recorded", domain.Sample{Status: "available"}, nil, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ok, why := domain.EnoughMaterial(&tt.s, tt.needed)
			assert.Equal(t, tt.ok, ok)
			if tt.why == "" {
				assert.Empty(t, why)
			} else {
				assert.Contains(t, why, tt.why)
			}
		})
	}
}

// A donor with many samples (a chain of 40, each derived from the one
// before, and a retired first link): the closest one with data is chosen
// as for a handful.
func TestPreviewAlternativeLongLineage(t *testing.T) {
	chain := make([]domain.Sample, 40)
	for i := range chain {
		chain[i] = domain.Sample{ID: fmt.Sprintf("s%02d", i), ParentID: fmt.Sprintf("s%02d", i-1), Status: "available"}
	}
	chain[0].ParentID = "gone"
	other := domain.Sample{ID: "a", ParentID: "gone", Status: "available"}
	samples := append(chain, other)
	for _, tt := range []struct {
		withData []string
		want     string
	}{
		{[]string{"s00", "s30"}, "s30"},
		{[]string{"s00", "a"}, "s00"},        // 39 links away, against 41 through the retired first link
		{[]string{"s10", "s37", "a"}, "s37"}, // 2 away
		{[]string{"a"}, "a"},
	} {
		with := map[string]bool{}
		for _, id := range tt.withData {
			with[id] = true
		}
		got := domain.PreviewAlternative(&samples[39], samples, with, nil, false)
		require.NotNil(t, got, tt.withData)
		assert.Equal(t, tt.want, got.ID, tt.withData)
	}
}
