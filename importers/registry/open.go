package registry

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"

	"databank/domain"
)

// File is a registry file opened from disk: a Reader that also knows how
// far it has got, for progress bars.
type File struct {
	*Reader
	f    *os.File
	size int64
	read *countingReader
}

// Open opens the file at path as rows of kind. The format comes from
// opts.Format or the file name; .gz files are decompressed.
func Open(path string, kind domain.ImportKind, opts Options) (*File, error) {
	f, err := os.Open(filepath.Clean(path))
	if err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("registry: %w", err)
	}
	if st.IsDir() {
		f.Close()
		return nil, fmt.Errorf("registry: %s is a directory", path)
	}
	cr := &countingReader{r: f}
	rd, err := NewReader(cr, filepath.Base(path), kind, opts)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &File{Reader: rd, f: f, size: st.Size(), read: cr}, nil
}

// Close closes the file.
func (f *File) Close() error { return f.f.Close() }

// Progress returns the bytes read so far and the size of the file (both
// compressed for a .gz file). It may be called from any goroutine.
func (f *File) Progress() (done, total int64) { return f.read.n.Load(), f.size }

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// OpenBundle opens every registry file in dir, named after its kind
// (donors.csv, samples.tsv, files.csv.gz…), in dependency order. Other
// files that look like data (.csv, .tsv, .gz) are an error, so that a
// misspelt name is not silently skipped; anything else is ignored.
func OpenBundle(dir string, opts Options) ([]*File, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	type named struct {
		path string
		kind domain.ImportKind
	}
	var found []named
	var unknown []string
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		kind, ok := KindOf(e.Name())
		if !ok {
			switch strings.ToLower(filepath.Ext(e.Name())) {
			case ".csv", ".tsv", ".gz":
				unknown = append(unknown, e.Name())
			}
			continue
		}
		found = append(found, named{filepath.Join(dir, e.Name()), kind})
	}
	if len(unknown) > 0 {
		kinds := make([]string, len(domain.ImportKinds))
		for i, k := range domain.ImportKinds {
			kinds[i] = string(k)
		}
		return nil, fmt.Errorf("registry: %s: cannot tell what %s hold: bundle files are named after their kind (%s) with .csv, .tsv or .csv.gz",
			dir, strings.Join(unknown, ", "), strings.Join(kinds, ", "))
	}
	if len(found) == 0 {
		return nil, fmt.Errorf("registry: %s holds no registry files (donors.csv, samples.csv…)", dir)
	}
	sort.SliceStable(found, func(i, j int) bool {
		a, b := slices.Index(domain.ImportKinds, found[i].kind), slices.Index(domain.ImportKinds, found[j].kind)
		if a != b {
			return a < b
		}
		return found[i].path < found[j].path
	})
	files := make([]*File, 0, len(found))
	for _, n := range found {
		f, err := Open(n.path, n.kind, opts)
		if err != nil {
			CloseAll(files)
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// CloseAll closes every file.
func CloseAll(files []*File) {
	for _, f := range files {
		_ = f.Close()
	}
}

// Sources returns files as import sources.
func Sources(files []*File) []domain.ImportSource {
	out := make([]domain.ImportSource, len(files))
	for i, f := range files {
		out[i] = f
	}
	return out
}
