package service

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"databank/ontology"
)

// A server's vocabulary is the built-in release (or the registry given in
// Options) with every release operators stored in the database loaded
// over it. The store announces each release it stores with a PostgreSQL
// notification; WatchVocabulary listens for them and refreshes the
// vocabulary, so that a release loaded through one server (or `databank
// ontology load`) reaches every other one without a restart.

// DefaultVocabularyPoll is how often WatchVocabulary checks the stored
// releases' version besides listening for notifications.
const DefaultVocabularyPoll = time.Minute

// Delays between attempts to listen again after the connection failed:
// doubled from the first to the last.
const (
	listenRetryFirst = 100 * time.Millisecond
	listenRetryLast  = 30 * time.Second
)

// vocabularyWatch is what keeping the services' vocabulary current needs
// besides the store.
type vocabularyWatch struct {
	base    *ontology.Registry // the vocabulary the services started with
	poll    time.Duration      // Options.VocabularyPoll
	mu      sync.Mutex         // serialises refreshes
	version string             // the store's OntologyVersion of the releases in use
}

// vocabularyStore is what keeping the vocabulary current needs of the
// store besides LoadedOntologies.
type vocabularyStore interface {
	OntologyVersion(ctx context.Context) (string, error)
	ListenOntologies(ctx context.Context, listening func(), saved func(system string)) error
}

// RefreshVocabulary makes the services' vocabulary the releases stored in
// the database over the one the services started with, unless those
// releases are already in use. The new vocabulary replaces the old one in
// one step (ontology.Registry.Replace); the swap is logged. It is the
// process's own work, not a caller's operation, so no policy applies.
func (s *Service) RefreshVocabulary(ctx context.Context) error {
	s.watch.mu.Lock()
	defer s.watch.mu.Unlock()
	// The version is read before the releases: a release stored in
	// between is then read now and again at the next refresh, never missed.
	version, err := s.store.OntologyVersion(ctx)
	if err != nil {
		return fmt.Errorf("service: refresh vocabulary: %w", err)
	}
	if version == s.watch.version {
		return nil
	}
	stored, err := s.store.LoadedOntologies(ctx)
	if err != nil {
		return fmt.Errorf("service: refresh vocabulary: %w", err)
	}
	next := s.watch.base.Clone()
	if err := loadReleases(next, stored); err != nil {
		return fmt.Errorf("service: refresh vocabulary: %w", err)
	}
	s.vocab.Replace(next)
	s.watch.version = version
	releases := make([]string, 0, len(stored))
	for sys, terms := range stored {
		releases = append(releases, fmt.Sprintf("%s %s (%d terms)", sys.Name, sys.Version, len(terms)))
	}
	slices.Sort(releases)
	s.log.InfoContext(ctx, "vocabulary updated", "version", version, "releases", releases)
	return nil
}

// loadReleases loads stored releases into reg, by system name; a release
// whose parents lie in a system not loaded yet waits for a later round.
func loadReleases(reg *ontology.Registry, stored map[ontology.System][]ontology.Term) error {
	pending := slices.SortedFunc(maps.Keys(stored), func(a, b ontology.System) int { return cmp.Compare(a.Name, b.Name) })
	for len(pending) > 0 {
		var waiting []ontology.System
		var firstErr error
		for _, sys := range pending {
			if _, err := reg.Load(sys, stored[sys]); err != nil {
				waiting = append(waiting, sys)
				firstErr = cmp.Or(firstErr, fmt.Errorf("release %s %s: %w", sys.Name, sys.Version, err))
			}
		}
		if len(waiting) == len(pending) {
			return firstErr
		}
		pending = waiting
	}
	return nil
}

// WatchVocabulary keeps the services' vocabulary current until ctx ends:
// it listens for the releases the store announces and refreshes the
// vocabulary on each, and once more whenever it (re)connects, since an
// announcement made while it was not listening is lost. When the
// connection fails it tries again after a delay that doubles up to 30
// seconds. Every VocabularyPoll it also compares the stored releases'
// version with its own, one small query, for a network that drops
// notifications. Failures are logged; it returns when ctx ends.
func (s *Service) WatchVocabulary(ctx context.Context) {
	var wg sync.WaitGroup
	if s.watch.poll > 0 {
		wg.Go(func() { s.pollVocabulary(ctx) })
	}
	s.listenVocabulary(ctx)
	wg.Wait()
}

// listenVocabulary refreshes the vocabulary on every announcement, and
// listens again when the connection fails.
func (s *Service) listenVocabulary(ctx context.Context) {
	s.keepListening(ctx, "vocabulary: not listening for releases; trying again", func(listening func()) error {
		return s.store.ListenOntologies(ctx,
			func() {
				listening()
				s.refreshLogged(ctx, "listening")
			},
			func(system string) { s.refreshLogged(ctx, "release of "+system+" announced") })
	})
}

// keepListening runs listen until ctx ends, again after each failure,
// waiting listenRetryFirst, then twice as long each time up to
// listenRetryLast; listen calls listening once it listens, which resets
// the wait. warning is logged at each failure.
func (s *Service) keepListening(ctx context.Context, warning string, listen func(listening func()) error) {
	delay := listenRetryFirst
	for {
		err := listen(func() { delay = listenRetryFirst })
		if ctx.Err() != nil {
			return
		}
		s.log.WarnContext(ctx, warning, "err", err, "in", delay)
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
		delay = min(2*delay, listenRetryLast)
	}
}

// pollVocabulary refreshes the vocabulary every VocabularyPoll.
func (s *Service) pollVocabulary(ctx context.Context) {
	t := time.NewTicker(s.watch.poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.refreshLogged(ctx, "periodic check")
		}
	}
}

// refreshLogged refreshes the vocabulary and logs a failure: the watch
// goes on, and the next announcement or check tries again.
func (s *Service) refreshLogged(ctx context.Context, why string) {
	if err := s.RefreshVocabulary(ctx); err != nil && ctx.Err() == nil {
		s.log.ErrorContext(ctx, "vocabulary not refreshed", "after", why, "err", err)
	}
}
