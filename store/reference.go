package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"databank/domain"
)

// AddReference records a reference of the record of kind with
// r.EntityID; recording it again changes nothing.
func (s *Store) AddReference(ctx context.Context, kind string, r domain.Reference) (domain.Reference, error) {
	_, err := s.pool.Exec(ctx, `INSERT INTO external_reference (entity_id, kind, scheme, value, created_by) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (entity_id, scheme, value) DO NOTHING`, optID(r.EntityID), kind, r.Scheme, r.Value, actor(ctx))
	return r, translate(err, "reference")
}

// ReferencesByIDs returns the references of the given records, grouped by
// record id, by scheme and id.
func (s *Store) ReferencesByIDs(ctx context.Context, ids []string) (map[string][]domain.Reference, error) {
	rows, err := s.byKeys(len(ids)).Query(ctx, `SELECT entity_id, scheme, value FROM external_reference WHERE entity_id = ANY($1) ORDER BY entity_id, scheme, value`, parseIDs(ids))
	if err != nil {
		return nil, translate(err, "references")
	}
	out := map[string][]domain.Reference{}
	var id uuid.UUID
	var r domain.Reference
	_, err = pgx.ForEachRow(rows, []any{&id, &r.Scheme, &r.Value}, func() error {
		r.EntityID = id.String()
		out[r.EntityID] = append(out[r.EntityID], r)
		return nil
	})
	return out, translate(err, "references")
}
