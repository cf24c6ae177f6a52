package graph_test

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// previewRegistry adds to the discovery registry what the preview's
// statuses need: a sibling aliquot (s1c), a retired sample (s9), data
// for a NEEDS_REVIEW donor (s7) and for a DS donor (s2), a DS sample
// without data (s2b), and a donor whose samples have none of the wanted
// data (d9: blood p with DNA children c1, 100 ng, and c2, 3 ug; p has WGS
// on GRCh37 only).
func (e *env) previewRegistry() registry {
	t, ctx := e.t, e.ctx
	r := e.registry()
	dnb := must[domain.Biobank](t)(e.store.BiobankByCode(ctx, "DNB"))
	ng := func(s string) *domain.Quantity { q, _ := domain.ParseQuantity(s); return &q }
	add := func(name, donor, parent, material, amount, unit string) {
		r.ids[name] = must[domain.Sample](t)(e.store.CreateSample(ctx, domain.Sample{BiobankID: dnb.ID, DonorID: r.ids[donor], ExternalID: name,
			ParentID: r.ids[parent], MaterialType: material, InitialQuantity: ng(amount), QuantityUnit: unit})).ID
	}
	add("s1c", "d1", "s1", "DNA", "5", "ug")
	add("s9", "d1", "", "DNA", "5", "ug")
	must[domain.Sample](t)(e.store.RetireSample(ctx, r.ids["s9"]))
	add("s2b", "d2", "", "DNA", "5", "ug")
	born := 1970
	d9 := must[domain.Donor](t)(e.store.CreateDonor(ctx, domain.Donor{BiobankID: dnb.ID, ExternalID: "d9", Sex: "male", BirthYear: &born, VitalStatus: "alive"}))
	r.ids["d9"] = d9.ID
	given, _ := domain.ParseDate("2015-01-01")
	must[domain.Consent](t)(e.store.AddConsent(ctx, domain.Consent{DonorID: d9.ID, ExternalID: "C-d9", GivenOn: given, Permission: "HMB"}))
	add("p", "d9", "", "WHOLE_BLOOD", "2", "mL")
	add("c1", "d9", "p", "DNA", "100", "ng")
	add("c2", "d9", "p", "DNA", "3", "ug")
	for i, s := range []string{"s7", "s2"} {
		must[domain.DataFile](t)(e.store.RegisterDataFile(ctx, domain.DataFile{ExternalID: fmt.Sprintf("EGAF0000000010%d", i), Format: "CRAM", Assay: "WGS", Assembly: "GRCh38",
			Location: "s3://bucket/" + s + ".cram", Samples: []domain.FileSample{{SampleID: r.ids[s], Alias: s}}}))
	}
	// data of another kind than the tests want (GRCh37): it makes no
	// alternative of p
	must[domain.DataFile](t)(e.store.RegisterDataFile(ctx, domain.DataFile{ExternalID: "EGAF00000000109", Format: "CRAM", Assay: "WGS", Assembly: "GRCh37",
		Location: "s3://bucket/p.cram", Samples: []domain.FileSample{{SampleID: r.ids["p"], Alias: "p"}}}))
	return r
}

type previewItem struct {
	Requested   string
	Status      string
	Sample      *struct{ SampleID string }
	Files       []struct{ FileID string }
	Reasons     []string
	Conditions  []struct{ Curie string }
	Alternative *struct {
		SampleID string
		Donor    struct{ DonorID string }
	}
	AlternativeFiles []struct{ FileID string }
}

const previewQuery = `query($input: WithdrawalPreviewInput!) { withdrawalPreview(input: $input) {
	samples { requested status sample { sampleId } files { fileId } reasons conditions { curie }
		alternative { sampleId donor { donorId } } alternativeFiles { fileId } }
	summary { status count } summaryLine total servedAsData } }`

func TestWithdrawalPreview(t *testing.T) {
	e := newEnv(t)
	e.previewRegistry()
	requested := []string{"s1a", "s3", "s7", "s2", "s2b", "s1b", "s1c", "s1", "s4", "s5", "s6", "s9", "c1", "s8", "s1a", "nope"}
	input := map[string]any{"biobank": "DNB", "sampleIds": requested, "assay": "WGS", "assembly": "GRCh38",
		"purpose": map[string]any{"category": "HMB"}, "quantity": map[string]any{"amount": "400", "unit": "NANOGRAM"}}
	var out struct {
		WithdrawalPreview struct {
			Samples []previewItem
			Summary []struct {
				Status string
				Count  int
			}
			SummaryLine  string
			Total        int
			ServedAsData int
		}
	}
	before := e.queries.n.Load()
	e.ok(readerToken, previewQuery, map[string]any{"input": input}, &out)
	statements := e.queries.n.Load() - before
	p := out.WithdrawalPreview
	want := []struct {
		status, alternative, reason string
	}{
		{"DATA_AVAILABLE", "", "data file"},
		{"DATA_AVAILABLE", "", "data file"},
		{"DATA_NEEDS_REVIEW", "", "ethics"},
		{"DATA_NOT_PERMITTED", "", "disease"},
		{"CONSENT_DENIED", "", "disease"},
		{"WITHDRAWAL_NEEDED", "s1a", "no data"},         // through the parent
		{"WITHDRAWAL_NEEDED", "s1a", "no data"},         // through a sibling aliquot
		{"INSUFFICIENT_MATERIAL", "s1a", "not compare"}, // mL against ng; through a child
		{"CONSENT_WITHDRAWN", "", "withdrew"},
		{"NO_CONSENT", "", "no consent"}, // the only consent was retired
		{"NO_CONSENT", "", "no consent"},
		{"SAMPLE_RETIRED", "", "retired"},
		{"INSUFFICIENT_MATERIAL", "c2", "100 ng left"}, // no data anywhere: the sibling with most material
		{"UNKNOWN_SAMPLE", "", "TBB does"},
		{"DUPLICATE", "", "earlier"},
		{"UNKNOWN_SAMPLE", "", "no sample with this barcode"},
	}
	require.Len(t, p.Samples, len(requested))
	for i, w := range want {
		it := p.Samples[i]
		assert.Equal(t, requested[i], it.Requested, "order of the answer is the order of the input")
		assert.Equal(t, w.status, it.Status, "%s: %v", it.Requested, it.Reasons)
		assert.Contains(t, strings.Join(it.Reasons, " | "), w.reason, it.Requested)
		if w.alternative == "" {
			assert.Nil(t, it.Alternative, it.Requested)
		} else if assert.NotNil(t, it.Alternative, it.Requested) {
			assert.Equal(t, w.alternative, it.Alternative.SampleID, it.Requested)
		}
	}
	assert.Equal(t, "EGAF00000000001", p.Samples[0].Files[0].FileID)
	assert.Equal(t, "DUO:0000021", p.Samples[2].Conditions[0].Curie)
	assert.Equal(t, "EGAF00000000001", p.Samples[5].AlternativeFiles[0].FileID)
	assert.Empty(t, p.Samples[12].AlternativeFiles, "chosen for its material")
	counts := map[string]int{}
	for _, c := range p.Summary {
		counts[c.Status] = c.Count
	}
	assert.Equal(t, map[string]int{"DATA_AVAILABLE": 2, "DATA_NEEDS_REVIEW": 1, "DATA_NOT_PERMITTED": 1, "WITHDRAWAL_NEEDED": 2,
		"INSUFFICIENT_MATERIAL": 2, "CONSENT_DENIED": 1, "CONSENT_WITHDRAWN": 1, "NO_CONSENT": 2, "SAMPLE_RETIRED": 1,
		"UNKNOWN_SAMPLE": 2, "DUPLICATE": 1}, counts)
	assert.Equal(t, 3, p.ServedAsData)
	assert.Equal(t, "3 of 16 requested samples can be served as existing data (1 of them after a committee's review); 2 need a withdrawal of material; material saved: 1200 ng; "+
		"3 of the others could be served by data of another sample of the same donor instead; 11 cannot be served.", p.SummaryLine)

	// the statements do not grow with the number of samples asked (fewer
	// when no sample needs an alternative: its donor's others are not read)
	input["sampleIds"] = append(requested[:3:3], "nope")
	before = e.queries.n.Load()
	e.ok(readerToken, previewQuery, map[string]any{"input": input}, &out)
	assert.LessOrEqual(t, e.queries.n.Load()-before, statements)

	// the CSV has one header and one row per requested sample
	var csvOut struct{ WithdrawalPreviewCsv string }
	input["sampleIds"] = requested
	e.ok(readerToken, `query($input: WithdrawalPreviewInput!) { withdrawalPreviewCsv(input: $input) }`, map[string]any{"input": input}, &csvOut)
	rows, err := csv.NewReader(strings.NewReader(csvOut.WithdrawalPreviewCsv)).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, len(requested)+1)
	assert.Equal(t, domain.PreviewCSVHeader, rows[0])
	assert.Equal(t, []string{"s1b", "WITHDRAWAL_NEEDED", "s1b", "DNB", "d1", "", "s1a", "EGAF00000000001"}, rows[6][:8])

	// by filter, and by id
	delete(input, "sampleIds")
	delete(input, "biobank")
	input["filter"] = map[string]any{"donor": e.mustID("d9")}
	e.ok(readerToken, previewQuery, map[string]any{"input": input}, &out)
	assert.Equal(t, 3, out.WithdrawalPreview.Total)
}

func (e *env) mustID(donorExternalID string) string {
	d := must[domain.Donor](e.t)(e.store.DonorByExternalID(e.ctx, "DNB", donorExternalID))
	return d.ID
}

func TestWithdrawalPreviewErrors(t *testing.T) {
	e := newEnv(t)
	e.registry()
	base := func() map[string]any {
		return map[string]any{"assay": "WGS", "purpose": map[string]any{"category": "HMB"}}
	}
	tests := []struct {
		name  string
		edit  func(map[string]any)
		field string
	}{
		{"no samples", func(m map[string]any) {}, "input"},
		{"empty list", func(m map[string]any) { m["sampleIds"] = []string{}; m["biobank"] = "DNB" }, "input"},
		{"barcodes without biobank", func(m map[string]any) { m["sampleIds"] = []string{"s1"} }, "input.biobank"},
		{"two ways at once", func(m map[string]any) { m["sampleIds"] = []string{"s1"}; m["ids"] = []string{"x"} }, "input"},
		{"unknown assay", func(m map[string]any) { m["ids"] = []string{"x"}; m["assay"] = "WGX" }, "input.assay"},
		{"unknown unit", func(m map[string]any) { m["ids"] = []string{"x"}; m["purpose"] = map[string]any{"category": "DS"} }, "input.purpose.disease"},
		{"filter matching nothing", func(m map[string]any) { m["filter"] = map[string]any{"biobank": "TBB", "sex": "MALE"} }, "input.filter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := base()
			tt.edit(in)
			res := e.do(readerToken, previewQuery, map[string]any{"input": in})
			require.NotEmpty(t, res.Errors)
			assert.Equal(t, "INVALID", res.Errors[0].Extensions["code"], "%+v", res.Errors[0])
			fields, _ := res.Errors[0].Extensions["fields"].([]any)
			require.NotEmpty(t, fields, "%+v", res.Errors[0])
			assert.Equal(t, tt.field, fields[0].(map[string]any)["field"])
		})
	}
}

// A signed-in researcher may send the longest list a preview takes,
// 100,000 barcodes (about 2 MB of JSON, more than an anonymous client's
// body limit); its audit event records the list as one hash.
func TestWithdrawalPreviewOfTheLongestList(t *testing.T) {
	e := newEnv(t)
	e.previewRegistry()
	requested := make([]string, domain.MaxPreviewSamples)
	for i := range requested {
		requested[i] = fmt.Sprintf("NOT-%07d", i)
	}
	copy(requested, []string{"s1a", "s3", "s7"})
	input := map[string]any{"biobank": "DNB", "sampleIds": requested, "assay": "WGS", "purpose": map[string]any{"category": "HMB"}}
	body := queryBody(`query Longest($input: WithdrawalPreviewInput!) { withdrawalPreview(input: $input) { total summary { status count } } }`,
		map[string]any{"input": input})
	require.Greater(t, len(body), 256<<10, "more than an anonymous client may send")
	status, res := e.post(readerToken, "application/json", body)
	require.Equal(t, http.StatusOK, status, "%+v", res.Errors)
	require.Empty(t, res.Errors)
	var out struct {
		WithdrawalPreview struct {
			Total   int
			Summary []struct {
				Status string
				Count  int
			}
		}
	}
	require.NoError(t, json.Unmarshal(res.Data, &out))
	assert.Equal(t, domain.MaxPreviewSamples, out.WithdrawalPreview.Total)
	counts := map[string]int{}
	for _, c := range out.WithdrawalPreview.Summary {
		counts[c.Status] = c.Count
	}
	assert.Equal(t, domain.MaxPreviewSamples-3, counts["UNKNOWN_SAMPLE"])

	var longest []auditEvent
	for _, ev := range e.audit(`{}`) {
		if ev.Operation == "Longest" {
			longest = append(longest, ev)
		}
	}
	require.Len(t, longest, 1)
	assert.Less(t, len(longest[0].Variables), 1000, "the list is one hash: %s", longest[0].Variables)
	assert.Contains(t, string(longest[0].Variables), "of 100000 items")

	// the list form holds at most 20,000 samples; the CSV and the counts any number
	res = e.do(readerToken, previewQuery, map[string]any{"input": input})
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "LIMIT_EXCEEDED", res.Errors[0].Extensions["code"], res.Errors[0].Message)
	assert.Contains(t, res.Errors[0].Message, "at most 20000, 100000 were asked for")
	// who asks is refused before what is asked
	short := make([]string, 20001)
	for i := range short {
		short[i] = fmt.Sprintf("b%d", i)
	}
	res = e.do("", previewQuery, map[string]any{"input": map[string]any{"biobank": "DNB", "sampleIds": short, "assay": "WGS", "purpose": map[string]any{"category": "HMB"}}})
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "UNAUTHORIZED", res.Errors[0].Extensions["code"], res.Errors[0].Message)
	var csvOut struct{ WithdrawalPreviewCsv string }
	e.ok(readerToken, `query($input: WithdrawalPreviewInput!) { withdrawalPreviewCsv(input: $input) }`, map[string]any{"input": input}, &csvOut)
	assert.Equal(t, domain.MaxPreviewSamples+1, strings.Count(csvOut.WithdrawalPreviewCsv, "\n"), "a header and a row per sample")

	// one more barcode is refused by the preview, not by the body limit
	input["sampleIds"] = append(requested, "NOT-X")
	res = e.do(readerToken, `query($input: WithdrawalPreviewInput!) { withdrawalPreview(input: $input) { total } }`, map[string]any{"input": input})
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "LIMIT_EXCEEDED", res.Errors[0].Extensions["code"], res.Errors[0].Message)
	assert.Contains(t, res.Errors[0].Message, "at most 100000 samples")
}
