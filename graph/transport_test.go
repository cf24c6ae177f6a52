package graph

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// writeAnswer writes what json.Marshal writes for the same answer, byte
// for byte, given data as gqlgen's marshallers write it.
func TestWriteAnswerIsJSONMarshal(t *testing.T) {
	yes := true
	tests := []struct {
		name string
		res  graphql.Response
	}{
		{"data", graphql.Response{Data: json.RawMessage(`{"samples":{"nodes":[{"sampleId":"S1","n":3,"ok":true,"x":null}]}}`)}},
		{"no data", graphql.Response{}},
		{"escapes", graphql.Response{Data: json.RawMessage("{\"label\":\"a<b>&c\u2028d\u2029e – €\",\"q\":\"\\\"\\\\\"}")}},
		{"errors and data", graphql.Response{
			Errors: gqlerror.List{{Message: "no <such> sample", Path: ast.Path{ast.PathName("sample")}, Extensions: map[string]any{"code": "NOT_FOUND"}}},
			Data:   json.RawMessage(`{"sample":null}`)}},
		{"extensions", graphql.Response{Data: json.RawMessage(`{"a":1}`), Extensions: map[string]any{"warnings": []string{"w&1"}, "cost": 12}}},
		{"incremental", graphql.Response{Data: json.RawMessage(`{"a":1}`), Label: "l", Path: ast.Path{ast.PathName("a")}, HasNext: &yes}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want, err := json.Marshal(&tt.res)
			require.NoError(t, err)
			var got bytes.Buffer
			writeAnswer(&got, &tt.res)
			assert.Equal(t, string(want), got.String())
		})
	}
	// no answer: the request's context ended before the operation ran
	var none *graphql.Response
	want, err := json.Marshal(none)
	require.NoError(t, err)
	var got bytes.Buffer
	writeAnswer(&got, none)
	assert.Equal(t, string(want), got.String())
}

// The answer's content type follows the Accept header as gqlgen's POST
// transport chose it, and so does the status of an invalid request.
func TestAnswerContentType(t *testing.T) {
	for accept, want := range map[string]string{
		"":                                  "application/json",
		"*/*":                               "application/json",
		"application/json":                  "application/json",
		"application/graphql-response+json": "application/graphql-response+json",
		"text/html, application/graphql-response+json;q=0.9, application/json;q=0.8": "application/graphql-response+json",
		"text/html":            "application/graphql-response+json",
		"bad;;, application/*": "application/json",
	} {
		assert.Equal(t, want, answerContentType(accept), "Accept: %q", accept)
	}
	// a request that is not a valid operation
	assert.Equal(t, 422, invalidRequestStatus("application/json"))
	assert.Equal(t, 400, invalidRequestStatus("application/graphql-response+json"))
}
