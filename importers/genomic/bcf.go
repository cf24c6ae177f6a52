package genomic

import (
	"bytes"
	"fmt"
	"io"
)

// readBCF reads a decompressed BCF header from r: the magic "BCF\2" and the
// minor version, l_text (uint32, little-endian) and the VCF header text.
// Any BCF 2 minor version is read, as htslib does.
func readBCF(r io.Reader) (*Header, error) {
	var magic [5]byte
	if _, err := io.ReadFull(r, magic[:]); err != nil {
		return nil, readErr("BCF magic", err)
	}
	if !bytes.Equal(magic[:4], magicBCF) {
		return nil, unknownContent(magic[:], "")
	}
	lText, err := readInt32(r, "BCF header length")
	if err != nil {
		return nil, err
	}
	text, err := readBytes(r, int64(uint32(lText)), "BCF header text")
	if err != nil {
		return nil, err
	}
	var v vcfHeader
	for _, l := range bytes.Split(cString(text), []byte{'\n'}) {
		if err := v.line(string(bytes.TrimSuffix(l, []byte{'\r'}))); err != nil {
			return nil, err
		}
		if v.done {
			break
		}
	}
	if !v.done {
		return nil, fmt.Errorf("BCF header text: %w", errNoChrom)
	}
	h := newHeader(FormatBCF, fmt.Sprintf("%d.%d", magic[3], magic[4]))
	v.fill(h)
	return h, nil
}
