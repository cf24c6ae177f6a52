package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// approvalFixture: biobank DNB with six donors (a blood sample and a DNA
// child held in one file each, seed), dataset EGAD00000000001 holding the
// files of donors 0 to 2, and biobank OTH with one sample.
type approvalFixture struct {
	dataset            domain.Dataset
	samples, files     map[string]string // by external id
	otherSample, donor string
}

func (e *env) approvalFixture() approvalFixture {
	t, ctx := e.t, e.ctx
	b := e.seed(6)
	fx := approvalFixture{samples: map[string]string{}, files: map[string]string{}}
	page := must[domain.Page[domain.Sample]](t)(e.store.Samples(ctx, domain.SampleFilter{BiobankID: b.ID}, domain.PageRequest{First: 100}))
	for _, x := range page.Items {
		fx.samples[x.ExternalID] = x.ID
	}
	files := must[domain.Page[domain.DataFile]](t)(e.store.DataFiles(ctx, domain.DataFileFilter{}, domain.PageRequest{First: 100}))
	for _, f := range files.Items {
		fx.files[f.ExternalID] = f.ID
	}
	fx.dataset = must[domain.Dataset](t)(e.store.CreateDataset(ctx, domain.Dataset{ExternalID: "EGAD00000000001", Title: "First three"}))
	must[domain.Dataset](t)(e.store.SetDatasetFiles(ctx, fx.dataset.ID, []string{fx.files["EGAF00000000000"], fx.files["EGAF00000000001"], fx.files["EGAF00000000002"]}, false))
	d := must[domain.Donor](t)(e.store.DonorByExternalID(ctx, "DNB", "D0000"))
	fx.donor = d.ID
	must[domain.Donor](t)(e.store.UpdateDonor(ctx, d.ID, func(d *domain.Donor) error { y := 1980; d.BirthYear = &y; return nil }))
	o := must[domain.Biobank](t)(e.store.CreateBiobank(ctx, domain.Biobank{Code: "OTH", Name: "Other biobank", Country: "SE"}))
	od := must[domain.Donor](t)(e.store.CreateDonor(ctx, domain.Donor{BiobankID: o.ID, ExternalID: "X1"}))
	fx.otherSample = must[domain.Sample](t)(e.store.CreateSample(ctx, domain.Sample{BiobankID: o.ID, DonorID: od.ID, ExternalID: "XS1", MaterialType: "MIABIS:DNA"})).ID
	return fx
}

const approvedRows = `{ samples(first: 50) { totalCount nodes { sampleId donor { donorId birthYear ageBand } } }
	dataFiles(first: 50) { nodes { fileId samples { nodes { sample { sampleId } } } } } }`

type approvedRowsResult struct {
	Samples struct {
		TotalCount int
		Nodes      []struct {
			SampleID string
			Donor    struct {
				DonorID   string
				BirthYear *int
				AgeBand   *string
			}
		}
	}
	DataFiles struct {
		Nodes []struct{ FileID string }
	}
}

func (r approvedRowsResult) names() (samples, files []string) {
	for _, x := range r.Samples.Nodes {
		samples = append(samples, x.SampleID)
	}
	for _, f := range r.DataFiles.Nodes {
		files = append(files, f.FileID)
	}
	slices.Sort(samples)
	slices.Sort(files)
	return samples, files
}

func (e *env) recordApproval(token string, input map[string]any) (string, response) {
	res := e.do(token, `mutation($input: AccessApprovalInput!) { recordAccessApproval(input: $input) { id researcher datasetId samples name } }`,
		map[string]any{"input": input})
	var out struct{ RecordAccessApproval struct{ ID string } }
	if len(res.Errors) == 0 {
		require.NoError(e.t, jsonUnmarshal(res.Data, &out))
	}
	return out.RecordAccessApproval.ID, res
}

// A researcher sees aggregates only until staff approve a dataset; then
// exactly its samples and files, donors with an age band instead of the
// birth year; revoking the approval ends it. A visa naming the dataset
// approves it the same way.
func TestApprovedResearcherSeesExactlyTheApprovedRows(t *testing.T) {
	e := newEnv(t)
	fx := e.approvalFixture()

	res := e.do(researcherToken, approvedRows, nil)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, domain.EFORBIDDEN, res.Errors[0].Extensions["code"])

	id, res := e.recordApproval(staffToken, map[string]any{"researcher": "rita", "dataset": "EGAD00000000001", "reason": "DAC-2026-17"})
	require.Empty(t, res.Errors, "%+v", res.Errors)

	wantSamples := []string{"N0000", "N0001", "N0002"}
	wantFiles := []string{"EGAF00000000000", "EGAF00000000001", "EGAF00000000002"}
	for _, token := range []string{researcherToken, visaToken} {
		var out approvedRowsResult
		e.ok(token, approvedRows, nil, &out)
		samples, files := out.names()
		assert.Equal(t, wantSamples, samples, token)
		assert.Equal(t, wantFiles, files, token)
		assert.Equal(t, 3, out.Samples.TotalCount)
		for _, x := range out.Samples.Nodes {
			assert.Nil(t, x.Donor.BirthYear, "approved researchers never see birth years")
			if x.Donor.DonorID == "D0000" {
				y := 1980
				require.NotNil(t, x.Donor.AgeBand)
				assert.Equal(t, domain.AgeBand(&y, domain.Today()), *x.Donor.AgeBand)
			}
		}
	}

	// lookups outside the approval are refused or left out
	for name, q := range map[string]string{
		"parent sample":       fmt.Sprintf(`{ sample(id: %q) { sampleId } }`, fx.samples["B0000"]),
		"other donor's file":  fmt.Sprintf(`{ dataFile(id: %q) { fileId } }`, fx.files["EGAF00000000004"]),
		"other biobank":       fmt.Sprintf(`{ sample(id: %q) { sampleId } }`, fx.otherSample),
		"consents still rows": fmt.Sprintf(`{ donor(id: %q) { consents { id } } }`, fx.donor),
	} {
		res := e.do(researcherToken, q, nil)
		if assert.NotEmpty(t, res.Errors, name) {
			assert.Equal(t, domain.EFORBIDDEN, res.Errors[0].Extensions["code"], "%s: %s", name, res.Errors[0].Message)
		}
	}
	var lineage struct {
		Sample struct {
			SampleID string
			Parent   *struct{ SampleID string }
		}
	}
	res = e.do(researcherToken, fmt.Sprintf(`{ sample(id: %q) { sampleId parent { sampleId } } }`, fx.samples["N0000"]), nil)
	require.NoError(t, jsonUnmarshal(res.Data, &lineage))
	assert.Equal(t, "N0000", lineage.Sample.SampleID)
	assert.Nil(t, lineage.Sample.Parent, "the parent lies outside the approval")
	require.Len(t, res.Errors, 1)
	assert.Equal(t, domain.EFORBIDDEN, res.Errors[0].Extensions["code"], res.Errors[0].Message)

	// staff still see every row and the birth year
	var staff approvedRowsResult
	e.ok(readerToken, approvedRows, nil, &staff)
	samples, _ := staff.names()
	assert.Len(t, samples, 13)

	e.ok(staffToken, `mutation($id: ID!) { revokeAccessApproval(id: $id) { revokedAt revokedBy } }`, map[string]any{"id": id}, nil)
	res = e.do(researcherToken, approvedRows, nil)
	require.NotEmpty(t, res.Errors, "a revoked approval approves nothing")
	assert.Equal(t, domain.EFORBIDDEN, res.Errors[0].Extensions["code"])
}

// Staff approve within their scope: staff of one biobank approve sets of
// its samples, never datasets (which span biobanks) nor other biobanks'
// samples; bad input names the field.
func TestRecordAccessApprovalChecks(t *testing.T) {
	e := newEnv(t)
	fx := e.approvalFixture()
	tests := []struct {
		name, token string
		input       map[string]any
		code, field string
	}{
		{"sample set of own biobank", dnbStaffToken, map[string]any{"researcher": "rita", "samples": []string{fx.samples["B0004"]}, "name": "blood of D0004", "reason": "DAC-1"}, "", ""},
		{"dataset by staff of one biobank", dnbStaffToken, map[string]any{"researcher": "rita", "dataset": "EGAD00000000001", "reason": "DAC-1"}, domain.EFORBIDDEN, ""},
		{"other biobank's sample", dnbStaffToken, map[string]any{"researcher": "rita", "samples": []string{fx.otherSample}, "name": "x", "reason": "DAC-1"}, domain.EFORBIDDEN, ""},
		{"researcher", researcherToken, map[string]any{"researcher": "rita", "dataset": "EGAD00000000001", "reason": "DAC-1"}, domain.EFORBIDDEN, ""},
		{"unknown dataset", staffToken, map[string]any{"researcher": "rita", "dataset": "EGAD99999999999", "reason": "DAC-1"}, domain.EINVALID, "input.dataset"},
		{"neither", staffToken, map[string]any{"researcher": "rita", "reason": "DAC-1"}, domain.EINVALID, "input.dataset"},
		{"samples without a name", staffToken, map[string]any{"researcher": "rita", "samples": []string{fx.samples["B0004"]}, "reason": "DAC-1"}, domain.EINVALID, "input.name"},
		{"no reason", staffToken, map[string]any{"researcher": "rita", "dataset": "EGAD00000000001", "reason": " "}, domain.EINVALID, "input.reason"},
		{"expired", staffToken, map[string]any{"researcher": "rita", "dataset": "EGAD00000000001", "reason": "DAC-1", "expiresOn": "2020-01-01"}, domain.EINVALID, "input.expiresOn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, res := e.recordApproval(tt.token, tt.input)
			if tt.code == "" {
				require.Empty(t, res.Errors, "%+v", res.Errors)
				return
			}
			require.NotEmpty(t, res.Errors)
			assert.Equal(t, tt.code, res.Errors[0].Extensions["code"], res.Errors[0].Message)
			if tt.field != "" {
				assert.Contains(t, fmt.Sprint(res.Errors[0].Extensions["fields"]), tt.field)
			}
		})
	}

	// the sample set approves its sample and nothing else
	var out approvedRowsResult
	e.ok(researcherToken, approvedRows, nil, &out)
	samples, files := out.names()
	assert.Equal(t, []string{"B0004"}, samples)
	assert.Empty(t, files, "B0004's data is in its child's file, not approved")
	var mine struct {
		MyApprovedAccess struct {
			Datasets []struct{ DatasetID string }
			Samples  []string
		}
	}
	e.ok(researcherToken, `{ myApprovedAccess { datasets { datasetId } samples } }`, nil, &mine)
	assert.Equal(t, []string{fx.samples["B0004"]}, mine.MyApprovedAccess.Samples)
	assert.Empty(t, mine.MyApprovedAccess.Datasets)
	var list struct {
		AccessApprovals []struct{ Researcher, Name string }
	}
	e.ok(staffToken, `{ accessApprovals(researcher: "rita") { researcher name } }`, nil, &list)
	require.Len(t, list.AccessApprovals, 1)
	assert.Equal(t, "blood of D0004", list.AccessApprovals[0].Name)
}

// The withdrawal preview serves approved samples only.
func TestApprovedPreviewCoversApprovedSamplesOnly(t *testing.T) {
	e := newEnv(t)
	e.approvalFixture()
	input := func(ids ...string) map[string]any {
		return map[string]any{"input": map[string]any{"biobank": "DNB", "sampleIds": ids, "assay": "WGS", "purpose": map[string]any{"category": "HMB"}}}
	}
	res := e.do(visaToken, previewQuery, input("N0000", "N0001"))
	require.Empty(t, res.Errors, "%+v", res.Errors)
	var out struct {
		WithdrawalPreview struct {
			Samples []struct {
				Requested, Status string
				Reasons           []string
			}
		}
	}
	e.ok(visaToken, previewQuery, input("N0000", "N0004", "NOPE"), &out)
	items := out.WithdrawalPreview.Samples
	require.Len(t, items, 3)
	assert.NotEqual(t, "UNKNOWN_SAMPLE", items[0].Status, "approved")
	assert.Equal(t, "UNKNOWN_SAMPLE", items[1].Status, "outside the approval: as if it did not exist")
	assert.Equal(t, "UNKNOWN_SAMPLE", items[2].Status)
	assert.Equal(t, items[2].Reasons, items[1].Reasons)
	res = e.do(researcherToken, previewQuery, input("N0000"))
	require.NotEmpty(t, res.Errors, "a researcher approved for nothing previews nothing")
	assert.Equal(t, domain.EFORBIDDEN, res.Errors[0].Extensions["code"])
}

// A confined reader is offered an alternative for its data only when it
// may see that data: B0000 is within the visa's dataset through an RNA-seq
// file, but its WES file is not, so N0000 (asking for WES) is not sent to
// B0000 for data.
func TestApprovedPreviewAlternativesSeeOnlyApprovedData(t *testing.T) {
	e := newEnv(t)
	fx := e.approvalFixture()
	register := func(id, assay string) string {
		return must[domain.DataFile](t)(e.store.RegisterDataFile(e.ctx, domain.DataFile{ExternalID: id, Format: "FASTQ", Assay: assay,
			Location: "s3://dnb/" + id + ".fastq", Samples: []domain.FileSample{{SampleID: fx.samples["B0000"], Alias: "B0000"}}})).ID
	}
	rna := register("EGAF00000000100", "RNA_SEQ")
	register("EGAF00000000101", "WES")
	must[domain.Dataset](t)(e.store.SetDatasetFiles(e.ctx, fx.dataset.ID, []string{rna}, false))
	ask := func(token string) previewItem {
		var out struct {
			WithdrawalPreview struct{ Samples []previewItem }
		}
		e.ok(token, previewQuery, map[string]any{"input": map[string]any{"biobank": "DNB", "sampleIds": []string{"N0000"}, "assay": "WES",
			"purpose": map[string]any{"category": "HMB"}}}, &out)
		require.Len(t, out.WithdrawalPreview.Samples, 1)
		return out.WithdrawalPreview.Samples[0]
	}
	// staff see B0000's WES data and are offered it
	if it := ask(readerToken); assert.NotNil(t, it.Alternative) {
		assert.Equal(t, "B0000", it.Alternative.SampleID)
		require.Len(t, it.AlternativeFiles, 1)
		assert.Equal(t, "EGAF00000000101", it.AlternativeFiles[0].FileID)
	}
	// the visa's holder sees B0000 but not that file
	it := ask(visaToken)
	assert.NotEqual(t, "UNKNOWN_SAMPLE", it.Status, "N0000 is approved")
	assert.Empty(t, it.AlternativeFiles)
	if it.Alternative != nil {
		assert.NotContains(t, strings.Join(it.Reasons, " | "), "has the data", "not for data it may not see")
	}
}

// Staff of one biobank read that biobank's records only: listings leave
// the others out, and lookups of them are refused.
func TestStaffReadTheirBiobanksOnly(t *testing.T) {
	e := newEnv(t)
	fx := e.approvalFixture()
	var out struct {
		Samples struct{ Nodes []struct{ SampleID string } }
		Donors  struct{ Nodes []struct{ DonorID string } }
	}
	e.ok(dnbStaffToken, `{ samples(first: 100) { nodes { sampleId } } donors(first: 100) { nodes { donorId } } }`, nil, &out)
	assert.Len(t, out.Samples.Nodes, 12, "DNB's twelve samples, not OTH's")
	for _, x := range out.Samples.Nodes {
		assert.NotEqual(t, "XS1", x.SampleID)
	}
	assert.Len(t, out.Donors.Nodes, 6)
	for name, q := range map[string]string{
		"sample":  fmt.Sprintf(`{ sample(id: %q) { sampleId } }`, fx.otherSample),
		"history": fmt.Sprintf(`{ history(id: %q) { action } }`, fx.otherSample),
		"by code": `{ sample(sampleId: "XS1", biobank: "OTH") { sampleId } }`,
		"node":    fmt.Sprintf(`{ node(id: %q) { id } }`, fx.otherSample),
	} {
		res := e.do(dnbStaffToken, q, nil)
		if assert.NotEmpty(t, res.Errors, name) {
			assert.Equal(t, domain.EFORBIDDEN, res.Errors[0].Extensions["code"], "%s: %s", name, res.Errors[0].Message)
			assert.Contains(t, res.Errors[0].Message, "your biobanks (DNB)", name)
		}
	}
	// staff of every biobank read them all
	e.ok(readerToken, `{ samples(first: 100) { nodes { sampleId } } donors(first: 100) { nodes { donorId } } }`, nil, &out)
	assert.Len(t, out.Samples.Nodes, 13)
	assert.Len(t, out.Donors.Nodes, 7)
}

// What a confined reader must not learn: birth years through a listing's
// filter, barcodes of samples outside the scope through a preview by ids,
// approvals it could not have recorded.
func TestConfinedReadersLearnNothingOutside(t *testing.T) {
	e := newEnv(t)
	fx := e.approvalFixture()
	_, res := e.recordApproval(staffToken, map[string]any{"researcher": "rita", "dataset": "EGAD00000000001", "reason": "DAC-1"})
	require.Empty(t, res.Errors)
	var list struct{ AccessApprovals []struct{ ID string } }
	e.ok(staffToken, `{ accessApprovals { id } }`, nil, &list)
	require.Len(t, list.AccessApprovals, 1)

	for name, tt := range map[string]struct {
		token, query string
		vars         map[string]any
		notIn        string
	}{
		"birth year filter on rows":          {researcherToken, `{ samples(filter: {birthYearFrom: 1980, birthYearTo: 1980}) { nodes { sampleId } } }`, nil, ""},
		"birth year filter on files":         {researcherToken, `{ dataFiles(filter: {hasSample: {birthYearFrom: 1980, birthYearTo: 1980}}) { nodes { fileId } } }`, nil, ""},
		"birth year filter on files, nested": {researcherToken, `{ dataFiles(filter: {hasSample: {or: [{ageAtCollectionFrom: 40}]}}) { nodes { fileId } } }`, nil, ""},
		"diagnosis filter on rows":           {researcherToken, `{ samples(filter: {diagnosis: "E11"}) { nodes { sampleId } } }`, nil, ""},
		"diagnosis filter on files":          {researcherToken, `{ dataFiles(filter: {hasSample: {diagnosis: "E11"}}) { nodes { fileId } } }`, nil, ""},
		"age filter in a preview": {researcherToken, previewQuery, map[string]any{"input": map[string]any{"filter": map[string]any{"ageAtCollectionFrom": 40}, "assay": "WGS",
			"purpose": map[string]any{"category": "HMB"}}}, ""},
		"unknown barcode":           {researcherToken, `{ sample(sampleId: "NOPE", biobank: "DNB") { sampleId } }`, nil, ""},
		"revoke a dataset approval": {dnbStaffToken, `mutation($id: ID!) { revokeAccessApproval(id: $id) { id } }`, map[string]any{"id": list.AccessApprovals[0].ID}, ""},
	} {
		t.Run(name, func(t *testing.T) {
			res := e.do(tt.token, tt.query, tt.vars)
			require.NotEmpty(t, res.Errors)
			assert.Equal(t, domain.EFORBIDDEN, res.Errors[0].Extensions["code"], res.Errors[0].Message)
			if tt.notIn != "" {
				assert.NotContains(t, res.Errors[0].Message, tt.notIn, "a preview by ids names the ids, never the barcodes")
			}
		})
	}
	// a preview of a sample outside the approvals answers as for one that
	// does not exist, item by item, without failing the rest
	var preview struct {
		WithdrawalPreview struct {
			Samples []struct {
				Requested, Status string
				Reasons           []string
			}
		}
	}
	e.ok(researcherToken, previewQuery, map[string]any{"input": map[string]any{"ids": []string{fx.samples["B0004"], "0190e1a2-0000-7000-8000-000000000000"},
		"assay": "WGS", "purpose": map[string]any{"category": "HMB"}}}, &preview)
	items := preview.WithdrawalPreview.Samples
	require.Len(t, items, 2)
	assert.Equal(t, "UNKNOWN_SAMPLE", items[0].Status)
	assert.Equal(t, "UNKNOWN_SAMPLE", items[1].Status)
	assert.Equal(t, items[1].Reasons, items[0].Reasons)
	assert.Contains(t, items[0].Reasons[0], "not found, or outside what you may see")

	// a record outside the approvals and one that does not exist: the same
	// answer, without the record's id
	outside := e.do(researcherToken, `{ sample(sampleId: "B0004", biobank: "DNB") { sampleId } }`, nil)
	missing := e.do(researcherToken, `{ sample(sampleId: "NOPE", biobank: "DNB") { sampleId } }`, nil)
	require.NotEmpty(t, outside.Errors)
	require.NotEmpty(t, missing.Errors)
	assert.Equal(t, missing.Errors[0].Message, outside.Errors[0].Message)
	assert.NotContains(t, outside.Errors[0].Message, fx.samples["B0004"])

	var dora struct{ AccessApprovals []struct{ ID string } }
	e.ok(dnbStaffToken, `{ accessApprovals { id } }`, nil, &dora)
	assert.Empty(t, dora.AccessApprovals, "staff of one biobank do not see dataset approvals")
}
