package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// scratch is where an import keeps its staging tables: the rows it copies
// in and the resolved rows it derives from them.
//
// PostgreSQL scans temporary tables in the leader process only, so joins
// over a million staged rows would run on one core. The import therefore
// stages into unlogged tables of a schema of its own, created inside its
// transaction: no other session ever sees the schema (its catalog rows are
// never committed, the import drops it before committing), a rollback —
// an error, a dry run, a lost connection — removes it with everything in
// it, and parallel workers, which share the transaction, can scan it.
// Unlogged tables write no WAL, like temporary ones. They live in the
// database's default tablespace, not in temp_tablespaces. Should the
// server crash during an import, the empty files of its staging tables
// stay behind (PostgreSQL removes those of temporary tables at restart,
// not those of a transaction that never committed).
//
// A role that may not create schemas in the database stages into
// temporary tables instead: slower on large files, otherwise the same.
type scratch struct {
	schema string // the private schema; "" when staging in temporary tables
}

// openScratch prepares the import's scratch space in tx and puts it last
// on the transaction's search_path, so that the staging tables are named
// without a schema in every statement while anything else created
// unqualified still lands where it would without the import.
func openScratch(ctx context.Context, tx pgx.Tx) (scratch, error) {
	var may bool
	if err := tx.QueryRow(ctx, "SELECT has_database_privilege(current_database(), 'CREATE')").Scan(&may); err != nil {
		return scratch{}, fmt.Errorf("store: import: scratch: %w", err)
	}
	if !may {
		return scratch{}, nil
	}
	s := scratch{schema: "import_" + strings.ReplaceAll(uuid.NewString(), "-", "")}
	// Should the schema still be refused (an event trigger, a policy),
	// the savepoint keeps the transaction usable for temporary tables.
	sp, err := tx.Begin(ctx)
	if err != nil {
		return scratch{}, fmt.Errorf("store: import: scratch: %w", err)
	}
	if _, err := sp.Exec(ctx, "CREATE SCHEMA "+s.schema); err != nil {
		if rerr := sp.Rollback(ctx); rerr != nil {
			return scratch{}, fmt.Errorf("store: import: scratch: %w", rerr)
		}
		return scratch{}, nil
	}
	if err := sp.Commit(ctx); err != nil {
		return scratch{}, fmt.Errorf("store: import: scratch: %w", err)
	}
	if _, err := tx.Exec(ctx, "SELECT set_config('search_path', current_setting('search_path') || ', ' || $1, true)", s.schema); err != nil {
		return scratch{}, fmt.Errorf("store: import: scratch: %w", err)
	}
	return s, nil
}

// unloggedPrefix starts every statement that creates a staging table.
const unloggedPrefix = "CREATE UNLOGGED TABLE "

// ddl returns sql, a statement creating a staging table with
// unloggedPrefix, as this scratch space creates it: in its schema, or as
// a temporary table.
func (s scratch) ddl(sql string) string {
	rest, ok := strings.CutPrefix(sql, unloggedPrefix)
	switch {
	case !ok:
		return sql
	case s.schema == "":
		return "CREATE TEMP TABLE " + rest
	default:
		return unloggedPrefix + s.schema + "." + rest
	}
}

// drop removes the scratch space before the import commits. Temporary
// tables go with the import's connection.
func (s scratch) drop(ctx context.Context, tx pgx.Tx) error {
	if s.schema == "" {
		return nil
	}
	if _, err := tx.Exec(ctx, "DROP SCHEMA "+s.schema+" CASCADE"); err != nil {
		return fmt.Errorf("store: import: drop scratch: %w", err)
	}
	return nil
}
