package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"databank/domain"
)

type biobankRow struct {
	ID      uuid.UUID `db:"id"`
	Code    string    `db:"code"`
	Name    string    `db:"name"`
	Country string    `db:"country"`
	Contact string    `db:"contact"`
	auditRow
}

const biobankColumns = "t.id, t.code, t.name, t.country, t.contact, t." + "created_at, t.created_by, t.updated_at, t.updated_by, t.retired_at"

func (r biobankRow) domain() domain.Biobank {
	return domain.Biobank{ID: r.ID.String(), Code: r.Code, Name: r.Name, Country: r.Country, Contact: r.Contact, Audit: r.auditRow.domain()}
}

// CreateBiobank validates and inserts b.
func (s *Store) CreateBiobank(ctx context.Context, b domain.Biobank) (domain.Biobank, error) {
	v := domain.NewValidation("input")
	b.Validate(v)
	if err := checked(ctx, v); err != nil {
		return b, err
	}
	id, who := newID(), actor(ctx)
	_, err := s.exec(ctx, `INSERT INTO biobank (id, code, name, country, contact, created_by, updated_by)
		VALUES ($1, $2, $3, $4, $5, $6, $6)`, id, b.Code, b.Name, b.Country, b.Contact, who)
	if err != nil {
		return b, translate(err, "create biobank")
	}
	return s.Biobank(ctx, id.String())
}

// UpdateBiobank applies patch to the biobank under a row lock, validates
// the result and writes it; the change is kept in the change log.
func (s *Store) UpdateBiobank(ctx context.Context, id string, patch func(*domain.Biobank) error) (domain.Biobank, error) {
	var out domain.Biobank
	uid, err := parseID("biobank", id)
	if err != nil {
		return out, err
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		b, err := getOne(ctx, tx, "SELECT "+biobankColumns+" FROM biobank t WHERE t.id = $1 FOR UPDATE", []any{uid}, biobankRow.domain, "biobank")
		if err != nil {
			return err
		}
		if err := patch(&b); err != nil {
			return err
		}
		v := domain.NewValidation("input")
		b.Validate(v)
		if err := checked(ctx, v); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE biobank SET code = $2, name = $3, country = $4, contact = $5, updated_by = $6, updated_at = now()
			WHERE id = $1 AND (code, name, country, contact) IS DISTINCT FROM ($2, $3, $4, $5)`,
			uid, b.Code, b.Name, b.Country, b.Contact, actor(ctx))
		return translate(err, "update biobank")
	})
	if err != nil {
		return out, err
	}
	return s.Biobank(ctx, id)
}

// RetireBiobank marks the biobank retired; it stays in the registry.
func (s *Store) RetireBiobank(ctx context.Context, id string) (domain.Biobank, error) {
	if err := s.retire(ctx, "biobank", id); err != nil {
		return domain.Biobank{}, err
	}
	return s.Biobank(ctx, id)
}

// Biobank returns the biobank with the given id.
func (s *Store) Biobank(ctx context.Context, id string) (domain.Biobank, error) {
	uid, err := parseID("biobank", id)
	if err != nil {
		return domain.Biobank{}, err
	}
	return getOne(ctx, s.pool, "SELECT "+biobankColumns+" FROM biobank t WHERE t.id = $1", []any{uid}, biobankRow.domain, "biobank "+id)
}

// BiobankByCode returns the biobank with the given code.
func (s *Store) BiobankByCode(ctx context.Context, code string) (domain.Biobank, error) {
	return getOne(ctx, s.pool, "SELECT "+biobankColumns+" FROM biobank t WHERE t.code = upper($1)", []any{code}, biobankRow.domain, "biobank "+code)
}

// BiobanksByIDs returns the biobanks with the given ids, in any order.
func (s *Store) BiobanksByIDs(ctx context.Context, ids []string) ([]domain.Biobank, error) {
	return getMany(ctx, s.byKeys(len(ids)), "SELECT "+biobankColumns+" FROM biobank t WHERE t.id = ANY($1)", []any{parseIDs(ids)}, biobankRow.domain)
}

// Biobanks lists biobanks.
func (s *Store) Biobanks(ctx context.Context, f domain.BiobankFilter, p domain.PageRequest) (domain.Page[domain.Biobank], error) {
	var w where
	if !f.IncludeRetired {
		w.add("t.retired_at IS NULL")
	}
	if f.Country != "" {
		w.add("t.country = upper(" + w.arg(f.Country) + ")")
	}
	return listPage(ctx, s.pool, biobankColumns, "biobank t", w, p, biobankRow.domain)
}

// retire sets retired_at on one row of table (a fixed name from this
// package), recording the actor.
func (s *Store) retire(ctx context.Context, table, id string) error {
	uid, err := parseID(table, id)
	if err != nil {
		return err
	}
	tag, err := s.exec(ctx, "UPDATE "+table+" SET retired_at = now(), updated_at = now(), updated_by = $2 WHERE id = $1 AND retired_at IS NULL", uid, actor(ctx))
	if err != nil {
		return translate(err, "retire "+table)
	}
	if tag.RowsAffected() == 0 {
		var exists bool
		if err := s.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM "+table+" WHERE id = $1)", uid).Scan(&exists); err != nil {
			return translate(err, "retire "+table)
		}
		if !exists {
			return domain.Errorf(domain.ENOTFOUND, "%s %s not found", table, id)
		}
	}
	return nil
}

// holders are the tables whose external ids are unique per biobank only.
var holders = map[string]string{"sample": "sample", "donor": "donor", "withdrawal": "withdrawal"}

// BiobanksHolding returns the codes of the biobanks that have a record of
// kind ("sample", "donor" or "withdrawal") with externalID, in code order.
// Each biobank is probed through its (biobank, external id) key, so the
// lookup stays an index probe per biobank at any table size.
func (s *Store) BiobanksHolding(ctx context.Context, kind, externalID string) ([]string, error) {
	table, ok := holders[kind]
	if !ok {
		return nil, domain.Internal(fmt.Errorf("no such kind %q", kind), "store: biobanks holding")
	}
	rows, err := s.pool.Query(ctx, `SELECT b.code FROM biobank b WHERE EXISTS (SELECT 1 FROM `+table+
		` t WHERE t.biobank_id = b.id AND t.external_id = $1) ORDER BY b.code`, externalID)
	if err != nil {
		return nil, translate(err, "biobanks holding "+kind+" "+externalID)
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return codes, translate(err, "biobanks holding "+kind+" "+externalID)
}
