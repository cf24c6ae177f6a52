// Package storetest gives each database test a brand-new, migrated
// PostgreSQL database.
//
// Every package with database tests calls Main from its TestMain:
//
//	func TestMain(m *testing.M) { storetest.Main(m) }
//
// and each test calls New for a connection string of its own database,
// cloned from a template migrated once per migration hash (pgtestdb).
// The databases are used as AppRole, which does not own their schema, when
// the Migrator grants it privileges (Granter). With TEST_DATABASE_URL set
// (a postgres:// URL of a role that may create roles and databases), that
// server is used; otherwise the first New starts a
// private throwaway cluster (pgserver, Fast) for this test binary, which Main
// stops after the tests.
package storetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/peterldowns/pgtestdb"

	"databank/store/pgserver"
)

// EnvURL names the variable holding an existing server to test against.
const EnvURL = "TEST_DATABASE_URL"

// Migrator is what the store provides to build the template database.
type Migrator interface {
	// Hash identifies the schema the migrations produce; a template is
	// built once per hash.
	Hash() string
	// Migrate brings an empty database to the schema.
	Migrate(ctx context.Context, conn *pgx.Conn) error
}

// state is the server this test binary uses.
var state struct {
	mainCalled bool

	once sync.Once
	base pgtestdb.Config
	err  error

	roleOnce sync.Once // AppRole created
	roleErr  error

	mu      sync.Mutex // server and tempDir: Main's signal handler reads them
	server  *pgserver.Server
	tempDir string
}

// Main runs the tests, stops the private cluster if New started one, and
// exits with the tests' code. An interrupt (SIGINT, SIGTERM) also stops the
// cluster, which would otherwise outlive the test binary.
func Main(m *testing.M) {
	state.mainCalled = true
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-sigs
		fmt.Fprintf(os.Stderr, "storetest: %v: cleaning up the test cluster\n", sig)
		if err := shutdown(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
		os.Exit(1)
	}()
	code := m.Run()
	signal.Stop(sigs)
	if err := shutdown(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		if code == 0 {
			code = 1
		}
	}
	os.Exit(code)
}

// Granter is a Migrator whose schema the application uses as a role of
// its own, which does not own it.
type Granter interface {
	// Grant gives role, on the database conn's role owns, the privileges
	// the application needs.
	Grant(ctx context.Context, conn *pgx.Conn, role string) error
}

// AppRole is the role New's databases are used as when the Migrator is
// a Granter: a login role of the server, created once, that owns nothing.
const AppRole = "databank_test_app"

// appPassword is AppRole's, for servers that ask for one.
const appPassword = "databank_test_app"

// New returns the URL of a brand-new database holding m's schema, dropped
// when the test ends if it passed (kept for inspection if it failed).
//
// The schema belongs to the role that migrated the template. When m is a
// Granter, New grants AppRole its privileges on the new database and
// returns the URL as AppRole, so that tests run with the application's
// privileges, not the owner's; OwnerURL gives the owner's.
func New(t testing.TB, m Migrator) string {
	t.Helper()
	base, err := baseConfig()
	if err != nil {
		t.Fatalf("%v", err)
	}
	db := pgtestdb.Custom(t, base, migrator{m})
	g, ok := m.(Granter)
	if !ok {
		return db.URL()
	}
	if err := grant(db.URL(), g); err != nil {
		t.Fatalf("%v", err)
	}
	return AppURL(t, db.URL())
}

// AppURL returns url, a database of the test server, as AppRole, which it
// creates on the server if needed (it may have no privileges there).
func AppURL(t testing.TB, url string) string {
	t.Helper()
	if err := ensureAppRole(); err != nil {
		t.Fatalf("%v", err)
	}
	c, err := parseURL(url)
	if err != nil {
		t.Fatalf("%v", err)
	}
	c.User, c.Password = AppRole, appPassword
	return c.URL()
}

// OwnerURL returns url, a database of New, as the role that owns its
// schema, for tests that need more than the application may do.
func OwnerURL(t testing.TB, url string) string {
	t.Helper()
	c, err := parseURL(url)
	if err != nil {
		t.Fatalf("%v", err)
	}
	c.User, c.Password = pgtestdb.DefaultRoleUsername, pgtestdb.DefaultRolePassword
	return c.URL()
}

// grant creates AppRole on the server once per test binary and grants it
// g's privileges on the database at url (as its owner). The template's
// table privileges reach its clones, but database-level ones do not, so
// this runs for every database.
func grant(url string, g Granter) error {
	if err := ensureAppRole(); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return fmt.Errorf("storetest: connect to test database: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if err := g.Grant(ctx, conn, AppRole); err != nil {
		return fmt.Errorf("storetest: grant %s: %w", AppRole, err)
	}
	return nil
}

// AdminURL returns the URL of database on the test server, as the role
// that creates the test databases (it may create roles too), for tests
// that need more than a database owner may do.
func AdminURL(t testing.TB, database string) string {
	t.Helper()
	base, err := baseConfig()
	if err != nil {
		t.Fatalf("%v", err)
	}
	base.Database = database
	return base.URL()
}

// ensureAppRole creates AppRole on the test server once per test binary.
func ensureAppRole() error {
	base, err := baseConfig()
	if err != nil {
		return err
	}
	state.roleOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		admin, err := pgx.Connect(ctx, base.URL())
		if err != nil {
			state.roleErr = fmt.Errorf("storetest: create %s: %w", AppRole, err)
			return
		}
		defer admin.Close(context.WithoutCancel(ctx))
		state.roleErr = pgserver.CreateRole(ctx, admin, AppRole, appPassword)
	})
	return state.roleErr
}

// baseConfig starts or finds the server once per test binary.
func baseConfig() (pgtestdb.Config, error) {
	state.once.Do(func() {
		url := os.Getenv(EnvURL)
		if url == "" {
			if !state.mainCalled {
				state.err = errors.New("storetest: call storetest.Main from TestMain (it stops the test cluster), or set " + EnvURL)
				return
			}
			url, state.err = startServer()
			if state.err != nil {
				return
			}
		}
		state.base, state.err = parseURL(url)
		if state.err == nil {
			state.base.DriverName = "pgx"
			// Tests that leak a connection should not also fail on
			// dropping their database.
			state.base.ForceTerminateConnections = true
		}
	})
	return state.base, state.err
}

// startServer starts this test binary's private cluster.
func startServer() (string, error) {
	state.mu.Lock()
	defer state.mu.Unlock()
	dir, err := os.MkdirTemp("", "databank-storetest-")
	if err != nil {
		return "", fmt.Errorf("storetest: %w", err)
	}
	state.tempDir = dir
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := pgserver.Start(ctx, pgserver.Options{
		DataDir:  filepath.Join(dir, "pg"),
		Database: "postgres",
		Fast:     true,
		Logger:   log,
	})
	if err != nil {
		return "", fmt.Errorf("storetest: %s is not set and no private PostgreSQL could start: %w", EnvURL, err)
	}
	state.server = srv
	return srv.URL(), nil
}

// shutdown stops the private cluster and removes its directory.
func shutdown() error {
	state.mu.Lock()
	defer state.mu.Unlock()
	var err error
	if state.server != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err = state.server.Stop(ctx); err != nil {
			err = fmt.Errorf("storetest: stop test cluster: %w", err)
		}
	}
	if state.tempDir != "" && err == nil {
		if rerr := os.RemoveAll(state.tempDir); rerr != nil {
			err = fmt.Errorf("storetest: remove test cluster: %w", rerr)
		}
	}
	return err
}

// migrator adapts a Migrator to pgtestdb.Migrator.
type migrator struct{ m Migrator }

func (a migrator) Hash() (string, error) { return a.m.Hash(), nil }

// Migrate hands the store's migrations the pgx connection under the
// database/sql one pgtestdb opened to the template.
func (a migrator) Migrate(ctx context.Context, db *sql.DB, _ pgtestdb.Config) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("storetest: connect to template: %w", err)
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		c, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("storetest: template connection is %T, not pgx", driverConn)
		}
		if err := a.m.Migrate(ctx, c.Conn()); err != nil {
			return fmt.Errorf("storetest: migrate template: %w", err)
		}
		return nil
	})
}
