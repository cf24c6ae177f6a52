package graph_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
