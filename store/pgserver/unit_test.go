package pgserver

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFindBinariesOnThisMachine(t *testing.T) {
	dir, err := FindBinaries()
	require.NoError(t, err, "install PostgreSQL server binaries to run these tests")
	for _, name := range serverBinaries {
		assert.FileExists(t, filepath.Join(dir, name))
	}
}

// fakeBinDir makes root/<name>/bin with the named scripts; postgres prints
// version.
func fakeBinDir(t *testing.T, root, name, version string, binaries ...string) string {
	t.Helper()
	dir := filepath.Join(root, name, "bin")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	for _, b := range binaries {
		script := "#!/bin/sh\nexit 0\n"
		if b == "postgres" {
			script = "#!/bin/sh\necho 'postgres (PostgreSQL) " + version + " (Fake)'\n"
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, b), []byte(script), 0o755))
	}
	return dir
}

func TestFindBinDirs(t *testing.T) {
	root := t.TempDir()
	v96 := fakeBinDir(t, root, "9.6", "9.6.24", serverBinaries...)
	v13 := fakeBinDir(t, root, "13", "13.2", serverBinaries...)
	v15 := fakeBinDir(t, root, "15", "15.20", serverBinaries...)
	fakeBinDir(t, root, "17", "17.0", "postgres") // incomplete: ignored
	onPath := fakeBinDir(t, t.TempDir(), "path", "14.1", serverBinaries...)

	tests := []struct {
		name    string
		pathEnv string
		globs   []string
		want    []string
	}{
		{"nowhere", t.TempDir(), []string{filepath.Join(root, "none", "*")}, nil},
		{"highest version first", "", []string{filepath.Join(root, "*", "bin")}, []string{v15, v13, v96}},
		{"PATH counts", onPath, []string{filepath.Join(root, "1*", "bin")}, []string{v15, onPath, v13}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, d := range findBinDirs(context.Background(), tc.pathEnv, tc.globs) {
				got = append(got, d.dir)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestPickBinaries(t *testing.T) {
	bins := []binDir{{dir: "/b/15", version: []int{15, 2}}, {dir: "/b/13", version: []int{13, 1}}, {dir: "/b/9.6", version: []int{9, 6, 24}}}
	tests := []struct {
		name      string
		pgVersion string // "" = new cluster
		want      string
		wantErr   string
	}{
		{"new cluster takes the highest", "", "/b/15", ""},
		{"existing cluster takes its major", "13\n", "/b/13", ""},
		{"old numbering", "9.6\n", "/b/9.6", ""},
		{"missing major", "12\n", "", "is PostgreSQL 12 but the installed server binaries are 15 in /b/15"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.pgVersion != "" {
				require.NoError(t, os.WriteFile(filepath.Join(dir, "PG_VERSION"), []byte(tc.pgVersion), 0o600))
			}
			got, err := pickBinaries(bins, dir)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.want, got.dir)
		})
	}
}

func TestCanSearch(t *testing.T) {
	u := runUser{uid: 101, gid: 104}
	tests := []struct {
		name string
		st   syscall.Stat_t
		want bool
	}{
		{"owner with x", syscall.Stat_t{Uid: 101, Gid: 0, Mode: 0o700}, true},
		{"owner without x", syscall.Stat_t{Uid: 101, Gid: 104, Mode: 0o077}, false},
		{"group with x", syscall.Stat_t{Uid: 0, Gid: 104, Mode: 0o710}, true},
		{"group without x, others x", syscall.Stat_t{Uid: 0, Gid: 104, Mode: 0o701}, false},
		{"others x", syscall.Stat_t{Uid: 0, Gid: 0, Mode: 0o701}, true},
		{"root-only", syscall.Stat_t{Uid: 0, Gid: 0, Mode: 0o700}, false},
		{"sticky tmp", syscall.Stat_t{Uid: 0, Gid: 0, Mode: 0o1777}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, u.canSearch(&tc.st))
		})
	}
}

func TestEnsureSearchable(t *testing.T) {
	root := t.TempDir()
	blocked := filepath.Join(root, "blocked")
	dir := filepath.Join(blocked, "data")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.Chmod(blocked, 0o700))
	other := runUser{name: "other", uid: 64999, gid: 64999}

	err := ensureSearchable(dir, other, "/nonexistent", testLogger(t))
	require.ErrorContains(t, err, "not searchable by it")
	assert.ErrorContains(t, err, "chmod o+x")

	require.NoError(t, ensureSearchable(dir, other, tempRoot(), testLogger(t)), "temp dirs of ours get fixed")
	fi, err := os.Stat(blocked)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o701), fi.Mode().Perm())
}

func TestConfString(t *testing.T) {
	tests := map[string]string{
		`/tmp/x`:     `'/tmp/x'`,
		`it's`:       `'it''s'`,
		`a\b`:        `'a\\b'`,
		`"/a b"`:     `'"/a b"'`,
		`/path, two`: `'/path, two'`,
	}
	for in, want := range tests {
		assert.Equal(t, want, confString(in), in)
	}
}

func TestReadPidFile(t *testing.T) {
	dir := t.TempDir()
	content := "2201\n/var/lib/postgresql/15/main\n1795425226\n5432\n/var/run/postgresql\n*\n   745552         4\nready   \n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "postmaster.pid"), []byte(content), 0o600))
	pf, err := readPidFile(dir)
	require.NoError(t, err)
	assert.Equal(t, pidFile{pid: 2201, port: 5432, sockDir: "/var/run/postgresql", shmID: "4", status: "ready"}, pf)

	_, err = readPidFile(t.TempDir())
	assert.ErrorIs(t, err, os.ErrNotExist)
}

func TestProcessAlive(t *testing.T) {
	assert.True(t, processAlive(os.Getpid()), "self")
	assert.False(t, processAlive(0))

	dead := exec.Command("true")
	require.NoError(t, dead.Run())
	assert.False(t, processAlive(dead.Process.Pid), "reaped")

	zombie := exec.Command("true")
	require.NoError(t, zombie.Start())
	t.Cleanup(func() { _ = zombie.Wait() })
	assert.Eventually(t, func() bool { return !processAlive(zombie.Process.Pid) }, 5*time.Second, 10*time.Millisecond,
		"an exited, unreaped child is a zombie: not alive")
}

func TestIsPostmasterOf(t *testing.T) {
	cwd, err := os.Getwd()
	require.NoError(t, err)
	cwd, err = filepath.EvalSymlinks(cwd)
	require.NoError(t, err)
	assert.True(t, isPostmasterOf(os.Getpid(), cwd), "matched by working directory")
	assert.False(t, isPostmasterOf(os.Getpid(), t.TempDir()))
}
