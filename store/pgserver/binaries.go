package pgserver

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ErrNoBinaries is wrapped by Start and returned by FindBinaries when no
// directory holds the PostgreSQL server binaries initdb, pg_ctl and postgres.
var ErrNoBinaries = errors.New("pgserver: no PostgreSQL server binaries (initdb, pg_ctl, postgres) found; " +
	"install PostgreSQL (e.g. `apt-get install postgresql`) or set DATABASE_URL")

// serverBinaries must all be in a candidate directory.
var serverBinaries = []string{"initdb", "pg_ctl", "postgres"}

// searchGlobs are where distributions put versioned server binaries. Tests
// replace it.
var searchGlobs = []string{
	"/usr/lib/postgresql/*/bin", // Debian, Ubuntu
	"/usr/pgsql-*/bin",          // PGDG RPMs
	"/usr/local/pgsql/bin",      // source builds
}

// binDir is a directory holding the server binaries.
type binDir struct {
	dir     string
	version []int // from `postgres --version`; nil if unknown
}

// major returns the major version as PG_VERSION spells it ("15", "9.6").
func (b binDir) major() string {
	switch {
	case len(b.version) == 0:
		return ""
	case b.version[0] >= 10 || len(b.version) == 1:
		return strconv.Itoa(b.version[0])
	default:
		return strconv.Itoa(b.version[0]) + "." + strconv.Itoa(b.version[1])
	}
}

// FindBinaries returns the directory of the PostgreSQL server binaries with
// the highest version among `pg_config --bindir`, /usr/lib/postgresql/*/bin
// (and the PGDG and source-build locations) and the directories on PATH. It
// returns an error wrapping ErrNoBinaries when there is none.
func FindBinaries() (string, error) {
	dirs := findBinDirs(context.Background(), os.Getenv("PATH"), searchGlobs)
	if len(dirs) == 0 {
		return "", ErrNoBinaries
	}
	return dirs[0].dir, nil
}

// findBinDirs lists the directories holding the server binaries, highest
// version first; on a tie pg_config's choice, then the globs, then PATH.
func findBinDirs(ctx context.Context, pathEnv string, globs []string) []binDir {
	var dirs []string
	if pgConfig := lookPath("pg_config", pathEnv); pgConfig != "" {
		ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		out, err := exec.CommandContext(ctx, pgConfig, "--bindir").Output()
		cancel()
		if err == nil {
			dirs = append(dirs, strings.TrimSpace(string(out)))
		}
	}
	for _, g := range globs {
		matches, _ := filepath.Glob(g) // only ErrBadPattern, for our fixed patterns
		dirs = append(dirs, matches...)
	}
	dirs = append(dirs, filepath.SplitList(pathEnv)...)

	var found []binDir
	seen := map[string]bool{}
	for _, d := range dirs {
		if d == "" || !filepath.IsAbs(d) {
			continue
		}
		d = filepath.Clean(d)
		if real, err := filepath.EvalSymlinks(d); err == nil {
			d = real
		}
		if seen[d] || !hasServerBinaries(d) {
			continue
		}
		seen[d] = true
		found = append(found, binDir{dir: d, version: postgresVersion(ctx, d)})
	}
	sort.SliceStable(found, func(i, j int) bool { return versionLess(found[j].version, found[i].version) })
	return found
}

// hasServerBinaries reports whether dir holds every server binary.
func hasServerBinaries(dir string) bool {
	for _, name := range serverBinaries {
		if !isExecutable(filepath.Join(dir, name)) {
			return false
		}
	}
	return true
}

// lookPath is exec.LookPath over an explicit PATH value.
func lookPath(name, pathEnv string) string {
	for _, dir := range filepath.SplitList(pathEnv) {
		if dir == "" {
			continue
		}
		if p := filepath.Join(dir, name); isExecutable(p) {
			return p
		}
	}
	return ""
}

func isExecutable(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular() && fi.Mode().Perm()&0o111 != 0
}

var versionRE = regexp.MustCompile(`\(PostgreSQL\) (\d+(?:\.\d+)*)`)

// postgresVersion runs `postgres --version` (allowed as root) and parses
// "postgres (PostgreSQL) 15.20 (Debian ...)" into [15 20].
func postgresVersion(ctx context.Context, dir string) []int {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, filepath.Join(dir, "postgres"), "--version").Output()
	if err != nil {
		return nil
	}
	m := versionRE.FindSubmatch(out)
	if m == nil {
		return nil
	}
	var v []int
	for _, part := range strings.Split(string(m[1]), ".") {
		n, err := strconv.Atoi(part)
		if err != nil {
			return nil
		}
		v = append(v, n)
	}
	return v
}

// versionLess orders versions numerically; unknown (nil) sorts lowest.
func versionLess(a, b []int) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return len(a) < len(b)
}
