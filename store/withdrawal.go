package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"databank/domain"
)

type withdrawalRow struct {
	ID                 uuid.UUID       `db:"id"`
	BiobankID          uuid.UUID       `db:"biobank_id"`
	ExternalID         string          `db:"external_id"`
	SampleID           uuid.UUID       `db:"sample_id"`
	StudyID            uuid.UUID       `db:"study_id"`
	Quantity           domain.Quantity `db:"quantity"`
	QuantityUnit       string          `db:"quantity_unit"`
	WithdrawnOn        time.Time       `db:"withdrawn_on"`
	Recipient          string          `db:"recipient"`
	DataReturnRequired bool            `db:"data_return_required"`
	DataReturnDue      *time.Time      `db:"data_return_due"`
	auditRow
}

const withdrawalColumns = `t.id, t.biobank_id, t.external_id, t.sample_id, t.study_id, (t.quantity * 1000)::bigint AS quantity, t.quantity_unit,
	t.withdrawn_on, t.recipient, t.data_return_required, t.data_return_due, ` + auditCols

func (r withdrawalRow) domain() domain.Withdrawal {
	return domain.Withdrawal{ID: r.ID.String(), BiobankID: r.BiobankID.String(), ExternalID: r.ExternalID, SampleID: r.SampleID.String(),
		StudyID: r.StudyID.String(), Quantity: r.Quantity, QuantityUnit: r.QuantityUnit, WithdrawnOn: r.WithdrawnOn, Recipient: r.Recipient,
		DataReturnRequired: r.DataReturnRequired, DataReturnDue: r.DataReturnDue, Audit: r.auditRow.domain()}
}

// CreateWithdrawal records material taken from a sample for a study and
// subtracts it from the sample's remaining quantity. It fails, writing
// nothing, when the sample has too little left or uses another unit.
func (s *Store) CreateWithdrawal(ctx context.Context, w domain.Withdrawal) (domain.Withdrawal, error) {
	v := domain.NewValidation("input")
	w.Validate(v)
	sample, study := refID(v, "sample", w.SampleID), refID(v, "study", w.StudyID)
	if err := checked(ctx, v); err != nil {
		return w, err
	}
	id := newID()
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if err := checkWithdrawable(ctx, tx, w, nil); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO withdrawal (id, biobank_id, external_id, sample_id, study_id, quantity, quantity_unit, withdrawn_on,
			recipient, data_return_required, data_return_due, created_by, updated_by)
			SELECT $1, s.biobank_id, $3, s.id, $4, $5::bigint / 1000.0, $6, $7, $8, $9, $10, $11, $11 FROM sample s WHERE s.id = $2`,
			id, sample, w.ExternalID, study, int64(w.Quantity), w.QuantityUnit, w.WithdrawnOn, w.Recipient,
			w.DataReturnRequired, w.DataReturnDue, actor(ctx))
		if err != nil {
			return translate(err, "create withdrawal")
		}
		return recomputeWithdrawn(ctx, tx, []uuid.UUID{*sample})
	})
	if err != nil {
		return w, err
	}
	return s.Withdrawal(ctx, id.String())
}

// checkWithdrawable locks the sample (serialising withdrawals from it)
// and judges, by the domain rule (Withdrawal.CheckSource), whether w,
// which was old before (nil when new), can be recorded against it.
func checkWithdrawable(ctx context.Context, tx pgx.Tx, w domain.Withdrawal, old *domain.Withdrawal) error {
	var unit *string
	var status, external string
	err := tx.QueryRow(ctx, "SELECT quantity_unit, status, external_id FROM sample WHERE id = $1 FOR UPDATE", optID(w.SampleID)).Scan(&unit, &status, &external)
	if err != nil {
		return notFound(err, "sample %s not found", w.SampleID)
	}
	v := domain.NewValidation("input")
	w.CheckSource(v, old, domain.WithdrawalSource{ExternalID: external, Unit: deref(unit), Status: status, StatusBefore: status})
	return v.Err()
}

// UpdateWithdrawal applies patch under a row lock, validates it (a
// withdrawal of a depleted sample can still be corrected, as long as it
// takes no more material: domain.Withdrawal.CheckSource) and recomputes
// the quantities of the samples involved.
func (s *Store) UpdateWithdrawal(ctx context.Context, id string, patch func(*domain.Withdrawal) error) (domain.Withdrawal, error) {
	uid, err := parseID("withdrawal", id)
	if err != nil {
		return domain.Withdrawal{}, err
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		w, err := getOne(ctx, tx, "SELECT "+withdrawalColumns+" FROM withdrawal t WHERE t.id = $1 FOR UPDATE", []any{uid}, withdrawalRow.domain, "withdrawal")
		if err != nil {
			return err
		}
		old := w
		if err := patch(&w); err != nil {
			return err
		}
		v := domain.NewValidation("input")
		w.Validate(v)
		refID(v, "study", w.StudyID)
		sample := refID(v, "sample", w.SampleID)
		if w.SampleID == "" {
			v.Fail("sample", "", "is required")
		}
		if err := checked(ctx, v); err != nil {
			return err
		}
		if err := checkWithdrawable(ctx, tx, w, &old); err != nil {
			return err
		}
		// A withdrawal may move to another sample of the biobank, as an
		// import moves it; both samples' quantities are recomputed.
		_, err = tx.Exec(ctx, `UPDATE withdrawal SET external_id = $2, study_id = $3, quantity = $4::bigint / 1000.0, quantity_unit = $5,
			withdrawn_on = $6, recipient = $7, data_return_required = $8, data_return_due = $9, sample_id = $11, updated_by = $10, updated_at = now()
			WHERE id = $1 AND (external_id, study_id, quantity, quantity_unit, withdrawn_on, recipient, data_return_required, data_return_due, sample_id)
			IS DISTINCT FROM ($2, $3, $4::bigint / 1000.0, $5, $6, $7, $8, $9, $11)`,
			uid, w.ExternalID, optID(w.StudyID), int64(w.Quantity), w.QuantityUnit, w.WithdrawnOn, w.Recipient, w.DataReturnRequired,
			w.DataReturnDue, actor(ctx), sample)
		if err != nil {
			return translate(err, "update withdrawal")
		}
		return recomputeWithdrawn(ctx, tx, []uuid.UUID{*optID(old.SampleID), *sample})
	})
	if err != nil {
		return domain.Withdrawal{}, err
	}
	return s.Withdrawal(ctx, id)
}

// RetireWithdrawal marks a withdrawal recorded in error as retired and
// gives its quantity back to the sample.
func (s *Store) RetireWithdrawal(ctx context.Context, id string) (domain.Withdrawal, error) {
	w, err := s.Withdrawal(ctx, id)
	if err != nil {
		return w, err
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE withdrawal SET retired_at = now(), updated_at = now(), updated_by = $2 WHERE id = $1 AND retired_at IS NULL",
			optID(id), actor(ctx)); err != nil {
			return translate(err, "retire withdrawal")
		}
		return recomputeWithdrawn(ctx, tx, []uuid.UUID{*optID(w.SampleID)})
	})
	if err != nil {
		return w, err
	}
	return s.Withdrawal(ctx, id)
}

// recomputeWithdrawn sets each sample's withdrawn total from its current
// withdrawals, so a withdrawal counts exactly once however it got here.
// It first locks the samples (in id order, so writers cannot deadlock):
// the sum is then taken after every concurrent writer of those samples
// has committed, and no withdrawal is lost. The remaining-quantity check
// constraint refuses an overdraw.
func recomputeWithdrawn(ctx context.Context, tx pgx.Tx, samples []uuid.UUID) error {
	return recomputeSelected(ctx, tx, "SELECT unnest($1::uuid[])", samples)
}

// recomputeSelected is recomputeWithdrawn for the samples a query selects
// (args are its parameters), so that a large import's sample ids stay in
// the database.
func recomputeSelected(ctx context.Context, tx pgx.Tx, sampleIDs string, args ...any) error {
	if _, err := tx.Exec(ctx, `SELECT 1 FROM sample WHERE id IN (`+sampleIDs+`) ORDER BY id FOR NO KEY UPDATE`, args...); err != nil {
		return translate(err, "lock samples")
	}
	_, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE sample s SET withdrawn = w.total, updated_at = now(), updated_by = $%d
		FROM (SELECT x.id, coalesce(sum(w.quantity) FILTER (WHERE w.retired_at IS NULL), 0) AS total
		        FROM (SELECT DISTINCT id FROM (%s) AS ids (id)) AS x LEFT JOIN withdrawal w ON w.sample_id = x.id GROUP BY x.id) w
		WHERE s.id = w.id AND s.withdrawn IS DISTINCT FROM w.total`, len(args)+1, sampleIDs), append(args, actor(ctx))...)
	if err != nil {
		err = translate(err, "recompute withdrawn")
		if domain.ErrorCode(err) == domain.EINVALID {
			return &domain.Error{Code: domain.EINVALID, Message: "invalid withdrawal", Fields: []domain.FieldError{
				{Field: "input.quantity", Message: "exceeds the sample's remaining quantity"}}}
		}
	}
	return err
}

// Withdrawal returns the withdrawal with the given id.
func (s *Store) Withdrawal(ctx context.Context, id string) (domain.Withdrawal, error) {
	uid, err := parseID("withdrawal", id)
	if err != nil {
		return domain.Withdrawal{}, err
	}
	return getOne(ctx, s.pool, "SELECT "+withdrawalColumns+" FROM withdrawal t WHERE t.id = $1", []any{uid}, withdrawalRow.domain, "withdrawal "+id)
}

// WithdrawalByExternalID returns the withdrawal a biobank knows by externalID.
func (s *Store) WithdrawalByExternalID(ctx context.Context, biobankCode, externalID string) (domain.Withdrawal, error) {
	return getOne(ctx, s.pool, "SELECT "+withdrawalColumns+" FROM withdrawal t JOIN biobank b ON b.id = t.biobank_id WHERE b.code = upper($1) AND t.external_id = $2",
		[]any{biobankCode, externalID}, withdrawalRow.domain, "withdrawal "+externalID+" of biobank "+biobankCode)
}

// WithdrawalsByIDs returns the withdrawals with the given ids, in any order.
func (s *Store) WithdrawalsByIDs(ctx context.Context, ids []string) ([]domain.Withdrawal, error) {
	return getMany(ctx, s.byKeys(len(ids)), "SELECT "+withdrawalColumns+" FROM withdrawal t WHERE t.id = ANY($1)", []any{parseIDs(ids)}, withdrawalRow.domain)
}

// WithdrawalsBySampleIDs returns the current withdrawals of the given
// samples, grouped by sample id.
func (s *Store) WithdrawalsBySampleIDs(ctx context.Context, sampleIDs []string) (map[string][]domain.Withdrawal, error) {
	ws, err := getMany(ctx, s.byKeys(len(sampleIDs)), "SELECT "+withdrawalColumns+" FROM withdrawal t WHERE t.sample_id = ANY($1) AND t.retired_at IS NULL ORDER BY t.id",
		[]any{parseIDs(sampleIDs)}, withdrawalRow.domain)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]domain.Withdrawal)
	for _, w := range ws {
		out[w.SampleID] = append(out[w.SampleID], w)
	}
	return out, nil
}

// Withdrawals lists withdrawals.
func (s *Store) Withdrawals(ctx context.Context, f domain.WithdrawalFilter, p domain.PageRequest) (domain.Page[domain.Withdrawal], error) {
	var w where
	if !f.IncludeRetired {
		w.add("t.retired_at IS NULL")
	}
	if f.BiobankID != "" {
		w.add("t.biobank_id = " + w.arg(optID(f.BiobankID)))
	}
	if f.SampleID != "" {
		w.add("t.sample_id = " + w.arg(optID(f.SampleID)))
	}
	if f.StudyID != "" {
		w.add("t.study_id = " + w.arg(optID(f.StudyID)))
	}
	if f.Scope != nil {
		w.add(scopeWithdrawalCond(&w, "t", f.Scope))
	}
	return listPage(ctx, s.pool, withdrawalColumns, "withdrawal t", w, p, withdrawalRow.domain)
}

// ReturnCandidates returns the current withdrawals of a biobank that may
// owe a data return: those that require one, and those whose donor has
// any consent carrying DUO RTN (the services decide which consent was in
// force on the withdrawal's day).
func (s *Store) ReturnCandidates(ctx context.Context, biobankID string) ([]domain.Withdrawal, error) {
	return getMany(ctx, s.pool, "SELECT "+withdrawalColumns+` FROM withdrawal t JOIN sample s ON s.id = t.sample_id
		WHERE t.biobank_id = $1 AND t.retired_at IS NULL AND (t.data_return_required OR EXISTS (
			SELECT 1 FROM consent c WHERE c.donor_id = s.donor_id AND c.retired_at IS NULL AND $2 = ANY(c.modifiers)))
		ORDER BY t.withdrawn_on, t.id`, []any{optID(biobankID), domain.DUOReturnData}, withdrawalRow.domain)
}

// WithdrawalsByStudyIDs returns the current withdrawals of the given
// studies, grouped by study id.
func (s *Store) WithdrawalsByStudyIDs(ctx context.Context, studyIDs []string) (map[string][]domain.Withdrawal, error) {
	ws, err := getMany(ctx, s.byKeys(len(studyIDs)), "SELECT "+withdrawalColumns+" FROM withdrawal t WHERE t.study_id = ANY($1) AND t.retired_at IS NULL ORDER BY t.id",
		[]any{parseIDs(studyIDs)}, withdrawalRow.domain)
	if err != nil {
		return nil, err
	}
	out := map[string][]domain.Withdrawal{}
	for _, w := range ws {
		out[w.StudyID] = append(out[w.StudyID], w)
	}
	return out, nil
}
