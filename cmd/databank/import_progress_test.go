package main

import (
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"databank/domain"
)

// The progress lines of a terminal: rows a second while a file is read,
// frozen once it is; the current phase with its own time and the total.
func TestImportProgressLines(t *testing.T) {
	ip := newImportProgress(t.Context(), nil, nil, slog.New(slog.DiscardHandler), false)
	start := time.Now()
	ip.start, ip.phaseStart = start, start

	ip.update(domain.ImportProgress{Phase: domain.PhaseRead, Source: "samples.csv", Rows: 1000})
	assert.Equal(t, " 1000 rows  500 rows/s", ip.fileLine("samples.csv", start.Add(2*time.Second)))

	ip.readFor["samples.csv"] = 4 * time.Second // read to the end after 4 s
	ip.rows["samples.csv"] = 4000
	assert.Equal(t, " 4000 rows  1000 rows/s", ip.fileLine("samples.csv", start.Add(time.Minute)), "the rate stays what it was when read")

	ip.update(domain.ImportProgress{Phase: domain.PhaseValidate})
	ip.phaseStart = start.Add(10 * time.Second)
	assert.Equal(t, "import: validate for 5s (total 15s)", ip.phaseLine(start.Add(15*time.Second)))
	ip.update(domain.ImportProgress{Phase: domain.PhaseWrite, Kind: domain.ImportSamples})
	assert.Contains(t, ip.phaseLine(time.Now()), "import: write samples for 0s")
}
