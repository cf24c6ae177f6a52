package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sampleNames lists the barcodes of the samples a filter finds, sorted.
func (e *env) sampleNames(filter string, vars map[string]any) []string {
	e.t.Helper()
	var out struct {
		Samples struct {
			Nodes      []struct{ SampleID string }
			TotalCount int
			DonorCount int
		}
	}
	decl := ""
	if vars != nil {
		decl = "($id: ID)"
	}
	e.ok(readerToken, `query`+decl+` { samples(first: 500, filter: `+filter+`) { nodes { sampleId } totalCount donorCount } }`, vars, &out)
	names := []string{}
	for _, n := range out.Samples.Nodes {
		names = append(names, n.SampleID)
	}
	slices.Sort(names)
	require.Equal(e.t, len(names), out.Samples.TotalCount)
	return names
}

func TestSampleFilters(t *testing.T) {
	e := newEnv(t)
	r := e.registry()
	tests := []struct {
		name, filter string
		want         []string
	}{
		{"material type with descendants", `{materialType: "blood"}`, []string{"s1", "s2", "s4", "s7"}},
		{"biobanks", `{biobanks: ["TBB"]}`, []string{"s8"}},
		{"anatomy-free or", `{or: [{biobank: "TBB"}, {materialType: "SERUM"}]}`, []string{"s4", "s8"}},
		{"and", `{and: [{materialType: "DNA"}, {sex: FEMALE}]}`, []string{"s1a", "s1b", "s3", "s8"}},
		{"mass across units", `{remainingAtLeast: {amount: 1, unit: MICROGRAM}}`, []string{"s1a", "s3", "s8"}},
		{"mass in ng", `{remainingAtLeast: {amount: 400, unit: NANOGRAM}}`, []string{"s1a", "s1b", "s3", "s8"}},
		{"volume across units", `{remainingAtLeast: {amount: 1500, unit: MICROLITRE}}`, []string{"s1", "s2"}},
		{"other units only with themselves", `{remainingAtLeast: {amount: 50, unit: CELLS}}`, []string{"s7"}},
		{"has WGS on GRCh38", `{hasData: {assay: "WGS", assembly: "hg38"}}`, []string{"s1a", "s3"}},
		{"has no WGS", `{not: {hasData: {assay: "WGS"}}}`, []string{"s1", "s1b", "s2", "s4", "s5", "s6", "s7", "s8"}},
		{"has any data", `{hasDataFiles: true}`, []string{"s1a", "s2", "s3"}},
		{"collected range", `{collectedFrom: "2021-01-01", collectedTo: "2021-12-31"}`, []string{"s1", "s1a", "s1b", "s8"}},
		{"not of a range includes unknown dates", `{not: {collectedFrom: "2020-01-01"}}`, []string{"s2", "s5", "s6"}},
		{"donor sex and diagnosis with descendants", `{sex: FEMALE, diagnosis: "E11"}`, []string{"s1", "s1a", "s1b", "s7"}},
		{"bare ICD-10 code", `{diagnosis: "C50"}`, []string{"s5"}},
		{"age at collection", `{ageAtCollectionFrom: 60}`, []string{"s1", "s1a", "s1b", "s5"}},
		{"birth years", `{birthYearFrom: 1980, birthYearTo: 1989}`, []string{"s2", "s6"}},
		{"vital status", `{vitalStatus: ALIVE, biobank: "TBB"}`, []string{"s8"}},
		{"statuses", `{statuses: [AVAILABLE, DEPLETED], materialType: "TISSUE"}`, []string{"s5"}},
		{"consent permits HMB", `{consent: {purpose: {category: "HMB"}, outcomes: [PERMITTED]}}`, []string{"s1", "s1a", "s1b", "s3"}},
		{"consent needs review", `{consent: {purpose: {category: "HMB"}, outcomes: [NEEDS_REVIEW]}}`, []string{"s7"}},
		{"consent denies HMB (DS, withdrawn, retired, none, POA)", `{consent: {purpose: {category: "HMB"}, outcomes: [DENIED]}}`, []string{"s2", "s4", "s5", "s6", "s8"}},
		{"DS child disease of a DS parent consent", `{consent: {purpose: {category: "DS", disease: "E11.9"}, outcomes: [PERMITTED]}}`, []string{"s1", "s1a", "s1b", "s2", "s3"}},
		{"DS sibling disease", `{consent: {purpose: {category: "DS", disease: "E10"}, outcomes: [PERMITTED]}, donor: "` + r.ids["d2"] + `"}`, []string{}},
		{"NPU with a commercial purpose", `{consent: {purpose: {category: "HMB", commercial: true}, outcomes: [PERMITTED]}}`, []string{"s1", "s1a", "s1b"}},
		{"POA purpose", `{consent: {purpose: {category: "POA"}, outcomes: [PERMITTED]}}`, []string{"s3", "s8"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, e.sampleNames(tt.filter, nil))
		})
	}

	// lineage, by id
	assert.Equal(t, []string{"s1a", "s1b"}, e.sampleNames(`{derivedFrom: $id}`, map[string]any{"id": r.ids["s1"]}))
	assert.Equal(t, []string{"s1b"}, e.sampleNames(`{derivedFrom: $id}`, map[string]any{"id": r.ids["s1a"]}))
	assert.Equal(t, []string{"s1", "s1a", "s1b"}, e.sampleNames(`{sameDonorAs: $id}`, map[string]any{"id": r.ids["s1b"]}))

	// donors and files by the samples they hold
	var donors struct {
		Donors struct{ Nodes []struct{ DonorID string } }
	}
	e.ok(readerToken, `{ donors(filter: {hasSample: {hasData: {assay: "WES"}}}) { nodes { donorId } } }`, nil, &donors)
	require.Len(t, donors.Donors.Nodes, 1)
	assert.Equal(t, "d2", donors.Donors.Nodes[0].DonorID)
	var files struct {
		DataFiles struct{ Nodes []struct{ FileID string } }
	}
	e.ok(readerToken, `{ dataFiles(filter: {hasSample: {sex: FEMALE, materialType: "DNA"}, accession: "EGAF00000000003"}) { nodes { fileId } } }`, nil, &files)
	require.Len(t, files.DataFiles.Nodes, 1)
	assert.Equal(t, "EGAF00000000003", files.DataFiles.Nodes[0].FileID)
}

// An unknown code in any filter, however deep, is INVALID naming the
// field and suggesting codes; never an empty result.
func TestFilterErrors(t *testing.T) {
	e := newEnv(t)
	e.registry()
	tests := []struct {
		filter, field, message string
	}{
		{`{materialType: "blod"}`, "filter.materialType", "blood"},
		{`{or: [{sex: MALE}, {hasData: {assay: "WGX"}}]}`, "filter.or[1].hasData.assay", "WGS"},
		{`{not: {diagnosis: "E999"}}`, "filter.not.diagnosis", ""},
		{`{biobanks: ["DNB", "XXX"]}`, "filter.biobanks[1]", "no biobank"},
		{`{collectedFrom: "2022-01-01", collectedTo: "2021-01-01"}`, "filter.collectedFrom", "after"},
		{`{consent: {purpose: {category: "DS"}, outcomes: [PERMITTED]}}`, "filter.consent.purpose.disease", "required"},
		{`{consent: {purpose: {category: "HMB"}, outcomes: []}}`, "filter.consent.outcomes", "at least one"},
		{`{derivedFrom: "nope"}`, "filter.derivedFrom", ""},
	}
	for _, tt := range tests {
		t.Run(tt.field, func(t *testing.T) {
			res := e.do(readerToken, `{ samples(filter: `+tt.filter+`) { totalCount } }`, nil)
			require.NotEmpty(t, res.Errors, "no error for %s", tt.filter)
			assert.Equal(t, "INVALID", res.Errors[0].Extensions["code"])
			fields, _ := res.Errors[0].Extensions["fields"].([]any)
			require.NotEmpty(t, fields, "%+v", res.Errors[0])
			f := fields[0].(map[string]any)
			assert.Equal(t, tt.field, f["field"])
			assert.Contains(t, f["message"], tt.message)
		})
	}
	deep := `{materialType: "DNA"}`
	for range 10 {
		deep = `{not: ` + deep + `}`
	}
	res := e.do(readerToken, `{ samples(filter: `+deep+`) { totalCount } }`, nil)
	require.NotEmpty(t, res.Errors)
	assert.Contains(t, fmt.Sprint(res.Errors[0].Extensions["fields"]), "nest at most")
}

type bucket struct {
	Value      string
	Count      int
	DonorCount int
	Term       *struct{ Label string }
}

func (e *env) facets(args string) map[string][]bucket {
	e.t.Helper()
	var out struct {
		SampleFacets []struct {
			Facet   string
			Buckets []bucket
		}
	}
	e.ok(readerToken, `{ sampleFacets(`+args+`) { facet buckets { value count donorCount term { label } } } }`, nil, &out)
	m := map[string][]bucket{}
	for _, f := range out.SampleFacets {
		m[f.Facet] = f.Buckets
	}
	return m
}

func counts(bs []bucket) map[string][2]int {
	m := map[string][2]int{}
	for _, b := range bs {
		m[b.Value] = [2]int{b.Count, b.DonorCount}
	}
	return m
}

func TestSampleFacets(t *testing.T) {
	e := newEnv(t)
	e.registry()

	// each facet ignores its own condition: the material types of female
	// donors' samples, and the sexes of donors of DNA samples
	f := e.facets(`filter: {materialType: "DNA", sex: FEMALE}, facets: [MATERIAL_TYPE, SEX, HAS_DATA]`)
	assert.Equal(t, map[string][2]int{"MIABIS:DNA": {4, 3}, "MIABIS:WHOLE_BLOOD": {2, 2}, "MIABIS:TISSUE_FROZEN": {1, 1}}, counts(f["MATERIAL_TYPE"]))
	assert.Equal(t, map[string][2]int{"female": {4, 3}, "male": {1, 1}}, counts(f["SEX"]))
	assert.Equal(t, map[string][2]int{"true": {2, 2}, "false": {2, 2}}, counts(f["HAS_DATA"]))
	require.NotNil(t, f["MATERIAL_TYPE"][0].Term)
	assert.Equal(t, "DNA", f["MATERIAL_TYPE"][0].Term.Label)

	// rolled up to the top level: a donor with whole blood and DNA counts once per bucket
	f = e.facets(`facets: [MATERIAL_TYPE], depth: 1`)
	assert.Equal(t, map[string][2]int{"MIABIS:NUCLEIC_ACID": {5, 4}, "MIABIS:BLOOD": {4, 4}, "MIABIS:TISSUE": {1, 1}}, counts(f["MATERIAL_TYPE"]))

	// consent outcomes for a purpose; samples by donor
	f = e.facets(`facets: [CONSENT_OUTCOME, BIOBANK], purpose: {category: "HMB"}`)
	assert.Equal(t, map[string][2]int{"PERMITTED": {4, 2}, "NEEDS_REVIEW": {1, 1}, "DENIED": {5, 5}}, counts(f["CONSENT_OUTCOME"]))
	assert.Equal(t, map[string][2]int{"DNB": {9, 7}, "TBB": {1, 1}}, counts(f["BIOBANK"]))

	// data, diagnoses and ages
	f = e.facets(`facets: [ASSAY, ASSEMBLY, DIAGNOSIS_CHAPTER, DIAGNOSIS_BLOCK, AGE_BAND], filter: {biobank: "DNB"}`)
	assert.Equal(t, map[string][2]int{"ASSAY:WGS": {2, 2}, "ASSAY:WES": {1, 1}, "_missing": {6, 5}}, counts(f["ASSAY"]))
	assert.Equal(t, map[string][2]int{"ASSEMBLY:GRCh38": {2, 2}, "ASSEMBLY:GRCh37": {1, 1}, "_missing": {6, 5}}, counts(f["ASSEMBLY"]))
	assert.Equal(t, map[string][2]int{"ICD10:IV": {5, 3}, "ICD10:II": {1, 1}, "_missing": {3, 3}}, counts(f["DIAGNOSIS_CHAPTER"]))
	assert.Equal(t, map[string][2]int{"ICD10:E10-E14": {5, 3}, "ICD10:C50-C50": {1, 1}, "_missing": {3, 3}}, counts(f["DIAGNOSIS_BLOCK"]))
	assert.Equal(t, map[string][2]int{"60-69": {4, 2}, "30-39": {2, 2}, "50-59": {1, 1}, "40-49": {1, 1}, "_missing": {1, 1}}, counts(f["AGE_BAND"]))

	// the consent facet needs a purpose; a facet at most once
	res := e.do(readerToken, `{ sampleFacets(facets: [CONSENT_OUTCOME]) { facet } }`, nil)
	require.NotEmpty(t, res.Errors)
	assert.Contains(t, fmt.Sprint(res.Errors[0].Extensions["fields"]), "purpose")
	res = e.do(readerToken, `{ sampleFacets(facets: [SEX, SEX]) { facet } }`, nil)
	require.NotEmpty(t, res.Errors)
	assert.Contains(t, fmt.Sprint(res.Errors[0].Extensions["fields"]), "twice")
}

// Sorted pages follow each other without gaps or repeats, in both
// directions, with samples lacking the value last.
func TestSampleOrder(t *testing.T) {
	e := newEnv(t)
	e.registry()
	for _, tt := range []struct {
		order string
		want  []string
	}{
		{`{field: COLLECTED_ON}`, []string{"s5", "s2", "s7", "s1", "s1a", "s1b", "s8", "s3", "s4", "s6"}},
		{`{field: COLLECTED_ON, direction: DESC}`, []string{"s4", "s3", "s8", "s1b", "s1a", "s1", "s7", "s2", "s5", "s6"}},
		{`{field: SAMPLE_ID, direction: DESC}`, []string{"s8", "s7", "s6", "s5", "s4", "s3", "s2", "s1b", "s1a", "s1"}},
	} {
		var got []string
		after := any(nil)
		for range 10 {
			var out struct {
				Samples struct {
					Edges []struct {
						Cursor string
						Node   struct{ SampleID string }
					}
					PageInfo struct {
						HasNextPage bool
						EndCursor   string
					}
				}
			}
			e.ok(readerToken, `query($after: String) { samples(first: 3, after: $after, orderBy: `+tt.order+`) {
				edges { cursor node { sampleId } } pageInfo { hasNextPage endCursor } } }`, map[string]any{"after": after}, &out)
			for _, x := range out.Samples.Edges {
				got = append(got, x.Node.SampleID)
			}
			if !out.Samples.PageInfo.HasNextPage {
				break
			}
			after = out.Samples.PageInfo.EndCursor
		}
		assert.Equal(t, tt.want, got, tt.order)
	}
	res := e.do(readerToken, `{ samples(after: "bm9wZQ", orderBy: {field: SAMPLE_ID}) { nodes { sampleId } } }`, nil)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "INVALID", res.Errors[0].Extensions["code"])
}

// Facets asked together answer as each asked alone: the donor facets of
// one filter share a statement (the matching samples counted per donor
// once), the others have their own.
func TestFacetsTogetherAnswerAsAlone(t *testing.T) {
	e := newEnv(t)
	e.registry()
	all := []string{"SEX", "CONSENT_OUTCOME", "DIAGNOSIS_CHAPTER", "DIAGNOSIS_BLOCK", "MATERIAL_TYPE", "BIOBANK", "ASSAY", "AGE_BAND"} // eight: the complexity limit
	for _, filter := range []string{`{}`, `{materialType: "DNA"}`, `{sex: FEMALE, biobank: "DNB"}`, `{not: {hasData: {assay: "WGS"}}}`} {
		together := e.facets(`filter: ` + filter + `, purpose: {category: "HMB"}, facets: [` + strings.Join(all, ", ") + `]`)
		require.Len(t, together, len(all), filter)
		for _, facet := range all {
			alone := e.facets(`filter: ` + filter + `, purpose: {category: "HMB"}, facets: [` + facet + `]`)
			assert.Equal(t, alone[facet], together[facet], "%s %s", filter, facet)
			assert.NotEmpty(t, alone[facet], "%s %s", filter, facet)
		}
	}
}
