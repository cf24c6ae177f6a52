package main

import (
	"log/slog"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
)

// The garbage collector of serve and preview is tuned for their work: a
// GraphQL page, or a preview's chunk of a thousand samples, allocates
// megabytes that die with it over a live heap of a few tens (the
// vocabularies), so Go's default (collect when the heap has doubled)
// collects every few requests or chunks. Unless the operator sets GOGC or
// GOMEMLIMIT, they let the heap grow to five times the live one
// (gcPercent) under a soft limit (memoryLimit) that keeps the process
// bounded: the collector works harder as the limit nears, never past it.
// In a container given less memory (cgroup v2's memory.max), the limit is
// three quarters of that instead. The import command keeps Go's default
// (its memory bound is the tighter target); uploads imported by serve
// run under serve's settings.
const (
	gcPercent   = 400
	memoryLimit = 512 << 20
)

// tuneGC applies gcPercent and memoryLimit where the environment sets
// nothing, and logs what the collector runs with.
func tuneGC(log *slog.Logger) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		max, _ := os.ReadFile("/sys/fs/cgroup/memory.max")
		debug.SetMemoryLimit(softMemoryLimit(string(max)))
	}
	percent := debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	log.Debug("garbage collector", "gogc", percent, "memory_limit_mib", debug.SetMemoryLimit(-1)>>20)
}

// softMemoryLimit is memoryLimit, or three quarters of a container's
// memory.max when that is smaller ("max", or nothing: no limit).
func softMemoryLimit(cgroupMax string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(cgroupMax), 10, 64)
	if err != nil || n <= 0 || n/4*3 >= memoryLimit {
		return memoryLimit
	}
	return n / 4 * 3
}
