package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
)

// RegistryChannel is the PostgreSQL notification channel on which every
// committed write to what discovery counts (biobanks, donors, consents,
// samples, data files and their samples) is announced (migration 020).
const RegistryChannel = "databank_registry"

// registryListenerName is the application_name of the connection
// ListenRegistry opens.
const registryListenerName = "databank registry listener"

// ListenRegistry listens on RegistryChannel on a connection of its own,
// as ListenOntologies does: it calls listening once it listens, then
// changed for every announced write, until ctx ends (nil) or the
// connection fails (the error; the caller listens again). At least every
// heartbeat it checks the connection with a round trip and calls alive
// with a time before which every committed write has been announced.
func (s *Store) ListenRegistry(ctx context.Context, heartbeat time.Duration, listening func(), changed func(), alive func(upTo time.Time)) error {
	return s.listen(ctx, RegistryChannel, registryListenerName, "registry changes", heartbeat, listening, func(string) { changed() }, alive)
}

// ReadCountIndex reads what discovery counts, in one consistent snapshot:
// first every donor, with its sex and the key of its consent in force at
// day at (consent_in_force_key; "" when none is, as the consent outcome
// facet spells it), then every current sample, in the table's order (half
// the time of the donors' order at 10M), with its donor's id, its
// biobank's id, material type, status and the distinct
// (assay, assembly, format) of its current data files, each as
// assay US assembly US format (US: the unit separator, U+001F, a missing
// code empty), joined by RS (U+001E), sorted; nil when it has none. A
// nil value is SQL NULL. The slices passed are valid only during the
// call.
func (s *Store) ReadCountIndex(ctx context.Context, at time.Time,
	donor func(id, sex, consentKey []byte) error,
	sample func(donorID, biobankID, materialType, status, files []byte) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return translate(err, "count index")
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	day := at.Format(time.DateOnly)
	if err := rawRows(ctx, tx, `SELECT d.id::text, d.sex, coalesce((SELECT k.key FROM consent_in_force_key(d.id, $1::date) k), '')
		FROM donor d`, []any{day}, func(v [][]byte) error { return donor(v[0], v[1], v[2]) }); err != nil {
		return err
	}
	// the files' kinds by sample, aggregated once and hashed: memory for
	// this statement alone
	if _, err := tx.Exec(ctx, "SET LOCAL work_mem = '256MB'"); err != nil {
		return translate(err, "count index")
	}
	if err := rawRows(ctx, tx, `SELECT t.donor_id::text, t.biobank_id::text, t.material_type, t.status, k.kinds
		FROM sample t LEFT JOIN (
			SELECT l.sample_id, string_agg(DISTINCT concat_ws(chr(31), coalesce(f.assay, ''), coalesce(f.assembly, ''), coalesce(f.format, '')), chr(30)) AS kinds
			FROM data_file_sample l JOIN data_file f ON f.id = l.data_file_id WHERE f.retired_at IS NULL GROUP BY l.sample_id
		) k ON k.sample_id = t.id
		WHERE t.retired_at IS NULL`, nil,
		func(v [][]byte) error { return sample(v[0], v[1], v[2], v[3], v[4]) }); err != nil {
		return err
	}
	return translate(tx.Commit(ctx), "count index")
}

// SortsTextAsBytes tells whether the database orders text as Go compares
// strings, byte by byte (the C collation of libc), so that ties among
// equal counts can be ordered outside it as ORDER BY orders them.
func (s *Store) SortsTextAsBytes(ctx context.Context) (bool, error) {
	var provider, collate string
	err := s.pool.QueryRow(ctx, "SELECT datlocprovider::text, datcollate FROM pg_database WHERE datname = current_database()").Scan(&provider, &collate)
	if err != nil {
		return false, translate(err, "collation")
	}
	switch collate {
	case "C", "POSIX", "C.UTF-8", "C.utf8":
		return provider == "c", nil
	}
	return false, nil
}

// rawRows calls each with the raw values of every row of sql.
func rawRows(ctx context.Context, tx pgx.Tx, sql string, args []any, each func([][]byte) error) error {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return translate(err, "count index")
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows.RawValues()); err != nil {
			return err
		}
	}
	return translate(rows.Err(), "count index")
}
