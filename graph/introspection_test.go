package graph_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/graph"
	"databank/service"
	"databank/store"
	"databank/store/storetest"
)

// Only authenticated users learn the schema: introspection and name
// suggestions are refused to requests without credentials.
func TestIntrospectionForMembersOnly(t *testing.T) {
	e := newEnv(t)
	res := e.do("", `{ __schema { queryType { name } } }`, nil)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "UNAUTHORIZED", res.Errors[0].Extensions["code"])
	res = e.do("", `{ samples { nodes { ... on Sample { __type(name: "Sample") { name } } } } }`, nil)
	require.NotEmpty(t, res.Errors, "introspection nested in a selection")
	e.ok(researcherToken, `{ __schema { queryType { name } } }`, nil, nil)

	res = e.do("", `{ sample { sampleIdd } }`, nil)
	require.NotEmpty(t, res.Errors)
	assert.NotContains(t, res.Errors[0].Message, "Did you mean")
	res = e.do(researcherToken, `{ sample { sampleIdd } }`, nil)
	require.NotEmpty(t, res.Errors)
	assert.Contains(t, res.Errors[0].Message, `Did you mean "sampleId"?`)
}

// One identity may make RatePerSecond requests a second, in bursts of
// RateBurst; beyond, 429 with Retry-After; others are not affected.
func TestRateLimitPerIdentity(t *testing.T) {
	st, err := store.Open(context.Background(), storetest.New(t, store.Migrator{}), store.Options{})
	require.NoError(t, err)
	t.Cleanup(st.Close)
	h := graph.NewHandler(graph.Config{Services: service.New(st, service.Options{}), RatePerSecond: 0.5, RateBurst: 3,
		Auth: graph.NewTokenAuth(map[string]domain.Actor{researcherToken: {Name: "rita", Role: domain.RoleResearcher}, staffToken: {Name: "sam", Role: domain.RoleStaff, Biobanks: []string{domain.AllBiobanks}}})})
	post := func(token string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ biobanks { nodes { code } } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+token)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}
	for i := range 3 {
		assert.Equal(t, http.StatusOK, post(researcherToken).Code, "request %d of the burst", i+1)
	}
	w := post(researcherToken)
	assert.Equal(t, http.StatusTooManyRequests, w.Code)
	assert.Equal(t, "2", w.Header().Get("Retry-After"))
	assert.Contains(t, w.Body.String(), "TOO_MANY_REQUESTS")
	assert.Equal(t, http.StatusOK, post(staffToken).Code, "another identity has its own bucket")
}
