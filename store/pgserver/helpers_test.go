package pgserver

import (
	"context"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if seed.dir != "" {
		_ = os.RemoveAll(filepath.Dir(seed.dir))
	}
	os.Exit(code)
}

// seed is a cluster initialised once per test binary: initdb costs seconds.
var seed struct {
	once sync.Once
	dir  string
	err  error
}

// seededDataDir returns a t.TempDir-based copy of an initialised, stopped
// cluster, for tests about what happens after initdb.
func seededDataDir(t *testing.T) string {
	t.Helper()
	seed.once.Do(func() {
		root, err := os.MkdirTemp("", "pgserver-seed-")
		if err != nil {
			seed.err = err
			return
		}
		seed.dir = filepath.Join(root, "pg")
		s, err := Start(testCtx(t), Options{DataDir: seed.dir, Fast: true})
		if err == nil {
			err = s.Stop(testCtx(t))
		}
		seed.err = err
	})
	require.NoError(t, seed.err, "seed cluster")
	dir := filepath.Join(t.TempDir(), "pg")
	out, err := exec.Command("cp", "-a", seed.dir, dir).CombinedOutput() // keeps owner and modes
	require.NoError(t, err, string(out))
	return dir
}

// testCtx is a context bounded well below the test timeout.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func testLogger(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// start starts a cluster and stops it when the test ends.
func start(t *testing.T, opt Options) *Server {
	t.Helper()
	if opt.Logger == nil {
		opt.Logger = testLogger(t)
	}
	s, err := Start(testCtx(t), opt)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Stop(context.Background())) })
	return s
}

// execSQL runs statements on a fresh connection.
func execSQL(t *testing.T, url string, stmts ...string) {
	t.Helper()
	ctx := testCtx(t)
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn.Close(ctx)
	for _, s := range stmts {
		_, err := conn.Exec(ctx, s)
		require.NoError(t, err, s)
	}
}

// queryString returns the single text value a query yields.
func queryString(t *testing.T, url, query string) string {
	t.Helper()
	ctx := testCtx(t)
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn.Close(ctx)
	var v string
	require.NoError(t, conn.QueryRow(ctx, query).Scan(&v), query)
	return v
}

// waitDead waits until pid is gone or a zombie.
func waitDead(t *testing.T, pid int) {
	t.Helper()
	require.Eventually(t, func() bool { return !processAlive(pid) }, 10*time.Second, 20*time.Millisecond,
		"process %d still alive", pid)
}
