package genomic

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
)

// CRAM file layout, as far as the SAM header (CRAM 2.1 and 3.x):
//
//	file definition: "CRAM", major, minor, 20-byte file id
//	container header: int32 length, ITF8 reference id, start, span,
//	  record count, LTF8 record counter, base count, ITF8 block count,
//	  ITF8 landmark count and landmarks, then (3.x only) a CRC32
//	block: method byte, content type byte, ITF8 content id, compressed size,
//	  raw size, the data, then (3.x only) a CRC32
//
// The data of the first block of the first container is an int32 length and
// the SAM header text.

const (
	cramDefinitionSize = 26
	cramFileHeader     = 0       // content type of the SAM header block
	maxCRAMLandmarks   = 1 << 20 // landmarks count slices: far fewer in practice
)

// cramMethods names the CRAM block compression methods.
var cramMethods = map[byte]string{
	0: "raw", 1: "gzip", 2: "bzip2", 3: "lzma", 4: "rANS4x8",
	5: "rANS4x16", 6: "arithmetic coder", 7: "fqzcomp", 8: "name tokeniser",
}

// readCRAM reads the SAM header of a CRAM 2.1 or 3.x file. With checkCRC
// the CRC32 of 3.x container and block headers are verified, as htslib does;
// fuzz tests turn it off to reach deeper.
func readCRAM(r io.Reader, checkCRC bool) (*Header, error) {
	var def [cramDefinitionSize]byte
	if _, err := io.ReadFull(r, def[:]); err != nil {
		return nil, readErr("CRAM file definition", err)
	}
	if !bytes.Equal(def[:4], magicCRAM) {
		return nil, unknownContent(def[:], "")
	}
	major, minor := def[4], def[5]
	version := fmt.Sprintf("%d.%d", major, minor)
	if major != 2 && major != 3 {
		return nil, fmt.Errorf("CRAM version %s: %w (2.1, 3.0 and 3.1 are read)", version, ErrUnsupported)
	}
	cr := &crcReader{r: bufio.NewReader(r)}
	withCRC := major >= 3

	// Container header.
	length, err := readInt32(cr, "CRAM container header")
	if err != nil {
		return nil, err
	}
	if length < 0 {
		return nil, corrupt("CRAM container length is negative (%d)", length)
	}
	for range 4 { // reference id, start, span, records
		if _, err := readITF8(cr); err != nil {
			return nil, readErr("CRAM container header", err)
		}
	}
	for range 2 { // record counter, bases
		if _, err := readLTF8(cr); err != nil {
			return nil, readErr("CRAM container header", err)
		}
	}
	nBlocks, err := readITF8(cr)
	if err != nil {
		return nil, readErr("CRAM container header", err)
	}
	nLandmarks, err := readITF8(cr)
	if err != nil {
		return nil, readErr("CRAM container header", err)
	}
	if nLandmarks < 0 || nLandmarks > maxCRAMLandmarks {
		return nil, corrupt("CRAM container has %d landmarks", nLandmarks)
	}
	for range nLandmarks {
		if _, err := readITF8(cr); err != nil {
			return nil, readErr("CRAM container landmarks", err)
		}
	}
	if withCRC {
		if err := cr.checkCRC("CRAM container header", checkCRC); err != nil {
			return nil, err
		}
	}
	if nBlocks < 1 {
		return nil, corrupt("first CRAM container has no block, so no SAM header")
	}

	// First block: the SAM header.
	cr.sum = 0
	var head [2]byte
	if _, err := io.ReadFull(cr, head[:]); err != nil {
		return nil, readErr("CRAM header block", err)
	}
	method, contentType := head[0], head[1]
	var sizes [3]int32 // content id, compressed size, raw size
	for i := range sizes {
		if sizes[i], err = readITF8(cr); err != nil {
			return nil, readErr("CRAM header block", err)
		}
	}
	compSize, rawSize := sizes[1], sizes[2]
	if compSize < 0 || rawSize < 0 || compSize > length {
		return nil, corrupt("CRAM header block sizes %d/%d do not fit a container of %d bytes", compSize, rawSize, length)
	}
	if contentType != cramFileHeader {
		return nil, corrupt("first CRAM block has content type %d, not a SAM header", contentType)
	}
	data, err := readBytes(cr, int64(compSize), "CRAM header block")
	if err != nil {
		return nil, err
	}
	if withCRC {
		if err := cr.checkCRC("CRAM header block", checkCRC); err != nil {
			return nil, err
		}
	}
	raw, err := cramDecompress(method, data, int64(rawSize))
	if err != nil {
		return nil, err
	}
	if len(raw) < 4 {
		return nil, readErr("CRAM SAM header length", io.ErrUnexpectedEOF)
	}
	lText := int32(binary.LittleEndian.Uint32(raw))
	if lText < 0 || int64(lText) > int64(len(raw)-4) {
		return nil, corrupt("CRAM SAM header length %d does not fit its block of %d bytes", lText, len(raw))
	}
	h := newHeader(FormatCRAM, version)
	parseSAMHeader(raw[4 : 4+lText]).fill(h)
	return h, nil
}

// cramDecompress decompresses a CRAM block. The SAM header block is raw or
// gzip in files written by htslib and htsjdk; bzip2 is read too, other
// methods are reported as unsupported.
func cramDecompress(method byte, data []byte, rawSize int64) ([]byte, error) {
	var zr io.Reader
	switch method {
	case 0:
		return data, nil
	case 1:
		gz, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, readErr("CRAM header block gzip", err)
		}
		zr = gz
	case 2:
		zr = bzip2.NewReader(bytes.NewReader(data))
	default:
		name, ok := cramMethods[method]
		if !ok {
			name = fmt.Sprintf("method %d", method)
		}
		return nil, fmt.Errorf("CRAM header block compressed with %s: %w", name, ErrUnsupported)
	}
	if rawSize > maxHeaderText {
		return nil, corrupt("CRAM header block of %d bytes exceeds the limit of %d", rawSize, maxHeaderText)
	}
	raw, err := io.ReadAll(io.LimitReader(zr, rawSize))
	if err != nil {
		return nil, readErr("CRAM header block", err)
	}
	return raw, nil
}

// crcReader reads through a CRC32 (IEEE) of what it reads.
type crcReader struct {
	r   *bufio.Reader
	sum uint32
}

// Read implements io.Reader.
func (c *crcReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.sum = crc32.Update(c.sum, crc32.IEEETable, p[:n])
	return n, err
}

// ReadByte implements io.ByteReader.
func (c *crcReader) ReadByte() (byte, error) {
	b, err := c.r.ReadByte()
	if err == nil {
		c.sum = crc32.Update(c.sum, crc32.IEEETable, []byte{b})
	}
	return b, err
}

// checkCRC reads the little-endian CRC32 that ends a CRAM 3 structure and,
// if verify, compares it with the CRC32 of what was read since the last
// reset. It then resets the CRC32.
func (c *crcReader) checkCRC(what string, verify bool) error {
	sum := c.sum
	var b [4]byte
	if _, err := io.ReadFull(c.r, b[:]); err != nil {
		return readErr(what+" CRC32", err)
	}
	c.sum = 0
	if got := binary.LittleEndian.Uint32(b[:]); verify && got != sum {
		return corrupt("%s CRC32 mismatch: stored %08x, computed %08x", what, got, sum)
	}
	return nil
}
