package graph_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Data known by other ids (DRS, ENA, dbGaP) carries them beside its EGA
// accession, and the federation reaches them.
func TestReferences(t *testing.T) {
	e := newEnv(t)
	r := e.registry()
	var files struct {
		DataFiles struct {
			Nodes []struct {
				ID, FileID string
				References []struct{ Scheme, ID string }
			}
		}
	}
	e.ok(readerToken, `{ dataFiles(filter: {accession: "EGAF00000000001"}) { nodes { id fileId references { scheme id } } } }`, nil, &files)
	require.Len(t, files.DataFiles.Nodes, 1)
	fileID := files.DataFiles.Nodes[0].ID
	add := `mutation($e: ID!, $s: String!, $i: String!) { addReference(entity: $e, scheme: $s, id: $i) { scheme id } }`
	e.ok(staffToken, add, map[string]any{"e": fileID, "s": "DRS", "i": "drs://drs.example.org/0b1c"}, nil)
	e.ok(staffToken, add, map[string]any{"e": fileID, "s": "ena", "i": "ERR1234567"}, nil)
	e.ok(staffToken, add, map[string]any{"e": fileID, "s": "ena", "i": "ERR1234567"}, nil) // again: nothing changes
	e.ok(staffToken, add, map[string]any{"e": r.ids["s1a"], "s": "ega", "i": "EGAN00001234567"}, nil)

	e.ok(readerToken, `{ dataFiles(filter: {accession: "EGAF00000000001"}) { nodes { id fileId references { scheme id } } } }`, nil, &files)
	require.Len(t, files.DataFiles.Nodes, 1)
	assert.Equal(t, []struct{ Scheme, ID string }{{"drs", "drs://drs.example.org/0b1c"}, {"ena", "ERR1234567"}}, files.DataFiles.Nodes[0].References)
	var ents struct {
		Entities []struct {
			References []struct{ Scheme, ID string }
		} `json:"_entities"`
	}
	e.ok(federationToken, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Sample { references { scheme id } } } }`,
		map[string]any{"r": []map[string]any{{"__typename": "Sample", "id": r.ids["s1a"]}}}, &ents)
	require.Len(t, ents.Entities, 1)
	assert.Equal(t, []struct{ Scheme, ID string }{{"ega", "EGAN00001234567"}}, ents.Entities[0].References)
	e.ok(federationToken, `{ _entities(representations: [{__typename: "DataFile", accession: "EGAF00000000001"}]) { ... on DataFile { references { scheme id } } } }`, nil, &ents)
	require.Len(t, ents.Entities, 1)
	assert.Len(t, ents.Entities[0].References, 2, "the federation client reaches a file's references")

	for _, tt := range []struct {
		entity, scheme, id, field string
	}{
		{fileID, "no spaces", "x", "input.scheme"},
		{fileID, "ena", "ERR 1", "input.id"},
		{r.ids["d1"], "ena", "ERS1", "entity"},
	} {
		res := e.do(staffToken, add, map[string]any{"e": tt.entity, "s": tt.scheme, "i": tt.id})
		require.NotEmpty(t, res.Errors, tt)
		assert.Equal(t, "INVALID", res.Errors[0].Extensions["code"])
		fields, _ := res.Errors[0].Extensions["fields"].([]any)
		require.NotEmpty(t, fields)
		assert.Equal(t, tt.field, fields[0].(map[string]any)["field"])
	}
	res := e.do(researcherToken, add, map[string]any{"e": fileID, "s": "ena", "i": "ERR9"})
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "FORBIDDEN", res.Errors[0].Extensions["code"])
}
