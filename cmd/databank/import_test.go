package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/service"
	"databank/store"
	"databank/store/storetest"
)

// runCLI runs the databank command line with args against the database
// at url and returns its standard output and error.
func runCLI(t *testing.T, url string, args ...string) (string, string, error) {
	t.Helper()
	t.Setenv("DATABASE_URL", url)
	t.Setenv("DATABANK_LOG_LEVEL", "warn")
	root := newRootCmd()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

func TestRunBundleImportPrintsSummary(t *testing.T) {
	ctx := domain.WithActor(context.Background(), domain.Actor{Name: "demo-loader", Role: domain.RoleAdmin})
	st, err := store.Open(ctx, storetest.New(t, store.Migrator{}), store.Options{})
	require.NoError(t, err)
	defer st.Close()
	svc := service.New(st, service.Options{})
	var out bytes.Buffer
	require.NoError(t, runBundleImport(ctx, svc, "../../testdata/import", &out))
	assert.Contains(t, out.String(), "samples               5          5          0          0          0")
	assert.Contains(t, out.String(), "import committed")

	out.Reset()
	require.NoError(t, runBundleImport(ctx, svc, "../../testdata/import", &out))
	assert.Contains(t, out.String(), "samples               5          0          0          5          0")

	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "donors.csv"), []byte("biobank,donor_id,sex,birth_year,vital_status\nXXX,D1,,,\n"), 0o600))
	out.Reset()
	err = runBundleImport(ctx, svc, dir, &out)
	require.Error(t, err)
	assert.Contains(t, out.String(), `donors.csv:2: column biobank: "XXX" unknown biobank`)
}

func TestImportCommand(t *testing.T) {
	url := storetest.New(t, store.Migrator{})
	good := "../../testdata/import"

	// A dry run writes nothing, but counts.
	out, _, err := runCLI(t, url, "import", "biobanks", "--dry-run", filepath.Join(good, "biobanks.csv"))
	require.NoError(t, err)
	assert.Contains(t, out, "biobanks              2          2          0          0          0")
	assert.Contains(t, out, "dry run: validated; nothing was written")

	out, _, err = runCLI(t, url, "import", "bundle", "--actor", "curator", good)
	require.NoError(t, err)
	assert.Contains(t, out, "total                27         27          0          0          0")

	// Errors: listed on stderr, written to the report, non-zero exit.
	dir := t.TempDir()
	donors := filepath.Join(dir, "donors.csv")
	require.NoError(t, os.WriteFile(donors, []byte("biobank,donor_id,sex,birth_year,vital_status,nickname\nDNB,D0001,femal,1961,alive,x\n"), 0o600))
	report := filepath.Join(dir, "report.json")
	out, errOut, err := runCLI(t, url, "import", "donors", "--report", report, donors)
	require.ErrorIs(t, err, errSilent)
	assert.Contains(t, errOut, "donors.csv:1: column nickname: unknown column")
	assert.Contains(t, errOut, `donors.csv:2: column sex: "femal" must be one of female, male, other, unknown`)
	assert.Contains(t, out, "import rejected: 2 error(s); nothing was written")
	var rep domain.ImportReport
	b, err := os.ReadFile(report)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &rep))
	assert.Equal(t, 2, rep.ErrorCount)
	assert.Equal(t, "sex", rep.Errors[1].Column)

	// Unknown columns may be skipped; the CSV report lists problems.
	csvReport := filepath.Join(dir, "report.csv")
	require.NoError(t, os.WriteFile(donors, []byte("biobank,donor_id,sex,birth_year,vital_status,nickname\nDNB,D0001,female,1961,deceased,x\n"), 0o600))
	out, _, err = runCLI(t, url, "import", "donors", "--ignore-unknown-columns", "--report", csvReport, donors)
	require.NoError(t, err)
	assert.Contains(t, out, "donors                1          0          1          0          0")
	b, err = os.ReadFile(csvReport)
	require.NoError(t, err)
	assert.Equal(t, "severity,file,line,column,value,message\n", string(b))
}

func TestImportTemplateCommand(t *testing.T) {
	out, _, err := runCLI(t, "", "import", "template", "donors")
	require.NoError(t, err)
	assert.Equal(t, "biobank,donor_id,sex,birth_year,vital_status\nDNB,D0001,female,1961,alive\n", out)
	out, _, err = runCLI(t, "", "import", "template", "--format", "tsv", "samples")
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(out, "biobank\tsample_id\tdonor_id\t"), out)
	_, _, err = runCLI(t, "", "import", "template", "sample")
	require.Error(t, err)
}
