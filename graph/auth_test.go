package graph_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDenyByDefault(t *testing.T) {
	e := newEnv(t)
	e.seed(1)
	tests := []struct {
		name, token, query, code string
	}{
		{"anonymous read", "", `{ samples { totalCount } }`, "UNAUTHORIZED"},
		{"researcher mutation", researcherToken, `mutation { createStudy(input: {studyId: "X", title: "T"}) { id } }`, "FORBIDDEN"},
		{"researcher history", researcherToken, `{ history(id: "00000000-0000-0000-0000-000000000000") { action } }`, "FORBIDDEN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := e.do(tt.token, tt.query, nil)
			require.NotEmpty(t, res.Errors)
			assert.Equal(t, tt.code, res.Errors[0].Extensions["code"])
		})
	}
	// Introspection is for authenticated users (the explorer sends its token).
	res := e.do("", `{ __schema { queryType { name } } }`, nil)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "UNAUTHORIZED", res.Errors[0].Extensions["code"])
	res = e.do(researcherToken, `{ __schema { queryType { name } } }`, nil)
	assert.Empty(t, res.Errors)
	// A wrong token is refused outright.
	res = e.do("not-a-valid-token-at-all", `{ samples { totalCount } }`, nil)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "UNAUTHORIZED", res.Errors[0].Extensions["code"])
}

func TestLimits(t *testing.T) {
	e := newEnv(t)
	deep := "sampleId"
	for range 11 {
		deep = "parent { " + deep + " }"
	}
	deep = "{ samples(first: 1) { nodes { " + deep + " } } }"
	res := e.do(researcherToken, deep, nil)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "DEPTH_LIMIT_EXCEEDED", res.Errors[0].Extensions["code"])

	wide := `{ samples(first: 500) { nodes { children { children { dataFiles { samples { nodes { sample { sampleId } } } } } } } } }`
	res = e.do(researcherToken, wide, nil)
	require.NotEmpty(t, res.Errors)
	assert.True(t, strings.Contains(res.Errors[0].Message, "complexity"), res.Errors[0].Message)
}

// Vocabulary walks and the samples of multi-sample files are costed as the
// long lists they can be.
func TestComplexityOfLongLists(t *testing.T) {
	e := newEnv(t)
	q := `{ ontologyTerms(first: 500) { nodes { children { children { curie } } } } }`
	res := e.do(researcherToken, q, nil)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "COMPLEXITY_LIMIT_EXCEEDED", res.Errors[0].Extensions["code"])
	res = e.do(researcherToken, `{ dataFiles(first: 100) { nodes { samples(first: 500) { nodes { sample { donor { consents { consentId } } } } } } } }`, nil)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "COMPLEXITY_LIMIT_EXCEEDED", res.Errors[0].Extensions["code"])
}
