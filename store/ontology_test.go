package store_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/ontology"
)

// "Under X" filters use the persisted closure: a donor diagnosed with
// E11.9 is found under E11, under the block E10-E14 and under chapter IV.
// Filters reach the store with canonical CURIEs (the services normalise
// other spellings).
func TestDiagnosisFilterUsesClosure(t *testing.T) {
	t.Parallel()
	st, ctx := newStore(t)
	f := newFixture(t, ctx, st)
	_, err := st.AddDiagnosis(ctx, domain.Diagnosis{DonorID: f.donor.ID, Code: "E119"})
	require.NoError(t, err)
	for _, code := range []string{"ICD10:E11.9", "ICD10:E11", "ICD10:E10-E14", "ICD10:IV"} {
		page, err := st.Donors(ctx, domain.DonorFilter{Diagnosis: code}, domain.PageRequest{WantTotal: true})
		require.NoError(t, err, code)
		assert.Equal(t, 1, page.Total, code)
	}
	page, err := st.Donors(ctx, domain.DonorFilter{Diagnosis: "ICD10:E10"}, domain.PageRequest{WantTotal: true})
	require.NoError(t, err)
	assert.Equal(t, 0, page.Total)
}

// Saving a new release obsoletes terms missing from it and rewrites the
// closure; saving it again changes nothing.
func TestSaveOntologyRelease(t *testing.T) {
	t.Parallel()
	st, ctx := newStore(t)
	reg := ontology.NewRegistry()
	sys := ontology.System{Name: "TEST", Prefix: "TEST", Version: "1"}
	_, err := reg.Load(sys, []ontology.Term{
		{Code: "1", Label: "root"}, {Code: "2", Label: "child", Parents: []string{"TEST:1"}}, {Code: "3", Label: "leaf", Parents: []string{"TEST:2"}},
	})
	require.NoError(t, err)
	require.NoError(t, st.SaveOntology(ctx, reg, "TEST", false))
	_, err = reg.Load(ontology.System{Name: "TEST", Prefix: "TEST", Version: "2"}, []ontology.Term{{Code: "1", Label: "root"}, {Code: "2", Label: "child", Parents: []string{"TEST:1"}}})
	require.NoError(t, err)
	require.NoError(t, st.SaveOntology(ctx, reg, "TEST", false))
	require.NoError(t, st.SaveOntology(ctx, reg, "TEST", false))
	loaded, err := st.LoadedOntologies(ctx)
	require.NoError(t, err)
	var terms []ontology.Term
	for s, ts := range loaded {
		if s.Name == "TEST" {
			terms = ts
			assert.Equal(t, "2", s.Version)
		}
	}
	require.Len(t, terms, 3, "nothing is deleted")
	assert.Equal(t, ontology.StatusObsolete, terms[2].Status)
}
