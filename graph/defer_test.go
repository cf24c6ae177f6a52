package graph_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A fragment marked @defer is answered inline, in the one response, as if
// it were not deferred: the marshallers resolve the fields of objects one
// after another and build no group of deferred fragments
// (graph/internal/gqlgen).
func TestDeferredFragmentsAreAnsweredInline(t *testing.T) {
	e := newEnv(t)
	e.seed(1)
	// donor is a field with a resolver, which gqlgen could defer
	deferred := e.do(readerToken, `{ samples(first: 1) { nodes { sampleId ... @defer { donor { donorId } } } } }`, nil)
	require.Empty(t, deferred.Errors)
	plain := e.do(readerToken, `{ samples(first: 1) { nodes { sampleId ... { donor { donorId } } } } }`, nil)
	require.Empty(t, plain.Errors)
	assert.JSONEq(t, string(plain.Data), string(deferred.Data))
	assert.Contains(t, string(deferred.Data), `"donorId":`)
}
