package graph_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// harnessDir holds the Node.js composition harness: a stand-in LocalEGA
// subgraph, an Apollo Gateway over both subgraphs, and a composer.
const harnessDir = "testdata/federation"

// nodeHarness skips the test without node and npm, and installs the
// harness's locked dependencies when they are missing.
func nodeHarness(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"node", "npm"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found: the federation composition test needs Node.js (make test runs it when node is present)", tool)
		}
	}
	if _, err := os.Stat(filepath.Join(harnessDir, "node_modules", ".package-lock.json")); err == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "npm", "ci", "--no-audit", "--no-fund")
	cmd.Dir = harnessDir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "npm ci in %s:\n%s", harnessDir, out)
}

// compose composes sdl with the stand-in LocalEGA subgraph and returns the
// composition errors' codes and messages (none: it composed).
func compose(t *testing.T, sdl string) []string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "databank.graphql")
	require.NoError(t, os.WriteFile(f, []byte(sdl), 0o600))
	cmd := exec.Command("node", "compose.mjs", f)
	cmd.Dir = harnessDir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	var res struct {
		OK     bool
		Errors []struct{ Code, Message string }
	}
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &res), "compose.mjs: %v\n%s%s", runErr, stdout.String(), stderr.String())
	assert.Equal(t, res.OK, runErr == nil, "exit status and answer agree")
	var out []string
	for _, e := range res.Errors {
		out = append(out, e.Code+": "+e.Message)
	}
	return out
}

// The schema Databank serves composes with a LocalEGA subgraph that keys
// the same datasets and files by accession; a schema that breaks a
// federation rule fails composition loudly, naming the rule.
func TestFederationComposition(t *testing.T) {
	nodeHarness(t)
	e := newEnv(t)
	var svc struct {
		Service struct{ SDL string } `json:"_service"`
	}
	e.ok(readerToken, `{ _service { sdl } }`, nil, &svc)
	require.Empty(t, compose(t, svc.Service.SDL))

	tests := []struct {
		name, from, to, want string
	}{
		{"a key on a field that does not exist", `type Study implements Node @key(fields: "accession")`,
			`type Study implements Node @key(fields: "egaAccession")`, "KEY_INVALID_FIELDS"},
		{"a shared key field of another type", "  accession: String\n  \"How many samples", "  accession: Int\n  \"How many samples", "FIELD_TYPE_MISMATCH"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, 1, strings.Count(svc.Service.SDL, tc.from), "the break applies once")
			errs := compose(t, strings.Replace(svc.Service.SDL, tc.from, tc.to, 1))
			require.NotEmpty(t, errs, "a broken schema must not compose")
			assert.Contains(t, strings.Join(errs, "\n"), tc.want)
		})
	}
}

// gateway starts the harness's gateway over Databank (e) and the stand-in
// LocalEGA holding data, and returns its URL; it stops with the test.
func gateway(t *testing.T, e *env, data any) string {
	t.Helper()
	js, err := json.Marshal(data)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, "node", "gateway.mjs")
	cmd.Dir = harnessDir
	cmd.Env = append(os.Environ(), "DATABANK_URL="+e.server.URL+"/graphql", "DATABANK_TOKEN="+federationToken, "LOCALEGA_DATA="+string(js))
	stdin, err := cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = stdin.Close()
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cancel()
			<-done
		}
		cancel()
	})
	line := make(chan string, 1)
	go func() {
		s := bufio.NewScanner(stdout)
		for s.Scan() { // the first JSON line; Apollo may log before it
			if strings.HasPrefix(s.Text(), "{") {
				line <- s.Text()
				break
			}
		}
		close(line)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case l, ok := <-line:
		require.True(t, ok, "gateway.mjs ended before it was ready:\n%s", stderr.String())
		var urls struct{ Gateway string }
		require.NoError(t, json.Unmarshal([]byte(l), &urls), l)
		return urls.Gateway
	case <-time.After(60 * time.Second):
		t.Fatalf("gateway.mjs not ready after 60s:\n%s", stderr.String())
	}
	return ""
}

// query runs a query against a GraphQL endpoint and decodes its data
// into v; errors fail the test.
func query(t *testing.T, url, q string, v any) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"query": q})
	require.NoError(t, err)
	res, err := http.Post(url, "application/json", bytes.NewReader(body))
	require.NoError(t, err)
	defer res.Body.Close()
	var out struct {
		Data   json.RawMessage
		Errors []map[string]any
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&out))
	require.Empty(t, out.Errors, "%s", q)
	require.NoError(t, json.Unmarshal(out.Data, v))
}

// One federated query crosses from LocalEGA's archive into Databank
// (dataset accession to samples, material, biobank, consent decision,
// data use, sample summary), and one from Databank into the archive
// (samples to the accessions of their data, with what the archive
// knows); the answers are what each subgraph says on its own.
func TestFederatedQueriesCrossBothSubgraphs(t *testing.T) {
	nodeHarness(t)
	e := newEnv(t)
	fx := e.fedSeed(6)
	type file struct {
		Accession    string `json:"accession"`
		ArchivedSize int64  `json:"archivedSize"`
	}
	archive := map[string]any{
		"datasets": []map[string]any{{"accession": "EGAD00000000001", "releaseStatus": "released",
			"files": []string{"EGAF00000000000", "EGAF00000000001", "EGAF00000000002", "EGAF00000000003", "EGAF00000000004", "EGAF00000000005"}}},
		"files": func() []file {
			var fs []file
			for i := range 6 {
				fs = append(fs, file{fmt.Sprintf("EGAF%011d", i), int64(1000 + i)})
			}
			return fs
		}(),
	}
	url := gateway(t, e, archive)

	// LocalEGA -> Databank
	const samplesOfFile = `samples { nodes { sample { sampleId materialType { curie } biobank { code }
	  consentDecision(purpose: {category: "HMB"}) { outcome } } } }`
	const summary = `sampleSummary { total byMaterialType { materialType { curie } count } byBiobank { biobank { code } count } }`
	var fromArchive struct {
		ArchivedDatasets []struct {
			Accession, ReleaseStatus, Title string
			DataUse                         []struct{ Curie string }
			SampleSummary                   json.RawMessage
			ArchivedFiles                   []struct {
				Accession    string
				ArchivedSize int64
				FileID       string
				Samples      json.RawMessage
			}
		}
	}
	query(t, url, `{ archivedDatasets { accession releaseStatus title dataUse { curie } `+summary+`
	  archivedFiles { accession archivedSize fileId `+samplesOfFile+` } } }`, &fromArchive)
	require.Len(t, fromArchive.ArchivedDatasets, 1)
	ds := fromArchive.ArchivedDatasets[0]
	assert.Equal(t, "released", ds.ReleaseStatus)
	assert.Equal(t, fx.all.Title, ds.Title)
	assert.Equal(t, []struct{ Curie string }{{"DUO:0000006"}, {"DUO:0000045"}}, ds.DataUse)
	var direct struct {
		Dataset struct{ SampleSummary json.RawMessage }
	}
	e.ok(readerToken, `{ dataset(datasetId: "EGAD00000000001") { `+summary+` } }`, nil, &direct)
	assert.JSONEq(t, string(direct.Dataset.SampleSummary), string(ds.SampleSummary))
	assert.JSONEq(t, `{"total": 6, "byMaterialType": [{"materialType": {"curie": "MIABIS:DNA"}, "count": 6}],
	  "byBiobank": [{"biobank": {"code": "DNB"}, "count": 6}]}`, string(ds.SampleSummary))
	require.Len(t, ds.ArchivedFiles, 6)
	for i, f := range ds.ArchivedFiles {
		assert.Equal(t, int64(1000+i), f.ArchivedSize)
		assert.Equal(t, f.Accession, f.FileID)
		var one struct {
			DataFile struct{ Samples json.RawMessage }
		}
		e.ok(readerToken, `{ dataFile(fileId: "`+f.Accession+`") { `+samplesOfFile+` } }`, nil, &one)
		assert.JSONEq(t, string(one.DataFile.Samples), string(f.Samples), f.Accession)
		assert.JSONEq(t, fmt.Sprintf(`{"nodes": [{"sample": {"sampleId": "N%04d", "materialType": {"curie": "MIABIS:DNA"},
		  "biobank": {"code": "DNB"}, "consentDecision": {"outcome": "PERMITTED"}}}]}`, i), string(f.Samples))
	}

	// Databank -> LocalEGA
	var fromRegistry struct {
		Samples struct {
			Nodes []struct {
				SampleID  string
				DataFiles []struct {
					Accession    string
					ArchivedSize int64
					Datasets     []struct {
						DatasetID     string
						Accession     *string
						ReleaseStatus *string
					}
				}
			}
		}
	}
	query(t, url, `{ samples(first: 10, filter: {materialType: "DNA"}) { nodes { sampleId
	  dataFiles { accession archivedSize datasets { datasetId accession releaseStatus } } } } }`, &fromRegistry)
	require.Len(t, fromRegistry.Samples.Nodes, 6)
	for i, s := range fromRegistry.Samples.Nodes {
		assert.Equal(t, fmt.Sprintf("N%04d", i), s.SampleID)
		require.Len(t, s.DataFiles, 1)
		assert.Equal(t, fmt.Sprintf("EGAF%011d", i), s.DataFiles[0].Accession)
		assert.Equal(t, int64(1000+i), s.DataFiles[0].ArchivedSize)
		for _, d := range s.DataFiles[0].Datasets {
			if d.DatasetID == "local-ds-2" {
				assert.Nil(t, d.Accession, "no EGA accession, no archive record")
				assert.Nil(t, d.ReleaseStatus)
				continue
			}
			require.NotNil(t, d.ReleaseStatus)
			assert.Equal(t, "released", *d.ReleaseStatus)
		}
	}
	assert.Len(t, fromRegistry.Samples.Nodes[0].DataFiles[0].Datasets, 2, "the first file is in both datasets")
}
