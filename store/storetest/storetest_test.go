package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) { Main(m) }

// countingMigrator creates one table and counts its runs. Its hash is new
// in every test run, so the template is built here even on a server kept
// between runs; the template is dropped when the test ends.
type countingMigrator struct {
	hash     string
	calls    atomic.Int32
	remember func(instance string) // notes the template behind a clone
}

func newCountingMigrator(t *testing.T) *countingMigrator {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	m := &countingMigrator{hash: "storetest-selftest-" + hex.EncodeToString(b)}
	var template atomic.Value
	t.Cleanup(func() { // registered first: runs after pgtestdb dropped the clones
		if name, ok := template.Load().(string); ok {
			dropTemplate(t, name)
		}
	})
	m.remember = func(instance string) {
		name, _, _ := strings.Cut(instance, "_inst_")
		template.Store(name)
	}
	return m
}

func (m *countingMigrator) Hash() string { return m.hash }

func (m *countingMigrator) Migrate(ctx context.Context, conn *pgx.Conn) error {
	m.calls.Add(1)
	_, err := conn.Exec(ctx, `CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL)`)
	return err
}

// dropTemplate removes a template database from the server.
func dropTemplate(t *testing.T, name string) {
	base, err := baseConfig()
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, base.URL())
	require.NoError(t, err)
	defer conn.Close(ctx)
	ident := pgx.Identifier{name}.Sanitize()
	_, err = conn.Exec(ctx, "ALTER DATABASE "+ident+" IS_TEMPLATE false")
	require.NoError(t, err)
	_, err = conn.Exec(ctx, "DROP DATABASE "+ident)
	require.NoError(t, err)
}

// db is a test database connection.
type db struct {
	t    *testing.T
	conn *pgx.Conn
}

func open(t *testing.T, m *countingMigrator, url string) db {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	d := db{t, conn}
	m.remember(d.name())
	return d
}

func (d db) name() string {
	var name string
	require.NoError(d.t, d.conn.QueryRow(context.Background(), "SELECT current_database()").Scan(&name))
	return name
}

func (d db) items() int {
	var n int
	require.NoError(d.t, d.conn.QueryRow(context.Background(), "SELECT count(*) FROM item").Scan(&n))
	return n
}

func (d db) insert(id int) {
	_, err := d.conn.Exec(context.Background(), "INSERT INTO item VALUES ($1, 'x')", id)
	require.NoError(d.t, err)
}

func TestNewGivesSeparateMigratedDatabases(t *testing.T) {
	m := newCountingMigrator(t)
	url1, url2 := New(t, m), New(t, m)
	assert.NotEqual(t, url1, url2)

	one, two := open(t, m, url1), open(t, m, url2)
	assert.NotEqual(t, one.name(), two.name())
	assert.Equal(t, 0, one.items(), "migrated and empty")
	assert.Equal(t, 0, two.items(), "migrated and empty")

	one.insert(1)
	assert.Equal(t, 1, one.items())
	assert.Equal(t, 0, two.items(), "isolated")
	assert.Equal(t, int32(1), m.calls.Load(), "template migrated once")
}

func TestNewInParallelTests(t *testing.T) {
	m := newCountingMigrator(t)
	t.Run("group", func(t *testing.T) {
		for i := range 4 {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				d := open(t, m, New(t, m))
				d.insert(i)
				assert.Equal(t, 1, d.items())
			})
		}
	})
	assert.Equal(t, int32(1), m.calls.Load(), "template migrated once")
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		name, in           string
		host               string
		port               uint16
		user, pass, dbName string
		wantErr            bool
	}{
		{"tcp", "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable", "127.0.0.1", 5432, "postgres", "", "postgres", false},
		{"socket", "postgres://databank@/postgres?host=%2Ftmp%2Fa%20b&port=5432&sslmode=disable", "/tmp/a b", 5432, "databank", "", "postgres", false},
		{"escaped credentials", "postgresql://u%40x:p%3Aw%2Fd@db.example:6543/app", "db.example", 6543, "u@x", "p:w/d", "app", false},
		{"ipv6, default port and database", "postgres://u@[::1]", "::1", 5432, "u", "", "postgres", false},
		{"keyword/value", "host=localhost user=postgres", "", 0, "", "", "", true},
		{"other scheme", "mysql://u@h/db", "", 0, "", "", "", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := parseURL(tc.in)
			if tc.wantErr {
				require.ErrorContains(t, err, "must be a postgres:// URL")
				return
			}
			require.NoError(t, err)
			// What pgx makes of the URL pgtestdb builds from the config.
			pc, err := pgconn.ParseConfig(c.URL())
			require.NoError(t, err, c.URL())
			assert.Equal(t, tc.host, pc.Host)
			assert.Equal(t, tc.port, pc.Port)
			assert.Equal(t, tc.user, pc.User)
			assert.Equal(t, tc.pass, pc.Password)
			assert.Equal(t, tc.dbName, pc.Database)
		})
	}
}
