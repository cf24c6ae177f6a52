package genomic

import (
	"bytes"
	"encoding/binary"
	"os"
	"testing"

	"github.com/biogo/hts/bam"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadBAM(t *testing.T) {
	sq := "@SQ\tSN:chr1\tLN:248956422\n@RG\tID:a\tSM:s\n"
	chr1 := Contig{"chr1", 248956422}
	withNegative := func(b []byte, off int) []byte {
		b = bytes.Clone(b)
		binary.LittleEndian.PutUint32(b[off:], 0xfffffff0)
		return b
	}
	good := bamBytes(sq, chr1)
	tests := []struct {
		name    string
		data    []byte
		err     error
		contigs []Contig
		samples []string
	}{
		{"header and references", good, nil, []Contig{chr1}, []string{"s"}},
		{"NUL-padded text", bamBytes(sq+"\x00\x00\x00", chr1), nil, []Contig{chr1}, []string{"s"}},
		{"binary references win over @SQ", bamBytes(sq, Contig{"1", 249250621}), nil, []Contig{{"1", 249250621}}, []string{"s"}},
		{"no references: @SQ lines", bamBytes(sq), nil, []Contig{chr1}, []string{"s"}},
		{"empty header", bamBytes(""), nil, []Contig{}, []string{}},
		{"negative l_text", withNegative(good, 4), ErrCorrupt, nil, nil},
		{"huge l_text", func() []byte { b := bytes.Clone(good); binary.LittleEndian.PutUint32(b[4:], 1<<30); return b }(), ErrCorrupt, nil, nil},
		{"l_text beyond the data", func() []byte { b := bytes.Clone(good); binary.LittleEndian.PutUint32(b[4:], 1<<20); return b }(), ErrTruncated, nil, nil},
		{"negative n_ref", withNegative(good, 8+len(sq)), ErrCorrupt, nil, nil},
		{"zero-length name", func() []byte { b := bytes.Clone(good); binary.LittleEndian.PutUint32(b[12+len(sq):], 0); return b }(), ErrCorrupt, nil, nil},
		{"negative reference length", withNegative(good, len(good)-4), ErrCorrupt, nil, nil},
		{"cut in the reference list", good[:len(good)-2], ErrTruncated, nil, nil},
		{"cut after the text", good[:8+len(sq)], ErrTruncated, nil, nil},
		{"cut in the magic", good[:3], ErrTruncated, nil, nil},
		{"wrong magic", append([]byte("BAM\x02"), good[4:]...), ErrUnknownFormat, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := readBAM(bytes.NewReader(tt.data))
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
				assert.Nil(t, h)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.contigs, h.Contigs)
			assert.Equal(t, tt.samples, h.Samples)

			// The same content compressed as BGZF, and uncompressed, reads the same.
			for _, data := range [][]byte{bgzfBytes(t, tt.data), tt.data} {
				h2, c, err := readHeader(bytes.NewReader(data))
				require.NoError(t, err)
				assert.Equal(t, h, h2)
				assert.Equal(t, len(data) != len(tt.data), c == bgzfBlocks)
			}
		})
	}
}

func TestReadHeaderBAMInPlainGzip(t *testing.T) {
	_, _, err := readHeader(bytes.NewReader(gzipBytes(t, bamBytes(""))))
	assert.ErrorIs(t, err, ErrNotBGZF)
	assert.EqualError(t, err, "BAM: gzip-compressed but not BGZF")
}

// TestBAMAgreesWithBiogo compares the contigs and read groups with what
// biogo/hts's BAM reader finds, for the fixtures it can read.
func TestBAMAgreesWithBiogo(t *testing.T) {
	for _, name := range []string{"grch38.bam", "multi_rg.bam", "no_rg.bam", "t2t.bam", "as_only.bam", "unknown.bam"} {
		t.Run(name, func(t *testing.T) {
			h, err := InspectFile(fixture(name))
			require.NoError(t, err)
			f, err := os.Open(fixture(name))
			require.NoError(t, err)
			defer f.Close()
			br, err := biogoBAMReader(f)
			require.NoError(t, err)
			defer br.Close()
			var contigs []Contig
			for _, r := range br.Header().Refs() {
				contigs = append(contigs, Contig{r.Name(), int64(r.Len())})
			}
			assert.Equal(t, contigs, h.Contigs)
			var ids []string
			for _, rg := range br.Header().RGs() {
				ids = append(ids, rg.Name())
			}
			var got []string
			for _, rg := range h.ReadGroups {
				got = append(got, rg.ID)
			}
			assert.Equal(t, ids, got)
		})
	}
}

// biogoBAMReader opens a BAM with biogo, turning a panic into an error.
func biogoBAMReader(f *os.File) (br *bam.Reader, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = assert.AnError
		}
	}()
	return bam.NewReader(f, 1)
}

func FuzzBAM(f *testing.F) {
	for _, s := range fixtureSeeds(f, "*.bam", true, 4<<10) {
		f.Add(s)
	}
	f.Add(bamBytes("@SQ\tSN:chr1\tLN:248956422\tAS:GRCh38\n@RG\tID:a\tSM:s\tDT:x\t\n@PG\tID:p\n", Contig{"chr1", 248956422}))
	f.Add(bamBytes(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := readBAM(bytes.NewReader(data))
		checkResult(t, h, err)
		if bytes.HasPrefix(data, magicBAM) {
			// Detection reaches the same parser (uncompressed BAM). BGZF is
			// not fuzzed here: the compressor's coverage would swamp the
			// parser's; FuzzDetect and the unit tests cover it.
			h2, _, err2 := readHeader(bytes.NewReader(data))
			sameResult(t, h, err, h2, err2)
		}
	})
}
