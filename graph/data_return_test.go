package graph_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// The data-return loop: a withdrawal whose return is required (by its
// terms, or by the donor's RTN consent) is overdue until data derived
// from the withdrawn material is registered; then it is returned.
func TestDataReturns(t *testing.T) {
	e := newEnv(t)
	r := e.registry()
	tt, ctx := e.t, e.ctx
	day := func(s string) time.Time { d, err := domain.ParseDate(s); require.NoError(tt, err); return d }
	dnb := must[domain.Biobank](tt)(e.store.BiobankByCode(ctx, "DNB"))
	study := must[domain.Study](tt)(e.store.CreateStudy(ctx, domain.Study{ExternalID: "ST1", Title: "Diabetes genomes"}))
	born := 1980
	d10 := must[domain.Donor](tt)(e.store.CreateDonor(ctx, domain.Donor{BiobankID: dnb.ID, ExternalID: "d10", Sex: "female", BirthYear: &born, VitalStatus: "alive"}))
	must[domain.Consent](tt)(e.store.AddConsent(ctx, domain.Consent{DonorID: d10.ID, ExternalID: "C-d10", GivenOn: day("2015-01-01"), Permission: "HMB", Modifiers: []string{"RTN"}}))
	q := domain.Quantity(5000)
	x1 := must[domain.Sample](tt)(e.store.CreateSample(ctx, domain.Sample{BiobankID: dnb.ID, DonorID: d10.ID, ExternalID: "x1", MaterialType: "DNA", InitialQuantity: &q, QuantityUnit: "ug"}))
	due := day("2024-06-01")
	withdraw := func(id, sample, unit string, on time.Time, required bool, due *time.Time) domain.Withdrawal {
		return must[domain.Withdrawal](tt)(e.store.CreateWithdrawal(ctx, domain.Withdrawal{BiobankID: dnb.ID, ExternalID: id, SampleID: sample, StudyID: study.ID,
			Quantity: 1000, QuantityUnit: unit, WithdrawnOn: on, Recipient: "Saga Genotyping", DataReturnRequired: required, DataReturnDue: due}))
	}
	byTerms := withdraw("W1", r.ids["s1b"], "ng", day("2024-01-01"), true, &due)
	byConsent := withdraw("W2", x1.ID, "ug", day("2025-01-01"), false, nil)
	notRequired := withdraw("W3", r.ids["s6"], "ng", day("2024-01-01"), false, nil)

	type dataReturn struct {
		Status      string
		Required    bool
		Reasons     []string
		Due         *string
		DaysOverdue int
		Files       []struct{ FileID string }
	}
	status := func(id string) dataReturn {
		var out struct {
			Node struct{ DataReturnStatus dataReturn }
		}
		e.ok(readerToken, `query($id: ID!) { node(id: $id) { ... on Withdrawal { dataReturnStatus { status required reasons due daysOverdue files { fileId } } } } }`,
			map[string]any{"id": id}, &out)
		return out.Node.DataReturnStatus
	}
	got := status(byTerms.ID)
	assert.Equal(t, "OVERDUE", got.Status)
	assert.Equal(t, "2024-06-01", *got.Due)
	assert.Contains(t, got.Reasons[0], "withdrawal's terms")
	assert.Greater(t, got.DaysOverdue, 180)
	got = status(byConsent.ID)
	assert.Equal(t, "OVERDUE", got.Status, got.Reasons)
	assert.Equal(t, "2026-01-01", *got.Due, "a year after the withdrawal")
	assert.Contains(t, got.Reasons[0], "RTN")
	assert.Equal(t, "NOT_REQUIRED", status(notRequired.ID).Status)

	var overdue struct {
		OverdueDataReturns []struct {
			Withdrawal struct {
				WithdrawalID, Recipient string
				Study                   struct{ StudyID string }
			}
			DaysOverdue int
			Due         string
		}
	}
	e.ok(staffToken, `{ overdueDataReturns(biobank: "DNB") { withdrawal { withdrawalId recipient study { studyId } } daysOverdue due } }`, nil, &overdue)
	require.Len(t, overdue.OverdueDataReturns, 2)
	assert.Equal(t, "W1", overdue.OverdueDataReturns[0].Withdrawal.WithdrawalID, "most overdue first")
	assert.Equal(t, "ST1", overdue.OverdueDataReturns[0].Withdrawal.Study.StudyID)
	e.ok(staffToken, `{ overdueDataReturns(biobank: "DNB", asOf: "2025-06-01") { withdrawal { withdrawalId } } }`, nil, &overdue)
	require.Len(t, overdue.OverdueDataReturns, 1, "W2 is not yet due then")

	// registering data derived from the withdrawn material closes the loop:
	// a file holding the withdrawn sample, and one registered with the withdrawal
	must[domain.DataFile](tt)(e.store.RegisterDataFile(ctx, domain.DataFile{ExternalID: "EGAF00000000201", Format: "CRAM", Assay: "WGS",
		Location: "s3://returns/s1b.cram", Samples: []domain.FileSample{{SampleID: r.ids["s1b"], Alias: "s1b"}}}))
	must[domain.DataFile](tt)(e.store.RegisterDataFile(ctx, domain.DataFile{ExternalID: "EGAF00000000202", Format: "VCF", Assay: "WGS", WithdrawalID: byConsent.ID,
		Location: "s3://returns/x1.vcf.gz"}))
	got = status(byTerms.ID)
	assert.Equal(t, "RETURNED", got.Status)
	require.Len(t, got.Files, 1)
	assert.Equal(t, "EGAF00000000201", got.Files[0].FileID)
	assert.Equal(t, "RETURNED", status(byConsent.ID).Status)
	e.ok(staffToken, `{ overdueDataReturns(biobank: "DNB") { withdrawal { withdrawalId } } }`, nil, &overdue)
	assert.Empty(t, overdue.OverdueDataReturns)

	// the study took three withdrawals and gave data back for two
	var st struct {
		Node struct {
			Exchange struct {
				Withdrawals int
				Material    []struct {
					Amount float64
					Unit   string
				}
				Returns []struct {
					Status string
					Count  int
				}
				ReturnedFiles int
			}
		}
	}
	e.ok(readerToken, `query($id: ID!) { node(id: $id) { ... on Study { exchange { withdrawals material { amount unit } returns { status count } returnedFiles } } } }`,
		map[string]any{"id": study.ID}, &st)
	x := st.Node.Exchange
	assert.Equal(t, 3, x.Withdrawals)
	require.Len(t, x.Material, 2)
	assert.Equal(t, 2.0, x.Material[0].Amount)
	assert.Equal(t, "NANOGRAM", x.Material[0].Unit)
	assert.Equal(t, "MICROGRAM", x.Material[1].Unit)
	assert.Equal(t, 2, x.ReturnedFiles)
	assert.Contains(t, x.Returns, struct {
		Status string
		Count  int
	}{"RETURNED", 2})
	assert.Contains(t, x.Returns, struct {
		Status string
		Count  int
	}{"NOT_REQUIRED", 1})

	// as of a past day, a return registered since does not count
	e.ok(staffToken, `{ overdueDataReturns(biobank: "DNB", asOf: "2024-12-01") { withdrawal { withdrawalId } } }`, nil, &overdue)
	require.Len(t, overdue.OverdueDataReturns, 1)
	assert.Equal(t, "W1", overdue.OverdueDataReturns[0].Withdrawal.WithdrawalID)

	// the same tube withdrawn twice: one recipient's return closes that
	// recipient's loop only
	study2 := must[domain.Study](tt)(e.store.CreateStudy(ctx, domain.Study{ExternalID: "ST2", Title: "Another study"}))
	twice := func(id string) domain.Withdrawal {
		due := day("2025-03-01")
		return must[domain.Withdrawal](tt)(e.store.CreateWithdrawal(ctx, domain.Withdrawal{BiobankID: dnb.ID, ExternalID: id, SampleID: x1.ID, StudyID: study2.ID,
			Quantity: 1000, QuantityUnit: "ug", WithdrawnOn: day("2025-02-01"), Recipient: "Lab " + id, DataReturnRequired: true, DataReturnDue: &due}))
	}
	first, second := twice("W5"), twice("W6")
	must[domain.DataFile](tt)(e.store.RegisterDataFile(ctx, domain.DataFile{ExternalID: "EGAF00000000203", Format: "CRAM", Assay: "WGS", WithdrawalID: second.ID,
		Location: "s3://returns/x1-w6.cram", Samples: []domain.FileSample{{SampleID: x1.ID, Alias: "x1"}}}))
	assert.Equal(t, "RETURNED", status(second.ID).Status)
	assert.Equal(t, "OVERDUE", status(first.ID).Status, "W6's data is not W5's return")

	// staff follow-up only
	res := e.do(researcherToken, `{ overdueDataReturns(biobank: "DNB") { daysOverdue } }`, nil)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "FORBIDDEN", res.Errors[0].Extensions["code"])
}
