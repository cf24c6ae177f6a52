package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"databank/domain"
)

// approvalColumns are the columns approvalRow scans, over alias a.
const approvalColumns = `a.id, a.researcher, a.issuer, a.dataset_id, coalesce(d.external_id, ''), a.name, a.reason, a.expires_on,
	a.created_at, a.created_by, a.revoked_at, coalesce(a.revoked_by, ''),
	coalesce((SELECT array_agg(x.sample_id ORDER BY x.sample_id) FROM access_approval_sample x WHERE x.approval_id = a.id), '{}')`

const approvalFrom = "access_approval a LEFT JOIN dataset d ON d.id = a.dataset_id"

type approvalRow struct {
	id        uuid.UUID
	dataset   *uuid.UUID
	samples   []uuid.UUID
	approval  domain.AccessApproval
	expiresOn *time.Time
}

func (r *approvalRow) dest() []any {
	a := &r.approval
	return []any{&r.id, &a.Researcher, &a.Issuer, &r.dataset, &a.DatasetExternalID, &a.Name, &a.Reason, &r.expiresOn,
		&a.CreatedAt, &a.CreatedBy, &a.RevokedAt, &a.RevokedBy, &r.samples}
}

func (r *approvalRow) domain() domain.AccessApproval {
	a := r.approval
	a.ID, a.DatasetID, a.ExpiresOn = r.id.String(), optIDString(r.dataset), r.expiresOn
	a.SampleIDs = make([]string, len(r.samples))
	for i, s := range r.samples {
		a.SampleIDs[i] = s.String()
	}
	return a
}

// RecordAccessApproval stores a (its dataset or samples already resolved
// to ids) and returns it as stored.
func (s *Store) RecordAccessApproval(ctx context.Context, a domain.AccessApproval) (domain.AccessApproval, error) {
	id := newID()
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO access_approval (id, researcher, issuer, dataset_id, name, reason, expires_on, created_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, id, a.Researcher, a.Issuer, optID(a.DatasetID), a.Name, a.Reason, a.ExpiresOn, actor(ctx))
		if err != nil || len(a.SampleIDs) == 0 {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO access_approval_sample (approval_id, sample_id)
			SELECT $1, x FROM unnest($2::uuid[]) AS x ON CONFLICT DO NOTHING`, id, parseIDs(a.SampleIDs))
		return err
	})
	if err != nil {
		return domain.AccessApproval{}, translate(err, "access approval")
	}
	return s.AccessApproval(ctx, id.String())
}

// RevokeAccessApproval ends the approval with id; revoking it again
// changes nothing.
func (s *Store) RevokeAccessApproval(ctx context.Context, id string) (domain.AccessApproval, error) {
	u, err := parseID("access approval", id)
	if err != nil {
		return domain.AccessApproval{}, err
	}
	if _, err := s.exec(ctx, `UPDATE access_approval SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL`,
		u, actor(ctx)); err != nil {
		return domain.AccessApproval{}, translate(err, "access approval")
	}
	return s.AccessApproval(ctx, id)
}

// AccessApproval returns the approval with id.
func (s *Store) AccessApproval(ctx context.Context, id string) (domain.AccessApproval, error) {
	var r approvalRow
	err := s.pool.QueryRow(ctx, "SELECT "+approvalColumns+" FROM "+approvalFrom+" WHERE a.id = $1", optID(id)).Scan(r.dest()...)
	if err != nil {
		return domain.AccessApproval{}, notFound(err, "access approval %q not found", id)
	}
	return r.domain(), nil
}

// AccessApprovals lists the approvals of researcher (all when empty),
// newest first; revoked and expired ones only with includeInactive.
func (s *Store) AccessApprovals(ctx context.Context, researcher string, includeInactive bool) ([]domain.AccessApproval, error) {
	rows, err := s.pool.Query(ctx, "SELECT "+approvalColumns+" FROM "+approvalFrom+`
		WHERE ($1 = '' OR a.researcher = $1)
		  AND ($2 OR (a.revoked_at IS NULL AND (a.expires_on IS NULL OR a.expires_on >= $3::date)))
		ORDER BY a.id DESC`, researcher, includeInactive, domain.Today())
	if err != nil {
		return nil, translate(err, "access approvals")
	}
	var out []domain.AccessApproval
	var r approvalRow
	_, err = pgx.ForEachRow(rows, r.dest(), func() error {
		out = append(out, r.domain())
		return nil
	})
	return out, translate(err, "access approvals")
}

// ApprovalScope is what the researcher (name, issuer) may see row by
// row today: the datasets their visas grant (grants name datasets by id
// or external id) and their approvals name, and the samples of their
// approved sample sets. Retired datasets approve nothing.
func (s *Store) ApprovalScope(ctx context.Context, researcher, issuer string, grants []string) (domain.RowScope, error) {
	var ids, names []string
	for _, g := range grants {
		if _, err := uuid.Parse(g); err == nil {
			ids = append(ids, g)
		} else {
			names = append(names, g)
		}
	}
	const active = `a.researcher = $3 AND a.issuer = $4 AND a.revoked_at IS NULL AND (a.expires_on IS NULL OR a.expires_on >= $5::date)`
	var sc domain.RowScope
	err := s.pool.QueryRow(ctx, `SELECT
		coalesce((SELECT array_agg(DISTINCT d.id::text) FROM dataset d WHERE d.retired_at IS NULL AND (d.id = ANY($1) OR d.external_id = ANY($2)
		          OR d.id IN (SELECT a.dataset_id FROM access_approval a WHERE `+active+`))), '{}'),
		coalesce((SELECT array_agg(DISTINCT x.sample_id::text) FROM access_approval a JOIN access_approval_sample x ON x.approval_id = a.id
		          WHERE `+active+`), '{}')`,
		parseIDs(ids), nonNil(names), researcher, issuer, domain.Today()).Scan(&sc.DatasetIDs, &sc.SampleIDs)
	return sc, translate(err, "approved scope")
}
