package genomic

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFindIndex(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		format string
		bgzf   bool
		exist  []string // files created beside it
		want   string   // "" for none
	}{
		{"bam.bai", "a.bam", FormatBAM, true, []string{"a.bam.bai"}, "a.bam.bai"},
		{"X.bai for X.bam", "a.bam", FormatBAM, true, []string{"a.bai"}, "a.bai"},
		{"bam.csi", "a.bam", FormatBAM, true, []string{"a.bam.csi"}, "a.bam.csi"},
		{"bam.bai preferred over X.bai", "a.bam", FormatBAM, true, []string{"a.bai", "a.bam.bai"}, "a.bam.bai"},
		{"bam without extension", "a", FormatBAM, true, []string{"a.bai"}, "a.bai"},
		{"uncompressed bam cannot be indexed", "a.bam", FormatBAM, false, []string{"a.bam.bai"}, ""},
		{"bam, tbi ignored", "a.bam", FormatBAM, true, []string{"a.bam.tbi"}, ""},
		{"cram.crai", "a.cram", FormatCRAM, false, []string{"a.cram.crai"}, "a.cram.crai"},
		{"X.crai", "a.cram", FormatCRAM, false, []string{"a.crai"}, "a.crai"},
		{"vcf.gz.tbi", "a.vcf.gz", FormatVCF, true, []string{"a.vcf.gz.tbi"}, "a.vcf.gz.tbi"},
		{"vcf.gz.csi", "a.vcf.gz", FormatVCF, true, []string{"a.vcf.gz.csi"}, "a.vcf.gz.csi"},
		{"plain gzip vcf cannot be indexed", "a.vcf.gz", FormatVCF, false, []string{"a.vcf.gz.tbi"}, ""},
		{"plain vcf", "a.vcf", FormatVCF, false, []string{"a.vcf.tbi"}, ""},
		{"bcf.csi", "a.bcf", FormatBCF, true, []string{"a.bcf.csi"}, "a.bcf.csi"},
		{"uncompressed bcf", "a.bcf", FormatBCF, false, []string{"a.bcf.csi"}, ""},
		{"none", "a.bam", FormatBAM, true, nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range tt.exist {
				require.NoError(t, os.WriteFile(filepath.Join(dir, f), nil, 0o644))
			}
			want := ""
			if tt.want != "" {
				want = filepath.Join(dir, tt.want)
			}
			assert.Equal(t, want, findIndex(filepath.Join(dir, tt.file), tt.format, tt.bgzf))
		})
	}
}
