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
	return follow(ctx, b.svc.WatchVocabulary)
}

// followTokens refuses API tokens as soon as another process revokes
// them (service.WatchTokens) until stop is called; stop returns once the
// listener has ended.
func (b *backend) followTokens(ctx context.Context) (stop func()) {
	return follow(ctx, b.svc.WatchTokens)
}

// followCountIndex keeps discovery's counts in memory
// (service.WatchCountIndex) until stop is called; stop returns once the
// watch has ended.
func (b *backend) followCountIndex(ctx context.Context) (stop func()) {
	return follow(ctx, b.svc.WatchCountIndex)
}

// follow runs watch on a goroutine until stop is called; stop returns
// once watch has returned.
func follow(ctx context.Context, watch func(context.Context)) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { watch(ctx) })
	return func() {
		cancel()
		wg.Wait()
	}
}

// openDatabase connects to DATABASE_URL, or starts the private cluster in
// cfg.PGDir when it is unset, and migrates (migrateDatabase). close stops
// what it started.
func openDatabase(ctx context.Context, cfg config, log *slog.Logger) (b *backend, closeFn func(), err error) {
	url, ownerURL := cfg.DatabaseURL, cfg.OwnerURL
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
		stopServer = func() {
			if err := srv.Stop(context.Background()); err != nil {
				log.Error("stop PostgreSQL", "err", err)
			}
		}
		// The cluster's superuser owns the schema; the application
		// connects as a role of its own.
		if err := srv.EnsureRole(ctx, pgserver.AppRole); err != nil {
			stopServer()
			return nil, nil, err
		}
		url, ownerURL = srv.URLAs(pgserver.AppRole), srv.URL()
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
	if err := migrateDatabase(ctx, st, url, ownerURL, log); err != nil {
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
	svc := service.New(st, service.Options{Vocabulary: vocab, Logger: log, MaxConnsPerActor: perActor, MinCount: cfg.MinCount,
		CountIndexInterval: cfg.CountIndexInterval})
	b = &backend{svc: svc, vocab: vocab, health: health}
	closeAll := func() { health.Close(); st.Close(); stopServer() }
	if err := b.svc.RefreshVocabulary(ctx); err != nil {
		closeAll()
		return nil, nil, err
	}
	return b, closeAll, nil
}

// migrateDatabase brings the schema of st, the application's store at
// url, up to date. With ownerURL, the schema's owner migrates and grants
// the application's role its privileges (store.GrantApp), so that the
// application cannot alter the change log or the audit. Without it, a role
// that owns the schema migrates it itself, as before the roles were split,
// with a warning; one that owns nothing only checks that the schema is
// current.
func migrateDatabase(ctx context.Context, st *store.Store, url, ownerURL string, log *slog.Logger) error {
	if ownerURL == "" {
		owns, err := st.OwnsSchema(ctx)
		if err != nil {
			return err
		}
		if owns {
			log.Warn("the application's database role owns the schema: it could alter, drop or disable the triggers of change_log and audit_event; " +
				"set DATABANK_OWNER_URL to migrate as the owner and connect as a role of its own (docs/audit.md)")
			return st.Migrate(ctx)
		}
		v, err := st.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		if v != store.LatestVersion() {
			return fmt.Errorf("database schema at version %d, want %d: run `databank migrate` with DATABANK_OWNER_URL set", v, store.LatestVersion())
		}
		return nil
	}
	role, err := store.RoleOf(url)
	if err != nil {
		return err
	}
	owner, err := store.Open(ctx, ownerURL, store.Options{MaxConns: 1})
	if err != nil {
		return err
	}
	defer owner.Close()
	if err := owner.Migrate(ctx); err != nil {
		return err
	}
	return owner.GrantApp(ctx, role)
}
