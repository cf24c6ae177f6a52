package genomic

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
)

// Format names reported in Header.Format.
const (
	FormatBAM  = "BAM"
	FormatCRAM = "CRAM"
	FormatVCF  = "VCF"
	FormatBCF  = "BCF"
)

// ReadGroup is an @RG line of a SAM header.
type ReadGroup struct {
	ID       string `json:"id"`
	Sample   string `json:"sample,omitempty"`
	Library  string `json:"library,omitempty"`
	Platform string `json:"platform,omitempty"`
	Center   string `json:"center,omitempty"`
	Date     string `json:"date,omitempty"` // as written, ISO 8601 or not
}

// Contig is a reference sequence: a SAM @SQ line, a BAM reference or a VCF
// ##contig line. Length is 0 when the header gives none.
type Contig struct {
	Name   string `json:"name"`
	Length int64  `json:"length"`
}

// Program is a program that produced or processed the file: a SAM @PG line,
// or in a VCF the ##source line, a ##GATKCommandLine line or a
// ##<tool>Version / ##<tool>Command pair as bcftools writes them.
type Program struct {
	ID          string `json:"id,omitempty"`
	Name        string `json:"name,omitempty"`
	Version     string `json:"version,omitempty"`
	CommandLine string `json:"commandLine,omitempty"`
}

// Header is what Databank sees in the header of a genomic data file. Slices
// are never nil, so that they encode as [] in JSON.
type Header struct {
	Format        string      `json:"format"`        // FormatBAM, FormatCRAM, FormatVCF or FormatBCF
	FormatVersion string      `json:"formatVersion"` // BAM "1"; CRAM "2.1", "3.0", "3.1"; VCF "4.2"; BCF "2.2"
	Samples       []string    `json:"samples"`       // sorted, distinct
	ReadGroups    []ReadGroup `json:"readGroups"`    // in header order, duplicates kept
	Contigs       []Contig    `json:"contigs"`       // in header order
	Assembly      string      `json:"assembly"`      // one of the Assembly constants
	Programs      []Program   `json:"programs"`      // in header order
	Index         string      `json:"index"`         // index beside the file, "" if none
	Warnings      []string    `json:"warnings"`      // what is readable but not as it should be (plain gzip, end not checked)
}

// ReadHeader detects the format of r from its content and reads its header,
// and no more than the header (plus read-ahead buffering). It never panics.
// Errors are of type *Error, wrapping one of the Err variables where one
// applies; the message names the file when r has a Name method (*os.File).
// Header.Index is left empty: InspectFile looks for the index.
//
// A BGZF file (BAM, bgzipped VCF, BCF) or a CRAM 2.1 or 3.x file must end
// with its end-of-file marker, as samtools quickcheck requires; without it
// the file was cut short and ReadHeader returns an ErrTruncated error. The
// end is read with ReadAt when r is an io.ReaderAt of known size (an
// *os.File of a regular file, a *bytes.Reader, an *io.SectionReader), or by
// seeking when r is an io.ReadSeeker (its position is put back). A stream
// that can do neither is not read to its end: the header then carries a
// warning that the end was not checked.
func ReadHeader(r io.Reader) (*Header, error) {
	name := ""
	if n, ok := r.(interface{ Name() string }); ok {
		name = n.Name()
	}
	h, _, err := safeReadHeader(r)
	if err != nil {
		return nil, &Error{File: name, Err: err}
	}
	return h, nil
}

// InspectFile opens the file at path, reads its header and checks its end
// with ReadHeader, and looks for an index beside it: X.bai or X.csi for X.bam (also X.bai for
// X.bam → X.bai), X.crai for a CRAM, X.tbi or X.csi for a BGZF VCF and X.csi
// for a BGZF BCF. Errors are of type *Error and name path.
func InspectFile(path string) (*Header, error) {
	fail := func(err error) (*Header, error) {
		var pe *fs.PathError
		if errors.As(err, &pe) {
			err = pe.Err // the path is already in the message
		}
		return nil, &Error{File: path, Err: err}
	}
	f, err := os.Open(path)
	if err != nil {
		return fail(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fail(err)
	}
	if fi.IsDir() {
		return fail(errors.New("is a directory"))
	}
	h, c, err := safeReadHeader(f)
	if err != nil {
		return fail(err)
	}
	h.Index = findIndex(path, h.Format, c == bgzfBlocks)
	return h, nil
}

// safeReadHeader is readHeader followed by finish, with any panic turned
// into an error.
func safeReadHeader(r io.Reader) (h *Header, c compression, err error) {
	defer func() {
		if p := recover(); p != nil {
			h, c, err = nil, uncompressed, fmt.Errorf("internal error reading header: %v", p)
		}
	}()
	h, c, err = readHeader(r)
	if err != nil {
		return nil, c, err
	}
	if err := finish(h, c, r); err != nil {
		return nil, c, err
	}
	return h, c, nil
}

// newHeader returns a Header of the given format with empty, non-nil slices
// and an unknown assembly.
func newHeader(format, version string) *Header {
	return &Header{
		Format:        format,
		FormatVersion: version,
		Samples:       []string{},
		ReadGroups:    []ReadGroup{},
		Contigs:       []Contig{},
		Assembly:      AssemblyUnknown,
		Programs:      []Program{},
		Warnings:      []string{},
	}
}

// sortedDistinct returns the non-empty strings of s, sorted and without
// duplicates, as a new non-nil slice.
func sortedDistinct(s []string) []string {
	out := make([]string, 0, len(s))
	for _, v := range s {
		if v != "" {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
