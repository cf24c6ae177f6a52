package genomic

import (
	"bytes"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCrossCheckSamtools compares the samples and contigs of the SAM-header
// fixtures with what `samtools view -H` prints. Skipped without samtools.
func TestCrossCheckSamtools(t *testing.T) {
	samtools, err := exec.LookPath("samtools")
	if err != nil {
		t.Skip("samtools not installed")
	}
	for _, name := range []string{
		"grch38.bam", "multi_rg.bam", "no_rg.bam", "t2t.bam", "as_only.bam", "unknown.bam", "warn_rg.bam",
		"lenient.bam", "multi_rg_v21.cram", "multi_rg_v30.cram", "multi_rg_v31.cram", "t2t.cram",
	} {
		t.Run(name, func(t *testing.T) {
			var stderr bytes.Buffer
			cmd := exec.Command(samtools, "view", "-H", "--no-PG", fixture(name))
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				// htslib 1.16 rejects some headers Databank accepts (lenient.bam).
				t.Skipf("samtools cannot read %s: %v: %s", name, err, stderr.String())
			}
			var samples []string
			contigs := []Contig{}
			for _, line := range strings.Split(string(out), "\n") {
				fields := strings.Split(line, "\t")
				tag := func(key string) string {
					for _, f := range fields[1:] {
						if v, ok := strings.CutPrefix(f, key+":"); ok {
							return v
						}
					}
					return ""
				}
				switch fields[0] {
				case "@RG":
					samples = append(samples, tag("SM"))
				case "@SQ":
					n, err := strconv.ParseInt(tag("LN"), 10, 64)
					require.NoError(t, err)
					contigs = append(contigs, Contig{tag("SN"), n})
				}
			}
			h, err := InspectFile(fixture(name))
			require.NoError(t, err)
			assert.Equal(t, sortedDistinct(samples), h.Samples)
			assert.Equal(t, contigs, h.Contigs)
		})
	}
}

// TestCrossCheckBcftools compares the samples and contigs of the VCF and
// BCF fixtures with `bcftools query -l` and `bcftools view -h`. Skipped
// without bcftools.
func TestCrossCheckBcftools(t *testing.T) {
	bcftools, err := exec.LookPath("bcftools")
	if err != nil {
		t.Skip("bcftools not installed")
	}
	for _, name := range []string{
		"grch38.vcf", "grch38.vcf.gz", "plain_gzip.vcf.gz", "grch37.vcf.gz", "t2t.vcf.gz", "reference_only.vcf",
		"grch38.bcf", "grch38_uncompressed.bcf", "many_samples.vcf.gz", "many_samples.bcf",
	} {
		t.Run(name, func(t *testing.T) {
			out, err := exec.Command(bcftools, "query", "-l", fixture(name)).Output()
			require.NoError(t, err)
			samples := strings.Fields(string(out))
			out, err = exec.Command(bcftools, "view", "-h", "--no-version", fixture(name)).Output()
			require.NoError(t, err)
			contigs := []Contig{}
			for _, line := range strings.Split(string(out), "\n") {
				if v, ok := strings.CutPrefix(line, "##contig="); ok {
					f := structuredFields(v)
					n, _ := strconv.ParseInt(f["length"], 10, 64)
					contigs = append(contigs, Contig{f["ID"], n})
				}
			}
			h, err := InspectFile(fixture(name))
			require.NoError(t, err)
			assert.Equal(t, sortedDistinct(samples), h.Samples)
			assert.Equal(t, contigs, h.Contigs)
		})
	}
}
