package main

import (
	"log/slog"
	"os"
	"runtime/debug"
)

// The server's garbage collector is tuned for its work: a GraphQL page
// allocates a few megabytes that die with the request, over a live heap of
// a few tens (the vocabularies), so Go's default (collect when the heap
// has doubled) collects every few requests. Unless the operator sets
// GOGC or GOMEMLIMIT, serve lets the heap grow to five times the live one
// (gcPercent) under a soft limit (memoryLimit) that keeps the process
// bounded: the collector works harder as the limit nears, never past it.
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
	log.Info("garbage collector", "gogc", percent, "memory_limit_mib", debug.SetMemoryLimit(-1)>>20)
}
