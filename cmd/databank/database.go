package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"databank/ontology"
	"databank/store"
	"databank/store/pgserver"
)

// openDatabase connects to DATABASE_URL, or starts the private cluster in
// cfg.PGDir when it is unset, and migrates. close stops what it started.
func openDatabase(ctx context.Context, cfg config, log *slog.Logger) (st *store.Store, closeFn func(), err error) {
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
	st, err = store.Open(ctx, url, store.Options{MaxConns: cfg.MaxConns})
	if err != nil {
		stopServer()
		return nil, nil, err
	}
	if err := st.Migrate(ctx); err != nil {
		st.Close()
		stopServer()
		return nil, nil, err
	}
	if err := loadOntologies(ctx, st, log); err != nil {
		st.Close()
		stopServer()
		return nil, nil, err
	}
	return st, func() { st.Close(); stopServer() }, nil
}

// loadOntologies adds the releases operators loaded into the database to
// the vocabularies every validation uses.
func loadOntologies(ctx context.Context, st *store.Store, log *slog.Logger) error {
	systems, err := st.LoadedOntologies(ctx)
	if err != nil {
		return err
	}
	for sys, terms := range systems {
		if _, err := ontology.Default().Load(sys, terms); err != nil {
			return fmt.Errorf("ontology %s from the database: %w", sys.Name, err)
		}
		log.Info("ontology loaded", "system", sys.Name, "version", sys.Version, "terms", len(terms))
	}
	return nil
}
