package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"databank/domain"
)

// ChangeLog returns the recorded changes of one entity, oldest first.
func (s *Store) ChangeLog(ctx context.Context, entityID string) ([]domain.Change, error) {
	uid, err := parseID("entity", entityID)
	if err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT entity, action, actor, at, coalesce(old_values::text, '{}'), coalesce(new_values::text, '{}')
		FROM change_log WHERE entity_id = $1 ORDER BY id`, uid)
	if err != nil {
		return nil, translate(err, "change log")
	}
	defer rows.Close()
	var out []domain.Change
	for rows.Next() {
		var c domain.Change
		if err := rows.Scan(&c.Entity, &c.Action, &c.Actor, &c.At, &c.OldValues, &c.NewValues); err != nil {
			return nil, translate(err, "change log")
		}
		c.EntityID = entityID
		out = append(out, c)
	}
	return out, translate(rows.Err(), "change log")
}

// actorSetting is the transaction-local setting the change log's triggers
// read for the actor of each entry (migration 014, change_actor()); where
// a transaction leaves it unset they record the database role.
const actorSetting = "databank.actor"

// setActor names the actor of tx's changes to the change log's triggers,
// for the rest of the transaction only.
func setActor(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, "SELECT set_config('"+actorSetting+"', $1, true)", actor(ctx)); err != nil {
		return translate(err, "set change log actor")
	}
	return nil
}
