package synthetic

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// memoryTestDonors is the default size of TestGenerateConstantMemory;
// SYNTHETIC_DONORS overrides it (BENCHMARKS.md runs it with 1,000,000).
const memoryTestDonors = 100_000

// TestGenerateConstantMemory generates a large bundle, sampling the heap
// at every progress call, and checks that memory stays flat.
func TestGenerateConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("large generation; run without -short")
	}
	donors := memoryTestDonors
	if s := os.Getenv("SYNTHETIC_DONORS"); s != "" {
		var err error
		donors, err = strconv.Atoi(s)
		require.NoError(t, err, "SYNTHETIC_DONORS")
	}
	spd := DefaultSamplesPerDonor
	if s := os.Getenv("SYNTHETIC_SAMPLES_PER_DONOR"); s != "" {
		var err error
		spd, err = strconv.ParseFloat(s, 64)
		require.NoError(t, err, "SYNTHETIC_SAMPLES_PER_DONOR")
	}

	var ms runtime.MemStats
	var heap, sys []uint64 // HeapInuse and Sys at each progress call
	cfg := Config{Donors: donors, SamplesPerDonor: spd, Progress: func(int) {
		runtime.ReadMemStats(&ms)
		heap = append(heap, ms.HeapInuse)
		sys = append(sys, ms.Sys)
	}}
	dir := t.TempDir()
	start := time.Now()
	sum, err := Generate(context.Background(), cfg, dir)
	require.NoError(t, err)
	elapsed := time.Since(start)

	var size int64
	for _, name := range FileNames {
		fi, err := os.Stat(filepath.Join(dir, name))
		require.NoError(t, err)
		size += fi.Size()
		t.Logf("%-16s %10d rows %8.1f MiB", name, sum.Files[name], float64(fi.Size())/(1<<20))
	}
	const mib = 1 << 20
	t.Logf("%d donors in %s (%.0f donors/s), %.1f MiB written", donors,
		elapsed.Round(time.Millisecond), float64(donors)/elapsed.Seconds(), float64(size)/mib)
	t.Logf("HeapInuse MiB at each 10k donors: %v", inMiB(heap))
	t.Logf("Sys MiB at each 10k donors: %v", inMiB(sys))

	require.NotEmpty(t, heap)
	assert.Less(t, slicesMax(heap), uint64(64*mib), "peak heap in use")
	// Flat: the second half of the run needs no more memory than the
	// first, up to garbage-collector noise.
	mid := len(heap) / 2
	assert.LessOrEqual(t, slicesMax(heap[mid:]), slicesMax(heap[:mid+1])+16*mib, "heap grows with donors")
	assert.LessOrEqual(t, slicesMax(sys[mid:]), slicesMax(sys[:mid+1])+16*mib, "Sys grows with donors")
}

// inMiB rounds byte counts to MiB for logging.
func inMiB(xs []uint64) []float64 {
	out := make([]float64, len(xs))
	for i, x := range xs {
		out[i] = float64(x*10/(1<<20)) / 10
	}
	return out
}

// slicesMax returns the largest element of a non-empty slice.
func slicesMax(xs []uint64) uint64 {
	m := xs[0]
	for _, x := range xs[1:] {
		m = max(m, x)
	}
	return m
}
