package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/store"
	"databank/store/storetest"
)

// Audit events are appended and read back, never changed: UPDATE, DELETE
// and TRUNCATE are refused, even to the table's owner (the application's
// role has no such privilege: TestAppRolePrivileges).
func TestAuditIsAppendOnly(t *testing.T) {
	url := storetest.New(t, store.Migrator{})
	ctx := context.Background()
	st, err := store.Open(ctx, url, store.Options{})
	require.NoError(t, err)
	t.Cleanup(st.Close)
	donor := "0190f0c4-0000-7000-8000-000000000001"
	require.NoError(t, st.InsertAuditEvents(ctx, []domain.AuditEvent{
		{Actor: "rita", Role: "researcher", Operation: "Samples", QueryHash: "h1", Decision: domain.AuditAllowed, Rows: 3, DonorIDs: []string{donor}, Duration: 3 * time.Millisecond},
		{Actor: "sam", Role: "staff", Operation: "createStudy", QueryHash: "h2", Decision: domain.AuditDenied, Write: true},
	}))
	p, err := st.AuditEvents(ctx, domain.AuditFilter{DonorID: donor}, domain.PageRequest{})
	require.NoError(t, err)
	require.Len(t, p.Items, 1)
	assert.Equal(t, "rita", p.Items[0].Actor)
	assert.Equal(t, 3*time.Millisecond, p.Items[0].Duration)

	conn, err := pgx.Connect(ctx, storetest.OwnerURL(t, url))
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close(ctx) })
	for _, sql := range []string{
		"UPDATE audit_event SET actor = 'nobody'",
		"DELETE FROM audit_event",
		"TRUNCATE audit_event",
	} {
		_, err := conn.Exec(ctx, sql)
		require.Error(t, err, sql)
		assert.Contains(t, err.Error(), "append-only", sql)
	}
	var n int
	require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) FROM audit_event WHERE actor IN ('rita', 'sam')").Scan(&n))
	assert.Equal(t, 2, n)
}
