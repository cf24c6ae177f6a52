package genomic

import (
	"errors"
	"fmt"
	"io"
)

// Errors that ReadHeader and InspectFile wrap, for callers to test with
// errors.Is.
var (
	// ErrEmpty is returned for an input of zero bytes.
	ErrEmpty = errors.New("file is empty")
	// ErrUnknownFormat is returned when the content is none of the formats
	// the package reads.
	ErrUnknownFormat = errors.New("unrecognised format")
	// ErrNotBGZF is returned for gzip-compressed BAM, BCF or other data that
	// is not BGZF.
	ErrNotBGZF = errors.New("gzip-compressed but not BGZF")
	// ErrTruncated is returned when the input ends inside the header.
	ErrTruncated = errors.New("file is truncated")
	// ErrCorrupt is returned when a header field holds an impossible value.
	ErrCorrupt = errors.New("corrupt header")
	// ErrUnsupported is returned for a version or compression method the
	// package does not read.
	ErrUnsupported = errors.New("unsupported")
)

// Error is the error returned by ReadHeader and InspectFile. Its message
// starts with "genomic: " and names the file when the name is known.
type Error struct {
	File string // path of the file, or "" if the input has no name
	Err  error
}

// Error implements error.
func (e *Error) Error() string {
	if e.File == "" {
		return "genomic: " + e.Err.Error()
	}
	return "genomic: " + e.File + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }

// readErr describes an error met while reading what: the end of the input
// becomes ErrTruncated, other errors are kept.
func readErr(what string, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%s: %w", what, ErrTruncated)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// corrupt returns an ErrCorrupt error with a formatted detail.
func corrupt(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrCorrupt, fmt.Sprintf(format, args...))
}
