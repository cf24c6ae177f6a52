package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/importers/synthetic"
)

// runGenerate executes the generate command with args and returns its
// stdout and stderr.
func runGenerate(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := newGenerateCmd()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetArgs(args)
	err = cmd.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

func TestGenerateCmdWritesBundle(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "bundle")
	stdout, _, err := runGenerate(t, "--donors", "2000", "--out", dir, "--seed", "3")
	require.NoError(t, err)

	// The flags reach the generator: same bytes as the library call.
	want := t.TempDir()
	sum, err := synthetic.Generate(context.Background(), synthetic.Config{Donors: 2000, Seed: 3}, want)
	require.NoError(t, err)
	for _, name := range synthetic.FileNames {
		got, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		exp, err := os.ReadFile(filepath.Join(want, name))
		require.NoError(t, err)
		assert.True(t, bytes.Equal(exp, got), "%s differs from the library's output", name)
		assert.Regexp(t, `(?m)^`+name+` +`+strconv.Itoa(sum.Files[name])+`$`, stdout)
	}
	assert.Contains(t, stdout, "wrote 2000 donors to "+dir)
	assert.Contains(t, stdout, "donors/s)")
}

func TestGenerateCmdFlags(t *testing.T) {
	dir := t.TempDir()
	_, _, err := runGenerate(t, "--donors", "50", "--out", dir, "--biobanks", "5", "--samples-per-donor", "10")
	require.NoError(t, err)
	content, err := os.ReadFile(filepath.Join(dir, synthetic.BiobanksFile))
	require.NoError(t, err)
	assert.Equal(t, 1+5, strings.Count(string(content), "\n"), "header and 5 biobanks")
	content, err = os.ReadFile(filepath.Join(dir, synthetic.SamplesFile))
	require.NoError(t, err)
	assert.GreaterOrEqual(t, strings.Count(string(content), "\n"), 1+500, "10 samples per donor")
}

func TestGenerateCmdReportsProgress(t *testing.T) {
	_, stderr, err := runGenerate(t, "--donors", "20000", "--samples-per-donor", "1", "--out", t.TempDir())
	require.NoError(t, err)
	assert.Equal(t, "generate: 10000 of 20000 donors\ngenerate: 20000 of 20000 donors\n", stderr)
}

func TestGenerateCmdRejectsBadInput(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no donors", []string{"--out", dir}, `required flag(s) "donors" not set`},
		{"no out", []string{"--donors", "10"}, `required flag(s) "out" not set`},
		{"zero donors", []string{"--donors", "0", "--out", dir}, "synthetic: donors must be > 0"},
		{"bad biobanks", []string{"--donors", "1", "--out", dir, "--biobanks", "100"}, "synthetic: biobanks must be between 1 and 99"},
		{"not a number", []string{"--donors", "many", "--out", dir}, `invalid argument "many" for "--donors"`},
		{"positional argument", []string{"--donors", "1", "--out", dir, "extra"}, `unknown command "extra"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runGenerate(t, tt.args...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
