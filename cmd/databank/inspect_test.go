package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/genomic/golden")

// genomicTestdata holds the fixtures built by testdata/genomic/make.sh.
const genomicTestdata = "../../testdata/genomic"

// runInspectCmd executes the inspect command with args and returns its
// stdout and stderr.
func runInspectCmd(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := newInspectCmd()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	if args == nil {
		args = []string{} // not os.Args
	}
	cmd.SetArgs(args)
	err = cmd.Execute()
	return out.String(), errOut.String(), err
}

// genomicFixtures lists the data files of testdata/genomic: everything but
// the script, indexes and directories.
func genomicFixtures(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	var files []string
	for _, e := range entries {
		name := e.Name()
		switch {
		case !e.Type().IsRegular(), name == "make.sh", strings.HasSuffix(name, ".md"):
		case slices.Contains([]string{".bai", ".csi", ".tbi", ".crai"}, filepath.Ext(name)):
		default:
			files = append(files, name)
		}
	}
	require.NotEmpty(t, files)
	return files
}

// TestInspectGolden compares `databank inspect --json FILE`, run in
// testdata/genomic, with golden/FILE.json; -update rewrites the goldens.
func TestInspectGolden(t *testing.T) {
	t.Chdir(genomicTestdata)
	files := genomicFixtures(t)
	if *update {
		require.NoError(t, os.MkdirAll("golden", 0o755))
		stale, _ := filepath.Glob("golden/*.json")
		for _, g := range stale {
			require.NoError(t, os.Remove(g))
		}
	}
	for _, name := range files {
		t.Run(name, func(t *testing.T) {
			out, stderr, err := runInspectCmd(t, "--json", name)
			assert.Empty(t, stderr)
			var line map[string]any
			require.NoError(t, json.Unmarshal([]byte(out), &line))
			if _, failed := line["error"]; failed {
				assert.ErrorIs(t, err, errInspectFailed)
			} else {
				assert.NoError(t, err)
			}
			golden := filepath.Join("golden", name+".json")
			if *update {
				require.NoError(t, os.WriteFile(golden, []byte(out), 0o644))
				return
			}
			want, err := os.ReadFile(golden)
			require.NoError(t, err, "missing golden file: run go test ./cmd/databank/ -run TestInspectGolden -update")
			assert.Equal(t, string(want), out)
		})
	}
	if !*update {
		goldens, err := filepath.Glob("golden/*.json")
		require.NoError(t, err)
		for _, g := range goldens {
			assert.Contains(t, files, strings.TrimSuffix(filepath.Base(g), ".json"), "stale golden file %s", g)
		}
	}
}

func TestInspectJSON(t *testing.T) {
	good := filepath.Join(genomicTestdata, "no_rg.bam")
	bad := filepath.Join(genomicTestdata, "bad_truncated.bam")
	missing := filepath.Join(genomicTestdata, "missing.vcf")
	out, stderr, err := runInspectCmd(t, "--json", good, bad, missing)
	assert.ErrorIs(t, err, errInspectFailed)
	assert.Empty(t, stderr, "nothing but the JSON lines is printed")

	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, 3, "one line per file")
	keys := func(line string) []string {
		var m map[string]json.RawMessage
		require.NoError(t, json.Unmarshal([]byte(line), &m))
		var k []string
		for key := range m {
			k = append(k, key)
		}
		slices.Sort(k)
		return k
	}
	assert.Equal(t, []string{"assembly", "contigs", "file", "format", "formatVersion", "index", "programs", "readGroups", "samples", "warnings"}, keys(lines[0]))
	assert.Contains(t, lines[0], `"file":"`+good+`"`)
	assert.Contains(t, lines[0], `"samples":[]`)
	assert.Contains(t, lines[0], `"readGroups":[]`)
	assert.Contains(t, lines[0], `"programs":[]`)
	assert.Contains(t, lines[0], `"warnings":[]`)
	assert.Contains(t, lines[0], `"contigs":[{"name":"1","length":249250621},`)

	for i, path := range []string{bad, missing} {
		line := lines[i+1]
		assert.Equal(t, []string{"error", "file"}, keys(line))
		var f inspectFailure
		require.NoError(t, json.Unmarshal([]byte(line), &f))
		assert.Equal(t, path, f.File)
		assert.True(t, strings.HasPrefix(f.Error, "genomic: "+path+": "), f.Error)
	}
	assert.Contains(t, lines[2], "no such file or directory")
}

func TestInspectText(t *testing.T) {
	t.Chdir(genomicTestdata)
	out, stderr, err := runInspectCmd(t, "grch38.bam", "bad_empty.bam", "many_samples.vcf.gz", "no_rg.bam")
	assert.ErrorIs(t, err, errInspectFailed)
	assert.Empty(t, stderr)
	want := "" +
		"grch38.bam           BAM 1    1 sample      GRCh38  4 contigs  index grch38.bam.bai\n" +
		"bad_empty.bam        ERROR    file is empty\n" +
		"many_samples.vcf.gz  VCF 4.2  2500 samples  GRCh38  4 contigs  index many_samples.vcf.gz.tbi\n" +
		"no_rg.bam            BAM 1    0 samples     GRCh37  4 contigs  index no_rg.bai\n"
	assert.Equal(t, want, out)
}

// TestInspectCutShortAndWarnings: a file cut short after its header is an
// error, not a good file with its contigs (samtools quickcheck 1.16 fails on
// each bad_no_eof fixture: "was missing EOF block when one should be
// present"); a VCF in plain gzip reads, with a warning on its line.
func TestInspectCutShortAndWarnings(t *testing.T) {
	t.Chdir(genomicTestdata)
	out, stderr, err := runInspectCmd(t, "plain_gzip.vcf.gz", "bad_no_eof.bam", "bad_no_eof_v30.cram", "bad_chrom_format_only.vcf")
	assert.ErrorIs(t, err, errInspectFailed)
	assert.Empty(t, stderr)
	want := "" +
		"plain_gzip.vcf.gz          VCF 4.2  3 samples  GRCh38  4 contigs  no index  warning: compressed with plain gzip, not BGZF: cannot be indexed (recompress it with bgzip)\n" +
		"bad_no_eof.bam             ERROR    the BGZF end-of-file marker is missing, so the file was cut short (an interrupted copy?): file is truncated\n" +
		"bad_no_eof_v30.cram        ERROR    the CRAM end-of-file container is missing, so the file was cut short (an interrupted copy?): file is truncated\n" +
		"bad_chrom_format_only.vcf  ERROR    corrupt header: line 8: the #CHROM line has a FORMAT column but no sample column: \"#CHROM\\tPOS\\tID\\tREF\\tALT\\tQUAL\\tFILTER\\tINFO\\tFORMAT\"\n"
	assert.Equal(t, want, out)

	out, _, err = runInspectCmd(t, "--json", "plain_gzip.vcf.gz")
	require.NoError(t, err, "a warning is not a failure")
	assert.Contains(t, out, `"warnings":["compressed with plain gzip, not BGZF: cannot be indexed (recompress it with bgzip)"]`)
}

func TestInspectAllGood(t *testing.T) {
	t.Chdir(genomicTestdata)
	out, _, err := runInspectCmd(t, "multi_rg_v21.cram", "t2t.vcf.gz")
	require.NoError(t, err)
	assert.Equal(t, ""+
		"multi_rg_v21.cram  CRAM 2.1  3 samples  GRCh38         4 contigs  no index\n"+
		"t2t.vcf.gz         VCF 4.3   2 samples  T2T-CHM13v2.0  4 contigs  no index\n", out)
}

func TestInspectUsage(t *testing.T) {
	_, _, err := runInspectCmd(t)
	require.Error(t, err)
	assert.NotErrorIs(t, err, errInspectFailed)
	assert.Contains(t, err.Error(), "requires at least 1 arg")

	_, _, err = runInspectCmd(t, "--nope", "x.bam")
	require.Error(t, err)
	assert.NotErrorIs(t, err, errInspectFailed)
}

func TestInspectWriteError(t *testing.T) {
	cmd := newInspectCmd()
	cmd.SetOut(failingWriter{})
	cmd.SetErr(&bytes.Buffer{})
	cmd.SetArgs([]string{"--json", filepath.Join(genomicTestdata, "grch38.bam")})
	err := cmd.Execute()
	require.Error(t, err)
	assert.NotErrorIs(t, err, errInspectFailed)
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }
