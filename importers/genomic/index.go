package genomic

import (
	"os"
	"strings"
)

// findIndex returns the path of an index file beside path, or "" if none
// exists. The candidates depend on the format, in the order htslib tries
// them; a BAM, VCF or BCF that is not BGZF-compressed cannot be indexed.
func findIndex(path, format string, bgzf bool) string {
	var candidates []string
	switch format {
	case FormatBAM:
		if !bgzf {
			break
		}
		candidates = []string{path + ".bai", path + ".csi"}
		if base, ok := strings.CutSuffix(path, ".bam"); ok {
			candidates = append(candidates, base+".bai", base+".csi")
		}
	case FormatCRAM:
		candidates = []string{path + ".crai"}
		if base, ok := strings.CutSuffix(path, ".cram"); ok {
			candidates = append(candidates, base+".crai")
		}
	case FormatVCF:
		if bgzf {
			candidates = []string{path + ".tbi", path + ".csi"}
		}
	case FormatBCF:
		if bgzf {
			candidates = []string{path + ".csi"}
		}
	}
	for _, c := range candidates {
		if fi, err := os.Stat(c); err == nil && fi.Mode().IsRegular() {
			return c
		}
	}
	return ""
}
