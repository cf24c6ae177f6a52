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

type counted struct {
	TotalCount       *int
	DonorCount       *int
	CountsSuppressed bool
}

// Researchers see aggregates only: counts and donor counts of at least
// five, never sample- or donor-level records, and no count that another
// could be subtracted from to single out fewer than five donors.
func TestResearchersSeeAggregatesOnly(t *testing.T) {
	e := newEnv(t)
	e.registry() // 10 samples of 8 donors: 7 of biobank DNB, 1 of TBB
	count := func(filter string) (counted, response) {
		var out struct{ Samples counted }
		res := e.do(researcherToken, `{ samples(filter: `+filter+`) { totalCount donorCount countsSuppressed } }`, nil)
		if len(res.Errors) == 0 {
			require.NoError(t, jsonUnmarshal(res.Data, &out))
		}
		return out.Samples, res
	}
	all, res := count(`{}`)
	require.Empty(t, res.Errors)
	assert.Equal(t, 10, *all.TotalCount)
	assert.Equal(t, 8, *all.DonorCount)

	// fewer than five donors: suppressed
	blood, res := count(`{materialType: "blood"}`)
	require.Empty(t, res.Errors)
	assert.True(t, blood.CountsSuppressed)
	assert.Nil(t, blood.TotalCount)
	assert.Nil(t, blood.DonorCount)

	// differencing: all donors minus DNB's would be TBB's single donor
	_, res = count(`{biobank: "DNB"}`)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "FORBIDDEN", res.Errors[0].Extensions["code"])
	assert.Contains(t, res.Errors[0].Message, "condition biobank sets apart fewer than 5 donors")
	// two overlapping filters: females and females with a diagnosis E11
	few, res := count(`{sex: FEMALE, diagnosis: "E11"}`)
	assert.True(t, len(res.Errors) > 0 || few.CountsSuppressed, "2 female donors have E11: suppressed or refused, never shown")

	// no rows
	for _, q := range []string{`{ samples { nodes { sampleId } } }`, `{ donors { nodes { donorId } } }`, `{ samples { edges { cursor } } }`,
		`{ sample(sampleId: "s1", biobank: "DNB") { sampleId } }`, `{ dataFiles { nodes { fileId } } }`} {
		res := e.do(researcherToken, q, nil)
		require.NotEmpty(t, res.Errors, q)
		assert.Equal(t, "FORBIDDEN", res.Errors[0].Extensions["code"], q)
	}
	var donors struct{ Donors counted }
	e.ok(researcherToken, `{ donors { totalCount countsSuppressed } }`, nil, &donors)
	assert.Equal(t, 8, *donors.Donors.TotalCount)
	// differencing donor counts: all donors minus DNB's
	res = e.do(researcherToken, `{ donors(filter: {biobank: "DNB"}) { totalCount } }`, nil)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "FORBIDDEN", res.Errors[0].Extensions["code"])
	assert.Contains(t, res.Errors[0].Message, "condition biobank sets apart fewer than 5 donors")

	// facets: every bucket of fewer than five donors is hidden, and so is
	// the next smallest, so that no hidden bucket follows from the others
	var facets struct {
		SampleFacets []struct {
			Facet   string
			Buckets []struct {
				Value      string
				Count      *int
				DonorCount *int
				Suppressed bool
			}
		}
	}
	e.ok(researcherToken, `{ sampleFacets(facets: [SEX, BIOBANK, HAS_DATA]) { facet buckets { value count donorCount suppressed } } }`, nil, &facets)
	for _, f := range facets.SampleFacets {
		hidden := 0
		for _, b := range f.Buckets {
			if b.Suppressed {
				hidden++
				assert.Nil(t, b.Count)
				assert.Nil(t, b.DonorCount)
				continue
			}
			assert.GreaterOrEqual(t, *b.DonorCount, 5, "%s %s", f.Facet, b.Value)
		}
		assert.NotEqual(t, 1, hidden, "%s: a lone hidden bucket is the total minus the others", f.Facet)
	}
	// the differencing guard covers facets too: SEX of DNB against SEX of all
	res = e.do(researcherToken, `{ sampleFacets(filter: {biobank: "DNB"}, facets: [SEX]) { facet } }`, nil)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "FORBIDDEN", res.Errors[0].Extensions["code"])

	// staff see the exact counts
	e.ok(readerToken, `{ sampleFacets(facets: [SEX]) { facet buckets { value count donorCount suppressed } } }`, nil, &facets)
	for _, b := range facets.SampleFacets[0].Buckets {
		assert.False(t, b.Suppressed)
	}
}

// The federation client links datasets, files and samples and asks for
// consent decisions; donor records are not for it.
func TestFederationClientSeesNoDonors(t *testing.T) {
	e := newEnv(t)
	e.registry()
	var out struct {
		Samples struct {
			Nodes []struct {
				SampleID        string
				ConsentDecision struct{ Outcome string }
			}
		}
	}
	e.ok(federationToken, `{ samples(filter: {sampleIds: ["s1"], biobank: "DNB"}) { nodes { sampleId consentDecision(purpose: {category: "HMB"}) { outcome } } } }`, nil, &out)
	require.Len(t, out.Samples.Nodes, 1)
	assert.Equal(t, "PERMITTED", out.Samples.Nodes[0].ConsentDecision.Outcome)
	for _, q := range []string{`{ samples { nodes { donor { sex birthYear } } } }`, `{ donors { totalCount } }`, `{ biobanks { nodes { code } } }`,
		`{ samples(filter: {sex: FEMALE}) { nodes { sampleId } } }`, `{ samples(filter: {or: [{biobank: "DNB"}, {diagnosis: "E11"}]}) { nodes { sampleId } } }`} {
		res := e.do(federationToken, q, nil)
		if q == `{ biobanks { nodes { code } } }` {
			continue // biobanks are not personal data, but Biobanks is a listing the client does not need
		}
		require.NotEmpty(t, res.Errors, q)
		assert.Equal(t, "FORBIDDEN", res.Errors[0].Extensions["code"], q)
	}
}

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }

// A condition sets the same donors apart wherever it stands: wrapped in
// and, or or not, or compared bucket by bucket in a facet. Biobank DNB
// holds 9 female donors and 1 male, EST 5 female and 10 male: the lone
// male of DNB must not follow from any two answers.
func TestDifferencingAtAnyDepth(t *testing.T) {
	e := newEnv(t)
	ctx := e.ctx
	var someone string
	for _, b := range []struct {
		code          string
		female, males int
	}{{"DNB", 9, 1}, {"EST", 5, 10}} {
		bb := must[domain.Biobank](t)(e.store.CreateBiobank(ctx, domain.Biobank{Code: b.code, Name: b.code, Country: "EE"}))
		for i := range b.female + b.males {
			sex := "female"
			if i >= b.female {
				sex = "male"
			}
			d := must[domain.Donor](t)(e.store.CreateDonor(ctx, domain.Donor{BiobankID: bb.ID, ExternalID: fmt.Sprintf("D%02d", i), Sex: sex}))
			must[domain.Sample](t)(e.store.CreateSample(ctx, domain.Sample{BiobankID: bb.ID, DonorID: d.ID, ExternalID: fmt.Sprintf("S%02d", i), MaterialType: "MIABIS:DNA"}))
			someone = d.ID
		}
	}
	count := func(filter string) response {
		return e.do(researcherToken, `{ samples(filter: `+filter+`) { totalCount donorCount } }`, nil)
	}
	require.Empty(t, count(`{biobank: "EST"}`).Errors, "15 of 25: 10 set apart")
	for _, tt := range []struct{ filter, message string }{
		{`{biobank: "DNB", sex: FEMALE}`, "condition sex sets apart"},
		{`{and: [{biobank: "DNB"}, {sex: FEMALE}]}`, "condition and[1] sets apart"},
		{`{and: [{biobank: "DNB"}, {and: [{sex: FEMALE}]}]}`, "sets apart"},
		{`{or: [{and: [{biobank: "DNB"}, {sex: FEMALE}]}]}`, "sets apart"},
		{`{and: [{biobank: "DNB"}, {not: {sex: MALE}}]}`, "sets apart"},
		{`{not: {or: [{biobank: "EST"}, {sex: MALE}]}}`, "sets apart"},
		{`{sex: MALE, not: {donor: "` + someone + `"}}`, "condition donor picks samples by who they are"},
		{`{and: [{sameDonorAs: "` + someone + `"}]}`, "condition sameDonorAs picks samples by who they are"},
		{`{sampleIds: ["S00", "S01", "S02", "S03", "S04", "S05"], biobank: "EST", sex: MALE}`, "condition sampleIds picks samples by who they are"},
		{`{biobanks: ["DNB", "EST"], sex: MALE}`, "condition biobanks[0] sets apart"},
		{`{biobanks: ["DNB", "EST", "dnb"], sex: MALE}`, "condition biobanks[0] sets apart"},
	} {
		res := count(tt.filter)
		require.NotEmpty(t, res.Errors, tt.filter)
		assert.Equal(t, "FORBIDDEN", res.Errors[0].Extensions["code"], tt.filter)
		assert.Contains(t, res.Errors[0].Message, tt.message, tt.filter)
	}

	// donor counts: the same guard through the samples' filter
	for _, tt := range []struct{ filter, message string }{
		{`{hasSample: {biobank: "DNB", sex: FEMALE}}`, "condition hasSample.sex sets apart"},
		{`{hasSample: {sex: MALE, not: {donor: "` + someone + `"}}}`, "condition donor picks samples by who they are"},
		{`{hasSample: {sampleIds: ["S00", "S01", "S02", "S03", "S04", "S05"]}}`, "condition sampleIds picks samples by who they are"},
	} {
		res := e.do(researcherToken, `{ donors(filter: `+tt.filter+`) { totalCount } }`, nil)
		require.NotEmpty(t, res.Errors, tt.filter)
		assert.Contains(t, res.Errors[0].Message, tt.message, tt.filter)
	}

	// a filter with more neighbours than the guard checks is refused
	var many []string
	for range 70 {
		many = append(many, `{sex: FEMALE, materialType: "DNA", vitalStatus: ALIVE}`)
	}
	res := count(`{and: [` + strings.Join(many, ", ") + `]}`)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "LIMIT_EXCEEDED", res.Errors[0].Extensions["code"], res.Errors[0].Message)

	// {sex: FEMALE} counts 14 of 25 donors, far from any neighbour, but its
	// BIOBANK facet would give DNB 9 against DNB's 10 of the whole
	var facets struct {
		SampleFacets []struct {
			Buckets []struct {
				Value      string
				DonorCount *int
				Suppressed bool
			}
		}
	}
	e.ok(researcherToken, `{ sampleFacets(filter: {sex: FEMALE}, facets: [BIOBANK]) { buckets { value donorCount suppressed } } }`, nil, &facets)
	require.Len(t, facets.SampleFacets, 1)
	for _, b := range facets.SampleFacets[0].Buckets {
		assert.True(t, b.Suppressed, "%s: the bucket differs from the whole's by 1 donor, and the other would give it away", b.Value)
	}
	e.ok(researcherToken, `{ sampleFacets(facets: [BIOBANK]) { buckets { value donorCount suppressed } } }`, nil, &facets)
	for _, b := range facets.SampleFacets[0].Buckets {
		assert.False(t, b.Suppressed, b.Value)
	}
}

// Staff members' names (createdBy, updatedBy) are for staff: other
// readers get null.
func TestStaffNamesAreForStaff(t *testing.T) {
	e := newEnv(t)
	e.registry()
	const q = `{ biobanks { nodes { code createdBy updatedBy } } }`
	type names struct {
		Biobanks struct {
			Nodes []struct {
				Code                 string
				CreatedBy, UpdatedBy *string
			}
		}
	}
	for token, staff := range map[string]bool{researcherToken: false, visaToken: false, readerToken: true, staffToken: true} {
		var out names
		e.ok(token, q, nil, &out)
		require.NotEmpty(t, out.Biobanks.Nodes, token)
		for _, b := range out.Biobanks.Nodes {
			if staff {
				require.NotNil(t, b.CreatedBy, token)
				assert.NotEmpty(t, *b.CreatedBy, token)
			} else {
				assert.Nil(t, b.CreatedBy, "%s: %s", token, b.Code)
				assert.Nil(t, b.UpdatedBy, "%s: %s", token, b.Code)
			}
		}
	}
}
