package genomic

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"sync"
)

// Magic numbers of the formats, at the start of the (decompressed) stream.
var (
	magicGzip = []byte{0x1f, 0x8b}
	magicBAM  = []byte("BAM\x01")
	magicBCF  = []byte("BCF\x02")
	magicBCF1 = []byte("BCF\x04")
	magicCRAM = []byte("CRAM")
	magicVCF  = []byte("##fileformat=VCF")
)

// peekSize is how many bytes detection looks at; it covers every magic.
const peekSize = 16

// bufSize is the read-ahead buffer size. It bounds how much of a large file
// is read beyond its header.
const bufSize = 64 << 10

// readHeader detects the format of r and reads its header. It also reports
// how the file is compressed, which decides which indexes can go with it and
// how its end is checked (see finish).
func readHeader(r io.Reader) (h *Header, c compression, err error) {
	br := getBufReader(r)
	defer putBufReader(br)
	head, err := br.Peek(peekSize)
	if len(head) == 0 {
		if err == io.EOF {
			return nil, uncompressed, ErrEmpty
		}
		return nil, uncompressed, readErr("reading", err)
	}
	switch {
	case bytes.HasPrefix(head, magicGzip):
		return readCompressed(br)
	case bytes.HasPrefix(head, magicCRAM):
		h, err := readCRAM(br, true)
		return h, uncompressed, err
	case bytes.HasPrefix(head, magicBAM):
		h, err := readBAM(br) // uncompressed BAM, as htslib also reads
		return h, uncompressed, err
	case bytes.HasPrefix(head, magicBCF):
		h, err := readBCF(br) // uncompressed BCF (bcftools view -Ou)
		return h, uncompressed, err
	case bytes.HasPrefix(head, magicVCF):
		h, err := readVCF(br)
		return h, uncompressed, err
	}
	return nil, uncompressed, unknownContent(head, "")
}

// readCompressed reads a gzip stream: BGZF when the first member's header
// has the BC extra subfield, plain gzip otherwise.
func readCompressed(br *bufio.Reader) (*Header, compression, error) {
	zr, _ := gzipReaders.Get().(*gzip.Reader)
	if zr == nil {
		zr = new(gzip.Reader)
	}
	defer gzipReaders.Put(zr)
	if err := zr.Reset(br); err != nil {
		return nil, plainGzip, readErr("gzip header", err)
	}
	bgzf := isBGZF(zr.Header.Extra)
	kind, c := "BGZF", bgzfBlocks
	if !bgzf {
		kind, c = "gzip", plainGzip
	}
	zbr := getBufReader(zr)
	defer putBufReader(zbr)
	head, err := zbr.Peek(peekSize)
	if len(head) == 0 {
		if err == io.EOF {
			return nil, c, fmt.Errorf("%s stream holds no data: %w", kind, ErrEmpty)
		}
		return nil, c, readErr(kind+" data", err)
	}
	switch {
	case bytes.HasPrefix(head, magicBAM):
		if !bgzf {
			return nil, c, fmt.Errorf("BAM: %w", ErrNotBGZF)
		}
		h, err := readBAM(zbr)
		return h, c, err
	case bytes.HasPrefix(head, magicBCF):
		if !bgzf {
			return nil, c, fmt.Errorf("BCF: %w", ErrNotBGZF)
		}
		h, err := readBCF(zbr)
		return h, c, err
	case bytes.HasPrefix(head, magicVCF):
		// bcftools reads plain gzip VCF too; it cannot be indexed, which
		// finish warns about.
		h, err := readVCF(zbr)
		return h, c, err
	}
	if !bgzf {
		return nil, c, fmt.Errorf("%w, and the content is not VCF", ErrNotBGZF)
	}
	return nil, c, unknownContent(head, "BGZF-compressed ")
}

// Read-ahead buffers and gzip readers are reused across calls: allocating
// them costs more than reading a small header.
var (
	bufReaders  = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, bufSize) }}
	gzipReaders sync.Pool // *gzip.Reader
)

// getBufReader returns a pooled read-ahead buffer reading r.
func getBufReader(r io.Reader) *bufio.Reader {
	br := bufReaders.Get().(*bufio.Reader)
	br.Reset(r)
	return br
}

// putBufReader returns br to the pool. Nothing returned by the parsers
// refers to its buffer: they copy what they keep.
func putBufReader(br *bufio.Reader) {
	br.Reset(nil)
	bufReaders.Put(br)
}

// isBGZF reports whether a gzip extra field holds the BGZF subfield:
// SI1 'B', SI2 'C', SLEN 2.
func isBGZF(extra []byte) bool {
	for len(extra) >= 4 {
		n := int(extra[2]) | int(extra[3])<<8
		if extra[0] == 'B' && extra[1] == 'C' && n == 2 {
			return len(extra) >= 6
		}
		if len(extra) < 4+n {
			return false
		}
		extra = extra[4+n:]
	}
	return false
}

// unknownContent describes content that is none of the supported formats,
// with a hint for some common ones.
func unknownContent(head []byte, prefix string) error {
	hint := ""
	switch {
	case bytes.HasPrefix(head, magicBCF1):
		hint = " (BCF version 1 is not supported)"
	case len(head) >= 4 && bytes.HasPrefix(head, []byte("BAM")):
		hint = fmt.Sprintf(" (BAM magic with version byte %d)", head[3])
	case bytes.HasPrefix(head, []byte("##fileformat=")):
		hint = " (a ##fileformat line that is not VCF)"
	case len(head) >= 3 && head[0] == '@' && (bytes.HasPrefix(head, []byte("@HD\t")) ||
		bytes.HasPrefix(head, []byte("@SQ\t")) || bytes.HasPrefix(head, []byte("@RG\t")) ||
		bytes.HasPrefix(head, []byte("@PG\t")) || bytes.HasPrefix(head, []byte("@CO\t"))):
		hint = " (SAM text is not supported: convert it to BAM or CRAM)"
	case head[0] == '>':
		hint = " (looks like FASTA)"
	}
	return fmt.Errorf("%w: %scontent is not BAM, CRAM, VCF or BCF%s", ErrUnknownFormat, prefix, hint)
}
