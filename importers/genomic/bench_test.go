package genomic

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkInspect runs InspectFile on each file named in
// $GENOMIC_BENCH_FILES (separated by spaces or colons), or on some fixtures
// when it is unset. bench/inspect.sh uses it on files of growing size.
func BenchmarkInspect(b *testing.B) {
	files := strings.FieldsFunc(os.Getenv("GENOMIC_BENCH_FILES"), func(r rune) bool { return r == ':' || r == ' ' })
	if len(files) == 0 {
		for _, f := range []string{"grch38.bam", "multi_rg_v31.cram", "many_samples.vcf.gz", "many_samples.bcf"} {
			files = append(files, fixture(f))
		}
	}
	for _, f := range files {
		b.Run(filepath.Base(f), func(b *testing.B) {
			for b.Loop() {
				if _, err := InspectFile(f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkChecksum runs Checksum over $GENOMIC_CHECKSUM_FILE; it is
// skipped when the variable is unset. bench/checksum.sh sets it.
func BenchmarkChecksum(b *testing.B) {
	path := os.Getenv("GENOMIC_CHECKSUM_FILE")
	if path == "" {
		b.Skip("GENOMIC_CHECKSUM_FILE not set")
	}
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(fi.Size())
	for b.Loop() {
		f, err := os.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Checksum(f, nil); err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
}
