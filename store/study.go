package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"databank/domain"
)

type studyRow struct {
	ID                    uuid.UUID `db:"id"`
	ExternalID            string    `db:"external_id"`
	Title                 string    `db:"title"`
	PrincipalInvestigator string    `db:"principal_investigator"`
	EthicsApproval        string    `db:"ethics_approval"`
	Accession             *string   `db:"accession"`
	auditRow
}

const studyColumns = "t.id, t.external_id, t.title, t.principal_investigator, t.ethics_approval, t.accession, " + auditCols

func (r studyRow) domain() domain.Study {
	return domain.Study{ID: r.ID.String(), ExternalID: r.ExternalID, Title: r.Title, PrincipalInvestigator: r.PrincipalInvestigator,
		EthicsApproval: r.EthicsApproval, Accession: deref(r.Accession), Audit: r.auditRow.domain()}
}

// CreateStudy validates and inserts st.
func (s *Store) CreateStudy(ctx context.Context, st domain.Study) (domain.Study, error) {
	v := domain.NewValidation("input")
	st.Validate(v)
	if err := checked(ctx, v); err != nil {
		return st, err
	}
	id := newID()
	_, err := s.exec(ctx, `INSERT INTO study (id, external_id, title, principal_investigator, ethics_approval, accession, created_by, updated_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`, id, st.ExternalID, st.Title, st.PrincipalInvestigator, st.EthicsApproval, nullString(st.Accession), actor(ctx))
	if err != nil {
		return st, translate(err, "create study")
	}
	return s.Study(ctx, id.String())
}

// UpdateStudy applies patch under a row lock, validates and writes it.
func (s *Store) UpdateStudy(ctx context.Context, id string, patch func(*domain.Study) error) (domain.Study, error) {
	uid, err := parseID("study", id)
	if err != nil {
		return domain.Study{}, err
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		st, err := getOne(ctx, tx, "SELECT "+studyColumns+" FROM study t WHERE t.id = $1 FOR UPDATE", []any{uid}, studyRow.domain, "study")
		if err != nil {
			return err
		}
		if err := patch(&st); err != nil {
			return err
		}
		v := domain.NewValidation("input")
		st.Validate(v)
		if err := checked(ctx, v); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE study SET external_id = $2, title = $3, principal_investigator = $4, ethics_approval = $5, accession = $6,
			updated_by = $7, updated_at = now()
			WHERE id = $1 AND (external_id, title, principal_investigator, ethics_approval, accession) IS DISTINCT FROM ($2, $3, $4, $5, $6)`,
			uid, st.ExternalID, st.Title, st.PrincipalInvestigator, st.EthicsApproval, nullString(st.Accession), actor(ctx))
		return translate(err, "update study")
	})
	if err != nil {
		return domain.Study{}, err
	}
	return s.Study(ctx, id)
}

// RetireStudy marks the study retired.
func (s *Store) RetireStudy(ctx context.Context, id string) (domain.Study, error) {
	if err := s.retire(ctx, "study", id); err != nil {
		return domain.Study{}, err
	}
	return s.Study(ctx, id)
}

// Study returns the study with the given id.
func (s *Store) Study(ctx context.Context, id string) (domain.Study, error) {
	uid, err := parseID("study", id)
	if err != nil {
		return domain.Study{}, err
	}
	return getOne(ctx, s.pool, "SELECT "+studyColumns+" FROM study t WHERE t.id = $1", []any{uid}, studyRow.domain, "study "+id)
}

// StudyByExternalID returns the study with the given study id or EGA
// study accession.
func (s *Store) StudyByExternalID(ctx context.Context, externalID string) (domain.Study, error) {
	return getOne(ctx, s.pool, "SELECT "+studyColumns+" FROM study t WHERE t.external_id = $1 OR t.accession = $1 ORDER BY t.external_id = $1 DESC LIMIT 1",
		[]any{externalID}, studyRow.domain, "study "+externalID)
}

// StudiesByIDs returns the studies with the given ids, in any order.
func (s *Store) StudiesByIDs(ctx context.Context, ids []string) ([]domain.Study, error) {
	return getMany(ctx, s.byKeys(len(ids)), "SELECT "+studyColumns+" FROM study t WHERE t.id = ANY($1)", []any{parseIDs(ids)}, studyRow.domain)
}

// Studies lists studies.
func (s *Store) Studies(ctx context.Context, f domain.StudyFilter, p domain.PageRequest) (domain.Page[domain.Study], error) {
	var w where
	if !f.IncludeRetired {
		w.add("t.retired_at IS NULL")
	}
	return listPage(ctx, s.pool, studyColumns, "study t", w, p, studyRow.domain)
}
