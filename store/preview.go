package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"databank/domain"
)

// SampleIDs returns the ids of up to limit samples matching f, in id
// order: the samples of a withdrawal preview asked by filter.
func (s *Store) SampleIDs(ctx context.Context, f domain.SampleFilter, limit int) ([]string, error) {
	w := sampleWhere(&f)
	rows, err := s.pool.Query(ctx, fmt.Sprintf("SELECT t.id FROM sample t WHERE %s ORDER BY t.id LIMIT %d", w.sql(), limit), w.args...)
	if err != nil {
		return nil, translate(err, "sample ids")
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	if err != nil {
		return nil, translate(err, "sample ids")
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = id.String()
	}
	return out, nil
}

// BiobanksOfBarcodes maps each barcode to the codes of the biobanks whose
// current samples carry it (barcodes are unique only within a biobank).
func (s *Store) BiobanksOfBarcodes(ctx context.Context, barcodes []string) (map[string][]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT t.external_id, b.code FROM sample t JOIN biobank b ON b.id = t.biobank_id
		WHERE t.external_id = ANY($1) AND t.retired_at IS NULL ORDER BY 1, 2`, barcodes)
	if err != nil {
		return nil, translate(err, "biobanks of barcodes")
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var barcode, code string
		if err := rows.Scan(&barcode, &code); err != nil {
			return nil, translate(err, "biobanks of barcodes")
		}
		out[barcode] = append(out[barcode], code)
	}
	return out, translate(rows.Err(), "biobanks of barcodes")
}
