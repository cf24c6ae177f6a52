package store_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/store"
	"databank/store/storetest"
)

// No table-level check keeps PostgreSQL's anonymous name (table_check,
// table_check1, ...): each is named so that store/error.go can explain it.
func TestNamedConstraintsHaveMessages(t *testing.T) {
	t.Parallel()
	url := storetest.New(t, store.Migrator{})
	conn, err := pgx.Connect(context.Background(), url)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	rows, err := conn.Query(context.Background(), `SELECT conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
		WHERE n.nspname = 'public' AND contype = 'c' AND conname ~ ('^' || conrelid::regclass::text || '_check[0-9]*$')`)
	require.NoError(t, err)
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	assert.Empty(t, names, "unnamed checks: name them in a migration and in store/error.go")
}
