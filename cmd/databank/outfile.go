package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// outFile is a file written whole or not at all: the output goes to a
// temporary file beside path, which replaces path only on commit. A
// command that fails half-way (a lost connection, a statement timeout,
// Ctrl-C) thus leaves the earlier file, if any, as it was, instead of a
// truncated one that looks usable. The new file keeps the mode of the one
// it replaces (a preview holds personal data: a file made private stays
// private); a new one is 0600, as personal data should be. A path that is
// not a regular file (/dev/stdout, a pipe) is written in place.
type outFile struct {
	*os.File
	path string
	temp bool
	mode fs.FileMode
	done bool
}

// createOut starts writing path.
func createOut(path string) (*outFile, error) {
	path = filepath.Clean(path)
	mode := fs.FileMode(0o600)
	if fi, err := os.Stat(path); err == nil {
		if !fi.Mode().IsRegular() {
			f, err := os.OpenFile(path, os.O_WRONLY, 0)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			return &outFile{File: f, path: path}, nil
		}
		mode = fi.Mode().Perm()
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.partial")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &outFile{File: f, path: path, temp: true, mode: mode}, nil
}

// commit makes what was written the file at path.
func (o *outFile) commit() error {
	o.done = true
	if !o.temp {
		return o.Close()
	}
	err := o.Sync()
	if cerr := o.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(o.Name(), o.mode)
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
// cleans up after any failure. Written in place, what was written stays.
func (o *outFile) abort() {
	if o.done {
		return
	}
	o.done = true
	_ = o.Close()
	if o.temp {
		_ = os.Remove(o.Name())
	}
}

// spool holds a command's output in an unnamed temporary file until it
// may go out, then copies it to its destination: output written to a
// terminal, a pipe or another file that is not replaced whole cannot be
// taken back, and personal data must not leave before its audit event is
// stored (fail closed). The file is removed as soon as it is made (it has
// no name another user could open), and memory stays bounded however
// long the output is.
type spool struct {
	*os.File
	to io.Writer
}

// newSpool starts holding output for to.
func newSpool(to io.Writer) (*spool, error) {
	f, err := os.CreateTemp("", "databank-out-*")
	if err != nil {
		return nil, fmt.Errorf("holding the output until it may go out (in $TMPDIR, or give --out): %w", err)
	}
	if err := os.Remove(f.Name()); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("holding the output until it may go out: %w", err)
	}
	return &spool{File: f, to: to}, nil
}

// release copies what was held to its destination and drops the file.
func (s *spool) release() error {
	defer s.Close()
	if _, err := s.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("holding the output: %w", err)
	}
	if _, err := io.Copy(s.to, s.File); err != nil {
		return fmt.Errorf("writing the output held until its audit: %w", err)
	}
	return nil
}
