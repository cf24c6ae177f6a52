package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"databank/domain"
)

// OpenScratch opens an import's scratch space in tx for tests: its schema
// ("" when staging in temporary tables) and how it creates a table from a
// CREATE UNLOGGED TABLE statement.
func OpenScratch(ctx context.Context, tx pgx.Tx) (schema string, ddl func(string) string, err error) {
	s, err := openScratch(ctx, tx)
	return s.schema, s.ddl, err
}

// AuditEventsSQL is the query of Store.AuditEvents, for its plan.
func AuditEventsSQL(f domain.AuditFilter, p domain.PageRequest) (string, []any, error) {
	return auditEventsSQL(f, p)
}

// PlanCacheModeFor is the plan_cache_mode of the connections a lookup of
// n keys runs on (Store.byKeys).
func (s *Store) PlanCacheModeFor(ctx context.Context, n int) (string, error) {
	var mode string
	err := s.byKeys(n).QueryRow(ctx, "SHOW plan_cache_mode").Scan(&mode)
	return mode, err
}
