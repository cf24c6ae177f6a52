package pgserver

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// runUser is the user the cluster runs as.
type runUser struct {
	name     string
	uid, gid uint32
	// cred switches initdb, pg_ctl and postgres to the user; nil when
	// databank itself is not root and runs them as itself.
	cred *syscall.Credential
}

// pickRunUser chooses who runs the cluster. A non-root process runs it as
// itself. Root runs it as the owner of an existing data directory when that
// is not root, else as `postgres`, else as `nobody`.
func pickRunUser(dataDir string) (runUser, error) {
	if os.Geteuid() != 0 {
		name := strconv.Itoa(os.Geteuid())
		if u, err := user.Current(); err == nil {
			name = u.Username
		}
		return runUser{name: name, uid: uint32(os.Geteuid()), gid: uint32(os.Getegid())}, nil
	}
	if fi, err := os.Stat(dataDir); err == nil {
		if st, ok := fi.Sys().(*syscall.Stat_t); ok && st.Uid != 0 {
			ru := runUser{name: strconv.Itoa(int(st.Uid)), uid: st.Uid, gid: st.Gid}
			if u, err := user.LookupId(strconv.Itoa(int(st.Uid))); err == nil {
				ru = fromUser(u, ru)
			}
			ru.cred = &syscall.Credential{Uid: ru.uid, Gid: ru.gid}
			return ru, nil
		}
	}
	for _, name := range []string{"postgres", "nobody"} {
		u, err := user.Lookup(name)
		if err != nil {
			continue
		}
		ru := fromUser(u, runUser{})
		if ru.uid == 0 {
			continue
		}
		ru.cred = &syscall.Credential{Uid: ru.uid, Gid: ru.gid}
		return ru, nil
	}
	return runUser{}, errors.New("pgserver: PostgreSQL refuses to run as root and there is no `postgres` or `nobody` user " +
		"to run it as; create a postgres user, run databank as an unprivileged user, or set DATABASE_URL")
}

// fromUser fills name, uid and gid from u, keeping def's on parse errors.
func fromUser(u *user.User, def runUser) runUser {
	def.name = u.Username
	if uid, err := strconv.ParseUint(u.Uid, 10, 32); err == nil {
		def.uid = uint32(uid)
	}
	if gid, err := strconv.ParseUint(u.Gid, 10, 32); err == nil {
		def.gid = uint32(gid)
	}
	return def
}

// foreign reports whether the cluster runs as another user than databank.
func (u runUser) foreign() bool { return u.cred != nil }

// canSearch reports whether u may traverse a directory with the given stat.
// It reads the mode bits only (no ACLs); u has no supplementary groups, as
// the credential clears them.
func (u runUser) canSearch(st *syscall.Stat_t) bool {
	mode := st.Mode & 0o777
	switch {
	case u.uid == 0:
		return true
	case st.Uid == u.uid:
		return mode&0o100 != 0
	case st.Gid == u.gid:
		return mode&0o010 != 0
	default:
		return mode&0o001 != 0
	}
}

// prepareDataDir creates dataDir (mode 0700, owned by u) and makes sure u can
// reach it. Missing parents are created 0755 (exactly, for a foreign u). Existing parents that u cannot
// search get the others-search bit only when they lie under tempRoot and
// belong to us; otherwise prepareDataDir fails naming the blocking directory.
func prepareDataDir(dataDir string, u runUser, tempRoot string, log *slog.Logger) error {
	var missing []string
	for p := dataDir; ; p = filepath.Dir(p) {
		if _, err := os.Lstat(p); err == nil {
			break
		} else if !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("pgserver: data directory %s: %w", dataDir, err)
		}
		missing = append(missing, p)
		if p == filepath.Dir(p) {
			break
		}
	}
	if u.foreign() {
		if err := ensureSearchable(filepath.Dir(dataDir), u, tempRoot, log); err != nil {
			return err
		}
	}
	for i := len(missing) - 1; i >= 0; i-- {
		p, perm := missing[i], os.FileMode(0o755)
		if p == dataDir {
			perm = 0o700
		}
		if err := os.Mkdir(p, perm); err != nil && !errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("pgserver: create data directory: %w", err)
		}
		if u.foreign() { // the cluster user must get through, whatever our umask
			if err := os.Chmod(p, perm); err != nil {
				return fmt.Errorf("pgserver: create data directory: %w", err)
			}
		}
	}
	fi, err := os.Stat(dataDir)
	if err != nil {
		return fmt.Errorf("pgserver: data directory: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("pgserver: data directory %s is not a directory", dataDir)
	}
	st := fi.Sys().(*syscall.Stat_t)
	if u.foreign() && st.Uid != u.uid {
		if err := chownTree(dataDir, u); err != nil {
			return err
		}
	}
	if fi.Mode().Perm()&0o027 != 0 { // PostgreSQL wants 0700 or 0750
		if err := os.Chmod(dataDir, 0o700); err != nil {
			return fmt.Errorf("pgserver: data directory permissions: %w", err)
		}
	}
	return nil
}

// ensureSearchable checks every existing directory from / down to dir.
func ensureSearchable(dir string, u runUser, tempRoot string, log *slog.Logger) error {
	var chain []string
	for p := dir; ; p = filepath.Dir(p) {
		chain = append(chain, p)
		if p == filepath.Dir(p) {
			break
		}
	}
	for i := len(chain) - 1; i >= 0; i-- {
		p := chain[i]
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return nil // created by prepareDataDir, 0755
		}
		if err != nil {
			return fmt.Errorf("pgserver: data directory parent: %w", err)
		}
		st := fi.Sys().(*syscall.Stat_t)
		if u.canSearch(st) {
			continue
		}
		if tempRoot != "" && strings.HasPrefix(p, tempRoot+"/") && st.Uid == uint32(os.Geteuid()) {
			if err := os.Chmod(p, fi.Mode().Perm()|0o001); err != nil {
				return fmt.Errorf("pgserver: let user %s search %s: %w", u.name, p, err)
			}
			log.Info("pgserver: added others-search permission so the cluster user can reach its data directory",
				"dir", p, "user", u.name)
			continue
		}
		return fmt.Errorf("pgserver: the cluster runs as user %s (PostgreSQL refuses root), which cannot reach %s: "+
			"%s (mode %v, owner uid %d) is not searchable by it; choose a data directory outside it, "+
			"allow it (e.g. `chmod o+x %s`), or set DATABASE_URL", u.name, dir, p, fi.Mode(), st.Uid, p)
	}
	return nil
}

// chownTree gives root and everything under it to u.
func chownTree(root string, u runUser) error {
	err := filepath.WalkDir(root, func(p string, _ fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, int(u.uid), int(u.gid))
	})
	if err != nil {
		return fmt.Errorf("pgserver: give data directory to user %s: %w", u.name, err)
	}
	return nil
}

// tempRoot is the resolved system temp directory.
func tempRoot() string {
	t, err := filepath.EvalSymlinks(os.TempDir())
	if err != nil {
		return filepath.Clean(os.TempDir())
	}
	return t
}
