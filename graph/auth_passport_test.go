package graph_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/graph"
)

// visaIssuer signs visas as REMS does, with its JWK set served at jku.
type visaIssuer struct {
	iss, jku string
	key      signingKey
}

func (v visaIssuer) visa(t *testing.T, sub, typ, value string, extra ...any) string {
	t.Helper()
	now := time.Now()
	c := map[string]any{"iss": v.iss, "sub": sub, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
		"ga4gh_visa_v1": map[string]any{"type": typ, "asserted": now.Add(-24 * time.Hour).Unix(), "value": value, "source": "https://dac.example.org", "by": "dac"}}
	return v.key.sign(t, with(c, extra...), map[string]any{"jku": v.jku})
}

func TestPassportVisas(t *testing.T) {
	key := newSigningKey(t, "k1")
	is := newIssuer(t, key)
	remsKey, otherKey := newSigningKey(t, "rems-1"), newSigningKey(t, "rems-1")
	is.extraPaths["rems"] = []signingKey{remsKey}
	is.extraPaths["elsewhere"] = []signingKey{remsKey} // same key, but this jku is not allowlisted
	rems := visaIssuer{iss: "https://rems.example.org/", jku: is.srv.URL + "/visa-jwks/rems", key: remsKey}
	untrustedJKU := visaIssuer{iss: rems.iss, jku: is.srv.URL + "/visa-jwks/elsewhere", key: remsKey}
	forger := visaIssuer{iss: rems.iss, jku: rems.jku, key: otherKey}
	auth := newOIDC(t, is, []graph.TrustedVisaIssuer{{Issuer: rems.iss, JKU: rems.jku}}, false)
	const sub = "alice@lifescience-ri.eu"
	past := time.Now().Add(-time.Minute).Unix()

	tests := []struct {
		name       string
		visas      []string
		grants     []string
		registered bool
	}{
		{"signed grant by id", []string{rems.visa(t, sub, "ControlledAccessGrants", "EGAD00001000001")}, []string{"EGAD00001000001"}, false},
		{"grant by URL", []string{rems.visa(t, sub, "ControlledAccessGrants", "https://rems.example.org/catalogue-item/urn:nbn:fi:lb-1/EGAD00001000002/")}, []string{"EGAD00001000002"}, false},
		{"unsigned", []string{unsigned(map[string]any{"iss": rems.iss, "sub": sub, "exp": time.Now().Add(time.Hour).Unix(),
			"ga4gh_visa_v1": map[string]any{"type": "ControlledAccessGrants", "value": "EGAD00001000003"}}, map[string]any{"jku": rems.jku})}, nil, false},
		{"untrusted jku", []string{untrustedJKU.visa(t, sub, "ControlledAccessGrants", "EGAD00001000004")}, nil, false},
		{"forged signature", []string{forger.visa(t, sub, "ControlledAccessGrants", "EGAD00001000005")}, nil, false},
		{"expired", []string{rems.visa(t, sub, "ControlledAccessGrants", "EGAD00001000006", "exp", past)}, nil, false},
		{"issued in the future", []string{rems.visa(t, sub, "ControlledAccessGrants", "EGAD00001000007", "iat", time.Now().Add(time.Hour).Unix())}, nil, false},
		{"conditional", []string{rems.visa(t, sub, "ControlledAccessGrants", "EGAD00001000008", "ga4gh_visa_v1",
			map[string]any{"type": "ControlledAccessGrants", "value": "EGAD00001000008", "conditions": [][]map[string]any{{{"type": "AffiliationAndRole", "value": "const:faculty@uni.example"}}}})}, nil, false},
		{"garbage", []string{"not-a-visa"}, nil, false},
		{"registered", []string{rems.visa(t, sub, "AcceptedTermsAndPolicies", graph.BonaFide), rems.visa(t, sub, "ResearcherStatus", graph.BonaFide)}, nil, true},
		{"terms only", []string{rems.visa(t, sub, "AcceptedTermsAndPolicies", graph.BonaFide)}, nil, false},
		{"status of another kind", []string{rems.visa(t, sub, "AcceptedTermsAndPolicies", graph.BonaFide), rems.visa(t, sub, "ResearcherStatus", "https://example.org/student")}, nil, false},
		{"bad visas spoil nothing", []string{"junk", untrustedJKU.visa(t, sub, "ControlledAccessGrants", "EGAD00001000009"),
			rems.visa(t, sub, "ControlledAccessGrants", "EGAD00001000010"), rems.visa(t, sub, "ControlledAccessGrants", "EGAD00001000001")},
			[]string{"EGAD00001000001", "EGAD00001000010"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := key.sign(t, with(is.claims(sub), "ga4gh_passport_v1", tt.visas), nil)
			a, ok, err := auth.Bearer(context.Background(), tok)
			require.NoError(t, err)
			require.True(t, ok)
			assert.Equal(t, tt.grants, a.DatasetGrants)
			assert.Equal(t, tt.registered, a.Registered)
		})
	}
}

// A token without a passport claim has its passport fetched from the
// issuer's userinfo endpoint, which must speak of the same subject.
func TestPassportFromUserinfo(t *testing.T) {
	key := newSigningKey(t, "k1")
	is := newIssuer(t, key)
	remsKey := newSigningKey(t, "rems-1")
	is.extraPaths["rems"] = []signingKey{remsKey}
	rems := visaIssuer{iss: "https://rems.example.org/", jku: is.srv.URL + "/visa-jwks/rems", key: remsKey}
	trusted := []graph.TrustedVisaIssuer{{Issuer: rems.iss, JKU: rems.jku}}

	alice := key.sign(t, is.claims("alice"), nil)
	is.userinfo[alice] = map[string]any{"sub": "alice", "ga4gh_passport_v1": []string{rems.visa(t, "alice", "ControlledAccessGrants", "EGAD00001000001")}}
	mallory := key.sign(t, is.claims("mallory"), nil)
	is.userinfo[mallory] = map[string]any{"sub": "alice", "ga4gh_passport_v1": []string{rems.visa(t, "alice", "ControlledAccessGrants", "EGAD00001000001")}}
	unknown := key.sign(t, is.claims("nobody"), nil)

	auth := newOIDC(t, is, trusted, true)
	a, _, err := auth.Bearer(context.Background(), alice)
	require.NoError(t, err)
	assert.Equal(t, []string{"EGAD00001000001"}, a.DatasetGrants)
	_, _, err = auth.Bearer(context.Background(), mallory)
	assert.ErrorContains(t, err, "userinfo is about another subject")
	_, _, err = auth.Bearer(context.Background(), unknown)
	assert.ErrorContains(t, err, "userinfo endpoint refused it")

	off := newOIDC(t, is, trusted, false)
	a, _, err = off.Bearer(context.Background(), alice)
	require.NoError(t, err)
	assert.Empty(t, a.DatasetGrants, "userinfo is asked only when configured")
}
