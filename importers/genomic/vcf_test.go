package genomic

import (
	"bufio"
	"bytes"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadVCF(t *testing.T) {
	const chrom = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT"
	const sites = "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO" // no samples
	tests := []struct {
		name     string
		text     string
		version  string
		samples  []string
		contigs  []Contig
		programs []Program
		assembly string
		err      error
	}{
		{
			name:     "minimal, no samples",
			text:     "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n",
			version:  "4.2",
			samples:  []string{},
			contigs:  []Contig{},
			assembly: AssemblyUnknown,
		},
		{
			name:     "samples sorted and distinct, empty names dropped",
			text:     "##fileformat=VCFv4.3\n" + chrom + "\tz\ta\tz\t\tm\t\n",
			version:  "4.3",
			samples:  []string{"a", "m", "z"},
			contigs:  []Contig{},
			assembly: AssemblyUnknown,
		},
		{
			name: "contigs, quoted fields, duplicates, bad lengths",
			text: "##fileformat=VCFv4.2\n" +
				"##contig=<ID=chr1,length=248956422,assembly=\"GRCh38, primary\",md5=x>\n" +
				"##contig=<ID=chr1,length=5>\n" +
				"##contig=<ID=chrUn,length=abc>\n" +
				"##contig=<length=7>\n" +
				"##contig=<ID=chrY>\n" + chrom + "\ts\n",
			version:  "4.2",
			samples:  []string{"s"},
			contigs:  []Contig{{"chr1", 248956422}, {"chrUn", 0}, {"chrY", 0}},
			assembly: AssemblyGRCh38,
		},
		{
			name:     "CRLF line endings",
			text:     "##fileformat=VCFv4.1\r\n##contig=<ID=1,length=249250621>\r\n" + chrom + "\ta\tb\r\n",
			version:  "4.1",
			samples:  []string{"a", "b"},
			contigs:  []Contig{{"1", 249250621}},
			assembly: AssemblyGRCh37,
		},
		{
			name:     "#CHROM line separated by spaces",
			text:     "##fileformat=VCFv4.2\n#CHROM POS ID REF ALT QUAL FILTER INFO FORMAT b a\n",
			version:  "4.2",
			samples:  []string{"a", "b"},
			contigs:  []Contig{},
			assembly: AssemblyUnknown,
		},
		{
			name: "programs: source, GATK, bcftools pairs",
			text: "##fileformat=VCFv4.2\n##source=freeBayes v1.3.6\n" +
				"##GATKCommandLine.HaplotypeCaller=<ID=HaplotypeCaller,CommandLine=\"HaplotypeCaller -I \\\"a b.bam\\\"\",Version=4.1.0.0>\n" +
				"##bcftools_viewVersion=1.16+htslib-1.16\n" +
				"##bcftools_viewCommand=view -Oz -o x.vcf.gz; Date=Mon Jan  1 00:00:00 2024\n" +
				"##INFO=<ID=DP,Number=1,Type=Integer,Description=\"Version\">\n" +
				"##reference=file:///ref/hg19.fa\n" + sites + "\n",
			version: "4.2",
			samples: []string{},
			contigs: []Contig{},
			programs: []Program{
				{Name: "freeBayes v1.3.6"},
				{ID: "HaplotypeCaller", Name: "HaplotypeCaller", Version: "4.1.0.0", CommandLine: `HaplotypeCaller -I "a b.bam"`},
				{ID: "bcftools_view", Name: "bcftools_view", Version: "1.16+htslib-1.16", CommandLine: "view -Oz -o x.vcf.gz; Date=Mon Jan  1 00:00:00 2024"},
			},
			assembly: AssemblyGRCh37,
		},
		{
			name:     "blank and stray comment lines",
			text:     "##fileformat=VCFv4.2\n\n# a comment\n" + chrom + "\ts\n",
			version:  "4.2",
			samples:  []string{"s"},
			contigs:  []Contig{},
			assembly: AssemblyUnknown,
		},
		{
			name:     "version without v",
			text:     "##fileformat=VCF4.0\n" + sites + "\n",
			version:  "4.0",
			samples:  []string{},
			contigs:  []Contig{},
			assembly: AssemblyUnknown,
		},
		{
			name:    "#CHROM without line ending",
			text:    "##fileformat=VCFv4.2\n" + chrom + "\ts",
			version: "4.2", samples: []string{"s"}, contigs: []Contig{}, assembly: AssemblyUnknown,
		},
		{name: "no #CHROM line", text: "##fileformat=VCFv4.2\n##source=x\n", err: ErrTruncated},
		{name: "data before #CHROM", text: "##fileformat=VCFv4.2\nchr1\t1\t.\tA\tC\n" + chrom + "\n", err: ErrCorrupt},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := readVCF(bufio.NewReader(strings.NewReader(tt.text)))
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
				assert.Nil(t, h)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, FormatVCF, h.Format)
			assert.Equal(t, tt.version, h.FormatVersion)
			assert.Equal(t, tt.samples, h.Samples)
			assert.Equal(t, tt.contigs, h.Contigs)
			if tt.programs == nil {
				tt.programs = []Program{}
			}
			assert.Equal(t, tt.programs, h.Programs)
			assert.Equal(t, tt.assembly, h.Assembly)
			assert.Equal(t, []ReadGroup{}, h.ReadGroups)

			// Plain, BGZF and plain gzip give the same header.
			for _, data := range [][]byte{[]byte(tt.text), bgzfBytes(t, []byte(tt.text)), gzipBytes(t, []byte(tt.text))} {
				h2, _, err := readHeader(bytes.NewReader(data))
				require.NoError(t, err)
				assert.Equal(t, h, h2)
			}
		})
	}
}

func TestReadVCFChromLine(t *testing.T) {
	// What bcftools 1.16 does with each #CHROM line (bcftools view -h):
	// every line given an error here it refuses with "Could not parse the
	// "#CHROM.." line" (or "sample line not found", for #CHROMX).
	const head = "##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422>\n" // the #CHROM line is line 3
	tests := []struct {
		line    string
		samples []string // when accepted
		err     string   // when refused
	}{
		{line: "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO", samples: []string{}},
		{line: "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1", samples: []string{"S1"}},
		{line: "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tS1 S2", samples: []string{"S1 S2"}}, // a space in a name
		// Lenient where bcftools is not: trailing tabs, a line separated by spaces.
		{line: "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\t", samples: []string{}},
		{line: "#CHROM POS ID REF ALT QUAL FILTER INFO FORMAT S1", samples: []string{"S1"}},

		{line: "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER", err: "line 3: the #CHROM line lacks the mandatory column INFO"},
		{line: "#CHROM\tPOS\tID\tREF\tALT", err: "line 3: the #CHROM line lacks the mandatory columns QUAL FILTER INFO"},
		{line: "#CHROM", err: "lacks the mandatory columns POS ID REF ALT QUAL FILTER INFO"},
		{line: "#CHROM POS ID REF ALT QUAL FILTER", err: "lacks the mandatory column INFO"},
		{line: "#CHROM\tPOS\tID\tREF\tALT\tFILTER\tQUAL\tINFO", err: `column 6 of the #CHROM line is "FILTER" where the mandatory column QUAL belongs`},
		{line: "#CHROM\tpos\tid\tref\talt\tqual\tfilter\tinfo", err: `column 2 of the #CHROM line is "pos" where the mandatory column POS belongs`},
		{line: "#CHROMX\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO", err: `column 1 of the #CHROM line is "#CHROMX"`},
		{line: "#CHROM  POS\tID\tREF\tALT\tQUAL\tFILTER\tINFO", err: `column 1 of the #CHROM line is "#CHROM  POS"`},
		{line: "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT", err: "line 3: the #CHROM line has a FORMAT column but no sample column"},
		{line: "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\t\t", err: "FORMAT column but no sample column"},
		{line: "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tS1\tS2", err: `line 3: column 9 of the #CHROM line is "S1", not FORMAT: sample columns without FORMAT`},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			text := head + tt.line + "\n"
			for _, data := range [][]byte{[]byte(text), bgzfBytes(t, []byte(text)), bcfBytes(2, text)} {
				h, _, err := readHeader(bytes.NewReader(data))
				if tt.err == "" {
					require.NoError(t, err)
					assert.Equal(t, tt.samples, h.Samples)
					continue
				}
				require.Error(t, err)
				assert.ErrorIs(t, err, ErrCorrupt)
				assert.Contains(t, err.Error(), tt.err)
				quoted := strings.TrimSuffix(strconv.Quote(tt.line[:min(len(tt.line), 20)]), `"`)
				assert.Contains(t, err.Error(), quoted, "the line is quoted")
			}
		})
	}

	// A long #CHROM line is quoted by its beginning only.
	long := "#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\t" + strings.Repeat("S\t", 1<<20)
	_, err := readVCF(bufio.NewReader(strings.NewReader(head + long + "\n")))
	require.ErrorIs(t, err, ErrCorrupt)
	assert.Less(t, len(err.Error()), 500)
	assert.Contains(t, err.Error(), `…"`)
}

func TestReadVCFStopsAtChrom(t *testing.T) {
	text := "##fileformat=VCFv4.2\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\n"
	r := bufio.NewReaderSize(strings.NewReader(text+strings.Repeat("chr1\t1\t.\tA\tC\t.\t.\t.\n", 1<<16)), 16)
	_, err := readVCF(r)
	require.NoError(t, err)
	rest := r.Buffered()
	assert.LessOrEqual(t, rest, 16)
}

func TestReadLineBudget(t *testing.T) {
	budget := int64(10)
	_, err := readLine(bufio.NewReaderSize(strings.NewReader(strings.Repeat("x", 100)+"\n"), 16), &budget)
	assert.ErrorIs(t, err, ErrCorrupt)
}

func TestStructuredFields(t *testing.T) {
	tests := []struct {
		in   string
		want map[string]string
	}{
		{"<ID=chr1,length=10>", map[string]string{"ID": "chr1", "length": "10"}},
		{`<ID=DP,Description="a, b",Number=1>`, map[string]string{"ID": "DP", "Description": "a, b", "Number": "1"}},
		{`<ID=x,Description="say \"hi\", \\ ok">`, map[string]string{"ID": "x", "Description": `say "hi", \ ok`}},
		{"<ID=chr1,length=10", map[string]string{"ID": "chr1", "length": "10"}},
		{`<ID=x,D="unterminated`, map[string]string{"ID": "x", "D": "unterminated"}},
		{"<ID=a,ID=b>", map[string]string{"ID": "a"}},
		{"<flag,ID=a>", map[string]string{"ID": "a"}},
		{"<ID=a,,length=3>", map[string]string{"ID": "a", "length": "3"}},
		{`<ID="q"junk,length=3>`, map[string]string{"ID": "q", "length": "3"}},
		{"<>", map[string]string{}},
		{"", map[string]string{}},
		{"<=x>", map[string]string{}},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, structuredFields(tt.in), tt.in)
	}
}

func FuzzVCF(f *testing.F) {
	for _, s := range fixtureSeeds(f, "*.vcf", false, 4<<10) {
		f.Add(s)
	}
	for _, s := range fixtureSeeds(f, "*.vcf.gz", true, 4<<10) {
		f.Add(s)
	}
	f.Add([]byte("##fileformat=VCFv4.2\n##contig=<ID=chr1,length=248956422,assembly=\"x\\\"y\">\n##source=x\n##xVersion=1\n##xCommand=c\n#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\ta\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := readVCF(bufio.NewReader(bytes.NewReader(data)))
		checkResult(t, h, err)
		if bytes.HasPrefix(data, magicVCF) {
			h1, _, err1 := readHeader(bytes.NewReader(data))
			sameResult(t, h, err, h1, err1)
		}
	})
}
