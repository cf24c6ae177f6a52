package store_test

import (
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/store/storetest"
)

// A sample-file link carries its sample's donor, by which the preview
// finds the data a donor's samples hold (SampleSiblingsByDonorIDs): set
// from the sample when the link is made, carried along when the sample
// moves to another donor, and never missing.
func TestFileLinksCarryTheirSampleDonor(t *testing.T) {
	st, ctx, url := newStoreAt(t)
	f := newFixture(t, ctx, st)
	other, err := st.CreateDonor(ctx, domain.Donor{BiobankID: f.biobank.ID, ExternalID: "D0002"})
	require.NoError(t, err)
	loose, err := st.CreateSample(ctx, domain.Sample{BiobankID: f.biobank.ID, DonorID: f.donor.ID, ExternalID: "S-9", MaterialType: "MIABIS:DNA"})
	require.NoError(t, err)
	_, err = st.RegisterDataFile(ctx, domain.DataFile{ExternalID: "F1", Format: "CRAM", Assay: "WGS", Assembly: "GRCh38", Location: "s3://a/1.cram",
		Samples: []domain.FileSample{{SampleID: f.dna.ID}, {SampleID: loose.ID}}})
	require.NoError(t, err)
	_, err = st.RegisterDataFile(ctx, domain.DataFile{ExternalID: "F2", Format: "CRAM", Assay: "WES", Assembly: "GRCh38", Location: "s3://a/2.cram",
		Samples: []domain.FileSample{{SampleID: f.blood.ID}}})
	require.NoError(t, err)

	wgs := domain.DataFileFilter{Assay: "ASSAY:WGS"}
	holding := func(donor string) []string {
		t.Helper()
		groups, withData, err := st.SampleSiblingsByDonorIDs(ctx, []string{donor}, wgs)
		require.NoError(t, err)
		var ids []string
		for _, x := range groups[donor] {
			if withData[x.ID] {
				ids = append(ids, x.ExternalID)
			}
		}
		return ids
	}
	assert.Equal(t, []string{"S-2", "S-9"}, holding(f.donor.ID), "the blood sample holds WES only")
	assert.Empty(t, holding(other.ID))

	owner, err := pgx.Connect(ctx, storetest.OwnerURL(t, url))
	require.NoError(t, err)
	t.Cleanup(func() { owner.Close(ctx) })
	// a registry row corrected: the sample belongs to the other donor
	_, err = owner.Exec(ctx, "UPDATE sample SET donor_id = $1 WHERE id = $2", other.ID, loose.ID)
	require.NoError(t, err)
	assert.Equal(t, []string{"S-2"}, holding(f.donor.ID))
	assert.Equal(t, []string{"S-9"}, holding(other.ID), "the link moved with its sample")

	for name, sql := range map[string]string{
		"no donor":          "INSERT INTO data_file_sample (data_file_id, sample_id) SELECT id, $1 FROM data_file WHERE external_id = 'F2'",
		"another's donor":   "INSERT INTO data_file_sample (data_file_id, sample_id, donor_id) SELECT id, $1, $2 FROM data_file WHERE external_id = 'F2'",
		"another's on move": "UPDATE data_file_sample SET donor_id = $2 WHERE sample_id = $1",
	} {
		args := []any{f.dna.ID}
		if name != "no donor" {
			args = append(args, other.ID)
		}
		_, err := owner.Exec(ctx, sql, args...)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "data_file_sample_donor_fkey", name)
	}
}
