package genomic

import (
	"bytes"
	"compress/gzip"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIsBGZF(t *testing.T) {
	tests := []struct {
		extra []byte
		want  bool
	}{
		{nil, false},
		{[]byte{'B', 'C', 2, 0, 0x1b, 0}, true},
		{[]byte{'X', 'Y', 1, 0, 9, 'B', 'C', 2, 0, 0x1b, 0}, true}, // after another subfield
		{[]byte{'B', 'C', 2, 0, 0x1b}, false},                      // cut
		{[]byte{'B', 'C', 4, 0, 1, 2, 3, 4}, false},                // wrong length
		{[]byte{'X', 'Y', 200, 0, 1}, false},                       // subfield overruns
		{[]byte{'B', 'D', 2, 0, 0, 0}, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, isBGZF(tt.extra), "% x", tt.extra)
	}
}

func TestReadHeaderDetection(t *testing.T) {
	vcf := []byte("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
	gzipWithExtra := func(extra []byte, data []byte) []byte {
		var buf bytes.Buffer
		w := gzip.NewWriter(&buf)
		w.Header.Extra = extra
		w.Write(data)
		w.Close()
		return buf.Bytes()
	}
	tests := []struct {
		name   string
		data   []byte
		format string
		bgzf   bool
		err    error
		msg    string
	}{
		{"empty", nil, "", false, ErrEmpty, "file is empty"},
		{"one byte", []byte{0x1f}, "", false, ErrUnknownFormat, "not BAM, CRAM, VCF or BCF"},
		{"gzip magic only", []byte{0x1f, 0x8b}, "", false, ErrTruncated, "gzip header"},
		{"gzip, bad method", []byte{0x1f, 0x8b, 9, 0, 0, 0, 0, 0, 0, 0}, "", false, nil, "gzip header"},
		{"empty BGZF", bgzfBytes(t, nil), "", true, ErrEmpty, "BGZF stream holds no data"},
		{"BGZF VCF", bgzfBytes(t, vcf), FormatVCF, true, nil, ""},
		{"gzip VCF", gzipBytes(t, vcf), FormatVCF, false, nil, ""},
		{"gzip VCF with another extra field", gzipWithExtra([]byte{'X', 'Y', 0, 0}, vcf), FormatVCF, false, nil, ""},
		{"gzip text", gzipBytes(t, []byte("hello")), "", false, ErrNotBGZF, "content is not VCF"},
		{"BGZF text", bgzfBytes(t, []byte("hello")), "", true, ErrUnknownFormat, "BGZF-compressed content"},
		{"plain VCF", vcf, FormatVCF, false, nil, ""},
		{"SAM", []byte("@HD\tVN:1.6\n"), "", false, ErrUnknownFormat, "SAM text is not supported"},
		{"BCF 1", bgzfBytes(t, []byte("BCF\x04rest")), "", true, ErrUnknownFormat, "BCF version 1"},
		{"other fileformat", []byte("##fileformat=GFF3\n"), "", false, ErrUnknownFormat, "not VCF"},
		{"FASTA", []byte(">chr1\nACGT\n"), "", false, ErrUnknownFormat, "FASTA"},
		{"CRAM magic only", []byte("CRAM"), "", false, ErrTruncated, "CRAM file definition"},
		{"BAM magic only", []byte("BAM\x01"), "", false, ErrTruncated, "BAM header length"},
		{"short BAM-like", []byte("BAM"), "", false, ErrUnknownFormat, ""},
		{"BGZF BAM, wrong version", bgzfBytes(t, []byte("BAM\x02\x00\x00\x00\x00")), "", true, ErrUnknownFormat, "version byte 2"},
		{"corrupt deflate", append(bgzfBytes(t, vcf)[:18], 0xff, 0xff, 0xff, 0xff), "", true, nil, "flate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, c, err := readHeader(bytes.NewReader(tt.data))
			if tt.format == "" {
				require.Error(t, err)
				assert.Nil(t, h)
				if tt.err != nil {
					assert.ErrorIs(t, err, tt.err)
				}
				assert.Contains(t, err.Error(), tt.msg)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.format, h.Format)
			assert.Equal(t, tt.bgzf, c == bgzfBlocks)
		})
	}
}

func FuzzDetect(f *testing.F) {
	for _, s := range fixtureSeeds(f, "*", false, 8<<10) {
		f.Add(s)
	}
	f.Add([]byte{})
	f.Add([]byte{0x1f, 0x8b})
	f.Fuzz(func(t *testing.T, data []byte) {
		h, _, err := readHeader(bytes.NewReader(data))
		checkResult(t, h, err)
		// The end-of-file check as well.
		h, err = ReadHeader(bytes.NewReader(data))
		checkResult(t, h, err)
	})
}
