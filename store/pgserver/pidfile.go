package pgserver

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// pidFile is what postmaster.pid says about a (possibly dead) server.
type pidFile struct {
	pid     int
	port    int
	sockDir string // first of unix_socket_directories, "" if none
	shmID   string // SysV shared memory id of the interlock segment, "" if none
	status  string // "starting", "ready", "stopping", "standby", or ""
}

// readPidFile parses DataDir/postmaster.pid; fs.ErrNotExist passes through.
func readPidFile(dataDir string) (pidFile, error) {
	b, err := os.ReadFile(filepath.Join(dataDir, "postmaster.pid"))
	if err != nil {
		return pidFile{}, err
	}
	lines := strings.Split(string(b), "\n")
	line := func(i int) string { // 1-based, as in PostgreSQL's pidfile.h
		if i <= len(lines) {
			return strings.TrimSpace(lines[i-1])
		}
		return ""
	}
	pf := pidFile{sockDir: line(5), status: line(8)}
	pf.pid, _ = strconv.Atoi(line(1))
	pf.port, _ = strconv.Atoi(line(4))
	if f := strings.Fields(line(7)); len(f) == 2 {
		pf.shmID = f[1]
	}
	return pf, nil
}

// processAlive reports whether pid exists and is not a zombie (a killed
// postmaster whose parent, often PID 1 in a container, never reaps it).
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	if err := syscall.Kill(pid, 0); err != nil && !errors.Is(err, syscall.EPERM) {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return !errors.Is(err, fs.ErrNotExist) || !procMounted()
	}
	if i := bytes.LastIndexByte(stat, ')'); i >= 0 && i+2 < len(stat) {
		if s := stat[i+2]; s == 'Z' || s == 'X' {
			return false
		}
	}
	return true
}

// isPostmasterOf reports whether the live process pid is the postmaster of
// dataDir (resolved path). A PID from a stale postmaster.pid may belong to an
// unrelated process by now. Without /proc it assumes yes, the safe answer.
func isPostmasterOf(pid int, dataDir string) bool {
	if !procMounted() {
		return true
	}
	// The postmaster chdirs into its data directory. Reading another user's
	// cwd needs ptrace rights, which root in a container may lack.
	if cwd, err := os.Readlink(fmt.Sprintf("/proc/%d/cwd", pid)); err == nil {
		return cwd == dataDir
	}
	// The postmaster keeps its command line: postgres -D <dataDir> ...
	cmdline, err := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
	if err != nil {
		return false
	}
	args := strings.Split(strings.TrimRight(string(cmdline), "\x00"), "\x00")
	if exe := filepath.Base(args[0]); exe != "postgres" && exe != "postmaster" {
		return false
	}
	for _, a := range args[1:] {
		if filepath.Clean(a) == dataDir {
			return true
		}
	}
	return false
}

func procMounted() bool {
	_, err := os.Stat("/proc/self/stat")
	return err == nil
}

// shmemInUse reports whether processes are still attached to the SysV
// segment a postmaster recorded in postmaster.pid: backends orphaned by a
// killed postmaster. A new postmaster must not start until they are gone;
// PostgreSQL checks this itself only while postmaster.pid is there.
func shmemInUse(shmID string) bool {
	if shmID == "" {
		return false
	}
	f, err := os.Open("/proc/sysvipc/shm")
	if err != nil {
		return false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		// key shmid perms size cpid lpid nattch ...
		fields := strings.Fields(sc.Text())
		if len(fields) > 6 && fields[1] == shmID {
			n, err := strconv.Atoi(fields[6])
			return err == nil && n > 0
		}
	}
	return false
}

// socketName is the socket PostgreSQL creates in a socket directory.
func socketName(port int) string { return ".s.PGSQL." + strconv.Itoa(port) }

// removeStaleSocketLock removes the socket and its lock file in dir unless
// the lock belongs to a live postmaster of dataDir.
func removeStaleSocketLock(dir string, port int, dataDir string) error {
	sock := filepath.Join(dir, socketName(port))
	b, err := os.ReadFile(sock + ".lock")
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("pgserver: read socket lock: %w", err)
	}
	first, _, _ := strings.Cut(string(b), "\n")
	if pid, _ := strconv.Atoi(strings.TrimSpace(first)); processAlive(pid) && isPostmasterOf(pid, dataDir) {
		return nil
	}
	for _, p := range []string{sock + ".lock", sock} {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("pgserver: remove stale socket lock: %w", err)
		}
	}
	return nil
}
