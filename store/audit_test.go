package store_test

import (
	"context"
	"strings"
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

// Every field of an event comes back as it was written (the events are
// sent in PostgreSQL's binary COPY format), newest first.
func TestAuditEventsRoundTrip(t *testing.T) {
	url := storetest.New(t, store.Migrator{})
	ctx := context.Background()
	st, err := store.Open(ctx, url, store.Options{})
	require.NoError(t, err)
	t.Cleanup(st.Close)
	at := time.Date(2026, 12, 7, 4, 5, 6, 789012000, time.UTC)
	donors := []string{"0190f0c4-0000-7000-8000-000000000001", "0190f0c4-0000-7000-8000-000000000002"}
	in := []domain.AuditEvent{
		{At: at, Actor: `rita "the" \researcher`, Via: "passport", Role: "researcher", Operation: "Samples", QueryHash: "ab12",
			Variables: `{"id": "sha256:0011", "n": [1, 2]}`, Operations: []string{"Samples", "Donor,s"}, Decision: domain.AuditAllowed,
			Rows: 42, DonorIDs: donors, Duration: 1500 * time.Microsecond, Client: "192.0.2.7", Write: false},
		{At: at.Add(time.Second), Actor: "sam", Role: "staff", Operation: "createStudy", QueryHash: "cd34", Decision: domain.AuditDenied, Write: true},
	}
	require.NoError(t, st.InsertAuditEvents(ctx, in))
	p, err := st.AuditEvents(ctx, domain.AuditFilter{}, domain.PageRequest{})
	require.NoError(t, err)
	require.Len(t, p.Items, 2)
	got := []domain.AuditEvent{p.Items[1], p.Items[0]}
	for i := range got {
		assert.Positive(t, got[i].ID)
		got[i].ID = 0
		got[i].At = got[i].At.UTC()
	}
	in[0].Variables = `{"n": [1, 2], "id": "sha256:0011"}` // as jsonb writes it
	in[1].Variables, in[1].Operations, in[1].DonorIDs = "{}", []string{}, []string{}
	assert.Equal(t, in, got)

	for _, d := range donors {
		p, err := st.AuditEvents(ctx, domain.AuditFilter{DonorID: d}, domain.PageRequest{})
		require.NoError(t, err)
		require.Len(t, p.Items, 1, d)
		assert.Equal(t, "ab12", p.Items[0].QueryHash)
	}
}

// The audit's queries can use its indexes: "who looked at donor D?" the
// partial GIN index of the events that returned donors (migration 019).
// With sequential scans priced out, a plan without the index means a
// query the index cannot serve.
func TestAuditQueriesUseTheirIndexes(t *testing.T) {
	url := storetest.New(t, store.Migrator{})
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close(ctx) })
	_, err = conn.Exec(ctx, "SET enable_seqscan = off")
	require.NoError(t, err)
	since := time.Now()
	for _, tc := range []struct {
		filter domain.AuditFilter
		index  string
	}{
		{domain.AuditFilter{DonorID: "0190f0c4-0000-7000-8000-000000000001"}, "audit_event_donor_idx"},
		{domain.AuditFilter{DonorID: "0190f0c4-0000-7000-8000-000000000001", Since: &since}, "audit_event_donor_idx"},
		{domain.AuditFilter{Actor: "rita"}, "audit_event_actor_idx"},
	} {
		sql, args, err := store.AuditEventsSQL(tc.filter, domain.PageRequest{})
		require.NoError(t, err)
		_, err = conn.Exec(ctx, "SET enable_indexscan = off") // the primary key's order would do for a small table
		require.NoError(t, err)
		rows, err := conn.Query(ctx, "EXPLAIN "+sql, args...)
		require.NoError(t, err)
		plan, err := pgx.CollectRows(rows, pgx.RowTo[string])
		require.NoError(t, err)
		assert.Contains(t, strings.Join(plan, "\n"), tc.index, "%+v", tc.filter)
	}
}

// Text from requests is stored whatever bytes it holds (PostgreSQL's text
// refuses NUL and invalid UTF-8, which would fail the whole batch), and
// times keep their microseconds, rounded down.
func TestAuditEventsTakeAnyText(t *testing.T) {
	url := storetest.New(t, store.Migrator{})
	ctx := context.Background()
	st, err := store.Open(ctx, url, store.Options{})
	require.NoError(t, err)
	t.Cleanup(st.Close)
	at := time.Date(1999, 12, 31, 23, 59, 59, 999999500, time.UTC)
	require.NoError(t, st.InsertAuditEvents(ctx, []domain.AuditEvent{{At: at, Actor: "rita\x00", Operation: "Sam\xffples", QueryHash: "h",
		Operations: []string{"a\x00b"}, Decision: domain.AuditAllowed, Client: "\x00"}}))
	p, err := st.AuditEvents(ctx, domain.AuditFilter{}, domain.PageRequest{})
	require.NoError(t, err)
	require.Len(t, p.Items, 1)
	ev := p.Items[0]
	assert.Equal(t, "rita\uFFFD", ev.Actor)
	assert.Equal(t, "Sam\uFFFDples", ev.Operation)
	assert.Equal(t, []string{"a\uFFFDb"}, ev.Operations)
	assert.Equal(t, "\uFFFD", ev.Client)
	assert.Equal(t, time.Date(1999, 12, 31, 23, 59, 59, 999999000, time.UTC), ev.At.UTC())
}
