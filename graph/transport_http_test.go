package graph_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Through the server: an operation that does not validate is answered 422
// with its error, a valid one 200 with its data, each as JSON.
func TestPostedOperationsAnswers(t *testing.T) {
	e := newEnv(t)
	status, res := e.post(readerToken, "application/json", queryBody(`{ noSuchField }`, nil))
	assert.Equal(t, 422, status)
	require.NotEmpty(t, res.Errors)
	assert.Contains(t, res.Errors[0].Message, "noSuchField")

	status, res = e.post(readerToken, "application/json", queryBody(`{ __typename }`, nil))
	assert.Equal(t, 200, status)
	assert.Empty(t, res.Errors)
	assert.JSONEq(t, `{"__typename":"Query"}`, string(res.Data))
}
