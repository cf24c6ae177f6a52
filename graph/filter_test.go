package graph_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// One policy for what a caller gets wrong in a filter or an id: INVALID,
// naming the argument, with the closest known codes for an unknown code —
// never an empty result, never "not found".
func TestBadFiltersAndIdsAreInvalid(t *testing.T) {
	e := newEnv(t)
	e.seed(2)
	tests := []struct {
		name, query string
		field       string
		message     string // part of the field's message
	}{
		{"unknown diagnosis of donors", `{ donors(filter: {diagnosis: "C5O"}) { totalCount } }`, "filter.diagnosis", "C50"},
		{"unknown material of samples", `{ samples(filter: {materialType: "bloood"}) { totalCount } }`, "filter.materialType", "blood"},
		{"unknown format of files", `{ dataFiles(filter: {format: "CRAMM"}) { totalCount } }`, "filter.format", "CRAM"},
		{"unknown biobank", `{ samples(filter: {biobank: "NOPE"}) { totalCount } }`, "filter.biobank", "no biobank"},
		{"malformed donor id in a filter", `{ samples(filter: {donor: "D0001"}) { totalCount } }`, "filter.donor", "not a record id"},
		{"malformed id of a lookup", `{ sample(id: "B0001") { sampleId } }`, "id", "not a record id"},
		{"malformed id of node", `{ node(id: "B0001") { id } }`, "id", "not a record id"},
		{"malformed id of history", `{ history(id: "B0001") { action } }`, "id", "not a record id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := readerToken
			if tt.field == "id" && tt.name == "malformed id of history" {
				token = staffToken
			}
			res := e.do(token, tt.query, nil)
			require.NotEmpty(t, res.Errors, "%s", res.Data)
			ext := res.Errors[0].Extensions
			assert.Equal(t, "INVALID", ext["code"], res.Errors[0].Message)
			fields, _ := ext["fields"].([]any)
			require.Len(t, fields, 1, "%v", ext)
			f := fields[0].(map[string]any)
			assert.Equal(t, tt.field, f["field"])
			assert.Contains(t, f["message"], tt.message)
		})
	}
}

// A barcode alone finds its sample when one biobank uses it, and names
// the biobanks to choose from when several do.
func TestSampleByBarcodeAlone(t *testing.T) {
	e := newEnv(t)
	b := e.seed(1)
	other := must[domain.Biobank](t)(e.store.CreateBiobank(e.ctx, domain.Biobank{Code: "SVB", Name: "Svealand", Country: "SE"}))
	d := must[domain.Donor](t)(e.store.CreateDonor(e.ctx, domain.Donor{BiobankID: other.ID, ExternalID: "D0000"}))
	must[domain.Sample](t)(e.store.CreateSample(e.ctx, domain.Sample{BiobankID: other.ID, DonorID: d.ID, ExternalID: "B0000", MaterialType: "MIABIS:DNA"}))
	_ = b

	var out struct {
		Sample *struct{ Biobank struct{ Code string } }
	}
	e.ok(readerToken, `{ sample(sampleId: "N0000") { biobank { code } } }`, nil, &out)
	require.NotNil(t, out.Sample)
	assert.Equal(t, "DNB", out.Sample.Biobank.Code)

	res := e.do(readerToken, `{ sample(sampleId: "B0000") { sampleId } }`, nil)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "INVALID", res.Errors[0].Extensions["code"])
	assert.Contains(t, res.Errors[0].Message, "biobanks DNB, SVB each have a sample B0000; give one of them")

	e.ok(readerToken, `{ sample(biobank: "SVB", sampleId: "B0000") { biobank { code } } }`, nil, &out)
	assert.Equal(t, "SVB", out.Sample.Biobank.Code)
	e.ok(readerToken, `{ sample(sampleId: "NOPE") { biobank { code } } }`, nil, &out)
	assert.Nil(t, out.Sample)

	var donor struct{ Donor *struct{ DonorID string } }
	e.ok(readerToken, `{ donor(donorId: "D0000", biobank: "svb") { donorId } }`, nil, &donor)
	require.NotNil(t, donor.Donor)
	res = e.do(readerToken, `{ donor(donorId: "D0000") { donorId } }`, nil)
	require.NotEmpty(t, res.Errors)
	assert.Contains(t, res.Errors[0].Message, "biobanks DNB, SVB each have a donor D0000")
}
