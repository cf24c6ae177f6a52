package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

func TestSampleValidationErrorsPerField(t *testing.T) {
	t.Parallel()
	st, ctx := newStore(t)
	f := newFixture(t, ctx, st)
	_, err := st.CreateSample(ctx, domain.Sample{BiobankID: f.biobank.ID, DonorID: f.donor.ID, ExternalID: "bad id!",
		MaterialType: "plasm", Status: "lost", InitialQuantity: qty("1"), RegisteredRemaining: qty("2"), QuantityUnit: "pints"})
	require.Error(t, err)
	assert.Equal(t, domain.EINVALID, domain.ErrorCode(err))
	var de *domain.Error
	require.ErrorAs(t, err, &de)
	fields := map[string]string{}
	for _, fe := range de.Fields {
		fields[fe.Field] = fe.Message
	}
	assert.Contains(t, fields, "input.sampleId")
	assert.Contains(t, fields["input.materialType"], "did you mean MIABIS:PLASMA")
	assert.Contains(t, fields["input.status"], "must be one of available")
	assert.Contains(t, fields["input.quantityUnit"], "must be one of")
	assert.Contains(t, fields["input.registeredRemaining"], "must not exceed the initial quantity 1")
}

func TestDuplicateExternalIDIsConflictNamingTheID(t *testing.T) {
	t.Parallel()
	st, ctx := newStore(t)
	f := newFixture(t, ctx, st)
	_, err := st.CreateSample(ctx, domain.Sample{BiobankID: f.biobank.ID, DonorID: f.donor.ID, ExternalID: "S-1", MaterialType: "plasma"})
	require.Error(t, err)
	assert.Equal(t, domain.ECONFLICT, domain.ErrorCode(err))
	assert.Contains(t, err.Error(), `"S-1"`)

	_, err = st.CreateDonor(ctx, domain.Donor{BiobankID: f.biobank.ID, ExternalID: "D0001"})
	assert.Equal(t, domain.ECONFLICT, domain.ErrorCode(err))
	assert.Contains(t, err.Error(), `"D0001"`)

	// The same external id in another biobank is fine.
	other, err := st.CreateBiobank(ctx, domain.Biobank{Code: "SWE", Name: "Swedish biobank", Country: "SE"})
	require.NoError(t, err)
	_, err = st.CreateDonor(ctx, domain.Donor{BiobankID: other.ID, ExternalID: "D0001"})
	require.NoError(t, err)
}

func TestLineageCycleRejected(t *testing.T) {
	t.Parallel()
	st, ctx := newStore(t)
	f := newFixture(t, ctx, st)
	grandchild, err := st.CreateSample(ctx, domain.Sample{BiobankID: f.biobank.ID, DonorID: f.donor.ID, ExternalID: "S-3", ParentID: f.dna.ID, MaterialType: "DNA"})
	require.NoError(t, err)

	tests := []struct {
		name, sample, parent string
	}{
		{"own parent", f.blood.ID, f.blood.ID},
		{"parent is child", f.blood.ID, f.dna.ID},
		{"parent is grandchild", f.blood.ID, grandchild.ID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := st.UpdateSample(ctx, tt.sample, func(s *domain.Sample) error { s.ParentID = tt.parent; return nil })
			require.Error(t, err)
			assert.Equal(t, domain.EINVALID, domain.ErrorCode(err))
			got, err := st.Sample(ctx, tt.sample)
			require.NoError(t, err)
			assert.Empty(t, got.ParentID, "nothing written")
		})
	}
}

func TestParentMustBelongToSameDonor(t *testing.T) {
	t.Parallel()
	st, ctx := newStore(t)
	f := newFixture(t, ctx, st)
	other, err := st.CreateDonor(ctx, domain.Donor{BiobankID: f.biobank.ID, ExternalID: "D0002"})
	require.NoError(t, err)
	_, err = st.CreateSample(ctx, domain.Sample{BiobankID: f.biobank.ID, DonorID: other.ID, ExternalID: "S-9", ParentID: f.blood.ID, MaterialType: "plasma"})
	require.Error(t, err)
	assert.Equal(t, domain.EINVALID, domain.ErrorCode(err))
	assert.Contains(t, err.Error(), "parent sample S-1 belongs to another donor than D0002")
}

func TestRemainingQuantityNeverNegative(t *testing.T) {
	t.Parallel()
	st, ctx := newStore(t)
	f := newFixture(t, ctx, st)
	day := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	w1, err := st.CreateWithdrawal(ctx, domain.Withdrawal{ExternalID: "W1", SampleID: f.dna.ID, StudyID: f.study.ID, Quantity: *qty("30"), QuantityUnit: "ug", WithdrawnOn: day})
	require.NoError(t, err)
	s, err := st.Sample(ctx, f.dna.ID)
	require.NoError(t, err)
	assert.Equal(t, "10", s.RemainingQuantity.String())

	_, err = st.CreateWithdrawal(ctx, domain.Withdrawal{ExternalID: "W2", SampleID: f.dna.ID, StudyID: f.study.ID, Quantity: *qty("10.001"), QuantityUnit: "ug", WithdrawnOn: day})
	require.Error(t, err)
	assert.Equal(t, domain.EINVALID, domain.ErrorCode(err))
	assert.Contains(t, err.Error(), "remaining quantity")

	_, err = st.CreateWithdrawal(ctx, domain.Withdrawal{ExternalID: "W3", SampleID: f.dna.ID, StudyID: f.study.ID, Quantity: *qty("1"), QuantityUnit: "mL", WithdrawnOn: day})
	assert.Contains(t, err.Error(), "must be the unit of sample S-2, ug")

	// Lowering the registered quantity below what was withdrawn is refused.
	_, err = st.UpdateSample(ctx, f.dna.ID, func(s *domain.Sample) error { s.RegisteredRemaining = qty("29"); return nil })
	assert.Equal(t, domain.EINVALID, domain.ErrorCode(err))

	// Retiring the withdrawal gives the material back, exactly once.
	_, err = st.RetireWithdrawal(ctx, w1.ID)
	require.NoError(t, err)
	_, err = st.RetireWithdrawal(ctx, w1.ID)
	require.NoError(t, err)
	s, err = st.Sample(ctx, f.dna.ID)
	require.NoError(t, err)
	assert.Equal(t, "40", s.RemainingQuantity.String())
}

func TestUpdateKeepsHistory(t *testing.T) {
	t.Parallel()
	st, ctx := newStore(t)
	f := newFixture(t, ctx, st)
	_, err := st.UpdateSample(ctx, f.blood.ID, func(s *domain.Sample) error { s.Status = "reserved"; return nil })
	require.NoError(t, err)
	// An unchanged update writes nothing.
	_, err = st.UpdateSample(ctx, f.blood.ID, func(s *domain.Sample) error { s.Status = "reserved"; return nil })
	require.NoError(t, err)
	changes, err := st.ChangeLog(ctx, f.blood.ID)
	require.NoError(t, err)
	require.Len(t, changes, 2, "the creation and one update")
	assert.Equal(t, "create", changes[0].Action)
	assert.Equal(t, "tester", changes[0].Actor)
	changes = changes[1:]
	assert.Equal(t, "update", changes[0].Action)
	assert.Equal(t, "tester", changes[0].Actor)
	assert.JSONEq(t, `{"status":"available"}`, changes[0].OldValues)
	assert.JSONEq(t, `{"status":"reserved"}`, changes[0].NewValues)
}

// Registering known content again (same sha256) updates its location but
// keeps its sample links, study, assay and retirement.
func TestReRegisterKeepsWhatItLeavesOut(t *testing.T) {
	t.Parallel()
	st, ctx := newStore(t)
	f := newFixture(t, ctx, st)
	sha := "aa" + strings.Repeat("0", 62)
	first, err := st.RegisterDataFile(ctx, domain.DataFile{ExternalID: "F1", Format: "CRAM", Assay: "WGS", Assembly: "GRCh38", SHA256: sha,
		Location: "s3://a/1.cram", StudyID: f.study.ID, Samples: []domain.FileSample{{SampleID: f.dna.ID, Alias: "N1"}}})
	require.NoError(t, err)
	_, err = st.RetireDataFile(ctx, first.ID)
	require.NoError(t, err)
	again, err := st.RegisterDataFile(ctx, domain.DataFile{ExternalID: "F1", Format: "CRAM", SHA256: sha, Location: "s3://b/1.cram"})
	require.NoError(t, err)
	assert.Equal(t, first.ID, again.ID)
	assert.Equal(t, "s3://b/1.cram", again.Location)
	assert.Equal(t, "ASSAY:WGS", again.Assay)
	assert.Equal(t, "ASSEMBLY:GRCh38", again.Assembly)
	assert.Equal(t, f.study.ID, again.StudyID)
	assert.NotNil(t, again.RetiredAt, "stays retired")
	links, err := st.FileSamplesByFileIDs(ctx, []string{first.ID})
	require.NoError(t, err)
	assert.Len(t, links[first.ID], 1, "links are kept")
}

// A reference that is not an id is a field error, never a silent NULL.
func TestMalformedReferencesAreFieldErrors(t *testing.T) {
	t.Parallel()
	st, ctx := newStore(t)
	f := newFixture(t, ctx, st)
	_, err := st.UpdateSample(ctx, f.dna.ID, func(s *domain.Sample) error { s.ParentID = "S-1"; return nil })
	var de *domain.Error
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "input.parent", de.Fields[0].Field)
	got, err := st.Sample(ctx, f.dna.ID)
	require.NoError(t, err)
	assert.Equal(t, f.blood.ID, got.ParentID, "the parent is kept")

	_, err = st.CreateSample(ctx, domain.Sample{BiobankID: f.biobank.ID, DonorID: "D0001", ExternalID: "S-9", MaterialType: "DNA"})
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "input.donor", de.Fields[0].Field)
	assert.NotContains(t, err.Error(), "column")
}

func TestUnitCannotChangeUnderWithdrawals(t *testing.T) {
	t.Parallel()
	st, ctx := newStore(t)
	f := newFixture(t, ctx, st)
	_, err := st.CreateWithdrawal(ctx, domain.Withdrawal{ExternalID: "W1", SampleID: f.blood.ID, StudyID: f.study.ID, Quantity: *qty("4"), QuantityUnit: "mL", WithdrawnOn: date("2024-01-01")})
	require.NoError(t, err)
	_, err = st.UpdateSample(ctx, f.blood.ID, func(s *domain.Sample) error {
		s.QuantityUnit, s.InitialQuantity, s.RegisteredRemaining = "uL", qty("10000"), qty("10000")
		return nil
	})
	var de *domain.Error
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "input.quantityUnit", de.Fields[0].Field)
}

// Removing files from a dataset is kept in the change log.
func TestDatasetFileLinksKeepHistory(t *testing.T) {
	t.Parallel()
	st, ctx := newStore(t)
	f := newFixture(t, ctx, st)
	file, err := st.RegisterDataFile(ctx, domain.DataFile{ExternalID: "F1", Format: "VCF", Location: "s3://x/1.vcf.gz",
		Samples: []domain.FileSample{{SampleID: f.dna.ID}}})
	require.NoError(t, err)
	ds, err := st.CreateDataset(ctx, domain.Dataset{ExternalID: "EGAD00000000001", Title: "Calls"})
	require.NoError(t, err)
	_, err = st.SetDatasetFiles(ctx, ds.ID, []string{file.ID}, false)
	require.NoError(t, err)
	_, err = st.SetDatasetFiles(ctx, ds.ID, []string{file.ID}, true)
	require.NoError(t, err)
	_, err = st.SetDatasetFiles(ctx, ds.ID, []string{"not-an-id"}, false)
	assert.Equal(t, domain.EINVALID, domain.ErrorCode(err))
	changes, err := st.ChangeLog(ctx, ds.ID)
	require.NoError(t, err)
	require.Len(t, changes, 3)
	assert.Equal(t, "create", changes[0].Action)
	assert.JSONEq(t, `{"files_added": ["`+file.ID+`"]}`, changes[1].NewValues)
	assert.JSONEq(t, `{"files_removed": ["`+file.ID+`"]}`, changes[2].NewValues)
}
