package pgserver

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

const (
	// busyWait bounds waiting for a server that is starting or stopping, and
	// for processes of a crashed server to exit.
	busyWait  = 60 * time.Second
	pollEvery = 100 * time.Millisecond
)

// claim makes this process the cluster's owner, with a flock on the data
// directory held until Stop (no file of ours in the directory, so initdb
// still finds it empty; the descriptor is close-on-exec, so the server does
// not inherit it). The kernel drops the lock when the owner exits, however
// it exits. If another live process owns the cluster, claim waits until that
// cluster is ready and returns lock == nil with its postmaster.pid.
func (c *cluster) claim(ctx context.Context) (lock *os.File, pf pidFile, err error) {
	f, err := os.Open(c.dataDir)
	if err != nil {
		return nil, pidFile{}, fmt.Errorf("pgserver: lock data directory: %w", err)
	}
	deadline := time.Now().Add(busyWait)
	waiting := false
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return f, pidFile{}, nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			_ = f.Close()
			return nil, pidFile{}, fmt.Errorf("pgserver: lock data directory: %w", err)
		}
		if pf, ok := c.ready(); ok {
			_ = f.Close()
			return nil, pf, nil
		}
		if !waiting {
			waiting = true
			c.log.Info("pgserver: waiting for another process starting the cluster", "dir", c.dataDir)
		}
		if time.Now().After(deadline) {
			_ = f.Close()
			return nil, pidFile{}, fmt.Errorf("pgserver: the cluster in %s belongs to another live process (a databank that "+
				"started it) but is not ready after %v (crashed?); stop that process and start again", c.dataDir, busyWait)
		}
		if err := sleep(ctx, pollEvery); err != nil {
			_ = f.Close()
			return nil, pidFile{}, fmt.Errorf("pgserver: lock data directory: %w", err)
		}
	}
}

// ready reports whether this data directory's postmaster is up and ready.
func (c *cluster) ready() (pidFile, bool) {
	pf, err := readPidFile(c.dataDir)
	if err != nil || !processAlive(pf.pid) || !isPostmasterOf(pf.pid, c.dataDir) {
		return pf, false
	}
	return pf, (pf.status == "ready" || pf.status == "standby") && pf.sockDir != ""
}

// running reports whether this data directory's postmaster is up, waiting
// while it is starting or stopping. When it is not running, pf is what a
// stale postmaster.pid says (pid 0 if there is none).
func (c *cluster) running(ctx context.Context) (pf pidFile, running bool, err error) {
	deadline := time.Now().Add(busyWait)
	for {
		pf, err = readPidFile(c.dataDir)
		if errors.Is(err, fs.ErrNotExist) {
			return pidFile{}, false, nil
		}
		if err != nil {
			return pidFile{}, false, fmt.Errorf("pgserver: read postmaster.pid: %w", err)
		}
		if !processAlive(pf.pid) || !isPostmasterOf(pf.pid, c.dataDir) {
			return pf, false, nil
		}
		if (pf.status == "ready" || pf.status == "standby") && pf.sockDir != "" {
			return pf, true, nil
		}
		if time.Now().After(deadline) {
			return pf, false, fmt.Errorf("pgserver: the server in %s (PID %d) is still %q after %v; see its log",
				c.dataDir, pf.pid, pf.status, busyWait)
		}
		if err := sleep(ctx, pollEvery); err != nil {
			return pf, false, fmt.Errorf("pgserver: wait for server in %s: %w", c.dataDir, err)
		}
	}
}

// clearStale removes the postmaster.pid (and socket lock) of a server that
// is not running, once no process of it is attached to its shared memory:
// the postmaster was killed but its backends may take a moment to notice.
func (c *cluster) clearStale(ctx context.Context, pf pidFile) error {
	deadline := time.Now().Add(busyWait)
	for shmemInUse(pf.shmID) {
		if time.Now().After(deadline) {
			return fmt.Errorf("pgserver: processes of a crashed server (PID %d) in %s are still attached to its shared memory "+
				"(segment %s); terminate them (see `ps -ef | grep postgres`) and start again", pf.pid, c.dataDir, pf.shmID)
		}
		if err := sleep(ctx, pollEvery); err != nil {
			return fmt.Errorf("pgserver: wait for old server processes: %w", err)
		}
	}
	if err := os.Remove(filepath.Join(c.dataDir, "postmaster.pid")); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("pgserver: remove stale postmaster.pid: %w", err)
	}
	c.log.Warn("pgserver: removed the stale postmaster.pid of a server that is not running (crash?)",
		"dir", c.dataDir, "pid", pf.pid)
	// Only socket directories we own: a shared one (/var/run/postgresql)
	// may hold a live lock of another cluster.
	if pf.sockDir == c.dataDir || isPrivateSocketDir(pf.sockDir) {
		return removeStaleSocketLock(pf.sockDir, pf.port, c.dataDir)
	}
	return nil
}

// pickBinaries takes the highest version for a new cluster and the
// cluster's own major version for an existing one.
func pickBinaries(bins []binDir, dataDir string) (binDir, error) {
	b, err := os.ReadFile(filepath.Join(dataDir, "PG_VERSION"))
	if errors.Is(err, fs.ErrNotExist) {
		return bins[0], nil
	}
	if err != nil {
		return binDir{}, fmt.Errorf("pgserver: read PG_VERSION: %w", err)
	}
	want := strings.TrimSpace(string(b))
	var have []string
	for _, bd := range bins {
		if bd.major() == want {
			return bd, nil
		}
		have = append(have, bd.major()+" in "+bd.dir)
	}
	return binDir{}, fmt.Errorf("pgserver: the cluster in %s is PostgreSQL %s but the installed server binaries are %s; "+
		"install PostgreSQL %s, upgrade the cluster (pg_upgrade), or move the directory away to start afresh",
		dataDir, want, strings.Join(have, ", "), want)
}

// sleep waits d or until ctx is done.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
