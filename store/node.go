package store

import (
	"context"
)

// EntityType returns the GraphQL type name of the entity with the given
// id: UUIDs are unique across tables, so one indexed probe per table
// answers node(id) without type prefixes in ids.
func (s *Store) EntityType(ctx context.Context, id string) (string, error) {
	uid, err := parseID("node", id)
	if err != nil {
		return "", err
	}
	var typ string
	err = s.pool.QueryRow(ctx, `SELECT t FROM (
		          SELECT 'Biobank' AS t FROM biobank WHERE id = $1
		UNION ALL SELECT 'Donor' FROM donor WHERE id = $1
		UNION ALL SELECT 'Diagnosis' FROM diagnosis WHERE id = $1
		UNION ALL SELECT 'Consent' FROM consent WHERE id = $1
		UNION ALL SELECT 'Sample' FROM sample WHERE id = $1
		UNION ALL SELECT 'Study' FROM study WHERE id = $1
		UNION ALL SELECT 'Withdrawal' FROM withdrawal WHERE id = $1
		UNION ALL SELECT 'DataFile' FROM data_file WHERE id = $1
		UNION ALL SELECT 'Dataset' FROM dataset WHERE id = $1) x LIMIT 1`, uid).Scan(&typ)
	if err != nil {
		return "", notFound(err, "node %s not found", id)
	}
	return typ, nil
}
