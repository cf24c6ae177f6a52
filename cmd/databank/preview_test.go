package main

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/store"
	"databank/store/storetest"
)

func TestPreviewCommand(t *testing.T) {
	url := storetest.New(t, store.Migrator{})
	_, _, err := runCLI(t, url, "import", "bundle", "--actor", "curator", "../../testdata/import")
	require.NoError(t, err)
	dir := t.TempDir()

	// A list as large as a preview takes: two known barcodes, then
	// unknown ones; the answer streams to the file, memory stays bounded.
	var list strings.Builder
	list.WriteString("# barcodes of the request form\nDNB-000002\nDNB-000001\n\nSVB-000001\n")
	for i := range 100_000 - 3 {
		fmt.Fprintf(&list, "X%06d\n", i)
	}
	ids := filepath.Join(dir, "ids.txt")
	require.NoError(t, os.WriteFile(ids, []byte(list.String()), 0o600))
	out := filepath.Join(dir, "preview.csv")
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-done:
				return
			case <-time.After(20 * time.Millisecond):
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > peak.Load() {
					peak.Store(m.HeapAlloc)
				}
			}
		}
	}()
	_, errOut, err := runCLI(t, url, "preview", "--biobank", "DNB", "--samples", ids, "--assay", "WES", "--assembly", "GRCh38",
		"--purpose", "DS", "--disease", "E11.9", "--quantity", "2ug", "--out", out)
	close(done)
	require.NoError(t, err, errOut)
	assert.Less(t, peak.Load(), uint64(256<<20), "heap while streaming 100,000 answers")
	assert.Contains(t, errOut, "1 of 100000 requested samples can be served as existing data (1 of them after a committee's review)")

	f, err := os.Open(out)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, 100_001)
	assert.Equal(t, []string{"requested", "status", "sample_id", "biobank", "donor_id", "files", "alternative_sample_id", "alternative_files", "conditions", "reasons"}, rows[0])
	assert.Equal(t, []string{"DNB-000002", "DATA_NEEDS_REVIEW", "DNB-000002", "DNB", "D0001", "EGAF00001000001;EGAF00001000002", "", "", "DUO:0000019;DUO:0000021"}, rows[1][:9])
	assert.Equal(t, []string{"DNB-000001", "INSUFFICIENT_MATERIAL", "DNB-000001", "DNB", "D0001", "", "DNB-000002", "EGAF00001000001;EGAF00001000002"}, rows[2][:8])
	assert.Equal(t, "UNKNOWN_SAMPLE", rows[3][1])
	assert.Contains(t, rows[3][9], "SVB does")

	// the command line's reads are audited as the server's requests are
	audit, _, err := runCLI(t, url, "audit", "export", "--json", "--since", "2020-01-01")
	require.NoError(t, err)
	var ev struct {
		Operation, Decision string
		Rows                int
		DonorIDs            []string `json:"donorIds"`
	}
	require.NoError(t, json.Unmarshal([]byte(strings.Split(strings.TrimSpace(audit), "\n")[0]), &ev), audit)
	assert.Equal(t, "preview", ev.Operation)
	assert.Equal(t, "allowed", ev.Decision)
	assert.Equal(t, 100_000, ev.Rows)
	assert.Len(t, ev.DonorIDs, 1, "D0001, of the two known barcodes")

	// JSON, from standard input
	jsonOut, _, err := runCLIStdin(t, url, "DNB-000002\n", "preview", "--biobank", "DNB", "--samples", "-", "--assay", "WES", "--purpose", "HMB", "--json")
	require.NoError(t, err)
	var doc struct {
		Samples []struct{ Requested, Status string }
		Summary struct{ Total, ServedAsData int }
	}
	require.NoError(t, json.Unmarshal([]byte(jsonOut), &doc), jsonOut)
	require.Len(t, doc.Samples, 1)
	assert.Equal(t, 1, doc.Summary.Total)

	// bad input names what is wrong
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--samples", ids, "--purpose", "HMB"}, "--assay is required"},
		{[]string{"--samples", ids, "--assay", "WGS", "--purpose", "HMB", "--quantity", "2 parsecs"}, `unknown unit "parsecs"`},
		{[]string{"--samples", filepath.Join(dir, "missing.txt"), "--assay", "WGS", "--purpose", "HMB"}, "missing.txt"},
		{[]string{"--biobank", "DNB", "--samples", ids, "--assay", "WGX", "--purpose", "HMB"}, "WGX"},
	} {
		_, _, err := runCLI(t, url, append([]string{"preview"}, tt.args...)...)
		require.Error(t, err, tt.args)
		assert.Contains(t, err.Error(), tt.want)
	}

	// a preview that fails leaves the earlier file as it was, and no part
	// of its own
	require.NoError(t, os.WriteFile(out, []byte("the earlier preview\n"), 0o644))
	_, _, err = runCLI(t, url, "preview", "--biobank", "NOPE", "--samples", ids, "--assay", "WGS", "--purpose", "HMB", "--out", out)
	require.Error(t, err)
	kept, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "the earlier preview\n", string(kept))
	left, err := filepath.Glob(filepath.Join(dir, ".preview.csv.*"))
	require.NoError(t, err)
	assert.Empty(t, left, "the partial file is removed")

	// nothing goes out before its audit event is stored: a preview whose
	// event the database refuses writes nothing to the standard output,
	// though its answer is longer than what a buffer holds
	conn, err := pgx.Connect(t.Context(), storetest.OwnerURL(t, url))
	require.NoError(t, err)
	defer conn.Close(t.Context())
	_, err = conn.Exec(t.Context(), "ALTER TABLE audit_event ADD CONSTRAINT no_preview CHECK (operation <> 'preview') NOT VALID")
	require.NoError(t, err)
	stdout, _, err := runCLI(t, url, "preview", "--biobank", "DNB", "--samples", ids, "--assay", "WES", "--purpose", "HMB")
	require.ErrorContains(t, err, "audit")
	assert.Empty(t, stdout)
}

// runCLIStdin is runCLI with stdin as the command's standard input.
func runCLIStdin(t *testing.T, url, stdin string, args ...string) (string, string, error) {
	t.Helper()
	t.Setenv("DATABASE_URL", url)
	t.Setenv("DATABANK_LOG_LEVEL", "warn")
	root := newRootCmd()
	var out, errOut strings.Builder
	root.SetIn(strings.NewReader(stdin))
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	err := root.ExecuteContext(t.Context())
	return out.String(), errOut.String(), err
}
