package graph_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// One policy for what a caller gets wrong in a filter or an id: INVALID,
// naming the argument, with the closest known codes for an unknown code —
// never an empty result, never "not found".
func TestBadFiltersAndIdsAreInvalid(t *testing.T) {
	e := newEnv(t)
	e.seed(2)
	tests := []struct {
		name, query string
		field       string
		message     string // part of the field's message
	}{
		{"unknown diagnosis of donors", `{ donors(filter: {diagnosis: "C5O"}) { totalCount } }`, "filter.diagnosis", "C50"},
		{"unknown material of samples", `{ samples(filter: {materialType: "bloood"}) { totalCount } }`, "filter.materialType", "blood"},
		{"unknown format of files", `{ dataFiles(filter: {format: "CRAMM"}) { totalCount } }`, "filter.format", "CRAM"},
		{"unknown biobank", `{ samples(filter: {biobank: "NOPE"}) { totalCount } }`, "filter.biobank", "no biobank"},
		{"malformed donor id in a filter", `{ samples(filter: {donor: "D0001"}) { totalCount } }`, "filter.donor", "not a record id"},
		{"malformed id of a lookup", `{ sample(id: "B0001") { sampleId } }`, "id", "not a record id"},
		{"malformed id of node", `{ node(id: "B0001") { id } }`, "id", "not a record id"},
		{"malformed id of history", `{ history(id: "B0001") { action } }`, "id", "not a record id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			token := researcherToken
			if tt.field == "id" && tt.name == "malformed id of history" {
				token = staffToken
			}
			res := e.do(token, tt.query, nil)
			require.NotEmpty(t, res.Errors, "%s", res.Data)
			ext := res.Errors[0].Extensions
			assert.Equal(t, "INVALID", ext["code"], res.Errors[0].Message)
			fields, _ := ext["fields"].([]any)
			require.Len(t, fields, 1, "%v", ext)
			f := fields[0].(map[string]any)
			assert.Equal(t, tt.field, f["field"])
			assert.Contains(t, f["message"], tt.message)
		})
	}
}
