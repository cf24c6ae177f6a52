package pgserver

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

const (
	// superuser is the role initdb creates; trust authentication.
	superuser = "databank"
	// port names the socket file; nothing listens on TCP.
	port = 5432
	// maxSocketPath is the longest Unix socket path (sun_path minus NUL).
	maxSocketPath = 107
	// confFile holds the settings databank owns, rewritten at every start.
	confFile    = "databank.conf"
	includeLine = "include_if_exists = '" + confFile + "'"
	// maxLogSize makes Start rotate postgres.log to postgres.log.1.
	maxLogSize = 16 << 20
	// pgCtlTimeout bounds pg_ctl start and stop, in seconds.
	pgCtlTimeout = "60"
)

// cluster is a data directory, the binaries that run it and its user.
type cluster struct {
	dataDir string // absolute, symlinks resolved
	bin     binDir
	user    runUser
	log     *slog.Logger
}

// command prepares a server binary to run as the cluster user, in "/" (the
// user may not reach our working directory) and without PG* variables
// (PGPORT and friends must not change the cluster).
func (c *cluster) command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, filepath.Join(c.bin.dir, name), args...)
	cmd.Dir = "/"
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	if c.user.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: c.user.cred}
	}
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// run runs a server binary and returns an error carrying its output.
func (c *cluster) run(ctx context.Context, name string, args ...string) error {
	out, err := c.command(ctx, name, args...).CombinedOutput()
	c.log.Debug("pgserver: ran "+name, "args", args, "output", string(out), "err", err)
	if err != nil {
		return fmt.Errorf("pgserver: %s: %w: %s", name, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// initialised reports whether the data directory holds a cluster.
func (c *cluster) initialised() bool {
	_, err := os.Stat(filepath.Join(c.dataDir, "PG_VERSION"))
	return err == nil
}

// initdb creates the cluster, in locale C.UTF-8 or, if the system lacks it, C.
func (c *cluster) initdb(ctx context.Context) error {
	entries, err := os.ReadDir(c.dataDir)
	if err != nil {
		return fmt.Errorf("pgserver: read data directory: %w", err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("pgserver: data directory %s is not empty and holds no PostgreSQL cluster (no PG_VERSION); "+
			"empty it or choose another directory", c.dataDir)
	}
	c.log.Info("pgserver: creating cluster", "dir", c.dataDir, "version", c.bin.major(), "user", c.user.name)
	for _, locale := range []string{"C.UTF-8", "C"} {
		err = c.run(ctx, "initdb", "-D", c.dataDir, "--no-sync", "-A", "trust", "-U", superuser,
			"-E", "UTF8", "--locale="+locale)
		if err == nil || !strings.Contains(strings.ToLower(err.Error()), "locale") {
			break
		}
	}
	return err
}

// socketDir picks where the server puts its socket: the data directory if
// the socket path fits, else a private directory under /tmp named after the
// data directory. private is true for the latter.
func (c *cluster) socketDir() (dir string, private bool, err error) {
	if len(filepath.Join(c.dataDir, socketName(port))) <= maxSocketPath {
		return c.dataDir, false, nil
	}
	sum := sha256.Sum256([]byte(c.dataDir))
	dir = filepath.Join("/tmp", "databank-pg-"+hex.EncodeToString(sum[:8]))
	if err := os.Mkdir(dir, 0o700); err == nil {
		err = c.own(dir)
		return dir, true, err
	} else if !errors.Is(err, fs.ErrExist) {
		return "", false, fmt.Errorf("pgserver: socket directory: %w", err)
	}
	if fi, err := os.Lstat(dir); err == nil && fi.IsDir() && fi.Sys().(*syscall.Stat_t).Uid == c.user.uid {
		return dir, true, os.Chmod(dir, 0o700) // ours from an earlier start
	}
	// Someone else holds the name: take a random one.
	dir, err = os.MkdirTemp("/tmp", "databank-pg-")
	if err != nil {
		return "", false, fmt.Errorf("pgserver: socket directory: %w", err)
	}
	return dir, true, c.own(dir)
}

// isPrivateSocketDir reports whether dir looks like one socketDir made.
func isPrivateSocketDir(dir string) bool {
	return filepath.Dir(dir) == "/tmp" && strings.HasPrefix(filepath.Base(dir), "databank-pg-")
}

// writeConf writes databank.conf and makes postgresql.conf include it.
func (c *cluster) writeConf(sockDir string, fast bool) error {
	durable := "on"
	if fast {
		durable = "off"
	}
	conf := fmt.Sprintf(`# Written by databank (store/pgserver) at every start; edits here are lost.
listen_addresses = ''
port = %d
unix_socket_directories = %s
fsync = %s
synchronous_commit = %s
full_page_writes = %s
`, port, confString(`"`+strings.ReplaceAll(sockDir, `"`, `""`)+`"`), durable, durable, durable)
	path := filepath.Join(c.dataDir, confFile)
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		return fmt.Errorf("pgserver: write %s: %w", confFile, err)
	}
	if err := c.own(path); err != nil {
		return err
	}

	main := filepath.Join(c.dataDir, "postgresql.conf")
	b, err := os.ReadFile(main)
	if err != nil {
		return fmt.Errorf("pgserver: read postgresql.conf: %w", err)
	}
	if bytes.Contains(b, []byte(includeLine)) {
		return nil
	}
	f, err := os.OpenFile(main, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return fmt.Errorf("pgserver: include %s: %w", confFile, err)
	}
	_, err = fmt.Fprintf(f, "\n# Added by databank: settings it manages.\n%s\n", includeLine)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("pgserver: include %s: %w", confFile, err)
	}
	return nil
}

// confString quotes s as a postgresql.conf string literal.
func confString(s string) string {
	s = strings.ReplaceAll(s, `\`, `\\`)
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

// logFile returns the server log path, creating its directory and rotating
// a log grown past maxLogSize.
func (c *cluster) logFile() (string, error) {
	dir := filepath.Join(c.dataDir, "log")
	if err := os.Mkdir(dir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("pgserver: log directory: %w", err)
	}
	if err := c.own(dir); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "postgres.log")
	if fi, err := os.Stat(path); err == nil && fi.Size() > maxLogSize {
		if err := os.Rename(path, path+".1"); err != nil {
			return "", fmt.Errorf("pgserver: rotate log: %w", err)
		}
	}
	return path, nil
}

// own gives path to the cluster user when that is not us.
func (c *cluster) own(path string) error {
	if !c.user.foreign() {
		return nil
	}
	if err := os.Lchown(path, int(c.user.uid), int(c.user.gid)); err != nil {
		return fmt.Errorf("pgserver: give %s to user %s: %w", path, c.user.name, err)
	}
	return nil
}

// tail returns the last lines of a file, for error messages.
func tail(path string, lines int) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Size() > 8192 {
		_, _ = f.Seek(-8192, io.SeekEnd)
	}
	b, _ := io.ReadAll(f)
	all := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}
