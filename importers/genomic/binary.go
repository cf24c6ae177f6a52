package genomic

import (
	"encoding/binary"
	"fmt"
	"io"
)

// maxHeaderText bounds the size of a header text (SAM or VCF). Real headers
// are at most a few megabytes; the bound keeps a corrupt length from making
// the reader consume a whole large file.
const maxHeaderText = 256 << 20

// maxNameLen bounds the length of a BAM reference name.
const maxNameLen = 1 << 16

// readInt32 reads a little-endian int32.
func readInt32(r io.Reader, what string) (int32, error) {
	var b [4]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return 0, readErr(what, err)
	}
	return int32(binary.LittleEndian.Uint32(b[:])), nil
}

// readBytes reads exactly n bytes. The buffer grows with the data actually
// read, so a corrupt n on a short input costs no more than the input.
func readBytes(r io.Reader, n int64, what string) ([]byte, error) {
	if n < 0 {
		return nil, corrupt("%s has negative length %d", what, n)
	}
	if n > maxHeaderText {
		return nil, fmt.Errorf("%s of %d bytes exceeds the limit of %d: %w", what, n, maxHeaderText, ErrCorrupt)
	}
	b, err := io.ReadAll(io.LimitReader(r, n))
	if err != nil {
		return nil, readErr(what, err)
	}
	if int64(len(b)) < n {
		return nil, readErr(what, io.ErrUnexpectedEOF)
	}
	return b, nil
}

// cString returns b up to its first NUL byte.
func cString(b []byte) []byte {
	for i, c := range b {
		if c == 0 {
			return b[:i]
		}
	}
	return b
}
