package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"databank/domain"
	"databank/ontology"
	"databank/service"
	"databank/store"
	"databank/store/pgserver"
)

// backend is the registry as the commands see it. Every command reads and
// writes through the services (svc), which apply the access policy; this
// file is the only one of cmd that knows the PostgreSQL store, and hands
// out nothing of it but the schema version for migrate and readiness.
type backend struct {
	svc   *service.Service
	vocab *ontology.Registry // the vocabularies the services use
	// health has a connection of its own, for readiness and the schema
	// version, so that they answer while the services' pool is busy.
	health *store.Store
}

// schemaVersion returns the version of the database schema.
func (b *backend) schemaVersion(ctx context.Context) (int32, error) {
	return b.health.SchemaVersion(ctx)
}

// ready reports whether the database answers and its schema is the one
// this binary expects.
func (b *backend) ready(ctx context.Context) error {
	v, err := b.health.SchemaVersion(ctx)
	switch {
	case err != nil:
		return domain.Errorf(domain.EUNAVAILABLE, "database unreachable")
	case v != store.LatestVersion():
		return domain.Errorf(domain.EUNAVAILABLE, "schema at version %d, want %d", v, store.LatestVersion())
	}
	return nil
}

// followVocabulary keeps the vocabulary current with the releases other
// servers and commands store (service.WatchVocabulary) until stop is
// called; stop returns once the listener has ended.
func (b *backend) followVocabulary(ctx context.Context) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var watch sync.WaitGroup
	watch.Go(func() { b.svc.WatchVocabulary(ctx) })
	return func() {
		cancel()
		watch.Wait()
	}
}

// openDatabase connects to DATABASE_URL, or starts the private cluster in
// cfg.PGDir when it is unset, and migrates. close stops what it started.
func openDatabase(ctx context.Context, cfg config, log *slog.Logger) (b *backend, closeFn func(), err error) {
	url := cfg.DatabaseURL
	stopServer := func() {}
	if url == "" {
		srv, err := pgserver.Start(ctx, pgserver.Options{DataDir: cfg.PGDir, Logger: log})
		if err != nil {
			if errors.Is(err, pgserver.ErrNoBinaries) {
				return nil, nil, fmt.Errorf("%w\nInstall PostgreSQL server binaries (Debian: apt-get install postgresql) or set DATABASE_URL", err)
			}
			return nil, nil, err
		}
		log.Info("private PostgreSQL cluster started", "dir", cfg.PGDir)
		url = srv.URL()
		stopServer = func() {
			if err := srv.Stop(context.Background()); err != nil {
				log.Error("stop PostgreSQL", "err", err)
			}
		}
	}
	// One registry is the vocabulary of the store, the services and the
	// GraphQL layer; the services keep it current (RefreshVocabulary,
	// WatchVocabulary).
	vocab := ontology.Builtin()
	st, err := store.Open(ctx, url, store.Options{MaxConns: cfg.MaxConns, Vocabulary: vocab})
	if err != nil {
		stopServer()
		return nil, nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		stopServer()
		return nil, nil, err
	}
	health, err := store.Open(ctx, url, store.Options{MaxConns: 1})
	if err != nil {
		st.Close()
		stopServer()
		return nil, nil, err
	}
	perActor := cfg.MaxConnsPerActor
	if perActor == 0 {
		perActor = max(1, int(cfg.MaxConns)/2)
	}
	svc := service.New(st, service.Options{Vocabulary: vocab, Logger: log, MaxConnsPerActor: perActor, MinCount: cfg.MinCount})
	b = &backend{svc: svc, vocab: vocab, health: health}
	closeAll := func() { health.Close(); st.Close(); stopServer() }
	if err := b.svc.RefreshVocabulary(ctx); err != nil {
		closeAll()
		return nil, nil, err
	}
	return b, closeAll, nil
}
