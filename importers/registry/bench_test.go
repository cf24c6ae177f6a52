package registry

import (
	"io"
	"os"
	"testing"

	"databank/domain"
)

// BenchmarkReadSamples reads $REGISTRY_BENCH_SAMPLES (a samples file).
func BenchmarkReadSamples(b *testing.B) {
	path := os.Getenv("REGISTRY_BENCH_SAMPLES")
	if path == "" {
		b.Skip("REGISTRY_BENCH_SAMPLES not set")
	}
	for b.Loop() {
		f, err := Open(path, domain.ImportSamples, Options{})
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			_, err := f.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		f.Close()
		b.ReportMetric(float64(n), "rows")
	}
}
