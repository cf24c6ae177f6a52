package genomic

import (
	"bytes"
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const bcfText = "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n##source=x\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tb\ta\n"

func TestReadBCF(t *testing.T) {
	tests := []struct {
		name    string
		data    []byte
		version string
		err     error
	}{
		{"2.2", bcfBytes(2, bcfText), "2.2", nil},
		{"2.1", bcfBytes(1, bcfText), "2.1", nil},
		{"unknown minor read anyway", bcfBytes(9, bcfText), "2.9", nil},
		{"CRLF text", bcfBytes(2, "##fileformat=VCFv4.2\r\n##contig=<ID=chr1,length=248956422>\r\n##source=x\r\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tb\ta\r\n"), "2.2", nil},
		{"no #CHROM line", bcfBytes(2, "##fileformat=VCFv4.2\n"), "", ErrTruncated},
		{"data line in the text", bcfBytes(2, "##fileformat=VCFv4.2\nchr1\t1\n"), "", ErrCorrupt},
		{"l_text beyond the data", func() []byte {
			b := bcfBytes(2, bcfText)
			binary.LittleEndian.PutUint32(b[5:], 1<<20)
			return b
		}(), "", ErrTruncated},
		{"huge l_text", func() []byte {
			b := bcfBytes(2, bcfText)
			binary.LittleEndian.PutUint32(b[5:], 0xffffffff)
			return b
		}(), "", ErrCorrupt},
		{"cut in the length", bcfBytes(2, bcfText)[:7], "", ErrTruncated},
		{"BCF 1", append([]byte("BCF\x04"), 0, 0, 0, 0, 0), "", ErrUnknownFormat},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := readBCF(bytes.NewReader(tt.data))
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
				assert.Nil(t, h)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, FormatBCF, h.Format)
			assert.Equal(t, tt.version, h.FormatVersion)
			assert.Equal(t, []string{"a", "b"}, h.Samples)
			assert.Equal(t, []Contig{{"chr1", 248956422}}, h.Contigs)
			assert.Equal(t, AssemblyGRCh38, h.Assembly)
			assert.Equal(t, []Program{{Name: "x"}}, h.Programs)

			h2, c, err := readHeader(bytes.NewReader(bgzfBytes(t, tt.data)))
			require.NoError(t, err)
			assert.Equal(t, bgzfBlocks, c)
			assert.Equal(t, h, h2)
		})
	}
}

func TestReadHeaderBCFInPlainGzip(t *testing.T) {
	_, _, err := readHeader(bytes.NewReader(gzipBytes(t, bcfBytes(2, bcfText))))
	assert.ErrorIs(t, err, ErrNotBGZF)
}

func FuzzBCF(f *testing.F) {
	for _, s := range fixtureSeeds(f, "*.bcf", true, 4<<10) {
		f.Add(s)
	}
	for _, s := range fixtureSeeds(f, "*_uncompressed.bcf", false, 4<<10) {
		f.Add(s)
	}
	f.Add(bcfBytes(2, bcfText))
	f.Add(bcfBytes(1, "##fileformat=VCFv4.1\n#CHROM\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := readBCF(bytes.NewReader(data))
		checkResult(t, h, err)
		if bytes.HasPrefix(data, magicBCF) {
			h1, _, err1 := readHeader(bytes.NewReader(data))
			sameResult(t, h, err, h1, err1)
		}
	})
}
