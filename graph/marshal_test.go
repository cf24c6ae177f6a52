package graph_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Objects and their plain fields are written by code graph/internal/gqlgen
// rewrites (rewriteFields, plainObjects): each response name once, in the
// order the query first asks for it, merged selections as one field.
func TestObjectsWriteEachResponseNameOnce(t *testing.T) {
	e := newEnv(t)
	e.seed(1)
	q := `{ samples(first: 1) { nodes {
		__typename sampleId ... on Sample { sampleId } id: sampleId
		donor { donorId } ... on Node { __typename } donor { sex }
		materialType { curie } } } }`
	res := e.do(readerToken, q, nil)
	require.Empty(t, res.Errors)
	assert.Regexp(t, `^\{"samples":\{"nodes":\[\{"__typename":"Sample","sampleId":"[^"]+","id":"[^"]+",`+
		`"donor":\{"donorId":"[^"]+","sex":"[A-Z]+"\},"materialType":\{"curie":"[^"]+"\}\}\]\}\}$`, string(res.Data))
}
