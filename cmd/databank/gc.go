package main

import (
	"log/slog"
	"os"
	"runtime/debug"
)

// The garbage collector of serve and preview is tuned for their work: a
// GraphQL page, or a preview's chunk of a thousand samples, allocates
// megabytes that die with it over a live heap of a few tens (the
// vocabularies), so Go's default (collect when the heap has doubled)
// collects every few requests or chunks. Unless the operator sets GOGC or
// GOMEMLIMIT, they let the heap grow to five times the live one
// (gcPercent) under a soft limit (memoryLimit) that keeps the process
// bounded: the collector works harder as the limit nears, never past it.
// Imports keep Go's default: their memory bound is the tighter target.
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
		debug.SetMemoryLimit(memoryLimit)
	}
	percent := debug.SetGCPercent(-1)
	debug.SetGCPercent(percent)
	log.Debug("garbage collector", "gogc", percent, "memory_limit_mib", debug.SetMemoryLimit(-1)>>20)
}
