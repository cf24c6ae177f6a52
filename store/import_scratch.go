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
// Unlogged tables write no WAL, like temporary ones.
//
// A role that may not create schemas in the database stages into
// temporary tables instead: slower on large files, otherwise the same.
type scratch struct {
	schema string // the private schema; "" when staging in temporary tables
}

// openScratch prepares the import's scratch space in tx and puts it first
// on the transaction's search_path, so the staging tables are named
// without a schema in every statement.
func openScratch(ctx context.Context, tx pgx.Tx) (scratch, error) {
	var may bool
	if err := tx.QueryRow(ctx, "SELECT has_database_privilege(current_database(), 'CREATE')").Scan(&may); err != nil {
		return scratch{}, fmt.Errorf("store: import: scratch: %w", err)
	}
	if !may {
		return scratch{}, nil
	}
	s := scratch{schema: "import_" + strings.ReplaceAll(uuid.NewString(), "-", "")}
	if _, err := tx.Exec(ctx, "CREATE SCHEMA "+s.schema); err != nil {
		return scratch{}, fmt.Errorf("store: import: scratch: %w", err)
	}
	if _, err := tx.Exec(ctx, "SELECT set_config('search_path', $1 || ', ' || current_setting('search_path'), true)", s.schema); err != nil {
		return scratch{}, fmt.Errorf("store: import: scratch: %w", err)
	}
	return s, nil
}

// unloggedPrefix starts every statement that creates a staging table.
const unloggedPrefix = "CREATE UNLOGGED TABLE "

// ddl returns sql, a statement creating a staging table with
// unloggedPrefix, as this scratch space creates it.
func (s scratch) ddl(sql string) string {
	if s.schema == "" {
		if rest, ok := strings.CutPrefix(sql, unloggedPrefix); ok {
			return "CREATE TEMP TABLE " + rest
		}
	}
	return sql
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
