package genomic

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"hash/crc32"
	"path/filepath"
	"testing"

	"github.com/biogo/hts/bgzf"
	"github.com/stretchr/testify/require"
)

// testdataDir holds the fixtures built by testdata/genomic/make.sh.
const testdataDir = "../../testdata/genomic"

// fixture returns the path of a fixture file.
func fixture(name string) string { return filepath.Join(testdataDir, name) }

// bgzfBytes compresses data as BGZF, with biogo's writer.
func bgzfBytes(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w := bgzf.NewWriter(&buf, 1)
	_, err := w.Write(data)
	require.NoError(tb, err)
	require.NoError(tb, w.Close())
	return buf.Bytes()
}

// gzipBytes compresses data as plain gzip (no BGZF extra field).
func gzipBytes(tb testing.TB, data []byte) []byte {
	tb.Helper()
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	_, err := w.Write(data)
	require.NoError(tb, err)
	require.NoError(tb, w.Close())
	return buf.Bytes()
}

func le32(v int32) []byte { return binary.LittleEndian.AppendUint32(nil, uint32(v)) }

// bamBytes builds a decompressed BAM header: magic, text and references.
func bamBytes(text string, refs ...Contig) []byte {
	b := append([]byte("BAM\x01"), le32(int32(len(text)))...)
	b = append(b, text...)
	b = append(b, le32(int32(len(refs)))...)
	for _, r := range refs {
		b = append(b, le32(int32(len(r.Name)+1))...)
		b = append(b, r.Name...)
		b = append(b, 0)
		b = append(b, le32(int32(r.Length))...)
	}
	return b
}

// bcfBytes builds a decompressed BCF header of the given minor version.
func bcfBytes(minor byte, text string) []byte {
	b := append([]byte("BCF\x02"), minor)
	b = append(b, le32(int32(len(text)+1))...)
	b = append(b, text...)
	return append(b, 0)
}

// appendITF8 encodes v as ITF8.
func appendITF8(b []byte, v int32) []byte {
	u := uint32(v)
	switch {
	case u < 1<<7:
		return append(b, byte(u))
	case u < 1<<14:
		return append(b, byte(u>>8)|0x80, byte(u))
	case u < 1<<21:
		return append(b, byte(u>>16)|0xc0, byte(u>>8), byte(u))
	case u < 1<<28:
		return append(b, byte(u>>24)|0xe0, byte(u>>16), byte(u>>8), byte(u))
	}
	return append(b, byte(u>>28)|0xf0, byte(u>>20), byte(u>>12), byte(u>>4), byte(u&0x0f))
}

// appendLTF8 encodes v as LTF8.
func appendLTF8(b []byte, v int64) []byte {
	u := uint64(v)
	n := 0 // bytes after the first
	for n < 8 && u >= 1<<(7*(n+1)) {
		n++
	}
	if n == 8 {
		b = append(b, 0xff)
		return binary.BigEndian.AppendUint64(b, u)
	}
	if n == 7 {
		b = append(b, 0xfe)
		return append(b, byte(u>>48), byte(u>>40), byte(u>>32), byte(u>>24), byte(u>>16), byte(u>>8), byte(u))
	}
	prefix := byte(0xff << (8 - n))
	b = append(b, prefix|byte(u>>(8*n)))
	for i := n - 1; i >= 0; i-- {
		b = append(b, byte(u>>(8*i)))
	}
	return b
}

// cramSpec describes a synthetic CRAM file for tests.
type cramSpec struct {
	major, minor byte
	text         string
	method       byte // block compression: 0 raw, 1 gzip, others left raw
	contentType  byte
	badCRC       bool
	noBlocks     bool
}

// cramBytes builds a CRAM file definition and a first container holding the
// SAM header block, with CRC32s for major version 3.
func cramBytes(tb testing.TB, s cramSpec) []byte {
	tb.Helper()
	content := append(le32(int32(len(s.text))), s.text...)
	data := content
	if s.method == 1 {
		data = gzipBytes(tb, content)
	}
	withCRC := s.major >= 3
	block := []byte{s.method, s.contentType}
	block = appendITF8(block, 0)
	block = appendITF8(block, int32(len(data)))
	block = appendITF8(block, int32(len(content)))
	block = append(block, data...)
	if withCRC {
		block = binary.LittleEndian.AppendUint32(block, crc32.ChecksumIEEE(block))
	}
	nBlocks := int32(1)
	if s.noBlocks {
		nBlocks, block = 0, nil
	}

	hdr := le32(int32(len(block)))
	for _, v := range []int32{0, 0, 0, 0} {
		hdr = appendITF8(hdr, v)
	}
	hdr = appendLTF8(hdr, 0)
	hdr = appendLTF8(hdr, 0)
	hdr = appendITF8(hdr, nBlocks)
	hdr = appendITF8(hdr, 1) // one landmark
	hdr = appendITF8(hdr, 0)
	if withCRC {
		sum := crc32.ChecksumIEEE(hdr)
		if s.badCRC {
			sum++
		}
		hdr = binary.LittleEndian.AppendUint32(hdr, sum)
	}
	def := append([]byte("CRAM"), s.major, s.minor)
	def = append(def, make([]byte, 20)...)
	copy(def[6:], "synthetic.cram")
	return append(append(def, hdr...), block...)
}
