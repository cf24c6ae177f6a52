package graph_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A researcher asks whether a project would be allowed, with codes alone
// and for the donors of the registry (seeded with HMB + NPU consents).
func TestConsentDecisions(t *testing.T) {
	e := newEnv(t)
	e.seed(3)
	type decision struct {
		Outcome    string
		Reasons    []string
		Conditions []struct{ Curie string }
	}
	tests := []struct {
		consent, purpose string
		want             string
		reason           string
		conditions       []string
	}{
		{`{permission: "HMB", modifiers: ["NPU"]}`, `{category: "HMB", commercial: true}`, "DENIED", "commercial", nil},
		{`{permission: "DS", disease: "E11"}`, `{category: "DS", disease: "E11.9"}`, "PERMITTED", "permit", nil},
		{`{permission: "DS", disease: "E11"}`, `{category: "DS", disease: "E10"}`, "DENIED", "ICD10:E10 is not one of them", nil},
		{`{permission: "HMB", modifiers: ["IRB", "RTN"]}`, `{category: "HMB"}`, "NEEDS_REVIEW", "ethics approval", []string{"DUO:0000021", "DUO:0000029"}},
		{`{permission: "DUO:0000011"}`, `{category: "HMB"}`, "DENIED", "population origins", nil},
	}
	for _, tt := range tests {
		var out struct{ MatchConsent decision }
		e.ok(readerToken, `{ matchConsent(consent: `+tt.consent+`, purpose: `+tt.purpose+`) { outcome reasons conditions { curie } } }`, nil, &out)
		assert.Equal(t, tt.want, out.MatchConsent.Outcome, "%s %s: %v", tt.consent, tt.purpose, out.MatchConsent.Reasons)
		require.NotEmpty(t, out.MatchConsent.Reasons)
		assert.Contains(t, out.MatchConsent.Reasons[0], tt.reason)
		var codes []string
		for _, c := range out.MatchConsent.Conditions {
			codes = append(codes, c.Curie)
		}
		assert.Equal(t, tt.conditions, codes)
	}

	res := e.do(readerToken, `{ matchConsent(consent: {permission: "HMB"}, purpose: {category: "HBM"}) { outcome } }`, nil)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "INVALID", res.Errors[0].Extensions["code"])
	fields := res.Errors[0].Extensions["fields"].([]any)
	assert.Equal(t, "purpose.category", fields[0].(map[string]any)["field"])
	res = e.do(readerToken, `{ matchConsent(consent: {permission: "HMB"}, purpose: {category: "DS"}) { outcome } }`, nil)
	require.NotEmpty(t, res.Errors)
	assert.Contains(t, res.Errors[0].Extensions["fields"].([]any)[0].(map[string]any)["message"], "required for a disease-specific")

	// codes are checked as a recorded consent's are, under the input's names
	for _, tt := range []struct{ consent, purpose, field, message string }{
		{`{permission: "DS"}`, `{category: "DS", disease: "E11"}`, "consent.disease", "is required when the permission is DS"},
		{`{permission: "HMB", disease: "E11"}`, `{category: "HMB"}`, "consent.disease", "only allowed when the permission is DS"},
		{`{permission: "NPU"}`, `{category: "HMB"}`, "consent.permission", "is a DUO modifier"},
		{`{permission: "GRU", modifiers: ["HMB"]}`, `{category: "HMB"}`, "consent.modifiers", "is a DUO permission"},
		{`{permission: "HMB"}`, `{category: "NRES"}`, "purpose.category", "must be GRU, HMB, DS or POA"},
	} {
		res := e.do(readerToken, `{ matchConsent(consent: `+tt.consent+`, purpose: `+tt.purpose+`) { outcome } }`, nil)
		require.NotEmpty(t, res.Errors, tt.consent)
		assert.Equal(t, "INVALID", res.Errors[0].Extensions["code"], tt.consent)
		f := res.Errors[0].Extensions["fields"].([]any)[0].(map[string]any)
		assert.Equal(t, tt.field, f["field"], tt.consent)
		assert.Contains(t, f["message"], tt.message, tt.consent)
	}

	// the registry's donors: one statement for their consents, whatever the page
	var donors struct {
		Donors struct {
			Nodes []struct {
				Commercial decision
				Academic   decision
			}
		}
	}
	before := e.queries.n.Load()
	e.ok(readerToken, `{ donors(first: 10) { nodes {
		commercial: consentDecision(purpose: {category: "HMB", commercial: true}) { outcome reasons }
		academic: consentDecision(purpose: {category: "HMB"}) { outcome } } } }`, nil, &donors)
	assert.Equal(t, int64(2), e.queries.n.Load()-before, "donors, then their consents")
	require.Len(t, donors.Donors.Nodes, 3)
	for _, d := range donors.Donors.Nodes {
		assert.Equal(t, "DENIED", d.Commercial.Outcome)
		assert.Equal(t, "PERMITTED", d.Academic.Outcome)
	}
}

// "Which of these samples may my purpose use?": a page of samples with
// their donors' decisions costs the same statements whatever its size.
func TestSampleConsentDecisions(t *testing.T) {
	e := newEnv(t)
	e.seed(20)
	count := func(first int) (int64, []string) {
		var out struct {
			Samples struct {
				Nodes []struct{ ConsentDecision struct{ Outcome string } }
			}
		}
		before := e.queries.n.Load()
		e.ok(readerToken, `query($first: Int) { samples(first: $first) { nodes {
			consentDecision(purpose: {category: "HMB", forProfit: true}) { outcome } } } }`, map[string]any{"first": first}, &out)
		var outcomes []string
		for _, n := range out.Samples.Nodes {
			outcomes = append(outcomes, n.ConsentDecision.Outcome)
		}
		return e.queries.n.Load() - before, outcomes
	}
	small, few := count(5)
	large, many := count(40)
	require.Len(t, few, 5)
	require.Len(t, many, 40)
	assert.Equal(t, small, large, "statements for 5 samples and for 40")
	assert.Equal(t, int64(2), large, "samples, then the consents of their donors (by the samples' donor ids)")
	for _, o := range many {
		assert.Equal(t, "DENIED", o, "the seeded consents are HMB with NPU")
	}
}
