package service

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"databank/domain"
)

// countIndexStore is what the count index reads (store.Store).
type countIndexStore interface {
	ReadCountIndex(ctx context.Context, at time.Time, donor func(id, sex, consentKey []byte) error,
		sample func(donorID, biobankID, materialType, status, files []byte) error) error
	ListenRegistry(ctx context.Context, heartbeat time.Duration, listening func(), changed func(), alive func(upTo time.Time)) error
	SortsTextAsBytes(ctx context.Context) (bool, error)
}

// DefaultCountIndexInterval is the shortest time between two reads of
// the registry into the count index (Options.CountIndexInterval): after a
// write, counts come from SQL until the next read is done.
const DefaultCountIndexInterval = 10 * time.Second

// The registry listener checks its connection with a round trip at least
// every countIndexHeartbeat. The index answers only while the last check
// is at most countIndexAlive old: a connection that stopped without a
// word (a peer or a middlebox gone), whose announcements would be lost,
// costs at most that long of counts that miss another process's writes,
// instead of the half minute its keepalive probes take.
const (
	countIndexHeartbeat = 2 * time.Second
	countIndexAlive     = 2*countIndexHeartbeat + time.Second
)

// countIndexWatch keeps the count index current: the index in use, and
// what tells whether it still holds the registry as it is.
type countIndexWatch struct {
	interval  time.Duration
	index     atomic.Pointer[countIndex]
	changes   atomic.Uint64 // registry changes announced
	epoch     atomic.Uint64 // the listener's connections so far
	listening atomic.Bool
	alive     atomic.Int64 // when (since monotonic) the listener was last seen to answer: everything signalled before was passed on
	kick      chan struct{}
	mu        sync.Mutex // codes
	codes     map[string]string
	answered  atomic.Uint64 // counts and facets the index answered
}

// current returns the count index when it holds the registry as it is:
// read after the last announced change, under the listener's current
// connection (an announcement may have been lost with an earlier one),
// which was seen to answer within countIndexAlive, for today's consents
// in force. Otherwise nil: counts come from SQL.
func (w *countIndexWatch) current() *countIndex {
	ix := w.index.Load()
	if ix == nil || !w.listening.Load() || ix.gen != w.changes.Load() || ix.epoch != w.epoch.Load() ||
		time.Since(monotonic)-time.Duration(w.alive.Load()) > countIndexAlive || ix.day != today().Format(time.DateOnly) {
		return nil
	}
	return ix
}

// monotonic is the origin of the times the watch keeps as numbers, read
// from the monotonic clock, so that a step of the wall clock does not
// make a listener seem answering longer, or shorter, than it has.
var monotonic = time.Now()

// seenAlive notes that the listener answered at t.
func (w *countIndexWatch) seenAlive(t time.Time) { w.alive.Store(int64(t.Sub(monotonic))) }

// WatchCountIndex keeps discovery's counts in memory (the count index)
// until ctx ends: it listens for announced registry changes, and reads
// the registry again after each (at most once every
// Options.CountIndexInterval), and when the day changes. Meanwhile, and
// whenever the index may be behind, counts come from SQL. A server calls
// it; commands that only run once need not.
func (s *Service) WatchCountIndex(ctx context.Context) {
	w := &s.countIndex
	var wg sync.WaitGroup
	wg.Go(func() { s.listenRegistry(ctx) })
	defer wg.Wait()
	var last time.Time
	for {
		midnight := time.Until(today().AddDate(0, 0, 1)) + time.Second
		select {
		case <-ctx.Done():
			return
		case <-w.kick:
		case <-time.After(midnight):
		}
		if wait := w.interval - time.Since(last); wait > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
		}
		if !w.listening.Load() {
			continue // the listener kicks again once it listens
		}
		last = time.Now()
		if err := s.readCountIndex(ctx); err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "count index not read; counts come from SQL", "err", err)
			w.kickLater()
			continue
		}
		if w.current() == nil {
			w.kickLater() // changed while it was read
		}
	}
}

// registryWrites are the operations that change what the count index
// holds. The announcement of their commit reaches the listener after the
// answer may have: the services mark the index behind themselves, so that
// whoever wrote counts their write at once. Writes by other processes are
// counted from their announcement on.
var registryWrites = map[domain.Operation]bool{
	"CreateBiobank": true, "UpdateBiobank": true, "RetireBiobank": true,
	"CreateDonor": true, "UpdateDonor": true, "RetireDonor": true,
	"AddConsent": true, "UpdateConsent": true, "RetireConsent": true,
	"CreateSample": true, "UpdateSample": true, "RetireSample": true,
	"RegisterDataFile": true, "RegisterDataFiles": true, "RetireDataFile": true,
	"Import": true, "ImportFile": true,
}

// wrote marks the index behind after a write of this process.
func (w *countIndexWatch) wrote() {
	w.changes.Add(1)
	w.kickLater()
}

// kickLater asks for another read without blocking.
func (w *countIndexWatch) kickLater() {
	select {
	case w.kick <- struct{}{}:
	default:
	}
}

// listenRegistry marks the index behind on every announcement and asks
// for a read, and listens again when the connection fails.
func (s *Service) listenRegistry(ctx context.Context) {
	w := &s.countIndex
	s.keepListening(ctx, "count index: not listening for registry changes; counts come from SQL; trying again",
		func(listening func()) error {
			defer w.listening.Store(false)
			return s.store.ListenRegistry(ctx, countIndexHeartbeat,
				func() {
					listening()
					w.epoch.Add(1)
					w.seenAlive(time.Now())
					w.listening.Store(true)
					w.kickLater()
				},
				func() {
					w.changes.Add(1)
					w.kickLater()
				},
				w.seenAlive)
		})
}

// readCountIndex reads the registry into a new count index.
func (s *Service) readCountIndex(ctx context.Context) error {
	w := &s.countIndex
	gen, epoch := w.changes.Load(), w.epoch.Load()
	start := time.Now()
	day := today()
	b := newCountIndexBuilder(day.Format(time.DateOnly))
	if err := s.store.ReadCountIndex(ctx, day, b.donor, b.sample); err != nil {
		return err
	}
	ix := b.done()
	ix.gen, ix.epoch = gen, epoch
	var err error
	if ix.textAsBytes, err = s.store.SortsTextAsBytes(ctx); err != nil {
		return err
	}
	codes, err := s.biobankCodesOf(ctx, ix)
	if err != nil {
		return err
	}
	w.mu.Lock()
	w.codes = codes
	w.index.Store(ix)
	w.mu.Unlock()
	s.log.InfoContext(ctx, "count index read", "samples", ix.samples, "donors", ix.donors,
		"sample profiles", len(ix.profiles), "donor profiles", len(ix.donorProfiles), "sets of profiles", len(ix.setStart)-1, "kinds of donor", len(ix.kinds), "cells", len(ix.cells),
		"MiB", ix.size()>>20, "took", time.Since(start).Round(time.Millisecond))
	return nil
}

// biobankCodesOf maps the index's biobank ids to their codes.
func (s *Service) biobankCodesOf(ctx context.Context, ix *countIndex) (map[string]string, error) {
	ids := make([]string, len(ix.profiles))
	for i, p := range ix.profiles {
		ids[i] = p.biobankID
	}
	return s.codesOfBiobanks(ctx, ids)
}

// indexed returns the count index and its biobanks' codes when the index
// may answer for the actor of ctx: one who may count every sample (not a
// reader confined to some biobanks or to approved samples).
func (s *Service) indexed(ctx context.Context) (*countIndex, map[string]string) {
	a := domain.ActorFrom(ctx)
	if a.Confined() && !a.AggregatesOnly() {
		return nil, nil
	}
	w := &s.countIndex
	ix := w.current()
	if ix == nil {
		return nil, nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.index.Load() != ix {
		return nil, nil
	}
	return ix, w.codes
}
