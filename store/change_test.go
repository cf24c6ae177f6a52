package store_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/store"
	"databank/store/storetest"
)

// The change log's actor is the store's transaction-local setting, or the
// database role, never the updated_by column a writer fills.
func TestChangeLogActor(t *testing.T) {
	t.Parallel()
	url := storetest.New(t, store.Migrator{})
	ctx := domain.WithActor(context.Background(), domain.Actor{Name: "tester", Role: domain.RoleStaff})
	st, err := store.Open(ctx, url, store.Options{})
	require.NoError(t, err)
	t.Cleanup(st.Close)
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { _ = conn.Close(context.Background()) })
	var role string
	require.NoError(t, conn.QueryRow(ctx, "SELECT current_user").Scan(&role))

	b, err := st.CreateBiobank(ctx, domain.Biobank{Code: "DNB", Name: "Danish National Biobank", Country: "DK"})
	require.NoError(t, err)
	for _, tc := range []struct {
		name    string
		setting string // databank.actor, "" unset
		want    string
	}{
		{name: "unset: the database role", want: role},
		{name: "set: the setting, not updated_by", setting: "alice", want: "alice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tx, err := conn.Begin(ctx)
			require.NoError(t, err)
			if tc.setting != "" {
				_, err = tx.Exec(ctx, "SELECT set_config('databank.actor', $1, true)", tc.setting)
				require.NoError(t, err)
			}
			_, err = tx.Exec(ctx, "UPDATE biobank SET name = $2, updated_by = 'mallory' WHERE id = $1", b.ID, tc.name)
			require.NoError(t, err)
			require.NoError(t, tx.Commit(ctx))
			changes, err := st.ChangeLog(ctx, b.ID)
			require.NoError(t, err)
			last := changes[len(changes)-1]
			assert.Equal(t, "update", last.Action)
			assert.Equal(t, tc.want, last.Actor)
			assert.JSONEq(t, `{"name": "`+tc.name+`"}`, last.NewValues)
		})
	}

	changes, err := st.ChangeLog(ctx, b.ID)
	require.NoError(t, err)
	require.Len(t, changes, 3)
	assert.Equal(t, "create", changes[0].Action)
	assert.Equal(t, "tester", changes[0].Actor)
	assert.JSONEq(t, `{"id": "`+b.ID+`", "code": "DNB", "name": "Danish National Biobank", "country": "DK", "contact": "", "retired_at": null}`,
		changes[0].NewValues, "the new row without its bookkeeping columns")
	var dbRole string
	require.NoError(t, conn.QueryRow(ctx, "SELECT db_role FROM change_log WHERE entity_id = $1 AND action = 'create'", b.ID).Scan(&dbRole))
	assert.Equal(t, role, dbRole, "the database role that wrote the entry")
}
