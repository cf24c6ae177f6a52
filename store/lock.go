package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// lockBiobankOf takes, for the rest of the transaction, the advisory lock
// that imports take for the biobank of a row of table (sample, donor):
// single edits that need a consistent view of a biobank's lineage wait
// for imports into it, and for each other. Call it before locking rows.
func lockBiobankOf(ctx context.Context, tx pgx.Tx, table string, id uuid.UUID) error {
	var code string
	err := tx.QueryRow(ctx, "SELECT b.code FROM "+table+" t JOIN biobank b ON b.id = t.biobank_id WHERE t.id = $1", id).Scan(&code)
	if err != nil {
		return notFound(err, "%s %s not found", table, id)
	}
	_, err = tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", lockID("biobank:"+code))
	return translate(err, "lock biobank")
}
