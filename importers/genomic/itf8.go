package genomic

import "io"

// readITF8 reads a CRAM ITF8 integer: 1 to 5 bytes, the count given by the
// leading one bits of the first byte.
func readITF8(r io.ByteReader) (int32, error) {
	b0, err := r.ReadByte()
	if err != nil {
		return 0, err
	}
	var n int    // bytes that follow
	var v uint32 // value bits of the first byte
	switch {
	case b0&0x80 == 0:
		return int32(b0), nil
	case b0&0x40 == 0:
		n, v = 1, uint32(b0&0x3f)
	case b0&0x20 == 0:
		n, v = 2, uint32(b0&0x1f)
	case b0&0x10 == 0:
		n, v = 3, uint32(b0&0x0f)
	default:
		// 1111xxxx: 4 more bytes, of which the last gives only 4 bits.
		v = uint32(b0 & 0x0f)
		for range 3 {
			b, err := r.ReadByte()
			if err != nil {
				return 0, noEOF(err)
			}
			v = v<<8 | uint32(b)
		}
		b, err := r.ReadByte()
		if err != nil {
			return 0, noEOF(err)
		}
		return int32(v<<4 | uint32(b&0x0f)), nil
	}
	for range n {
		b, err := r.ReadByte()
		if err != nil {
			return 0, noEOF(err)
		}
		v = v<<8 | uint32(b)
	}
	return int32(v), nil
}

// readLTF8 reads a CRAM LTF8 integer: 1 to 9 bytes, the count given by the
// leading one bits of the first byte.
func readLTF8(r io.ByteReader) (int64, error) {
	b0, err := r.ReadByte()
	if err != nil {
		return 0, err
	}
	n := 0 // leading one bits = bytes that follow
	for n < 8 && b0&(0x80>>n) != 0 {
		n++
	}
	var v uint64
	if n < 7 {
		v = uint64(b0 & (0x7f >> n))
	}
	for range n {
		b, err := r.ReadByte()
		if err != nil {
			return 0, noEOF(err)
		}
		v = v<<8 | uint64(b)
	}
	return int64(v), nil
}

// noEOF turns io.EOF in the middle of a value into io.ErrUnexpectedEOF.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
