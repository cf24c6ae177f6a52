package graph_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// post sends a raw body and returns the status and decoded response.
func (e *env) post(token, contentType string, body []byte) (int, response) {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.server.URL, bytes.NewReader(body))
	require.NoError(e.t, err)
	req.Header.Set("Content-Type", contentType)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	require.NoError(e.t, err)
	defer res.Body.Close()
	var out response
	require.NoError(e.t, json.NewDecoder(res.Body).Decode(&out), "status %d", res.StatusCode)
	return res.StatusCode, out
}

func queryBody(q string, vars map[string]any) []byte {
	b, _ := json.Marshal(map[string]any{"query": q, "variables": vars})
	return b
}

// Requests that would cost far more to validate or run than any real
// query are refused before validation, each naming the limit or the
// argument at fault.
func TestRequestLimits(t *testing.T) {
	e := newEnv(t)
	many := func(n int, s string) string { return strings.Repeat(s+" ", n) }
	bomb := "fragment F0 on Sample { sampleId }\n"
	for i := 1; i <= 30; i++ { // 2^30 fields if expanded naively
		bomb += "fragment F" + strconv.Itoa(i) + " on Sample { ...F" + strconv.Itoa(i-1) + " ...F" + strconv.Itoa(i-1) + " }\n"
	}
	tests := []struct {
		name   string
		body   []byte
		ctype  string
		status int
		code   string
		field  string
	}{
		{"30,000 __typename", queryBody("{ "+many(30000, "__typename")+"}", nil), "application/json", 400, "LIMIT_EXCEEDED", "query bytes"},
		{"5,000 __typename", queryBody("{ "+many(5000, "__typename")+"}", nil), "application/json", 400, "LIMIT_EXCEEDED", "query bytes"},
		{"6,000 short tokens", queryBody("{ "+many(6000, "a")+"}", nil), "application/json", 400, "LIMIT_EXCEEDED", "tokens"},
		{"many fields", queryBody("fragment F on Sample { "+many(800, "sampleId")+"} { samples { nodes { ...F ...F ...F ...F } } }", nil), "application/json", 400, "LIMIT_EXCEEDED", "fields"},
		{"aliases", queryBody("{ samples { nodes { "+aliases(60)+"} } }", nil), "application/json", 400, "LIMIT_EXCEEDED", "aliases"},
		{"root fields", queryBody("{ "+rootAliases(30)+"}", nil), "application/json", 400, "LIMIT_EXCEEDED", "root fields"},
		{"fragment bomb", queryBody(bomb+"{ samples { nodes { ...F30 } } }", nil), "application/json", 400, "LIMIT_EXCEEDED", "fields"},
		{"NUL in an argument", queryBody(`{ samples(filter: {biobank: "D\u0000NB"}) { totalCount } }`, nil), "application/json", 400, "INVALID", "samples.filter"},
		{"NUL in a variable", queryBody(`query($b: String) { samples(filter: {biobank: $b}) { totalCount } }`, map[string]any{"b": "D\x00NB"}), "application/json", 400, "INVALID", "variables.b"},
		{"invalid UTF-8", []byte("{\"query\": \"{ biobank(code: \\\"\xff\\\") { name } }\"}"), "Application/JSON; charset=utf-8", 400, "INVALID", "body"},
		{"too large", append(queryBody("{ biobanks { totalCount } }", nil), strings.Repeat(" ", 9<<20)...), "application/json", 413, "LIMIT_EXCEEDED", "body bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, res := e.post(readerToken, tt.ctype, tt.body)
			assert.Equal(t, tt.status, status)
			require.NotEmpty(t, res.Errors)
			assert.Equal(t, tt.code, res.Errors[0].Extensions["code"], res.Errors[0].Message)
			assert.Contains(t, res.Errors[0].Message, tt.field)
		})
	}
	// a client that has not signed in may send less than a signed-in one
	larger := append(queryBody("{ biobanks { totalCount } }", nil), strings.Repeat(" ", 300<<10)...)
	status, res := e.post("", "application/json", larger)
	assert.Equal(t, http.StatusRequestEntityTooLarge, status)
	require.NotEmpty(t, res.Errors)
	assert.Contains(t, res.Errors[0].Message, "body bytes")
	status, res = e.post(readerToken, "application/json", larger)
	assert.Equal(t, http.StatusOK, status, "%+v", res.Errors)
	assert.Empty(t, res.Errors)

	// an ordinary query with fragments passes
	status, res = e.post(readerToken, "application/json", queryBody(`fragment S on Sample { sampleId materialType { label } }
		{ samples(first: 5) { nodes { ...S children { ...S } } } }`, nil))
	assert.Equal(t, http.StatusOK, status)
	assert.Empty(t, res.Errors)
}

func aliases(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("a" + strconv.Itoa(i) + ": sampleId ")
	}
	return b.String()
}

func rootAliases(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("r" + strconv.Itoa(i) + ": biobanks { totalCount } ")
	}
	return b.String()
}

// The cost model accepts what researchers ordinarily ask and refuses a
// request that would count whole tables many times over.
func TestCostModel(t *testing.T) {
	e := newEnv(t)
	e.seed(3)
	ordinary := []string{
		`{ donors(first: 500) { totalCount nodes { donorId sex birthYear consents { permission { code } }
			samples { sampleId materialType { code } collectedOn dataFiles { fileId format { code } assay { code } location size } } } } }`,
		`{ dataFiles(first: 500) { nodes { fileId samples { nodes { alias sample { sampleId } } } } } }`,
		`{ samples(first: 500) { totalCount nodes { sampleId donor { donorId currentConsent { permission { code } modifiers { code } } }
			dataFiles { fileId format { code } assembly { code } datasets { datasetId } } children { sampleId } } } }`,
	}
	for _, q := range ordinary {
		res := e.do(readerToken, q, nil)
		assert.Empty(t, res.Errors, q)
	}
	var counts strings.Builder
	for i := range 10 {
		counts.WriteString("c" + strconv.Itoa(i) + `: samples(filter: {hasDataFiles: false}) { totalCount } `)
	}
	status, res := e.post(readerToken, "application/json", queryBody("{ "+counts.String()+"}", nil))
	assert.Equal(t, http.StatusBadRequest, status)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "COMPLEXITY_LIMIT_EXCEEDED", res.Errors[0].Extensions["code"])
	assert.Contains(t, res.Errors[0].Message, "c0.totalCount costs 25000 (counting every matching record; ask for it once)")

	// the message names the costliest fields and what to lower
	res = e.do(readerToken, `{ samples(first: 500) { nodes { children { dataFiles { samples(first: 500) { nodes { sample { sampleId } } } } } } } }`, nil)
	require.NotEmpty(t, res.Errors)
	assert.Contains(t, res.Errors[0].Message, "Costliest: samples.children.dataFiles.samples costs 2004000 (lower its first).")

	// a federation batch costs its representations times what each selects
	entities := func(n int) response {
		reps := make([]map[string]any, n)
		for i := range reps {
			reps[i] = map[string]any{"__typename": "DataFile", "accession": fmt.Sprintf("EGAF%011d", i)}
		}
		return e.do(readerToken, `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on DataFile { accession fileId size } } }`,
			map[string]any{"reps": reps})
	}
	assert.Empty(t, entities(4000).Errors)
	res = entities(70000)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "COMPLEXITY_LIMIT_EXCEEDED", res.Errors[0].Extensions["code"])
	assert.Contains(t, res.Errors[0].Message, "Costliest: _entities costs 210001.")
	// each representation is looked up, whatever it selects
	reps := make([]map[string]any, 250000)
	for i := range reps {
		reps[i] = map[string]any{}
	}
	res = e.do(readerToken, `query($reps: [_Any!]!) { _entities(representations: $reps) { __typename } }`, map[string]any{"reps": reps})
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "COMPLEXITY_LIMIT_EXCEEDED", res.Errors[0].Extensions["code"])
}
