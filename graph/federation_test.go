package graph_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// A gateway composes the supergraph from _service, with the schema as
// written: the federation link and keys. Like introspection, it needs
// credentials (the gateway's federation token).
func TestServiceSDLNeedsCredentials(t *testing.T) {
	e := newEnv(t)
	var out struct {
		Service struct{ SDL string } `json:"_service"`
	}
	res := e.do("", `{ _service { sdl } }`, nil)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "UNAUTHORIZED", res.Errors[0].Extensions["code"])
	e.ok(readerToken, `{ _service { sdl } }`, nil, &out)
	for _, want := range []string{`@link(url: "https://specs.apollo.dev/federation/v2.7"`,
		`type Dataset implements Node @key(fields: "id") @key(fields: "accession")`,
		`type DataFile implements Node @key(fields: "id") @key(fields: "accession")`,
		`type Study implements Node @key(fields: "accession")`, `type Sample implements Node @key(fields: "id")`,
		`type Biobank implements Node @key(fields: "code")`} {
		assert.Contains(t, out.Service.SDL, want)
	}
	for _, key := range []string{`accession: "EGAD00000000001"`, `accession: "malformed"`} {
		res := e.do("", `{ _entities(representations: [{__typename: "Dataset", `+key+`}]) { __typename } }`, nil)
		require.NotEmpty(t, res.Errors, key)
		assert.Equal(t, domain.EUNAUTHORIZED, res.Errors[0].Extensions["code"], key)
	}
}

// fedFixture is seed(n) with two datasets: the first holding every file,
// the second the first file only.
type fedFixture struct {
	all, one domain.Dataset
	files    []string // ids, in file id order
}

func (e *env) fedSeed(n int) fedFixture {
	e.seed(n)
	var fx fedFixture
	var files struct {
		DataFiles struct{ Nodes []struct{ ID string } }
	}
	e.ok(readerToken, `{ dataFiles(first: 500) { nodes { id } } }`, nil, &files)
	for _, f := range files.DataFiles.Nodes {
		fx.files = append(fx.files, f.ID)
	}
	fx.all = must[domain.Dataset](e.t)(e.store.CreateDataset(e.ctx, domain.Dataset{ExternalID: "EGAD00000000001", Title: "all", DataUse: []string{"HMB", "NPU"}}))
	must[domain.Dataset](e.t)(e.store.SetDatasetFiles(e.ctx, fx.all.ID, fx.files, false))
	fx.one = must[domain.Dataset](e.t)(e.store.CreateDataset(e.ctx, domain.Dataset{ExternalID: "local-ds-2", Title: "one"}))
	must[domain.Dataset](e.t)(e.store.SetDatasetFiles(e.ctx, fx.one.ID, fx.files[:1], false))
	return fx
}

const entitiesQuery = `query($reps: [_Any!]!) { _entities(representations: $reps) {
  __typename
  ... on Dataset { id datasetId accession }
  ... on DataFile { id fileId accession }
  ... on Study { studyId accession }
  ... on Sample { sampleId }
  ... on Biobank { code }
} }`

// Representations of every type and both key forms come back in their
// order; unknown keys are null and a malformed key is an INVALID error at
// its own index, without failing the others.
func TestEntitiesResolveMixedKeysInOrder(t *testing.T) {
	e := newEnv(t)
	fx := e.fedSeed(3)
	must[domain.Study](t)(e.store.CreateStudy(e.ctx, domain.Study{ExternalID: "ST1", Title: "t", Accession: "EGAS00000000007"}))
	var sample struct {
		Sample struct{ ID string }
	}
	e.ok(readerToken, `{ sample(biobank: "DNB", sampleId: "N0002") { id } }`, nil, &sample)
	unknown := "0190a5c4-5b1e-7c3a-9f00-2d1e4b6a8c01"
	reps := []map[string]any{
		{"__typename": "Dataset", "accession": "EGAD00000000001"},   // 0
		{"__typename": "DataFile", "accession": "EGAF00000000002"},  // 1
		{"__typename": "Dataset", "id": fx.one.ID},                  // 2
		{"__typename": "Dataset", "accession": "EGAD00000000999"},   // 3 unknown
		{"__typename": "DataFile", "id": fx.files[0]},               // 4
		{"__typename": "Dataset", "accession": "EGAF00000000001"},   // 5 malformed: a file accession
		{"__typename": "Sample", "id": sample.Sample.ID},            // 6
		{"__typename": "Sample", "id": unknown},                     // 7 unknown
		{"__typename": "Biobank", "code": "dnb"},                    // 8
		{"__typename": "Study", "accession": "EGAS00000000007"},     // 9
		{"__typename": "DataFile", "id": "not-a-uuid"},              // 10 malformed
		{"__typename": "Dataset", "id": fx.all.ID},                  // 11 the same as 0
		{"__typename": "Dataset", "id": strings.ToUpper(fx.one.ID)}, // 12 the same as 2
	}
	res := e.do(readerToken, entitiesQuery, map[string]any{"reps": reps})
	var out struct {
		Entities []map[string]any `json:"_entities"`
	}
	require.NoError(t, json.Unmarshal(res.Data, &out))
	require.Len(t, out.Entities, len(reps))
	want := []map[string]any{
		{"__typename": "Dataset", "id": fx.all.ID, "datasetId": "EGAD00000000001", "accession": "EGAD00000000001"},
		{"__typename": "DataFile", "id": fx.files[2], "fileId": "EGAF00000000002", "accession": "EGAF00000000002"},
		{"__typename": "Dataset", "id": fx.one.ID, "datasetId": "local-ds-2", "accession": nil},
		nil,
		{"__typename": "DataFile", "id": fx.files[0], "fileId": "EGAF00000000000", "accession": "EGAF00000000000"},
		nil,
		{"__typename": "Sample", "sampleId": "N0002"},
		nil,
		{"__typename": "Biobank", "code": "DNB"},
		{"__typename": "Study", "studyId": "ST1", "accession": "EGAS00000000007"},
		nil,
		{"__typename": "Dataset", "id": fx.all.ID, "datasetId": "EGAD00000000001", "accession": "EGAD00000000001"},
		{"__typename": "Dataset", "id": fx.one.ID, "datasetId": "local-ds-2", "accession": nil},
	}
	for i := range want {
		if want[i] == nil {
			assert.Nil(t, out.Entities[i], "representation %d", i)
			continue
		}
		assert.Equal(t, want[i], out.Entities[i], "representation %d", i)
	}
	require.Len(t, res.Errors, 2, "%+v", res.Errors)
	got := map[string]string{}
	for _, er := range res.Errors {
		assert.Equal(t, domain.EINVALID, er.Extensions["code"])
		got[fmt.Sprint(er.Path)] = fmt.Sprint(er.Extensions["fields"])
	}
	assert.Contains(t, got["[_entities 5]"], "is not an EGA dataset accession")
	assert.Contains(t, got["[_entities 5]"], "EGAF00000000001")
	assert.Contains(t, got["[_entities 10]"], "is not a record id")
}

// What LocalEGA asks of files it archives: their samples (with material,
// biobank and the consent decision for a purpose) and their datasets
// (data-use conditions and sample summary). Whatever the number of
// representations, the statements are one per relation and level.
func TestEntitiesStatementCountDoesNotGrowWithRepresentations(t *testing.T) {
	e := newEnv(t)
	e.fedSeed(30)
	query := `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on DataFile {
	  accession
	  samples { nodes { alias sample { id sampleId materialType { curie } biobank { code }
	    consentDecision(purpose: {category: "HMB"}) { outcome } } } }
	  datasets { accession dataUse { curie } sampleSummary { total byMaterialType { materialType { curie } count } byBiobank { biobank { code } count } } }
	} } }`
	count := func(n int) int64 {
		reps := make([]map[string]any, n)
		for i := range reps {
			reps[i] = map[string]any{"__typename": "DataFile", "accession": fmt.Sprintf("EGAF%011d", i)}
		}
		var out struct {
			Entities []struct {
				Accession string
				Samples   struct {
					Nodes []struct {
						Sample struct {
							SampleID        string
							ConsentDecision struct{ Outcome string }
						}
					}
				}
				Datasets []struct {
					Accession     *string
					SampleSummary struct{ Total *int }
				}
			} `json:"_entities"`
		}
		before := e.queries.n.Load()
		e.ok(readerToken, query, map[string]any{"reps": reps}, &out)
		statements := e.queries.n.Load() - before
		require.Len(t, out.Entities, n)
		for i, f := range out.Entities {
			assert.Equal(t, fmt.Sprintf("EGAF%011d", i), f.Accession)
			require.Len(t, f.Samples.Nodes, 1)
			assert.Equal(t, fmt.Sprintf("N%04d", i), f.Samples.Nodes[0].Sample.SampleID)
			assert.Equal(t, "PERMITTED", f.Samples.Nodes[0].Sample.ConsentDecision.Outcome)
			for _, d := range f.Datasets {
				if d.Accession != nil {
					require.NotNil(t, d.SampleSummary.Total)
					assert.Equal(t, 30, *d.SampleSummary.Total)
				} else {
					assert.Nil(t, d.SampleSummary.Total, "one sample: suppressed")
				}
			}
		}
		return statements
	}
	small, large := count(3), count(30)
	assert.Equal(t, small, large, "statements for 3 representations: %d, for 30: %d", small, large)
	// files; their samples and datasets; the samples, the summaries; biobanks, donors, summaries' biobanks; consents
	assert.LessOrEqual(t, large, int64(8))
}

// The reverse: for a set of samples, the EGA accessions of their data and
// datasets, in statements that do not grow with the set.
func TestSampleEntitiesReachTheirAccessions(t *testing.T) {
	e := newEnv(t)
	e.fedSeed(30)
	var list struct {
		Samples struct {
			Nodes []struct{ ID, SampleID string }
		}
	}
	e.ok(readerToken, `{ samples(first: 100, filter: {materialType: "DNA"}) { nodes { id sampleId } } }`, nil, &list)
	require.Len(t, list.Samples.Nodes, 30)
	count := func(n int) int64 {
		reps := make([]map[string]any, n)
		for i := range reps {
			reps[i] = map[string]any{"__typename": "Sample", "id": list.Samples.Nodes[i].ID}
		}
		var out struct {
			Entities []struct {
				SampleID  string
				DataFiles []struct {
					Accession string
					Datasets  []struct{ Accession *string }
				}
			} `json:"_entities"`
		}
		before := e.queries.n.Load()
		e.ok(readerToken, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Sample {
		  sampleId dataFiles { accession datasets { accession } } } } }`, map[string]any{"reps": reps}, &out)
		statements := e.queries.n.Load() - before
		require.Len(t, out.Entities, n)
		for i, s := range out.Entities {
			assert.Equal(t, list.Samples.Nodes[i].SampleID, s.SampleID)
			require.Len(t, s.DataFiles, 1)
			assert.Equal(t, "EGAF"+fmt.Sprintf("%011d", i), s.DataFiles[0].Accession)
			require.NotEmpty(t, s.DataFiles[0].Datasets)
			assert.Equal(t, "EGAD00000000001", *s.DataFiles[0].Datasets[0].Accession)
		}
		return statements
	}
	small, large := count(2), count(30)
	assert.Equal(t, small, large)
	assert.Equal(t, int64(3), large, "samples; their files; the files' datasets")
}

// A dataset's sample summary: counts of 5 or more shown, smaller ones null.
func TestDatasetSampleSummarySuppressesSmallCounts(t *testing.T) {
	e := newEnv(t)
	fx := e.fedSeed(7)
	type summary struct {
		Total          *int
		ByMaterialType []struct {
			MaterialType struct{ Curie string }
			Count        *int
		}
		ByBiobank []struct {
			Biobank struct{ Code string }
			Count   *int
		}
	}
	var out struct {
		All struct{ SampleSummary summary }
		One struct{ SampleSummary summary }
	}
	e.ok(readerToken, `query($one: ID!) {
	  all: dataset(datasetId: "EGAD00000000001") { sampleSummary { total byMaterialType { materialType { curie } count } byBiobank { biobank { code } count } } }
	  one: dataset(id: $one) { sampleSummary { total byMaterialType { materialType { curie } count } byBiobank { biobank { code } count } } } }`,
		map[string]any{"one": fx.one.ID}, &out)
	all := out.All.SampleSummary
	require.NotNil(t, all.Total)
	assert.Equal(t, 7, *all.Total)
	require.Len(t, all.ByMaterialType, 1)
	assert.Equal(t, "MIABIS:DNA", all.ByMaterialType[0].MaterialType.Curie)
	assert.Equal(t, 7, *all.ByMaterialType[0].Count)
	require.Len(t, all.ByBiobank, 1)
	assert.Equal(t, "DNB", all.ByBiobank[0].Biobank.Code)
	one := out.One.SampleSummary
	assert.Nil(t, one.Total)
	require.Len(t, one.ByBiobank, 1)
	assert.Nil(t, one.ByBiobank[0].Count)
	assert.Equal(t, "DNB", one.ByBiobank[0].Biobank.Code)
	assert.False(t, strings.Contains(fmt.Sprint(one), "1"), "no count of one leaks: %+v", one)
}
