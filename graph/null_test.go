package graph_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A nullable field without a value is null, as its description says, not
// an empty string.
func TestAbsentValuesAreNull(t *testing.T) {
	e := newEnv(t)
	e.seed(1)
	e.ok(staffToken, `mutation { createStudy(input: {studyId: "ST1", title: "T"}) { id } }`, nil, nil)
	res := e.do(readerToken, `{
		dataFile(fileId: "EGAF00000000000") { md5 sha256 size }
		study(studyId: "ST1") { accession }
		ontologyTerm(curie: "DUO:0000042") { status replacedBy }
	}`, nil)
	require.Empty(t, res.Errors)
	assert.JSONEq(t, `{
		"dataFile": {"md5": null, "sha256": null, "size": null},
		"study": {"accession": null},
		"ontologyTerm": {"status": "ACTIVE", "replacedBy": null}
	}`, string(res.Data))
}
