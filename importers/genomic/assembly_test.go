package genomic

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestDetectAssembly(t *testing.T) {
	tests := []struct {
		name    string
		contigs []Contig
		tags    []string
		refs    []string
		want    string
	}{
		{"GRCh38 chr1", []Contig{{"chr1", 248956422}}, nil, nil, AssemblyGRCh38},
		{"GRCh37 1", []Contig{{"1", 249250621}}, nil, nil, AssemblyGRCh37},
		{"hg19 chr1", []Contig{{"chrM", 16571}, {"chr1", 249250621}}, nil, nil, AssemblyGRCh37},
		{"T2T", []Contig{{"chr1", 248387328}}, nil, nil, AssemblyT2T},
		{"Chr1 any case", []Contig{{"Chr1", 248956422}}, nil, nil, AssemblyGRCh38},
		{"length beats tags", []Contig{{"chr1", 248956422}}, []string{"hg19"}, nil, AssemblyGRCh38},
		{"unknown length falls back to tags", []Contig{{"chr1", 247249719}}, []string{"GRCh37"}, nil, AssemblyGRCh37},
		{"hg18 length alone", []Contig{{"chr1", 247249719}}, nil, nil, AssemblyUnknown},
		{"chr10 is not chr1", []Contig{{"chr10", 248956422}}, nil, nil, AssemblyUnknown},
		{"AS hg38", nil, []string{"hg38"}, nil, AssemblyGRCh38},
		{"AS b37", nil, []string{"b37", "b37"}, nil, AssemblyGRCh37},
		{"AS chm13", nil, []string{"CHM13v2.0"}, nil, AssemblyT2T},
		{"tags beat refs", nil, []string{"GRCh37"}, []string{"GRCh38"}, AssemblyGRCh37},
		{"ambiguous tags fall to refs", nil, []string{"GRCh37", "GRCh38"}, []string{"file:///ref/hg38.fa"}, AssemblyGRCh38},
		{"ambiguous everywhere", nil, []string{"GRCh37", "GRCh38"}, nil, AssemblyUnknown},
		{"unrecognised tags ignored", nil, []string{"mm10", "GRCh38"}, nil, AssemblyGRCh38},
		{"reference hs37d5", nil, nil, []string{"file:///ref/hs37d5.fa.gz"}, AssemblyGRCh37},
		{"reference g1k v37", nil, nil, []string{"file:///ref/human_g1k_v37.fasta"}, AssemblyGRCh37},
		{"reference T2T", nil, nil, []string{"/data/T2T-CHM13v2.0.fa"}, AssemblyT2T},
		{"nothing", nil, nil, nil, AssemblyUnknown},
		{"mouse", []Contig{{"chr1", 195471971}}, []string{"GRCm38"}, nil, AssemblyUnknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, detectAssembly(tt.contigs, tt.tags, tt.refs))
		})
	}
}
