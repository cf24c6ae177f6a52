package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/store"
	"databank/store/storetest"
)

// The application's role (storetest.AppRole, granted by store.GrantApp)
// does its work, and cannot rewrite the change log or the audit, nor
// alter, drop or disable the triggers of any table.
func TestAppRolePrivileges(t *testing.T) {
	t.Parallel()
	db := newImportDB(t)
	var role string
	require.NoError(t, db.conn.QueryRow(db.ctx, "SELECT current_user").Scan(&role))
	require.Equal(t, storetest.AppRole, role, "tests connect as the application's role")

	// What the application does works: an import, a mutation, a link
	// removed, an audited request.
	_, err := db.importBundle(t, goodBundle, false)
	require.NoError(t, err)
	b, err := db.st.CreateBiobank(db.ctx, domain.Biobank{Code: "SWE", Name: "Swedish Biobank", Country: "SE"})
	require.NoError(t, err)
	_, err = db.st.UpdateBiobank(db.ctx, b.ID, func(b *domain.Biobank) error { b.Name = "Swedish National Biobank"; return nil })
	require.NoError(t, err)
	ds, err := db.st.CreateDataset(db.ctx, domain.Dataset{ExternalID: "EGAD00000000099", Title: "Calls"})
	require.NoError(t, err)
	var file string
	require.NoError(t, db.conn.QueryRow(db.ctx, "SELECT id::text FROM data_file LIMIT 1").Scan(&file))
	_, err = db.st.SetDatasetFiles(db.ctx, ds.ID, []string{file}, false)
	require.NoError(t, err)
	_, err = db.st.SetDatasetFiles(db.ctx, ds.ID, []string{file}, true)
	require.NoError(t, err)
	require.NoError(t, db.st.InsertAuditEvents(db.ctx, []domain.AuditEvent{
		{Actor: "rita", Role: "researcher", Operation: "Samples", QueryHash: "h", Decision: domain.AuditAllowed, Duration: time.Millisecond}}))
	events, err := db.st.AuditEvents(db.ctx, domain.AuditFilter{Actor: "rita"}, domain.PageRequest{})
	require.NoError(t, err)
	assert.Len(t, events.Items, 1)
	owns, err := db.st.OwnsSchema(db.ctx)
	require.NoError(t, err)
	assert.False(t, owns)

	for _, sql := range []string{
		"INSERT INTO change_log (entity, entity_id, action, actor) VALUES ('sample', gen_random_uuid(), 'create', 'nobody')",
		"UPDATE change_log SET actor = 'nobody'",
		"DELETE FROM change_log",
		"TRUNCATE change_log",
		"ALTER TABLE change_log DISABLE TRIGGER change_log_no_update",
		"DROP TABLE change_log",
		"UPDATE audit_event SET actor = 'nobody'",
		"DELETE FROM audit_event",
		"TRUNCATE audit_event",
		"ALTER TABLE audit_event DISABLE TRIGGER ALL",
		"DROP TABLE audit_event",
		"ALTER TABLE sample DISABLE TRIGGER sample_log",
		"DELETE FROM sample",
		"TRUNCATE sample",
		"DROP TABLE sample CASCADE",
		"UPDATE schema_version SET version = 0",
		"CREATE TABLE public.elsewhere (x int)",
		"CREATE OR REPLACE FUNCTION log_update() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
	} {
		t.Run(sql, func(t *testing.T) {
			_, err := db.conn.Exec(context.Background(), sql)
			var pgErr *pgconn.PgError
			require.True(t, errors.As(err, &pgErr), "%v", err)
			assert.Equal(t, "42501", pgErr.Code, "insufficient_privilege: %s", pgErr.Message)
		})
	}
	assert.Equal(t, 1, db.count(t, "SELECT count(*) FROM audit_event WHERE actor = 'rita'"), "the audit is intact")
	assert.Zero(t, db.count(t, "SELECT count(*) FROM change_log WHERE actor = 'nobody'"))

	// A temporary table of the same name does not divert the log: the
	// triggers' search_path puts pg_temp last (migration 018).
	tx, err := db.conn.Begin(db.ctx)
	require.NoError(t, err)
	_, err = tx.Exec(db.ctx, "CREATE TEMP TABLE change_log (LIKE public.change_log) ON COMMIT DROP")
	require.NoError(t, err)
	_, err = tx.Exec(db.ctx, "UPDATE biobank SET name = 'Shadowed' WHERE id = $1", b.ID)
	require.NoError(t, err)
	require.NoError(t, tx.Commit(db.ctx))
	assert.Equal(t, 1, db.count(t, "SELECT count(*) FROM public.change_log WHERE new_values->>'name' = 'Shadowed'"), "the update is in the real log")
}

// GrantApp refuses to grant the owner's own role, which would keep every
// privilege whatever is granted.
func TestGrantAppRefusesTheOwner(t *testing.T) {
	t.Parallel()
	url := storetest.OwnerURL(t, storetest.New(t, store.Migrator{}))
	st, err := store.Open(context.Background(), url, store.Options{})
	require.NoError(t, err)
	t.Cleanup(st.Close)
	role, err := store.RoleOf(url)
	require.NoError(t, err)
	assert.ErrorContains(t, st.GrantApp(context.Background(), role), "owner")
	owns, err := st.OwnsSchema(context.Background())
	require.NoError(t, err)
	assert.True(t, owns)
}
