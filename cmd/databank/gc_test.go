package main

import (
	"log/slog"
	"math"
	"os"
	"runtime/debug"
	"testing"

	"github.com/stretchr/testify/assert"
)

// serve's collector defaults apply only where GOGC and GOMEMLIMIT are
// unset: an operator's settings win.
func TestTuneGC(t *testing.T) {
	cgroupMax, _ := os.ReadFile("/sys/fs/cgroup/memory.max")
	memoryLimit := softMemoryLimit(string(cgroupMax)) // this machine's
	for _, tc := range []struct {
		name, gogc, memlimit string
		percent              int
		limit                int64
	}{
		{"unset", "", "", gcPercent, memoryLimit},
		{"operator's GOGC", "50", "", 50, memoryLimit},
		{"operator's GOMEMLIMIT", "", "1GiB", gcPercent, 1 << 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("GOGC", tc.gogc)
			t.Setenv("GOMEMLIMIT", tc.memlimit)
			// what the runtime would have read from the environment at start
			before := debug.SetGCPercent(100)
			beforeLimit := debug.SetMemoryLimit(math.MaxInt64)
			t.Cleanup(func() { debug.SetGCPercent(before); debug.SetMemoryLimit(beforeLimit) })
			if tc.gogc != "" {
				debug.SetGCPercent(tc.percent)
			}
			if tc.memlimit != "" {
				debug.SetMemoryLimit(tc.limit)
			}
			tuneGC(slog.New(slog.DiscardHandler))
			assert.Equal(t, tc.percent, debug.SetGCPercent(tc.percent))
			assert.Equal(t, tc.limit, debug.SetMemoryLimit(-1))
		})
	}
}

// In a container with less memory than the default limit, the limit is
// three quarters of it.
func TestSoftMemoryLimit(t *testing.T) {
	for _, tc := range []struct {
		max  string
		want int64
	}{
		{"", memoryLimit},
		{"max\n", memoryLimit},
		{"1073741824\n", memoryLimit},
		{"268435456\n", 201326592},
		{"garbage", memoryLimit},
	} {
		assert.Equal(t, tc.want, softMemoryLimit(tc.max), "%q", tc.max)
	}
}
