package graph_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMutationsValidateAndRecordHistory(t *testing.T) {
	e := newEnv(t)
	var created struct {
		CreateBiobank struct{ ID, Code, CreatedBy string }
	}
	e.ok(staffToken, `mutation { createBiobank(input: {code: "swe", name: "Swedish Biobank", country: "se"}) { id code createdBy } }`, nil, &created)
	assert.Equal(t, "SWE", created.CreateBiobank.Code)
	assert.Equal(t, "sam", created.CreateBiobank.CreatedBy)

	// Per-field validation errors with extensions.code and the field path.
	res := e.do(staffToken, `mutation { createDonor(input: {biobank: "SWE", donorId: "", sex: FEMALE, birthYear: 1700}) { id } }`, nil)
	require.Len(t, res.Errors, 1)
	assert.Equal(t, "INVALID", res.Errors[0].Extensions["code"])
	fields := map[string]bool{}
	for _, f := range res.Errors[0].Extensions["fields"].([]any) {
		fields[f.(map[string]any)["field"].(string)] = true
	}
	assert.Equal(t, map[string]bool{"input.donorId": true, "input.birthYear": true}, fields)

	// A value outside an enum is refused by GraphQL validation, naming the enum.
	res = e.do(staffToken, `mutation { createDonor(input: {biobank: "SWE", donorId: "D1", sex: F}) { id } }`, nil)
	require.Len(t, res.Errors, 1)
	assert.Equal(t, "GRAPHQL_VALIDATION_FAILED", res.Errors[0].Extensions["code"])
	assert.Contains(t, res.Errors[0].Message, "Sex")

	// A duplicate code is a conflict naming it.
	res = e.do(staffToken, `mutation { createBiobank(input: {code: "SWE", name: "Again", country: "SE"}) { id } }`, nil)
	require.Len(t, res.Errors, 1)
	assert.Equal(t, "CONFLICT", res.Errors[0].Extensions["code"])
	assert.Contains(t, res.Errors[0].Message, `"SWE"`)

	// Update, then the history shows who changed what.
	e.ok(staffToken, `mutation($id: ID!) { updateBiobank(id: $id, input: {name: "Swedish National Biobank"}) { name } }`, map[string]any{"id": created.CreateBiobank.ID}, nil)
	var hist struct {
		History []struct {
			Action, Actor        string
			OldValues, NewValues json.RawMessage
		}
	}
	e.ok(staffToken, `query($id: ID!) { history(id: $id) { action actor oldValues newValues } }`, map[string]any{"id": created.CreateBiobank.ID}, &hist)
	require.Len(t, hist.History, 2)
	assert.Equal(t, "CREATE", hist.History[0].Action)
	assert.Equal(t, "sam", hist.History[0].Actor)
	assert.JSONEq(t, `{"id": "`+created.CreateBiobank.ID+`", "code": "SWE", "name": "Swedish Biobank", "country": "SE", "contact": "", "retired_at": null}`,
		string(hist.History[0].NewValues))
	assert.Equal(t, "UPDATE", hist.History[1].Action)
	assert.Equal(t, "sam", hist.History[1].Actor)
	// The values are JSON objects, not strings holding JSON.
	assert.JSONEq(t, `{"name": "Swedish Biobank"}`, string(hist.History[1].OldValues))
	assert.JSONEq(t, `{"name": "Swedish National Biobank"}`, string(hist.History[1].NewValues))

	// Retired entities leave listings but stay reachable by id.
	e.ok(staffToken, `mutation($id: ID!) { retireBiobank(id: $id) { retiredAt } }`, map[string]any{"id": created.CreateBiobank.ID}, nil)
	e.ok(staffToken, `query($id: ID!) { history(id: $id) { action actor oldValues newValues } }`, map[string]any{"id": created.CreateBiobank.ID}, &hist)
	require.Len(t, hist.History, 3)
	assert.Equal(t, "RETIRE", hist.History[2].Action)
	assert.JSONEq(t, `{"retired_at": null}`, string(hist.History[2].OldValues))
	var list struct{ Biobanks struct{ TotalCount int } }
	e.ok(readerToken, `{ biobanks { totalCount } }`, nil, &list)
	assert.Equal(t, 0, list.Biobanks.TotalCount)
	var node struct{ Node struct{ Code string } }
	e.ok(readerToken, `query($id: ID!) { node(id: $id) { ... on Biobank { code } } }`, map[string]any{"id": created.CreateBiobank.ID}, &node)
	assert.Equal(t, "SWE", node.Node.Code)
}

// An obsolete code is accepted with a warning naming it (and its
// replacement, when the vocabulary knows one).
func TestObsoleteCodeWarns(t *testing.T) {
	e := newEnv(t)
	body, err := json.Marshal(map[string]any{"query": `mutation { createDataset(input: {datasetId: "EGAD00000000001", title: "T", dataUse: ["DUO:0000005"]}) { dataUse { curie status } } }`})
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, e.server.URL, bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+staffToken)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	var out struct {
		Errors []any
		Data   struct {
			CreateDataset struct {
				DataUse []struct{ Curie, Status string }
			}
		}
		Extensions struct {
			Warnings []struct{ Field, Message string }
		}
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&out))
	require.Empty(t, out.Errors)
	assert.Equal(t, "OBSOLETE", out.Data.CreateDataset.DataUse[0].Status)
	require.Len(t, out.Extensions.Warnings, 1)
	assert.Equal(t, "input.dataUse", out.Extensions.Warnings[0].Field)
	assert.Contains(t, out.Extensions.Warnings[0].Message, "DUO:0000005 is obsolete")
}

// Unreadable scalars are invalid input, not internal errors.
func TestBadScalarsAreInvalid(t *testing.T) {
	e := newEnv(t)
	e.seed(1)
	for _, q := range []string{
		`mutation { createStudy(input: {studyId: "S", title: "T"}) { id } updateSample(id: "00000000-0000-0000-0000-000000000000", input: {collectedOn: "2020-13-45"}) { id } }`,
		`mutation { updateSample(id: "00000000-0000-0000-0000-000000000000", input: {initialQuantity: 1.2345}) { id } }`,
	} {
		res := e.do(staffToken, q, nil)
		require.NotEmpty(t, res.Errors, q)
		assert.Equal(t, "INVALID", res.Errors[len(res.Errors)-1].Extensions["code"], res.Errors)
	}
}
