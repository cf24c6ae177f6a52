package genomic

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
)

// A file cut short after its header (an interrupted copy, a full disk) has a
// complete, readable header: only its end tells that data is missing. BGZF
// files (BAM, and VCF or BCF compressed with bgzip) end with an empty BGZF
// block, and CRAM 2.1 and 3.x files with an empty container; htslib looks
// for them (samtools quickcheck fails without them, bcftools view stops with
// "no BGZF EOF marker; file may be truncated"), and so does Databank.

// bgzfEOF is the empty BGZF block that ends a BGZF file (SAM specification,
// section 4.1.2). The bytes are `tail -c 28` of testdata/genomic/grch38.bam
// (samtools 1.16), the same in grch38.vcf.gz (bgzip) and grch38.bcf.
var bgzfEOF = []byte{
	0x1f, 0x8b, 0x08, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x06, 0x00, 0x42, 0x43,
	0x02, 0x00, 0x1b, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
}

// cramEOF3 is the end-of-file container of CRAM 3.0 and 3.1 (CRAM
// specification 3.1, section 9): `tail -c 38` of
// testdata/genomic/multi_rg_v30.cram and multi_rg_v31.cram (samtools 1.16).
var cramEOF3 = []byte{
	0x0f, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xe0, 0x45, 0x4f, 0x46,
	0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x05, 0xbd, 0xd9, 0x4f, 0x00, 0x01, 0x00,
	0x06, 0x06, 0x01, 0x00, 0x01, 0x00, 0x01, 0x00, 0xee, 0x63, 0x01, 0x4b,
}

// cramEOF21 is the end-of-file container of CRAM 2.1 (no CRC32): `tail -c
// 30` of testdata/genomic/multi_rg_v21.cram (samtools 1.16). CRAM 2.0 has
// none.
var cramEOF21 = []byte{
	0x0b, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xe0, 0x45, 0x4f, 0x46,
	0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x06, 0x06, 0x01, 0x00,
	0x01, 0x00, 0x01, 0x00,
}

// cramITF8Tail is the offset in both CRAM markers of the last byte of the
// five-byte ITF8 encoding of the reference id -1. Only its low four bits
// carry value; early htsjdk versions set the high ones too, which htslib
// tolerates by comparing the low bits only, as does sameMarker.
const cramITF8Tail = 8

// Warnings put in Header.Warnings.
const (
	warnPlainGzip = "compressed with plain gzip, not BGZF: cannot be indexed (recompress it with bgzip)"
	warnNoSeek    = "end of file not checked (the input cannot seek): a file cut short after its header would not be noticed"
)

// compression is how a file's bytes are packed.
type compression int

const (
	uncompressed compression = iota
	plainGzip
	bgzfBlocks
)

// endMarker returns the bytes a file of header h and compression c must end
// with, and what they are called; nil when its format has no such marker
// (plain or gzip-compressed VCF, uncompressed BAM or BCF, CRAM 2.0).
func endMarker(h *Header, c compression) (marker []byte, name string) {
	switch {
	case c == bgzfBlocks:
		return bgzfEOF, "BGZF end-of-file marker"
	case h.Format != FormatCRAM:
		return nil, ""
	case h.FormatVersion == "2.1":
		return cramEOF21, "CRAM end-of-file container"
	case len(h.FormatVersion) > 0 && h.FormatVersion[0] == '3':
		return cramEOF3, "CRAM end-of-file container"
	}
	return nil, ""
}

// finish completes a header read from src: it warns about plain gzip and
// checks that src ends with the end-of-file marker of its format. When src
// cannot be read at its end (a pipe, a network stream), the header carries
// warnNoSeek instead. A missing marker is an ErrTruncated error.
func finish(h *Header, c compression, src io.Reader) error {
	if c == plainGzip {
		h.Warnings = append(h.Warnings, warnPlainGzip)
	}
	marker, name := endMarker(h, c)
	if marker == nil {
		return nil
	}
	tail, ok, err := readTail(src, len(marker))
	switch {
	case err != nil:
		return readErr("reading the end of the file", err)
	case !ok:
		h.Warnings = append(h.Warnings, warnNoSeek)
		return nil
	case !sameMarker(tail, marker, c != bgzfBlocks):
		return fmt.Errorf("the %s is missing, so the file was cut short (an interrupted copy?): %w", name, ErrTruncated)
	}
	return nil
}

// sameMarker compares the tail of a file with an end-of-file marker;
// cram tolerates the high bits of the ITF8 byte early htsjdk wrote.
func sameMarker(tail, marker []byte, cram bool) bool {
	if len(tail) != len(marker) {
		return false
	}
	if !cram {
		return bytes.Equal(tail, marker)
	}
	t := bytes.Clone(tail)
	t[cramITF8Tail] &= 0x0f
	return bytes.Equal(t, marker)
}

// readTail returns the last n bytes of src, or fewer when src is shorter.
// ok is false when src cannot be read at its end without consuming it: it
// must be an io.ReaderAt of known size (an *os.File of a regular file, a
// *bytes.Reader, an *io.SectionReader) or an io.ReadSeeker, whose position
// is put back afterwards.
func readTail(src io.Reader, n int) (tail []byte, ok bool, err error) {
	type sizedReaderAt interface {
		io.ReaderAt
		Size() int64
	}
	type statReaderAt interface {
		io.ReaderAt
		Stat() (fs.FileInfo, error)
	}
	switch r := src.(type) {
	case sizedReaderAt:
		return readTailAt(r, r.Size(), n)
	case statReaderAt:
		fi, err := r.Stat()
		if err != nil {
			return nil, false, err
		}
		if fi.Mode().IsRegular() {
			return readTailAt(r, fi.Size(), n)
		}
	}
	if s, isSeeker := src.(io.ReadSeeker); isSeeker {
		return readTailSeek(s, n)
	}
	return nil, false, nil
}

// readTailAt reads the last n bytes of r, of the given size.
func readTailAt(r io.ReaderAt, size int64, n int) ([]byte, bool, error) {
	off := max(size-int64(n), 0)
	b := make([]byte, size-off)
	m, err := r.ReadAt(b, off)
	if m == len(b) {
		return b, true, nil // io.ReaderAt may return io.EOF with a full read
	}
	if err == io.EOF { // the file shrank since its size was taken
		err = io.ErrUnexpectedEOF
	}
	return nil, true, err
}

// readTailSeek reads the last n bytes of s by seeking, and puts the
// position back. A seeker that fails to seek (a pipe) is not ok.
func readTailSeek(s io.ReadSeeker, n int) ([]byte, bool, error) {
	pos, err := s.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, false, nil
	}
	size, err := s.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, false, nil
	}
	off := max(size-int64(n), 0)
	b := make([]byte, size-off)
	_, err = s.Seek(off, io.SeekStart)
	if err == nil {
		_, err = io.ReadFull(s, b)
	}
	if _, serr := s.Seek(pos, io.SeekStart); err == nil {
		err = serr
	}
	if err != nil {
		return nil, true, err
	}
	return b, true, nil
}
