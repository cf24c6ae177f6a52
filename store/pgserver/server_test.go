package pgserver

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStartStopKeepsData(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "pg")
	s := start(t, Options{DataDir: dir, Fast: true})
	assert.Contains(t, s.URL(), "postgres://databank@/databank?host=")
	execSQL(t, s.URL(), "CREATE TABLE kept (v text)", "INSERT INTO kept VALUES ('row')")
	assert.Equal(t, "off", queryString(t, s.URL(), "SHOW fsync"))
	assert.Equal(t, "", queryString(t, s.URL(), "SHOW listen_addresses"))

	require.NoError(t, s.Stop(testCtx(t)))
	require.NoError(t, s.Stop(testCtx(t)), "second Stop")
	assert.NoFileExists(t, filepath.Join(dir, "postmaster.pid"))
	assert.FileExists(t, filepath.Join(dir, "log", "postgres.log"))

	s = start(t, Options{DataDir: dir}) // durable this time
	assert.Equal(t, "row", queryString(t, s.URL(), "SELECT v FROM kept"))
	assert.Equal(t, "on", queryString(t, s.URL(), "SHOW fsync"))
	assert.Equal(t, "on", queryString(t, s.URL(), "SHOW full_page_writes"))
}

func TestStartRecoversAfterCrash(t *testing.T) {
	dir := seededDataDir(t)
	s := start(t, Options{DataDir: dir}) // durable: the committed row must survive
	execSQL(t, s.URL(), "CREATE TABLE kept (v text)", "INSERT INTO kept VALUES ('row')")
	pf, err := readPidFile(dir)
	require.NoError(t, err)

	// Crash: the postmaster and databank, which drops its ownership lock.
	require.NoError(t, syscall.Kill(pf.pid, syscall.SIGKILL))
	require.NoError(t, s.lock.Close())
	waitDead(t, pf.pid)
	require.FileExists(t, filepath.Join(dir, "postmaster.pid"), "a crash leaves it behind")

	s2 := start(t, Options{DataDir: dir})
	assert.Equal(t, "row", queryString(t, s2.URL(), "SELECT v FROM kept"))
	pf2, err := readPidFile(dir)
	require.NoError(t, err)
	assert.NotEqual(t, pf.pid, pf2.pid)

	require.NoError(t, s.Stop(testCtx(t)), "the crashed server's Stop")
	execSQL(t, s2.URL(), "SELECT 1") // left the new server alone
}

func TestStartRecoversStaleLock(t *testing.T) {
	tests := []struct {
		name string
		pid  func(t *testing.T) int
	}{
		{"dead PID", func(t *testing.T) int {
			cmd := exec.Command("true")
			require.NoError(t, cmd.Run())
			return cmd.Process.Pid
		}},
		{"PID reused by an unrelated process", func(t *testing.T) int {
			cmd := exec.Command("sleep", "600")
			require.NoError(t, cmd.Start())
			t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
			return cmd.Process.Pid
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := seededDataDir(t)
			s := start(t, Options{DataDir: dir, Fast: true})
			execSQL(t, s.URL(), "CREATE TABLE kept (v text)", "INSERT INTO kept VALUES ('row')")
			require.NoError(t, s.Stop(testCtx(t)))

			pid := tc.pid(t)
			pidFile := fmt.Sprintf("%d\n%s\n1700000000\n%d\n%s\n\n  5432001 2147483000\nready   \n", pid, dir, port, dir)
			require.NoError(t, os.WriteFile(filepath.Join(dir, "postmaster.pid"), []byte(pidFile), 0o600))
			sockLock := fmt.Sprintf("%d\n%s\n1700000000\n%d\n%s\n", pid, dir, port, dir)
			require.NoError(t, os.WriteFile(filepath.Join(dir, socketName(port)+".lock"), []byte(sockLock), 0o600))

			s = start(t, Options{DataDir: dir, Fast: true})
			assert.Equal(t, "row", queryString(t, s.URL(), "SELECT v FROM kept"))
			pf, err := readPidFile(dir)
			require.NoError(t, err)
			assert.NotEqual(t, pid, pf.pid)
		})
	}
}

func TestStartReusesRunningCluster(t *testing.T) {
	dir := seededDataDir(t)
	first := start(t, Options{DataDir: dir, Fast: true})
	second := start(t, Options{DataDir: dir, Database: "other"})
	assert.Equal(t, strings.Replace(first.URL(), "/databank?", "/other?", 1), second.URL())

	require.NoError(t, second.Stop(testCtx(t)), "not ours: no-op")
	execSQL(t, second.URL(), "SELECT 1")
	require.NoError(t, first.Stop(testCtx(t)))
	assert.NoFileExists(t, filepath.Join(dir, "postmaster.pid"))
}

func TestStartAdoptsClusterOfDeadOwner(t *testing.T) {
	dir := seededDataDir(t)
	orphaned := start(t, Options{DataDir: dir, Fast: true})
	require.NoError(t, orphaned.lock.Close(), "as if the owner had died")

	adopter := start(t, Options{DataDir: dir, Fast: true})
	assert.Equal(t, orphaned.URL(), adopter.URL())
	assert.True(t, adopter.owned)
	require.NoError(t, adopter.Stop(testCtx(t)))
	assert.NoFileExists(t, filepath.Join(dir, "postmaster.pid"))
}

func TestStartLongDataDirUsesPrivateSocketDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), strings.Repeat("long", 25), "pg")
	require.NoError(t, os.MkdirAll(filepath.Dir(dir), 0o755))
	require.NoError(t, os.Rename(seededDataDir(t), dir))
	s := start(t, Options{DataDir: dir, Fast: true})
	cfg, err := pgx.ParseConfig(s.URL())
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(cfg.Host, "/tmp/databank-pg-"), cfg.Host)
	fi, err := os.Stat(cfg.Host)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o700), fi.Mode().Perm())
	execSQL(t, s.URL(), "SELECT 1")

	require.NoError(t, s.Stop(testCtx(t)))
	assert.NoDirExists(t, cfg.Host)
}

func TestStartWithoutBinaries(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	saved := searchGlobs
	searchGlobs = []string{filepath.Join(t.TempDir(), "nowhere", "*", "bin")}
	t.Cleanup(func() { searchGlobs = saved })

	_, err := FindBinaries()
	require.ErrorIs(t, err, ErrNoBinaries)

	dir := filepath.Join(t.TempDir(), "pg")
	_, err = Start(context.Background(), Options{DataDir: dir})
	require.ErrorIs(t, err, ErrNoBinaries)
	assert.Contains(t, err.Error(), "apt-get install postgresql")
	assert.Contains(t, err.Error(), "DATABASE_URL")
	assert.NoDirExists(t, dir, "nothing created")
}

func TestStartRequiresDataDir(t *testing.T) {
	_, err := Start(context.Background(), Options{})
	require.ErrorContains(t, err, "pgserver: no data directory")
}
