package graph_test

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// upload sends the importRegistry mutation as a GraphQL multipart request.
func upload(t *testing.T, url, token, kind, name, content string, dryRun bool) response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	ops, _ := json.Marshal(map[string]any{
		"query":     `mutation($kind: ImportKind!, $file: Upload!, $dry: Boolean) { importRegistry(kind: $kind, file: $file, dryRun: $dry) { dryRun committed errorCount counts { kind created unchanged rejected } errors { file line column message } } }`,
		"variables": map[string]any{"kind": kind, "file": nil, "dry": dryRun},
	})
	require.NoError(t, w.WriteField("operations", string(ops)))
	require.NoError(t, w.WriteField("map", `{"0": ["variables.file"]}`))
	part, err := w.CreateFormFile("0", name)
	require.NoError(t, err)
	_, _ = part.Write([]byte(content))
	require.NoError(t, w.Close())
	req, err := http.NewRequest(http.MethodPost, url, &body)
	require.NoError(t, err)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	var out response
	require.NoError(t, json.NewDecoder(res.Body).Decode(&out))
	return out
}

func TestImportRegistryUpload(t *testing.T) {
	e := newEnv(t)
	srv := e.server
	good := "code,name,country,contact\nDNB,Danish National Biobank,DK,dnb@example.org\n"

	type report struct {
		ImportRegistry struct {
			DryRun, Committed bool
			ErrorCount        int
			Counts            []struct {
				Kind                         string
				Created, Unchanged, Rejected int
			}
			Errors []struct {
				File, Column, Message string
				Line                  int
			}
		}
	}
	decode := func(res response) report {
		require.Empty(t, res.Errors, "%+v", res.Errors)
		var r report
		require.NoError(t, json.Unmarshal(res.Data, &r))
		return r
	}

	// A kind outside the ImportKind enum is refused before any resolver
	// runs: by validation, or, for a variable in the wrong letter case
	// (which gqlparser lets through), by the enum's table.
	res := upload(t, srv.URL, staffToken, "PATIENTS", "biobanks.csv", good, false)
	require.Len(t, res.Errors, 1)
	assert.Equal(t, "GRAPHQL_VALIDATION_FAILED", res.Errors[0].Extensions["code"])
	assert.Contains(t, res.Errors[0].Message, "ImportKind")
	res = upload(t, srv.URL, staffToken, "biobanks", "biobanks.csv", good, false)
	require.Len(t, res.Errors, 1)
	assert.Equal(t, "INVALID", res.Errors[0].Extensions["code"])
	assert.Contains(t, res.Errors[0].Message, `"biobanks" is not a value of enum ImportKind: use one of BIOBANKS, STUDIES,`)

	// Researchers may not import.
	res = upload(t, srv.URL, researcherToken, "BIOBANKS", "biobanks.csv", good, false)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "FORBIDDEN", res.Errors[0].Extensions["code"])

	dry := decode(upload(t, srv.URL, staffToken, "BIOBANKS", "biobanks.csv", good, true)).ImportRegistry
	assert.True(t, dry.DryRun)
	assert.False(t, dry.Committed)
	assert.Equal(t, "BIOBANKS", dry.Counts[0].Kind)
	assert.Equal(t, 1, dry.Counts[0].Created)
	var list struct{ Biobanks struct{ TotalCount int } }
	e.ok(readerToken, `{ biobanks { totalCount } }`, nil, &list)
	assert.Equal(t, 0, list.Biobanks.TotalCount, "a dry run writes nothing")

	done := decode(upload(t, srv.URL, staffToken, "BIOBANKS", "biobanks.csv", good, false)).ImportRegistry
	assert.True(t, done.Committed)
	again := decode(upload(t, srv.URL, staffToken, "BIOBANKS", "biobanks.csv", good, false)).ImportRegistry
	assert.Equal(t, 1, again.Counts[0].Unchanged)

	bad := decode(upload(t, srv.URL, staffToken, "BIOBANKS", "biobanks.csv", "code,name,country,contact\nSWE,Swedish,Sweden,x\n", false)).ImportRegistry
	assert.False(t, bad.Committed)
	require.Equal(t, 1, bad.ErrorCount)
	assert.Equal(t, "biobanks.csv", bad.Errors[0].File)
	assert.Equal(t, 2, bad.Errors[0].Line)
	assert.Equal(t, "country", bad.Errors[0].Column)
}
