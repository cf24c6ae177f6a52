package store

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"databank/domain"
)

// InsertAuditEvents appends audit events with one binary COPY on the
// audit's own connection: a single round trip, where pgx's CopyFrom
// first describes the table (a second round trip and a parse each
// batch) and an INSERT of unnested arrays parses every value as text.
func (s *Store) InsertAuditEvents(ctx context.Context, evs []domain.AuditEvent) error {
	buf := append(make([]byte, 0, 256*len(evs)), copyHeader...)
	var err error
	for _, e := range evs {
		if buf, err = appendCopyRow(buf, auditValues(e)); err != nil {
			return fmt.Errorf("store: audit: %w", err)
		}
	}
	buf = append(buf, copyTrailer...)
	conn, err := s.audit.Acquire(ctx)
	if err != nil {
		return translate(err, "audit")
	}
	defer conn.Release()
	_, err = conn.Conn().PgConn().CopyFrom(ctx, bytes.NewReader(buf), copyAuditEvents)
	return translate(err, "audit")
}

const copyAuditEvents = `COPY audit_event (at, actor, via, role, operation, query_hash, variables, operations, decision, rows,
	donor_ids, duration_us, client, write) FROM STDIN BINARY`

// auditValues is an event's row for copyAuditEvents. Text comes from
// requests (an operation's name, a client's address) and is written as
// valid UTF-8 without NUL bytes, which PostgreSQL's text refuses: one
// such value would fail its whole batch.
func auditValues(e domain.AuditEvent) []any {
	at := e.At
	if at.IsZero() {
		at = time.Now()
	}
	vars := e.Variables
	if vars == "" {
		vars = "{}"
	}
	ops := make([]string, len(e.Operations))
	for i, op := range e.Operations {
		ops[i] = auditText(op)
	}
	return []any{at, auditText(e.Actor), auditText(e.Via), auditText(e.Role), auditText(e.Operation), auditText(e.QueryHash),
		jsonbText(vars), ops, e.Decision, int32(min(e.Rows, math.MaxInt32)), parseIDs(e.DonorIDs), e.Duration.Microseconds(),
		auditText(e.Client), e.Write}
}

// auditText is s as PostgreSQL's text takes it: invalid bytes and NUL
// replaced by U+FFFD.
func auditText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// auditRow is one row of audit_event.
type auditEventRow struct {
	ID         int64       `db:"id"`
	At         time.Time   `db:"at"`
	Actor      string      `db:"actor"`
	Via        string      `db:"via"`
	Role       string      `db:"role"`
	Operation  string      `db:"operation"`
	QueryHash  string      `db:"query_hash"`
	Variables  string      `db:"variables"`
	Operations []string    `db:"operations"`
	Decision   string      `db:"decision"`
	Rows       int         `db:"rows"`
	DonorIDs   []uuid.UUID `db:"donor_ids"`
	DurationUS int64       `db:"duration_us"`
	Client     string      `db:"client"`
	Write      bool        `db:"write"`
}

func (r auditEventRow) domain() domain.AuditEvent {
	ids := make([]string, len(r.DonorIDs))
	for i, id := range r.DonorIDs {
		ids[i] = id.String()
	}
	return domain.AuditEvent{ID: r.ID, At: r.At, Actor: r.Actor, Via: r.Via, Role: r.Role, Operation: r.Operation, QueryHash: r.QueryHash,
		Variables: r.Variables, Operations: r.Operations, Decision: r.Decision, Rows: r.Rows, DonorIDs: ids,
		Duration: time.Duration(r.DurationUS) * time.Microsecond, Client: r.Client, Write: r.Write}
}

// auditEventsSQL is the query of AuditEvents: a page of events, newest
// first, one more than the page to tell whether another follows.
func auditEventsSQL(f domain.AuditFilter, p domain.PageRequest) (string, []any, error) {
	var w where
	if f.Actor != "" {
		w.add("actor = " + w.arg(f.Actor))
	}
	if f.DonorID != "" {
		// the partial index holds only the events that returned donors
		w.add("donor_ids <> '{}' AND donor_ids @> ARRAY[" + w.arg(optID(f.DonorID)) + "::uuid]")
	}
	if f.Since != nil {
		w.add("at >= " + w.arg(*f.Since))
	}
	if f.Until != nil {
		w.add("at < " + w.arg(*f.Until))
	}
	if p.After != "" {
		var after int64
		if _, err := fmt.Sscan(p.After, &after); err != nil {
			return "", nil, badCursor
		}
		w.add("id < " + w.arg(after))
	}
	return fmt.Sprintf(`SELECT id, at, actor, via, role, operation, query_hash, variables::text AS variables, operations,
		decision, rows, donor_ids, duration_us, client, write FROM audit_event WHERE %s ORDER BY id DESC LIMIT %d`, w.sql(), p.Limit()+1), w.args, nil
}

// AuditEvents lists audit events, newest first; the cursor is an event's
// id.
func (s *Store) AuditEvents(ctx context.Context, f domain.AuditFilter, p domain.PageRequest) (domain.Page[domain.AuditEvent], error) {
	var page domain.Page[domain.AuditEvent]
	if err := p.Validate(); err != nil {
		return page, err
	}
	sql, args, err := auditEventsSQL(f, p)
	if err != nil {
		return page, err
	}
	limit := p.Limit()
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return page, translate(err, "audit events")
	}
	recs, err := pgx.CollectRows(rows, pgx.RowToStructByName[auditEventRow])
	if err != nil {
		return page, translate(err, "audit events")
	}
	if len(recs) > limit {
		page.HasNext, recs = true, recs[:limit]
	}
	page.Items = make([]domain.AuditEvent, len(recs))
	page.Cursors = make([]string, len(recs))
	for i, r := range recs {
		page.Items[i] = r.domain()
		page.Cursors[i] = fmt.Sprint(r.ID)
	}
	return page, nil
}
