package store_test

import (
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/importers/registry"
	"databank/store"
	"databank/store/storetest"
)

// goodBundle is the directory of the example files, one per kind.
const goodBundle = "../testdata/import"

// importDB is a store on a fresh database, a staff context and a direct
// connection for inspecting tables.
type importDB struct {
	st   *store.Store
	ctx  context.Context
	conn *pgx.Conn
}

func newImportDB(t *testing.T) importDB {
	t.Helper()
	url := storetest.New(t, store.Migrator{})
	ctx := domain.WithActor(context.Background(), domain.Actor{Name: "importer", Role: domain.RoleStaff})
	st, err := store.Open(ctx, url, store.Options{})
	require.NoError(t, err)
	t.Cleanup(st.Close)
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close(context.Background()) })
	return importDB{st: st, ctx: ctx, conn: conn}
}

// count returns the result of a count query.
func (db importDB) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	require.NoError(t, db.conn.QueryRow(db.ctx, sql, args...).Scan(&n))
	return n
}

// rows returns the number of rows of every registry table and the change log.
func (db importDB) rows(t *testing.T) map[string]int {
	t.Helper()
	out := map[string]int{}
	for _, table := range []string{"biobank", "study", "dataset", "donor", "consent", "diagnosis", "sample", "withdrawal",
		"data_file", "data_file_sample", "dataset_file", "change_log"} {
		out[table] = db.count(t, "SELECT count(*) FROM "+table)
	}
	return out
}

// importBundle imports every file of dir.
func (db importDB) importBundle(t *testing.T, dir string, dryRun bool) (*store.ImportReport, error) {
	t.Helper()
	return db.importBundleProgress(t, dir, dryRun, nil)
}

// importBundleProgress imports every file of dir, reporting progress.
func (db importDB) importBundleProgress(t *testing.T, dir string, dryRun bool, progress func(store.ImportProgress)) (*store.ImportReport, error) {
	t.Helper()
	files, err := registry.OpenBundle(dir, registry.Options{})
	require.NoError(t, err)
	defer registry.CloseAll(files)
	return db.st.Import(db.ctx, store.ImportRequest{Sources: registry.Sources(files), DryRun: dryRun, Progress: progress})
}

// writeFiles writes files (name → content) into a new directory; names
// ending in .gz are compressed.
func writeFiles(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		path := filepath.Join(dir, name)
		if strings.HasSuffix(name, ".gz") {
			f, err := os.Create(path)
			require.NoError(t, err)
			zw := gzip.NewWriter(f)
			_, err = zw.Write([]byte(content))
			require.NoError(t, err)
			require.NoError(t, zw.Close())
			require.NoError(t, f.Close())
			continue
		}
		require.NoError(t, os.WriteFile(path, []byte(content), 0o600))
	}
	return dir
}

// copyBundle copies the good bundle into a new directory, replacing or
// adding the given files.
func copyBundle(t *testing.T, replace map[string]string) string {
	t.Helper()
	entries, err := os.ReadDir(goodBundle)
	require.NoError(t, err)
	files := map[string]string{}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(goodBundle, e.Name()))
		require.NoError(t, err)
		files[e.Name()] = string(b)
	}
	for name, content := range replace {
		if content == "" {
			delete(files, name)
		} else {
			files[name] = content
		}
	}
	return writeFiles(t, files)
}

// counts returns the report's counts by kind.
func counts(rep *store.ImportReport) map[domain.ImportKind]domain.ImportCounts {
	out := map[domain.ImportKind]domain.ImportCounts{}
	for _, c := range rep.Counts {
		out[c.Kind] = c
	}
	return out
}
