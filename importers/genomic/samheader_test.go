package genomic

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseSAMHeader(t *testing.T) {
	tests := []struct {
		name string
		text string
		want samHeader
	}{
		{
			name: "empty",
			text: "",
			want: samHeader{},
		},
		{
			name: "all record types",
			text: "@HD\tVN:1.6\n@SQ\tSN:chr1\tLN:248956422\tAS:GRCh38\n@RG\tID:a\tSM:s1\tLB:l\tPL:ILLUMINA\tCN:c\tDT:2020-01-01\n@PG\tID:bwa\tPN:bwa\tVN:1\tCL:bwa mem\n@CO\tSM:not-a-sample\n",
			want: samHeader{
				contigs:    []Contig{{"chr1", 248956422}},
				assemblies: []string{"GRCh38"},
				readGroups: []ReadGroup{{ID: "a", Sample: "s1", Library: "l", Platform: "ILLUMINA", Center: "c", Date: "2020-01-01"}},
				samples:    []string{"s1"},
				programs:   []Program{{ID: "bwa", Name: "bwa", Version: "1", CommandLine: "bwa mem"}},
			},
		},
		{
			name: "duplicate read group IDs are kept",
			text: "@RG\tID:a\tSM:s1\n@RG\tID:a\tSM:s2\n",
			want: samHeader{
				readGroups: []ReadGroup{{ID: "a", Sample: "s1"}, {ID: "a", Sample: "s2"}},
				samples:    []string{"s1", "s2"},
			},
		},
		{
			name: "trailing tabs, short fields, doubled tabs",
			text: "@RG\tID:a\tSM:s1\tLB\tP:\t\t\tPL:X\t\n@RG\n@R\n@\n",
			want: samHeader{
				readGroups: []ReadGroup{{ID: "a", Sample: "s1", Platform: "X"}},
				samples:    []string{"s1"},
			},
		},
		{
			name: "CRLF, blank lines, NUL padding",
			text: "@SQ\tSN:chr1\tLN:10\r\n\r\n\n@RG\tID:a\tSM:s\r\n\x00\x00@RG\tID:hidden\tSM:h\n",
			want: samHeader{
				contigs:    []Contig{{"chr1", 10}},
				readGroups: []ReadGroup{{ID: "a", Sample: "s"}},
				samples:    []string{"s"},
			},
		},
		{
			name: "read group without ID still names its sample",
			text: "@RG\tSM:s1\tLB:l\n",
			want: samHeader{samples: []string{"s1"}},
		},
		{
			name: "first tag wins, values keep colons and spaces",
			text: "@RG\tID:a\tID:b\tSM:s 1\tDT:2020-01-01T10:00:00Z\n",
			want: samHeader{
				readGroups: []ReadGroup{{ID: "a", Sample: "s 1", Date: "2020-01-01T10:00:00Z"}},
				samples:    []string{"s 1"},
			},
		},
		{
			name: "bad @SQ lines",
			text: "@SQ\tLN:5\n@SQ\tSN:a\tLN:x\n@SQ\tSN:a\tLN:7\n@SQ\tSN:b\tLN:-3\n@SQ\tSN:\n",
			want: samHeader{contigs: []Contig{{"a", 0}, {"b", 0}}},
		},
		{
			name: "not header lines",
			text: "read1\t0\tchr1\n#comment\nSQ\tSN:x\n",
			want: samHeader{},
		},
		{
			name: "empty @PG is dropped",
			text: "@PG\n@PG\tXX:1\n@PG\tPN:x\n",
			want: samHeader{programs: []Program{{Name: "x"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, parseSAMHeader([]byte(tt.text)))
		})
	}
}

func TestSAMHeaderFillKeepsSlicesNonNil(t *testing.T) {
	h := newHeader(FormatBAM, "1")
	parseSAMHeader(nil).fill(h)
	assert.NotNil(t, h.Samples)
	assert.NotNil(t, h.ReadGroups)
	assert.NotNil(t, h.Contigs)
	assert.NotNil(t, h.Programs)
	assert.Equal(t, AssemblyUnknown, h.Assembly)
}
