package pgserver

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Options configure Start.
type Options struct {
	// DataDir holds the cluster; created and initialised on first use.
	// Required.
	DataDir string
	// Database is created if missing and named by URL; default "databank".
	Database string
	// Fast turns off fsync, synchronous_commit and full_page_writes: a crash
	// may lose or corrupt data. For throwaway test clusters only.
	Fast bool
	// Logger receives progress and warnings; nil discards them.
	Logger *slog.Logger
}

// Server is a running cluster, started by this process or reused.
type Server struct {
	c        *cluster
	sockDir  string
	port     int
	database string
	owned    bool     // we started it, so Stop stops it
	pid      int      // of the postmaster we started
	lock     *os.File // flock on the data directory while we own it
	private  bool     // sockDir is ours to remove after Stop

	mu      sync.Mutex
	stopped bool
}

// Start starts the cluster in opt.DataDir, initialising it first if needed,
// and creates the database. If another live process owns the running cluster
// (see the package documentation), Start reuses it and the Server's Stop
// leaves it running; a cluster left running by an owner that died is adopted.
// When no server binaries are installed the error wraps ErrNoBinaries.
func Start(ctx context.Context, opt Options) (*Server, error) {
	begin := time.Now()
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if opt.DataDir == "" {
		return nil, errors.New("pgserver: no data directory given")
	}
	if opt.Database == "" {
		opt.Database = "databank"
	}
	dataDir, err := resolve(opt.DataDir)
	if err != nil {
		return nil, err
	}
	bins := findBinDirs(ctx, os.Getenv("PATH"), searchGlobs)
	if len(bins) == 0 {
		return nil, fmt.Errorf("%w (looked at `pg_config --bindir`, %s and PATH)", ErrNoBinaries, strings.Join(searchGlobs, ", "))
	}
	u, err := pickRunUser(dataDir)
	if err != nil {
		return nil, err
	}
	if err := prepareDataDir(dataDir, u, tempRoot(), log); err != nil {
		return nil, err
	}
	if dataDir, err = filepath.EvalSymlinks(dataDir); err != nil {
		return nil, fmt.Errorf("pgserver: data directory: %w", err)
	}
	c := &cluster{dataDir: dataDir, user: u, log: log}
	lock, pf, err := c.claim(ctx)
	if err != nil {
		return nil, err
	}
	if lock == nil {
		s := &Server{c: c, sockDir: pf.sockDir, port: pf.port, database: opt.Database}
		if err := s.ensureDatabase(ctx); err != nil {
			return nil, err
		}
		log.Info("pgserver: reusing the cluster another databank process runs; it stays up when we exit",
			"dir", dataDir, "pid", pf.pid, "socket", pf.sockDir)
		return s, nil
	}
	s, err := c.start(ctx, opt, bins)
	if err != nil {
		_ = lock.Close()
		return nil, err
	}
	s.lock = lock
	log.Info("pgserver: cluster started", "dir", dataDir, "socket", s.sockDir, "version", c.bin.major(),
		"user", u.name, "fast", opt.Fast, "elapsed", time.Since(begin).Round(time.Millisecond))
	return s, nil
}

// URL returns a pgx connection string for the database, over the socket:
// postgres://databank@/databank?host=...&port=5432&sslmode=disable.
func (s *Server) URL() string { return s.url(s.database) }

func (s *Server) url(database string) string {
	q := "host=" + queryEscape(s.sockDir) + "&port=" + strconv.Itoa(s.port) + "&sslmode=disable"
	u := url.URL{Scheme: "postgres", User: url.User(superuser), Path: "/" + database, RawQuery: q}
	return u.String()
}

// queryEscape escapes a query value; '+' would not decode to a space in
// libpq-style URLs, so spaces become %20.
func queryEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// Stop shuts the cluster down (pg_ctl stop -m fast, then -m immediate if
// that fails). It is a no-op for a reused cluster and after a successful
// Stop. ctx bounds the wait; an already cancelled ctx is ignored, so that a
// deferred Stop after a signal still stops the server (pg_ctl gives up after
// 60 seconds).
func (s *Server) Stop(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.owned || s.stopped {
		return nil
	}
	if ctx.Err() != nil {
		ctx = context.WithoutCancel(ctx)
	}
	begin := time.Now()
	c := s.c
	if s.gone() {
		// Stopped by hand, or crashed and maybe replaced by another
		// process's server: nothing of ours to stop.
		c.log.Warn("pgserver: the cluster we started is no longer running", "dir", c.dataDir, "pid", s.pid)
		s.release()
		return nil
	}
	err := c.run(ctx, "pg_ctl", "stop", "-D", c.dataDir, "-m", "fast", "-w", "-t", pgCtlTimeout, "-s")
	if err != nil {
		if s.gone() {
			err = nil // gone meanwhile
		} else {
			c.log.Warn("pgserver: fast shutdown failed, trying immediate", "err", err)
			if ierr := c.run(ctx, "pg_ctl", "stop", "-D", c.dataDir, "-m", "immediate", "-w", "-t", pgCtlTimeout, "-s"); ierr != nil {
				return fmt.Errorf("pgserver: stop cluster in %s: %w", c.dataDir, errors.Join(err, ierr))
			}
			err = nil
		}
	}
	s.release()
	if s.private {
		_ = os.Remove(s.sockDir) // empty once the server is down
	}
	c.log.Info("pgserver: cluster stopped", "dir", c.dataDir, "elapsed", time.Since(begin).Round(time.Millisecond))
	return err
}

// gone reports whether the postmaster we started is no longer running.
func (s *Server) gone() bool {
	pf, err := readPidFile(s.c.dataDir)
	if errors.Is(err, fs.ErrNotExist) {
		return true
	}
	if s.pid == 0 { // unknown: let pg_ctl decide
		return false
	}
	return err == nil && (pf.pid != s.pid || !processAlive(s.pid))
}

// release marks the server stopped and gives up ownership.
func (s *Server) release() {
	s.stopped = true
	if s.lock != nil {
		_ = s.lock.Close()
		s.lock = nil
	}
}

// ensureDatabase creates the database if it does not exist.
func (s *Server) ensureDatabase(ctx context.Context) error {
	conn, err := pgx.Connect(ctx, s.url("postgres"))
	if err != nil {
		return fmt.Errorf("pgserver: connect to cluster: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	var exists bool
	err = conn.QueryRow(ctx, "SELECT EXISTS (SELECT FROM pg_database WHERE datname = $1)", s.database).Scan(&exists)
	if err != nil {
		return fmt.Errorf("pgserver: look up database %s: %w", s.database, err)
	}
	if exists {
		return nil
	}
	_, err = conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{s.database}.Sanitize())
	var pgErr *pgconn.PgError
	if err != nil && !(errors.As(err, &pgErr) && pgErr.Code == "42P04") { // duplicate_database: a racer made it
		return fmt.Errorf("pgserver: create database %s: %w", s.database, err)
	}
	s.c.log.Info("pgserver: created database", "database", s.database)
	return nil
}

// resolve makes path absolute and resolves symlinks in its existing part.
func resolve(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("pgserver: data directory: %w", err)
	}
	var rest []string
	for p := abs; ; p = filepath.Dir(p) {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Join(append([]string{real}, rest...)...), nil
		}
		if p == filepath.Dir(p) {
			return abs, nil
		}
		rest = append([]string{filepath.Base(p)}, rest...)
	}
}
