package main

import (
	"fmt"
	"os"
	"path/filepath"
)

// outFile is a file written whole or not at all: the output goes to a
// temporary file beside path, which replaces path only on commit. A
// command that fails half-way (a lost connection, a statement timeout,
// Ctrl-C) thus leaves the earlier file, if any, as it was, instead of a
// truncated one that looks usable.
type outFile struct {
	*os.File
	path string
	done bool
}

// createOut starts writing path.
func createOut(path string) (*outFile, error) {
	path = filepath.Clean(path)
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.partial")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &outFile{File: f, path: path}, nil
}

// commit makes what was written the file at path (mode 0644, as
// os.Create would leave it under the usual umask).
func (o *outFile) commit() error {
	o.done = true
	err := o.Sync()
	if cerr := o.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(o.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(o.Name(), o.path)
	}
	if err != nil {
		_ = os.Remove(o.Name())
		return fmt.Errorf("%s: %w", o.path, err)
	}
	return nil
}

// abort drops what was written, unless it was committed; deferred, it
// cleans up after any failure.
func (o *outFile) abort() {
	if o.done {
		return
	}
	o.done = true
	_ = o.Close()
	_ = os.Remove(o.Name())
}
