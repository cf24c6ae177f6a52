package store_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// Datasets and files are found by id or by accession, in one call; keys
// that match nothing are left out.
func TestFederationLookupsByKeys(t *testing.T) {
	t.Parallel()
	st, ctx := newStore(t)
	f := newFixture(t, ctx, st)
	file, err := st.RegisterDataFile(ctx, domain.DataFile{ExternalID: "EGAF00000000001", Format: "CRAM", Location: "s3://b/1.cram",
		Samples: []domain.FileSample{{SampleID: f.dna.ID}}})
	require.NoError(t, err)
	local, err := st.RegisterDataFile(ctx, domain.DataFile{ExternalID: "local-2", Format: "CRAM", Location: "s3://b/2.cram"})
	require.NoError(t, err)
	ds, err := st.CreateDataset(ctx, domain.Dataset{ExternalID: "EGAD00000000001", Title: "one"})
	require.NoError(t, err)
	other, err := st.CreateDataset(ctx, domain.Dataset{ExternalID: "EGAD00000000002", Title: "two"})
	require.NoError(t, err)
	study, err := st.CreateStudy(ctx, domain.Study{ExternalID: "ST2", Title: "EGA study", Accession: "EGAS00000000001"})
	require.NoError(t, err)

	tests := []struct {
		name            string
		ids, accessions []string
		want            []string // external ids, sorted
	}{
		{"by id", []string{ds.ID}, nil, []string{"EGAD00000000001"}},
		{"by accession", nil, []string{"EGAD00000000002"}, []string{"EGAD00000000002"}},
		{"both forms, one dataset twice", []string{ds.ID, other.ID}, []string{"EGAD00000000001"}, []string{"EGAD00000000001", "EGAD00000000002"}},
		{"unknown keys", []string{"0190a5c4-5b1e-7c3a-9f00-2d1e4b6a8c01"}, []string{"EGAD00000000009"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := st.DatasetsByKeys(ctx, tc.ids, tc.accessions)
			require.NoError(t, err)
			assert.ElementsMatch(t, tc.want, externalIDs(got, func(d domain.Dataset) string { return d.ExternalID }))
		})
	}

	files, err := st.DataFilesByKeys(ctx, []string{local.ID}, []string{"EGAF00000000001", "EGAF00000000009"})
	require.NoError(t, err)
	assert.ElementsMatch(t, []string{file.ExternalID, "local-2"}, externalIDs(files, func(f domain.DataFile) string { return f.ExternalID }))

	studies, err := st.StudiesByAccessions(ctx, []string{"EGAS00000000001", "EGAS00000000002"})
	require.NoError(t, err)
	require.Len(t, studies, 1)
	assert.Equal(t, study.ID, studies[0].ID)

	banks, err := st.BiobanksByCodes(ctx, []string{"dnb", "NOPE"})
	require.NoError(t, err)
	require.Len(t, banks, 1)
	assert.Equal(t, f.biobank.ID, banks[0].ID)
}

// A dataset's tally counts each current sample once, whatever the number
// of files holding it, in all, by material and by biobank.
func TestDatasetSampleTallies(t *testing.T) {
	t.Parallel()
	st, ctx := newStore(t)
	f := newFixture(t, ctx, st)
	other, err := st.CreateBiobank(ctx, domain.Biobank{Code: "SWE", Name: "Swedish biobank", Country: "SE"})
	require.NoError(t, err)
	donor, err := st.CreateDonor(ctx, domain.Donor{BiobankID: other.ID, ExternalID: "D9"})
	require.NoError(t, err)
	samples := []domain.FileSample{{SampleID: f.dna.ID}, {SampleID: f.blood.ID}}
	for i := range 6 {
		s, err := st.CreateSample(ctx, domain.Sample{BiobankID: other.ID, DonorID: donor.ID, ExternalID: fmt.Sprintf("X%d", i), MaterialType: "DNA"})
		require.NoError(t, err)
		samples = append(samples, domain.FileSample{SampleID: s.ID})
	}
	a, err := st.RegisterDataFile(ctx, domain.DataFile{ExternalID: "EGAF00000000001", Format: "CRAM", Location: "s3://b/1", Samples: samples})
	require.NoError(t, err)
	b, err := st.RegisterDataFile(ctx, domain.DataFile{ExternalID: "EGAF00000000002", Format: "CRAM", Location: "s3://b/2", Samples: samples[:3]})
	require.NoError(t, err)
	ds, err := st.CreateDataset(ctx, domain.Dataset{ExternalID: "EGAD00000000001", Title: "one"})
	require.NoError(t, err)
	_, err = st.SetDatasetFiles(ctx, ds.ID, []string{a.ID, b.ID}, false)
	require.NoError(t, err)
	empty, err := st.CreateDataset(ctx, domain.Dataset{ExternalID: "EGAD00000000002", Title: "empty"})
	require.NoError(t, err)

	got, err := st.DatasetSampleTallies(ctx, []string{ds.ID, empty.ID})
	require.NoError(t, err)
	assert.Equal(t, domain.SampleTally{Total: 8, ByMaterialType: map[string]int{"MIABIS:DNA": 7, "MIABIS:WHOLE_BLOOD": 1},
		ByBiobank: map[string]int{f.biobank.ID: 2, other.ID: 6}}, got[ds.ID])
	assert.Equal(t, domain.SampleTally{ByMaterialType: map[string]int{}, ByBiobank: map[string]int{}}, got[empty.ID])
}

func externalIDs[T any](xs []T, id func(T) string) []string {
	var out []string
	for _, x := range xs {
		out = append(out, id(x))
	}
	return out
}
