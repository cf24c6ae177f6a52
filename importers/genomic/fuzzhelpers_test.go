package genomic

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// fixtureSeeds returns the fixture files matching pattern, each cut to at
// most limit bytes and, with decompress, gunzipped first (files that are
// not gzip are skipped then).
func fixtureSeeds(tb testing.TB, pattern string, decompress bool, limit int) [][]byte {
	tb.Helper()
	paths, err := filepath.Glob(fixture(pattern))
	if err != nil {
		tb.Fatal(err)
	}
	var seeds [][]byte
	for _, p := range paths {
		if fi, err := os.Stat(p); err != nil || !fi.Mode().IsRegular() {
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			tb.Fatal(err)
		}
		var r io.Reader = f
		if decompress {
			zr, err := gzip.NewReader(f)
			if err != nil {
				f.Close()
				continue
			}
			r = zr
		}
		b, _ := io.ReadAll(io.LimitReader(r, int64(limit)))
		f.Close()
		seeds = append(seeds, b)
	}
	return seeds
}

// checkResult verifies what every header read must guarantee: an error and
// no header, or a header of a known format whose slices are non-nil and
// whose samples are sorted and distinct.
func checkResult(t *testing.T, h *Header, err error) {
	t.Helper()
	if err != nil {
		if h != nil {
			t.Fatalf("header %+v returned with error %v", h, err)
		}
		if err.Error() == "" {
			t.Fatal("empty error message")
		}
		return
	}
	if h == nil {
		t.Fatal("nil header without error")
	}
	switch h.Format {
	case FormatBAM, FormatCRAM, FormatVCF, FormatBCF:
	default:
		t.Fatalf("unknown format %q", h.Format)
	}
	if h.Samples == nil || h.ReadGroups == nil || h.Contigs == nil || h.Programs == nil || h.Warnings == nil {
		t.Fatalf("nil slice in %+v", h)
	}
	if !isSortedDistinct(h.Samples) || slices.Contains(h.Samples, "") {
		t.Fatalf("samples not sorted, distinct and non-empty: %q", h.Samples)
	}
	if h.Assembly == "" {
		t.Fatal("empty assembly")
	}
	for _, c := range h.Contigs {
		if c.Length < 0 {
			t.Fatalf("negative contig length %+v", c)
		}
	}
}

// sameResult verifies that two reads of the same content agree.
func sameResult(t *testing.T, h1 *Header, err1 error, h2 *Header, err2 error) {
	t.Helper()
	if (err1 == nil) != (err2 == nil) {
		t.Fatalf("errors differ: %v vs %v", err1, err2)
	}
	if err1 == nil && !headersEqual(h1, h2) {
		t.Fatalf("headers differ:\n%+v\n%+v", h1, h2)
	}
}

func headersEqual(a, b *Header) bool {
	return a.Format == b.Format && a.FormatVersion == b.FormatVersion &&
		slices.Equal(a.Samples, b.Samples) && slices.Equal(a.ReadGroups, b.ReadGroups) &&
		slices.Equal(a.Contigs, b.Contigs) && a.Assembly == b.Assembly &&
		slices.Equal(a.Programs, b.Programs) && a.Index == b.Index
}
