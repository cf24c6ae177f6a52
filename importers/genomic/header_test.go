package genomic

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInspectFileFixtures(t *testing.T) {
	grch38 := []Contig{{"chr1", 248956422}, {"chr2", 242193529}, {"chrX", 156040895}, {"chrM", 16569}}
	t2t := []Contig{{"chr1", 248387328}, {"chr2", 242696752}, {"chrX", 154259566}, {"chrM", 16569}}
	b37 := []Contig{{"1", 249250621}, {"2", 243199373}, {"X", 155270560}, {"MT", 16569}}
	multiSamples := []string{"HG002", "HG003", "HG004"}
	vcfSamples := []string{"HG002", "NA12878", "NA12891"}

	tests := []struct {
		file        string
		format, ver string
		samples     []string
		readGroups  int
		contigs     []Contig
		assembly    string
		programs    int
		index       string // base name, "" for none
	}{
		{"grch38.bam", FormatBAM, "1", []string{"NA12878"}, 1, grch38, AssemblyGRCh38, 1, "grch38.bam.bai"},
		{"multi_rg.bam", FormatBAM, "1", multiSamples, 4, grch38, AssemblyGRCh38, 2, "multi_rg.bam.csi"},
		{"no_rg.bam", FormatBAM, "1", []string{}, 0, b37, AssemblyGRCh37, 0, "no_rg.bai"},
		{"t2t.bam", FormatBAM, "1", []string{"CHM13"}, 1, t2t, AssemblyT2T, 0, ""},
		{"as_only.bam", FormatBAM, "1", []string{"NA12891"}, 1, []Contig{{"chr21", 48129895}, {"chr22", 51304566}}, AssemblyGRCh37, 0, ""},
		{"unknown.bam", FormatBAM, "1", []string{}, 0, []Contig{{"contig_1", 5000}, {"contig_2", 3000}}, AssemblyUnknown, 1, ""},
		{"warn_rg.bam", FormatBAM, "1", []string{"S1", "S2", "S3"}, 3, grch38, AssemblyGRCh38, 0, ""},
		{"lenient.bam", FormatBAM, "1", []string{"S1", "S2"}, 2, grch38, AssemblyGRCh38, 1, ""},
		{"multi_rg_v21.cram", FormatCRAM, "2.1", multiSamples, 4, grch38, AssemblyGRCh38, 2, ""},
		{"multi_rg_v30.cram", FormatCRAM, "3.0", multiSamples, 4, grch38, AssemblyGRCh38, 2, "multi_rg_v30.cram.crai"},
		{"multi_rg_v31.cram", FormatCRAM, "3.1", multiSamples, 4, grch38, AssemblyGRCh38, 2, ""},
		{"t2t.cram", FormatCRAM, "3.0", []string{"CHM13"}, 1, t2t, AssemblyT2T, 0, ""},
		{"grch38.vcf", FormatVCF, "4.2", vcfSamples, 0, grch38, AssemblyGRCh38, 1, ""},
		{"grch38.vcf.gz", FormatVCF, "4.2", vcfSamples, 0, grch38, AssemblyGRCh38, 1, "grch38.vcf.gz.tbi"},
		{"plain_gzip.vcf.gz", FormatVCF, "4.2", vcfSamples, 0, grch38, AssemblyGRCh38, 1, ""},
		{"grch37.vcf.gz", FormatVCF, "4.1", []string{"NA12891"}, 0, b37, AssemblyGRCh37, 1, "grch37.vcf.gz.csi"},
		{"t2t.vcf.gz", FormatVCF, "4.3", []string{"CHM13", "HG002"}, 0, t2t, AssemblyT2T, 1, ""},
		{"reference_only.vcf", FormatVCF, "4.2", []string{}, 0, []Contig{}, AssemblyGRCh38, 0, ""},
		{"grch38.bcf", FormatBCF, "2.2", vcfSamples, 0, grch38, AssemblyGRCh38, 1, "grch38.bcf.csi"},
		{"grch38_uncompressed.bcf", FormatBCF, "2.2", vcfSamples, 0, grch38, AssemblyGRCh38, 1, ""},
		{"many_samples.vcf.gz", FormatVCF, "4.2", nil, 0, grch38, AssemblyGRCh38, 0, "many_samples.vcf.gz.tbi"},
		{"many_samples.bcf", FormatBCF, "2.2", nil, 0, grch38, AssemblyGRCh38, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			h, err := InspectFile(fixture(tt.file))
			require.NoError(t, err)
			assert.Equal(t, tt.format, h.Format)
			assert.Equal(t, tt.ver, h.FormatVersion)
			if tt.samples != nil {
				assert.Equal(t, tt.samples, h.Samples)
			} else {
				assert.Len(t, h.Samples, 2500)
				assert.True(t, isSortedDistinct(h.Samples))
			}
			assert.Len(t, h.ReadGroups, tt.readGroups)
			assert.Equal(t, tt.contigs, h.Contigs)
			assert.Equal(t, tt.assembly, h.Assembly)
			assert.Len(t, h.Programs, tt.programs)
			if tt.index == "" {
				assert.Empty(t, h.Index)
			} else {
				assert.Equal(t, fixture(tt.index), h.Index)
			}
			assert.NotNil(t, h.ReadGroups)
			assert.NotNil(t, h.Programs)
		})
	}
}

func isSortedDistinct(s []string) bool {
	for i := 1; i < len(s); i++ {
		if s[i-1] >= s[i] {
			return false
		}
	}
	return true
}

func TestInspectFileDetails(t *testing.T) {
	h, err := InspectFile(fixture("multi_rg.bam"))
	require.NoError(t, err)
	assert.Equal(t, ReadGroup{ID: "HG002.L1", Sample: "HG002", Library: "libA", Platform: "ILLUMINA", Center: "NIST", Date: "2019-05-02"}, h.ReadGroups[0])
	assert.Equal(t, []Program{
		{ID: "minimap2", Name: "minimap2", Version: "2.26", CommandLine: "minimap2 -ax map-hifi ref.fa reads.fq"},
		{ID: "markdup", Name: "samtools", Version: "1.16.1", CommandLine: "samtools markdup in.bam out.bam"},
	}, h.Programs)

	h, err = InspectFile(fixture("warn_rg.bam"))
	require.NoError(t, err)
	assert.Equal(t, []ReadGroup{
		{ID: "rg1", Sample: "S1", Date: "2020-01-15"},
		{ID: "rg1", Sample: "S2", Date: "last Tuesday"},
		{ID: "rg2", Sample: "S3", Platform: "ILLUMINA", Date: "15/01/2020"},
	}, h.ReadGroups)

	h, err = InspectFile(fixture("grch37.vcf.gz"))
	require.NoError(t, err)
	assert.Equal(t, []Program{{ID: "HaplotypeCaller", Name: "HaplotypeCaller", Version: "4.2.6.1",
		CommandLine: "HaplotypeCaller --input x.bam --output x.vcf.gz"}}, h.Programs)
}

func TestInspectFileErrors(t *testing.T) {
	tests := []struct {
		file string
		want error
		msg  string
	}{
		{"bad_empty.bam", ErrEmpty, "file is empty"},
		{"bad_truncated.bam", ErrTruncated, "truncated"},
		{"bad_truncated_header.bam", ErrTruncated, "BAM header text: file is truncated"},
		{"bad_wrong_magic.bam", ErrUnknownFormat, "BAM magic with version byte 2"},
		{"bad_truncated.cram", ErrTruncated, "CRAM header block"},
		{"bad_truncated.vcf.gz", ErrTruncated, "truncated"},
		{"bad_text.gz", ErrNotBGZF, "not BGZF"},
		{"bad_fasta.fa.gz", ErrUnknownFormat, "FASTA"},
		{"bad_random.bin", ErrUnknownFormat, "not BAM, CRAM, VCF or BCF"},
		{"bad_no_chrom.vcf", ErrTruncated, "#CHROM"},
		{"bad_plain.sam", ErrUnknownFormat, "SAM text is not supported"},
		// Cut short after the header (testdata/genomic/make.sh, head -c);
		// samtools quickcheck 1.16: "was missing EOF block when one should
		// be present", bcftools view: "no BGZF EOF marker".
		{"bad_no_eof.bam", ErrTruncated, "the BGZF end-of-file marker is missing"},
		{"bad_no_eof.vcf.gz", ErrTruncated, "the BGZF end-of-file marker is missing"},
		{"bad_no_eof.bcf", ErrTruncated, "the BGZF end-of-file marker is missing"},
		{"bad_no_eof_v30.cram", ErrTruncated, "the CRAM end-of-file container is missing"},
		{"bad_no_eof_v21.cram", ErrTruncated, "the CRAM end-of-file container is missing"},
		// #CHROM lines bcftools 1.16 refuses ("Could not parse the "#CHROM.."
		// line"); the #CHROM line is the 8th of these files.
		{"bad_chrom_no_info.vcf", ErrCorrupt, "line 8: the #CHROM line lacks the mandatory column INFO"},
		{"bad_chrom_format_only.vcf", ErrCorrupt, "line 8: the #CHROM line has a FORMAT column but no sample column"},
		{"bad_chrom_no_format.vcf.gz", ErrCorrupt, `line 8: column 9 of the #CHROM line is "NA12878", not FORMAT`},
		{"does_not_exist.bam", os.ErrNotExist, "no such file"},
		{"", nil, "is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := fixture(tt.file)
			h, err := InspectFile(path)
			require.Error(t, err)
			assert.Nil(t, h)
			if tt.want != nil {
				assert.ErrorIs(t, err, tt.want)
			}
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, path, e.File)
			assert.True(t, strings.HasPrefix(err.Error(), "genomic: "+path+": "), err.Error())
			assert.Contains(t, err.Error(), tt.msg)
			assert.Equal(t, 1, strings.Count(err.Error(), path), "the path appears once: %s", err)
		})
	}
}

func TestReadHeaderNamesFile(t *testing.T) {
	h, err := ReadHeader(bytes.NewReader(nil))
	assert.Nil(t, h)
	assert.EqualError(t, err, "genomic: file is empty")

	f, err := os.Open(fixture("bad_random.bin"))
	require.NoError(t, err)
	defer f.Close()
	_, err = ReadHeader(f)
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "genomic: "+f.Name()+": "), err.Error())
}

func TestReadHeaderReadsOnlyTheHeader(t *testing.T) {
	// A BAM header followed by a large amount of data: ReadHeader must stop
	// after the header and its read-ahead buffers.
	head := bgzfBytes(t, bamBytes("@SQ\tSN:chr1\tLN:248956422\n", Contig{"chr1", 248956422}))
	head = head[:len(head)-28] // drop the BGZF EOF block, more members follow
	body := bgzfBytes(t, bytes.Repeat([]byte("x"), 64<<20))
	cr := &countingReader{r: io.MultiReader(bytes.NewReader(head), bytes.NewReader(body))}
	h, err := ReadHeader(cr)
	require.NoError(t, err)
	assert.Equal(t, AssemblyGRCh38, h.Assembly)
	assert.Less(t, cr.n, int64(256<<10), "read %d bytes", cr.n)
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

func TestReadHeaderRecoversPanics(t *testing.T) {
	_, err := ReadHeader(panicReader{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "genomic: internal error reading header: boom")
}

type panicReader struct{}

func (panicReader) Read([]byte) (int, error) { panic("boom") }

func TestErrorWithoutFile(t *testing.T) {
	e := &Error{Err: errors.New("x")}
	assert.Equal(t, "genomic: x", e.Error())
	e.File = "a.bam"
	assert.Equal(t, "genomic: a.bam: x", e.Error())
	assert.Equal(t, e.Err, errors.Unwrap(e))
}

func TestInspectFileIndexDirectoryIgnored(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(fixture("grch38.bam"))
	require.NoError(t, err)
	path := filepath.Join(dir, "x.bam")
	require.NoError(t, os.WriteFile(path, data, 0o644))
	require.NoError(t, os.Mkdir(path+".bai", 0o755))
	h, err := InspectFile(path)
	require.NoError(t, err)
	assert.Empty(t, h.Index)
}
