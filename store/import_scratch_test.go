package store_test

import (
	"context"
	neturl "net/url"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/store"
	"databank/store/storetest"
)

// adminConn connects to the database at url as the role that creates the
// test databases, until the test ends.
func adminConn(t *testing.T, url string) *pgx.Conn {
	t.Helper()
	cfg, err := pgx.ParseConfig(url)
	require.NoError(t, err)
	admin, err := pgx.Connect(context.Background(), storetest.AdminURL(t, cfg.Database))
	require.NoError(t, err)
	t.Cleanup(func() { admin.Close(context.Background()) })
	return admin
}

// limitedRole creates a login role that may read and write the registry
// of the database at url but not create schemas in it, and returns the
// URL of that database as this role.
func limitedRole(t *testing.T, url string) string {
	t.Helper()
	ctx := context.Background()
	admin := adminConn(t, url)
	role := "limited_" + strings.ReplaceAll(uuid.NewString(), "-", "")[:12]
	for _, sql := range []string{
		"CREATE ROLE " + role + " LOGIN PASSWORD 'limited'",
		"GRANT USAGE ON SCHEMA public TO " + role,
		"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO " + role,
		"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO " + role,
	} {
		_, err := admin.Exec(ctx, sql)
		require.NoError(t, err, sql)
	}
	t.Cleanup(func() {
		for _, sql := range []string{"DROP OWNED BY " + role, "DROP ROLE " + role} {
			if _, err := admin.Exec(context.Background(), sql); err != nil {
				t.Errorf("%s: %v (the role is left on the server)", sql, err)
			}
		}
	})
	u, err := neturl.Parse(url)
	require.NoError(t, err)
	u.User = neturl.UserPassword(role, "limited")
	return u.String()
}

// persistence returns how the table name, created by ddl in tx, is kept
// ('u' unlogged, 't' temporary) and in which schema.
func persistence(t *testing.T, ctx context.Context, tx pgx.Tx, ddl func(string) string) (kind, schema string) {
	t.Helper()
	_, err := tx.Exec(ctx, ddl("CREATE UNLOGGED TABLE probe AS SELECT 1 AS x"))
	require.NoError(t, err)
	require.NoError(t, tx.QueryRow(ctx, `SELECT c.relpersistence::text, n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		WHERE c.oid = 'probe'::regclass`).Scan(&kind, &schema))
	return kind, schema
}

// refuseSchemas makes the database at url refuse CREATE SCHEMA, as a
// site's event trigger might, and returns url.
func refuseSchemas(t *testing.T, url string) string {
	t.Helper()
	_, err := adminConn(t, url).Exec(context.Background(), `CREATE FUNCTION refuse_schemas() RETURNS event_trigger LANGUAGE plpgsql AS
		$$ BEGIN RAISE EXCEPTION 'no new schemas here'; END $$;
		CREATE EVENT TRIGGER refuse_schemas ON ddl_command_start WHEN TAG IN ('CREATE SCHEMA') EXECUTE FUNCTION refuse_schemas()`)
	require.NoError(t, err)
	return url
}

func TestImportScratchSpace(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		url      func(t *testing.T) string
		private  bool   // a private schema of unlogged tables
		wantKind string // relpersistence of a staging table
	}{
		{name: "owner stages into a private schema", url: func(t *testing.T) string { return storetest.OwnerURL(t, storetest.New(t, store.Migrator{})) },
			private: true, wantKind: "u"},
		{name: "role without CREATE stages into temporary tables", url: func(t *testing.T) string {
			return limitedRole(t, storetest.New(t, store.Migrator{}))
		}, wantKind: "t"},
		{name: "refused schema falls back to temporary tables", url: func(t *testing.T) string {
			return refuseSchemas(t, storetest.New(t, store.Migrator{}))
		}, wantKind: "t"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			conn, err := pgx.Connect(ctx, tc.url(t))
			require.NoError(t, err)
			defer conn.Close(ctx)
			tx, err := conn.Begin(ctx)
			require.NoError(t, err)
			defer func() { _ = tx.Rollback(ctx) }()
			schema, ddl, err := store.OpenScratch(ctx, tx)
			require.NoError(t, err)
			kind, in := persistence(t, ctx, tx, ddl)
			assert.Equal(t, tc.wantKind, kind)
			if tc.private {
				assert.True(t, strings.HasPrefix(schema, "import_"), schema)
				assert.Equal(t, schema, in)
				// Anything else created without a schema lands where it
				// would without the import.
				_, err := tx.Exec(ctx, "CREATE TABLE elsewhere (x int)")
				require.NoError(t, err)
				var other string
				require.NoError(t, tx.QueryRow(ctx, "SELECT relnamespace::regnamespace::text FROM pg_class WHERE oid = 'elsewhere'::regclass").Scan(&other))
				assert.Equal(t, "public", other)
			} else {
				assert.Empty(t, schema)
				assert.True(t, strings.HasPrefix(in, "pg_temp"), in)
			}
		})
	}
}

// scratchLeft counts what imports left behind: schemas of their own and
// unlogged tables.
func scratchLeft(t *testing.T, db importDB) int {
	t.Helper()
	return db.count(t, `SELECT (SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'import\_%')::int +
		(SELECT count(*) FROM pg_class WHERE relpersistence = 'u')::int`)
}

func TestImportStagingIsPrivateAndGoesAway(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		dir    func(t *testing.T) string
		dryRun bool
		valid  bool
	}{
		{name: "committed", dir: func(*testing.T) string { return goodBundle }, valid: true},
		{name: "dry run", dir: func(*testing.T) string { return goodBundle }, dryRun: true, valid: true},
		{name: "rejected", dir: func(t *testing.T) string {
			return copyBundle(t, map[string]string{"donors.csv": "biobank,donor_id,sex,birth_year,vital_status\nDNB,D0001,male,19x8,alive\n"})
		}, valid: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := newImportDB(t)
			seen := -1
			rep, err := db.importBundleProgress(t, tc.dir(t), tc.dryRun, func(p store.ImportProgress) {
				if p.Phase == store.PhaseValidate {
					seen = scratchLeft(t, db) // from another session, mid-import
				}
			})
			if tc.valid {
				require.NoError(t, err, problems(rep))
			} else {
				require.Equal(t, domain.EINVALID, domain.ErrorCode(err), "%v", err)
			}
			assert.Zero(t, seen, "another session saw the staging tables")
			assert.Zero(t, scratchLeft(t, db), "staging left behind")
		})
	}
}

func TestImportWithoutCreatePrivilege(t *testing.T) {
	t.Parallel()
	url := storetest.New(t, store.Migrator{})
	ctx := domain.WithActor(context.Background(), domain.Actor{Name: "limited", Role: domain.RoleStaff})
	st, err := store.Open(ctx, limitedRole(t, url), store.Options{})
	require.NoError(t, err)
	defer st.Close()
	db := importDB{st: st, ctx: ctx}
	rep, err := db.importBundle(t, goodBundle, false)
	require.NoError(t, err, problems(rep))
	assert.True(t, rep.Committed)
	assert.Equal(t, 5, rep.Count(domain.ImportSamples).Created)
	rep, err = db.importBundle(t, goodBundle, false)
	require.NoError(t, err, problems(rep))
	assert.Equal(t, 5, rep.Count(domain.ImportSamples).Unchanged)
}
