package synthetic

import (
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// record is one CSV data row keyed by column name.
type record map[string]string

// bundle is a generated directory read back for checking.
type bundle struct {
	dir     string
	summary Summary
	files   map[string][]record
}

// generateBundle generates cfg into a temporary directory and reads every
// file back.
func generateBundle(t *testing.T, cfg Config) bundle {
	t.Helper()
	dir := t.TempDir()
	sum, err := Generate(context.Background(), cfg, dir)
	require.NoError(t, err)
	b := bundle{dir: dir, summary: sum, files: map[string][]record{}}
	for _, name := range FileNames {
		b.files[name] = readRecords(t, filepath.Join(dir, name))
	}
	return b
}

// readRecords reads a CSV file, checks its header and returns its rows.
func readRecords(t *testing.T, path string) []record {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, rows, path)
	header := rows[0]
	require.Equal(t, Headers[filepath.Base(path)], header, path)
	out := make([]record, 0, len(rows)-1)
	for _, row := range rows[1:] {
		r := make(record, len(header))
		for i, col := range header {
			r[col] = row[i]
		}
		out = append(out, r)
	}
	return out
}

// parseDay parses a YYYY-MM-DD cell.
func parseDay(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	require.NoError(t, err, s)
	return d
}

// parseMilli parses a quantity cell exactly, as thousandths, and checks it
// has at most three fraction digits.
func parseMilli(t *testing.T, s string) int64 {
	t.Helper()
	whole, frac, _ := strings.Cut(s, ".")
	require.LessOrEqual(t, len(frac), 3, s)
	w, err := strconv.ParseInt(whole, 10, 64)
	require.NoError(t, err, s)
	f := int64(0)
	if frac != "" {
		f, err = strconv.ParseInt(frac+strings.Repeat("0", 3-len(frac)), 10, 64)
		require.NoError(t, err, s)
	}
	return w*1000 + f
}

// atoi parses an integer cell.
func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	require.NoError(t, err, s)
	return n
}

// key joins a biobank code and an id, the scope ids are unique in.
func key(biobank, id string) string { return biobank + "/" + id }
