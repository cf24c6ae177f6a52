package genomic

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const cramText = "@HD\tVN:1.6\n@SQ\tSN:chr1\tLN:248387328\n@RG\tID:r\tSM:CHM13\n@PG\tID:p\tPN:p\n"

func TestReadCRAM(t *testing.T) {
	tests := []struct {
		name    string
		spec    cramSpec
		version string
		err     error
		msg     string
	}{
		{"2.1 raw", cramSpec{major: 2, minor: 1, text: cramText}, "2.1", nil, ""},
		{"2.1 gzip", cramSpec{major: 2, minor: 1, text: cramText, method: 1}, "2.1", nil, ""},
		{"3.0 raw", cramSpec{major: 3, minor: 0, text: cramText}, "3.0", nil, ""},
		{"3.0 gzip", cramSpec{major: 3, minor: 0, text: cramText, method: 1}, "3.0", nil, ""},
		{"3.1 gzip", cramSpec{major: 3, minor: 1, text: cramText, method: 1}, "3.1", nil, ""},
		{"3.0 bad CRC", cramSpec{major: 3, text: cramText, badCRC: true}, "", ErrCorrupt, "CRC32 mismatch"},
		{"rANS block", cramSpec{major: 3, text: cramText, method: 4}, "", ErrUnsupported, "rANS4x8"},
		{"lzma block", cramSpec{major: 3, text: cramText, method: 3}, "", ErrUnsupported, "lzma"},
		{"unknown method", cramSpec{major: 3, text: cramText, method: 42}, "", ErrUnsupported, "method 42"},
		{"not a header block", cramSpec{major: 3, text: cramText, contentType: 1}, "", ErrCorrupt, "content type 1"},
		{"no block", cramSpec{major: 3, text: cramText, noBlocks: true}, "", ErrCorrupt, "no block"},
		{"version 1", cramSpec{major: 1, minor: 0, text: cramText}, "", ErrUnsupported, "CRAM version 1.0"},
		{"version 4", cramSpec{major: 4, minor: 0, text: cramText}, "", ErrUnsupported, "CRAM version 4.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := cramBytes(t, tt.spec)
			h, err := readCRAM(bytes.NewReader(data), true)
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
				assert.Contains(t, err.Error(), tt.msg)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, FormatCRAM, h.Format)
			assert.Equal(t, tt.version, h.FormatVersion)
			assert.Equal(t, []string{"CHM13"}, h.Samples)
			assert.Equal(t, []Contig{{"chr1", 248387328}}, h.Contigs)
			assert.Equal(t, AssemblyT2T, h.Assembly)
			assert.Equal(t, []Program{{ID: "p", Name: "p"}}, h.Programs)

			// Every cut of the file is an error, never a panic.
			for i := range data {
				_, err := readCRAM(bytes.NewReader(data[:i]), true)
				require.Error(t, err, "cut at %d", i)
			}
		})
	}
}

func TestReadCRAMBadCRCIgnoredWhenNotChecked(t *testing.T) {
	h, err := readCRAM(bytes.NewReader(cramBytes(t, cramSpec{major: 3, text: cramText, badCRC: true})), false)
	require.NoError(t, err)
	assert.Equal(t, []string{"CHM13"}, h.Samples)
}

func TestReadCRAMHeaderLengthTooLong(t *testing.T) {
	data := cramBytes(t, cramSpec{major: 2, minor: 1, text: cramText})
	// The int32 length at the start of the block content, after the 26-byte
	// definition, the container header and the block header.
	i := bytes.Index(data, []byte("@HD")) - 4
	data[i+1] = 0x7f
	_, err := readCRAM(bytes.NewReader(data), false)
	assert.ErrorIs(t, err, ErrCorrupt)
}

func FuzzCRAM(f *testing.F) {
	for _, s := range fixtureSeeds(f, "*.cram", false, 4<<10) {
		f.Add(s)
	}
	for _, spec := range []cramSpec{
		{major: 2, minor: 1, text: cramText},
		{major: 3, minor: 0, text: cramText, method: 1},
		{major: 3, minor: 1, text: cramText},
	} {
		f.Add(cramBytes(f, spec))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		// Without the CRC check mutations reach the header block.
		h, err := readCRAM(bytes.NewReader(data), false)
		checkResult(t, h, err)
		h, err = readCRAM(bytes.NewReader(data), true)
		checkResult(t, h, err)
		if bytes.HasPrefix(data, magicCRAM) {
			h2, _, err2 := readHeader(bytes.NewReader(data))
			sameResult(t, h, err, h2, err2)
		}
	})
}
