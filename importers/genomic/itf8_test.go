package genomic

import (
	"bytes"
	"io"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestITF8(t *testing.T) {
	tests := []struct {
		enc  []byte
		want int32
	}{
		{[]byte{0x00}, 0},
		{[]byte{0x7f}, 127},
		{[]byte{0x80, 0x80}, 128},
		{[]byte{0xbf, 0xff}, 1<<14 - 1},
		{[]byte{0xc0, 0x40, 0x00}, 1 << 14},
		{[]byte{0xdf, 0xff, 0xff}, 1<<21 - 1},
		{[]byte{0xef, 0xff, 0xff, 0xff}, 1<<28 - 1},
		{[]byte{0xf1, 0x00, 0x00, 0x00, 0x00}, 1 << 28},
		{[]byte{0xf0, 0x10, 0x00, 0x00, 0x00}, 1 << 24},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0x0f}, -1},
		{[]byte{0xff, 0xff, 0xff, 0xff, 0xfe}, -2}, // high bits of the last byte ignored
		{[]byte{0xa8, 0x5a}, 10330},                // seen in a CRAM 2.1 header block
	}
	for _, tt := range tests {
		got, err := readITF8(bytes.NewReader(tt.enc))
		require.NoError(t, err, "% x", tt.enc)
		assert.Equal(t, tt.want, got, "% x", tt.enc)
	}
	for _, v := range []int32{0, 1, 127, 128, 16383, 16384, 1<<21 - 1, 1 << 21, 1<<28 - 1, 1 << 28, math.MaxInt32, -1, math.MinInt32} {
		got, err := readITF8(bytes.NewReader(appendITF8(nil, v)))
		require.NoError(t, err)
		assert.Equal(t, v, got)
	}
	_, err := readITF8(bytes.NewReader(nil))
	assert.Equal(t, io.EOF, err)
	for _, enc := range [][]byte{{0x80}, {0xc0, 0}, {0xe0, 0, 0}, {0xf0, 0, 0, 0}} {
		_, err := readITF8(bytes.NewReader(enc))
		assert.Equal(t, io.ErrUnexpectedEOF, err, "% x", enc)
	}
}

func TestLTF8(t *testing.T) {
	values := []int64{0, 1, 127, 128, 1<<14 - 1, 1 << 14, 1<<21 - 1, 1 << 21, 1 << 28, 1 << 35, 1 << 42, 1 << 49, 1<<56 - 1, 1 << 56, math.MaxInt64, -1}
	for _, v := range values {
		enc := appendLTF8(nil, v)
		got, err := readLTF8(bytes.NewReader(enc))
		require.NoError(t, err)
		assert.Equal(t, v, got, "% x", enc)
	}
	assert.Equal(t, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, appendLTF8(nil, -1))
	_, err := readLTF8(bytes.NewReader(nil))
	assert.Equal(t, io.EOF, err)
	_, err = readLTF8(bytes.NewReader([]byte{0xff, 1, 2}))
	assert.Equal(t, io.ErrUnexpectedEOF, err)
}
