package store

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"sort"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/tern/v2/migrate"

	"databank/ontology"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

const versionTable = "schema_version"

func migrationFS() fs.FS {
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}

// MigrateConn applies every pending migration on conn. tern holds a
// PostgreSQL advisory lock while it works, so replicas starting together
// do not race: the second waits and then finds nothing to do.
func MigrateConn(ctx context.Context, conn *pgx.Conn) error {
	m, err := migrate.NewMigrator(ctx, conn, versionTable)
	if err != nil {
		return fmt.Errorf("store: migrator: %w", err)
	}
	if err := m.LoadMigrations(migrationFS()); err != nil {
		return fmt.Errorf("store: load migrations: %w", err)
	}
	if err := m.Migrate(ctx); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return syncBuiltinOntologies(ctx, conn)
}

// Migrate applies every pending migration.
func (s *Store) Migrate(ctx context.Context) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	defer conn.Release()
	return MigrateConn(ctx, conn.Conn())
}

// LatestVersion is the number of embedded migrations.
func LatestVersion() int32 {
	names, _ := migrate.FindMigrations(migrationFS())
	return int32(len(names))
}

// SchemaVersion returns the applied migration version (0 when none).
func (s *Store) SchemaVersion(ctx context.Context) (int32, error) {
	var v int32
	err := s.pool.QueryRow(ctx, `SELECT version FROM `+versionTable).Scan(&v)
	if err != nil {
		return 0, translate(err, "schema version")
	}
	return v, nil
}

// Migrator adapts the embedded migrations to store/storetest.
type Migrator struct{}

// Hash identifies the embedded migrations' and built-in vocabularies'
// content.
func (Migrator) Hash() string {
	h := sha256.New()
	builtin := ontology.Builtin()
	for _, sys := range builtin.Systems() {
		h.Write([]byte(OntologyDigest(builtin.Terms(sys.Name))))
	}
	names, _ := fs.Glob(migrationFS(), "*.sql")
	sort.Strings(names)
	for _, n := range names {
		b, _ := fs.ReadFile(migrationFS(), n)
		h.Write([]byte(n))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// Migrate applies the migrations on conn.
func (Migrator) Migrate(ctx context.Context, conn *pgx.Conn) error { return MigrateConn(ctx, conn) }

// Grant gives role the application's privileges on the database conn
// owns (GrantApp): store/storetest calls it on every test database, whose
// database-level privileges a clone of the template does not copy.
func (Migrator) Grant(ctx context.Context, conn *pgx.Conn, role string) error {
	return GrantApp(ctx, conn, role)
}
