package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"databank/domain"
	"databank/importers/registry"
)

// logEvery is how often an import without a terminal logs its progress.
const logEvery = 5 * time.Second

// importProgress shows how far an import has got: a progress bar per file
// and a line for the current phase on a terminal, periodic log lines
// otherwise.
type importProgress struct {
	log   *slog.Logger
	start time.Time
	files []*registry.File

	mu         sync.Mutex
	phase      string
	phaseStart time.Time
	rows       map[string]int64
	readFor    map[string]time.Duration // how long each file took to read, once read
	lastLog    time.Time

	p      *mpb.Progress // nil without a terminal
	bars   map[string]*mpb.Bar
	status *mpb.Bar
	stop   chan struct{}
	done   chan struct{}
}

func newImportProgress(ctx context.Context, files []*registry.File, w io.Writer, log *slog.Logger, bars bool) *importProgress {
	now := time.Now()
	ip := &importProgress{log: log, start: now, files: files, phase: domain.PhaseRead, phaseStart: now, rows: map[string]int64{}, readFor: map[string]time.Duration{}, lastLog: now}
	if !bars {
		return ip
	}
	ip.p = mpb.NewWithContext(ctx, mpb.WithOutput(w), mpb.WithWidth(32), mpb.WithRefreshRate(150*time.Millisecond))
	ip.bars = map[string]*mpb.Bar{}
	for _, f := range files {
		name := f.Name()
		_, total := f.Progress()
		ip.bars[name] = ip.p.AddBar(total,
			mpb.PrependDecorators(decor.Name(name, decor.WCSyncSpaceR), decor.CountersKibiByte("% .1f / % .1f", decor.WCSyncSpace)),
			mpb.AppendDecorators(decor.Percentage(decor.WCSyncSpace), decor.Any(func(decor.Statistics) string {
				return ip.fileLine(name, time.Now())
			}), decor.OnComplete(decor.AverageETA(decor.ET_STYLE_GO, decor.WCSyncSpace), "")))
	}
	ip.status = ip.p.AddSpinner(0, mpb.PrependDecorators(decor.Any(func(decor.Statistics) string {
		return ip.phaseLine(time.Now())
	})))
	ip.stop, ip.done = make(chan struct{}), make(chan struct{})
	go ip.poll()
	return ip
}

// fileLine is what a file's bar says after its percentage: rows read, and
// rows a second while it is read (frozen once it has been).
func (ip *importProgress) fileLine(name string, now time.Time) string {
	ip.mu.Lock()
	defer ip.mu.Unlock()
	took, read := ip.readFor[name]
	if !read {
		took = now.Sub(ip.start)
	}
	rate := float64(ip.rows[name]) / max(took.Seconds(), 1e-9)
	return fmt.Sprintf(" %d rows  %.0f rows/s", ip.rows[name], rate)
}

// phaseLine is what the status line says: the phase, how long it has
// run, and how long the whole import has.
func (ip *importProgress) phaseLine(now time.Time) string {
	ip.mu.Lock()
	defer ip.mu.Unlock()
	return fmt.Sprintf("import: %s for %s (total %s)", ip.phase,
		now.Sub(ip.phaseStart).Round(time.Second), now.Sub(ip.start).Round(time.Second))
}

// poll moves the file bars as the files are read.
func (ip *importProgress) poll() {
	defer close(ip.done)
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ip.stop:
			return
		case <-t.C:
			for _, f := range ip.files {
				done, _ := f.Progress()
				ip.bars[f.Name()].SetCurrent(done)
			}
		}
	}
}

// update receives the store's progress reports.
func (ip *importProgress) update(p domain.ImportProgress) {
	ip.mu.Lock()
	defer ip.mu.Unlock()
	phase := p.Phase
	if p.Kind != "" && p.Phase != domain.PhaseRead {
		phase += " " + string(p.Kind)
	}
	changed := phase != ip.phase
	ip.phase = phase
	if changed {
		ip.phaseStart = time.Now()
	}
	if p.Source != "" {
		ip.rows[p.Source] = p.Rows
		if _, read := ip.readFor[p.Source]; p.Done && !read {
			ip.readFor[p.Source] = time.Since(ip.start)
		}
	}
	if ip.p != nil {
		if p.Done {
			if b := ip.bars[p.Source]; b != nil {
				b.SetTotal(-1, true)
			}
		}
		return
	}
	now := time.Now()
	switch {
	case changed || p.Done:
		attrs := []any{"phase", phase, "elapsed", now.Sub(ip.start).Round(time.Millisecond)}
		if p.Source != "" {
			attrs = append(attrs, "file", p.Source, "rows", p.Rows)
		}
		ip.log.Info("import", attrs...)
		ip.lastLog = now
	case now.Sub(ip.lastLog) >= logEvery:
		rate := float64(p.Rows) / max(now.Sub(ip.start).Seconds(), 1e-9)
		ip.log.Info("import", "phase", phase, "file", p.Source, "rows", p.Rows, "rowsPerSecond", int(rate))
		ip.lastLog = now
	}
}

// finish completes the bars and waits for their last rendering.
func (ip *importProgress) finish() {
	if ip.p == nil {
		return
	}
	close(ip.stop)
	<-ip.done
	for _, b := range ip.bars {
		if !b.Completed() {
			b.SetTotal(-1, true)
		}
	}
	ip.status.SetTotal(-1, true)
	ip.p.Wait()
}
