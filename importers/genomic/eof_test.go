package genomic

import (
	"bytes"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// streamOnly hides every method of a reader but Read: a pipe.
type streamOnly struct{ r io.Reader }

func (s streamOnly) Read(p []byte) (int, error) { return s.r.Read(p) }

// seekOnly hides io.ReaderAt and Size: an io.ReadSeeker and no more.
type seekOnly struct{ r *bytes.Reader }

func (s seekOnly) Read(p []byte) (int, error)                { return s.r.Read(p) }
func (s seekOnly) Seek(off int64, whence int) (int64, error) { return s.r.Seek(off, whence) }

// failingAt is a sized io.ReaderAt whose reads fail.
type failingAt struct{ *bytes.Reader }

func (failingAt) ReadAt([]byte, int64) (int, error) { return 0, errors.New("disk on fire") }

func TestReadHeaderEndOfFile(t *testing.T) {
	// biogo's BGZF writer ends the stream with the EOF block, as samtools does.
	bam := bgzfBytes(t, bamBytes("@SQ\tSN:chr1\tLN:248956422\n", Contig{"chr1", 248956422}))
	require.Equal(t, bgzfEOF, bam[len(bam)-len(bgzfEOF):])
	vcf := []byte("##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n")
	cram3 := cramBytes(t, cramSpec{major: 3, minor: 0, text: cramText, method: 1})
	cram21 := cramBytes(t, cramSpec{major: 2, minor: 1, text: cramText})
	cram20 := cramBytes(t, cramSpec{major: 2, minor: 0, text: cramText})
	// htsjdk before 2.x wrote 0xff in the last byte of the ITF8 -1 of the
	// CRAM EOF container; htslib compares its low four bits only.
	javaEOF := bytes.Clone(cramEOF3)
	javaEOF[cramITF8Tail] = 0xff
	cut := func(b []byte, n int) []byte { return b[:len(b)-n] }
	cat := func(a, b []byte) []byte { return append(bytes.Clone(a), b...) }

	tests := []struct {
		name     string
		data     []byte
		err      string // "" when the header reads
		warnings []string
		marker   bool // the format has an end-of-file marker
	}{
		{"BGZF BAM", bam, "", []string{}, true},
		{"BGZF BAM without EOF block", cut(bam, len(bgzfEOF)), "BGZF end-of-file marker is missing", nil, true},
		{"BGZF BAM cut inside the EOF block", cut(bam, 1), "BGZF end-of-file marker is missing", nil, true},
		{"BGZF BAM, data after the EOF block", cat(bam, []byte{0}), "BGZF end-of-file marker is missing", nil, true},
		{"BGZF VCF without EOF block", cut(bgzfBytes(t, vcf), len(bgzfEOF)), "BGZF end-of-file marker is missing", nil, true},
		{"BGZF BCF without EOF block", cut(bgzfBytes(t, bcfBytes(2, bcfText)), len(bgzfEOF)), "BGZF end-of-file marker is missing", nil, true},
		{"CRAM 3.0", cat(cram3, cramEOF3), "", []string{}, true},
		{"CRAM 3.0, EOF written by old htsjdk", cat(cram3, javaEOF), "", []string{}, true},
		{"CRAM 3.0 without EOF container", cram3, "CRAM end-of-file container is missing", nil, true},
		{"CRAM 3.0 ending with the 2.1 EOF container", cat(cram3, cramEOF21), "CRAM end-of-file container is missing", nil, true},
		{"CRAM 2.1", cat(cram21, cramEOF21), "", []string{}, true},
		{"CRAM 2.1 without EOF container", cram21, "CRAM end-of-file container is missing", nil, true},
		{"CRAM 2.0 has no EOF container", cram20, "", []string{}, false},
		{"plain VCF: nothing to check", vcf, "", []string{}, false},
		{"uncompressed BAM: nothing to check", bamBytes(""), "", []string{}, false},
		{"plain gzip VCF: a warning", gzipBytes(t, vcf), "", []string{warnPlainGzip}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, r := range []io.Reader{bytes.NewReader(tt.data), seekOnly{bytes.NewReader(tt.data)}} {
				h, err := ReadHeader(r)
				if tt.err != "" {
					require.Error(t, err, "%T", r)
					assert.ErrorIs(t, err, ErrTruncated)
					assert.Contains(t, err.Error(), tt.err)
					assert.Nil(t, h)
					continue
				}
				require.NoError(t, err, "%T", r)
				assert.Equal(t, tt.warnings, h.Warnings, "%T", r)
			}

			// A stream cannot be read at its end: the header says so
			// where there was an end to check, and nothing fails.
			h, err := ReadHeader(streamOnly{bytes.NewReader(tt.data)})
			require.NoError(t, err)
			if tt.marker {
				assert.Equal(t, []string{warnNoSeek}, h.Warnings)
			} else {
				assert.Equal(t, tt.warnings, h.Warnings)
			}
		})
	}
}

func TestReadHeaderEndReadError(t *testing.T) {
	bam := bgzfBytes(t, bamBytes(""))
	_, err := ReadHeader(failingAt{bytes.NewReader(bam)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "genomic: reading the end of the file: disk on fire")
}

func TestReadTailSeekPutsPositionBack(t *testing.T) {
	r := seekOnly{bytes.NewReader([]byte("0123456789"))}
	_, err := r.Seek(3, io.SeekStart)
	require.NoError(t, err)
	tail, ok, err := readTail(r, 4)
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, "6789", string(tail))
	pos, err := r.Seek(0, io.SeekCurrent)
	require.NoError(t, err)
	assert.Equal(t, int64(3), pos)

	tail, ok, err = readTail(bytes.NewReader([]byte("ab")), 4) // shorter than asked
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, "ab", string(tail))
}

func TestReadTailPipe(t *testing.T) {
	// An *os.File that is not a regular file cannot be read at its end.
	pr, pw, err := os.Pipe()
	require.NoError(t, err)
	defer pr.Close()
	defer pw.Close()
	_, ok, err := readTail(pr, 28)
	require.NoError(t, err)
	assert.False(t, ok)
}

func TestInspectFileWarnings(t *testing.T) {
	h, err := InspectFile(fixture("plain_gzip.vcf.gz"))
	require.NoError(t, err)
	assert.Equal(t, []string{warnPlainGzip}, h.Warnings)
	for _, name := range []string{"grch38.bam", "grch38.vcf.gz", "grch38.bcf", "grch38.vcf", "multi_rg_v21.cram", "multi_rg_v31.cram"} {
		h, err := InspectFile(fixture(name))
		require.NoError(t, err)
		assert.Equal(t, []string{}, h.Warnings, name)
	}
}
