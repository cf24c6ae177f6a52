package store

import (
	"context"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"databank/domain"
)

type diagnosisRow struct {
	ID             uuid.UUID  `db:"id"`
	DonorID        uuid.UUID  `db:"donor_id"`
	Code           string     `db:"code"`
	DiagnosedOn    *time.Time `db:"diagnosed_on"`
	AgeAtDiagnosis *int       `db:"age_at_diagnosis"`
	auditRow
}

const diagnosisColumns = "t.id, t.donor_id, t.code, t.diagnosed_on, t.age_at_diagnosis, " + auditCols

func (r diagnosisRow) domain() domain.Diagnosis {
	return domain.Diagnosis{ID: r.ID.String(), DonorID: r.DonorID.String(), Code: r.Code, DiagnosedOn: r.DiagnosedOn,
		AgeAtDiagnosis: r.AgeAtDiagnosis, Audit: r.auditRow.domain()}
}

// AddDiagnosis validates and records a diagnosis of a donor. Recording the
// same code again updates its date.
func (s *Store) AddDiagnosis(ctx context.Context, d domain.Diagnosis) (domain.Diagnosis, error) {
	v := domain.NewValidation("input")
	d.Validate(v, s.vocab)
	donor, err := parseID("donor", d.DonorID)
	if err != nil {
		v.Fail("donorId", d.DonorID, "does not name a donor")
	}
	if err := checked(ctx, v); err != nil {
		return d, err
	}
	who := actor(ctx)
	var out domain.Diagnosis
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `INSERT INTO diagnosis AS t (id, donor_id, code, diagnosed_on, age_at_diagnosis, created_by, updated_by)
		VALUES ($1, $2, $3, $4, $5, $6, $6)
		ON CONFLICT (donor_id, code) DO UPDATE SET diagnosed_on = excluded.diagnosed_on, age_at_diagnosis = excluded.age_at_diagnosis,
			retired_at = NULL, updated_by = excluded.updated_by, updated_at = now()
		RETURNING `+diagnosisColumns, newID(), donor, d.Code, d.DiagnosedOn, d.AgeAtDiagnosis, who)
		if err != nil {
			return translate(err, "add diagnosis")
		}
		out, err = collectOne(rows, diagnosisRow.domain, "diagnosis")
		return err
	})
	if err != nil {
		return d, err
	}
	return out, nil
}

// RetireDiagnosis marks a diagnosis retired (recorded in error).
func (s *Store) RetireDiagnosis(ctx context.Context, id string) (domain.Diagnosis, error) {
	if err := s.retire(ctx, "diagnosis", id); err != nil {
		return domain.Diagnosis{}, err
	}
	return s.Diagnosis(ctx, id)
}

// DiagnosesByDonorIDs returns the current diagnoses of the given donors,
// grouped by donor id.
func (s *Store) DiagnosesByDonorIDs(ctx context.Context, donorIDs []string) (map[string][]domain.Diagnosis, error) {
	ds, err := getMany(ctx, s.byKeys(len(donorIDs)), "SELECT "+diagnosisColumns+" FROM diagnosis t WHERE t.donor_id = ANY($1) AND t.retired_at IS NULL ORDER BY t.donor_id, t.code",
		[]any{parseIDs(donorIDs)}, diagnosisRow.domain)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]domain.Diagnosis)
	for _, d := range ds {
		out[d.DonorID] = append(out[d.DonorID], d)
	}
	return out, nil
}

// Diagnosis returns the diagnosis with the given id.
func (s *Store) Diagnosis(ctx context.Context, id string) (domain.Diagnosis, error) {
	uid, err := parseID("diagnosis", id)
	if err != nil {
		return domain.Diagnosis{}, err
	}
	return getOne(ctx, s.pool, "SELECT "+diagnosisColumns+" FROM diagnosis t WHERE t.id = $1", []any{uid}, diagnosisRow.domain, "diagnosis "+id)
}
