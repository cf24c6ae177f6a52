package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"databank/domain"
)

type donorRow struct {
	ID          uuid.UUID `db:"id"`
	BiobankID   uuid.UUID `db:"biobank_id"`
	ExternalID  string    `db:"external_id"`
	Sex         string    `db:"sex"`
	BirthYear   *int      `db:"birth_year"`
	VitalStatus string    `db:"vital_status"`
	auditRow
}

const donorColumns = "t.id, t.biobank_id, t.external_id, t.sex, t.birth_year, t.vital_status, " + auditCols

func (r donorRow) domain() domain.Donor {
	return domain.Donor{ID: r.ID.String(), BiobankID: r.BiobankID.String(), ExternalID: r.ExternalID, Sex: r.Sex,
		BirthYear: r.BirthYear, VitalStatus: r.VitalStatus, Audit: r.auditRow.domain()}
}

// CreateDonor validates and inserts d.
func (s *Store) CreateDonor(ctx context.Context, d domain.Donor) (domain.Donor, error) {
	v := domain.NewValidation("input")
	d.Validate(v)
	biobank, err := parseID("biobank", d.BiobankID)
	if err != nil {
		v.Fail("biobank", d.BiobankID, "does not name a biobank")
	}
	if err := checked(ctx, v); err != nil {
		return d, err
	}
	id := newID()
	_, err = s.exec(ctx, `INSERT INTO donor (id, biobank_id, external_id, sex, birth_year, vital_status, created_by, updated_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7)`, id, biobank, d.ExternalID, d.Sex, d.BirthYear, d.VitalStatus, actor(ctx))
	if err != nil {
		return d, translate(err, "create donor")
	}
	return s.Donor(ctx, id.String())
}

// UpdateDonor applies patch under a row lock, validates and writes it.
func (s *Store) UpdateDonor(ctx context.Context, id string, patch func(*domain.Donor) error) (domain.Donor, error) {
	uid, err := parseID("donor", id)
	if err != nil {
		return domain.Donor{}, err
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		d, err := getOne(ctx, tx, "SELECT "+donorColumns+" FROM donor t WHERE t.id = $1 FOR UPDATE", []any{uid}, donorRow.domain, "donor")
		if err != nil {
			return err
		}
		if err := patch(&d); err != nil {
			return err
		}
		v := domain.NewValidation("input")
		d.Validate(v)
		if err := checked(ctx, v); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE donor SET external_id = $2, sex = $3, birth_year = $4, vital_status = $5, updated_by = $6, updated_at = now()
			WHERE id = $1 AND (external_id, sex, birth_year, vital_status) IS DISTINCT FROM ($2, $3, $4, $5)`,
			uid, d.ExternalID, d.Sex, d.BirthYear, d.VitalStatus, actor(ctx))
		return translate(err, "update donor")
	})
	if err != nil {
		return domain.Donor{}, err
	}
	return s.Donor(ctx, id)
}

// RetireDonor marks the donor retired; samples and consents stay.
func (s *Store) RetireDonor(ctx context.Context, id string) (domain.Donor, error) {
	if err := s.retire(ctx, "donor", id); err != nil {
		return domain.Donor{}, err
	}
	return s.Donor(ctx, id)
}

// Donor returns the donor with the given id.
func (s *Store) Donor(ctx context.Context, id string) (domain.Donor, error) {
	uid, err := parseID("donor", id)
	if err != nil {
		return domain.Donor{}, err
	}
	return getOne(ctx, s.pool, "SELECT "+donorColumns+" FROM donor t WHERE t.id = $1", []any{uid}, donorRow.domain, "donor "+id)
}

// DonorByExternalID returns the donor a biobank knows by externalID.
func (s *Store) DonorByExternalID(ctx context.Context, biobankCode, externalID string) (domain.Donor, error) {
	return getOne(ctx, s.pool, "SELECT "+donorColumns+" FROM donor t JOIN biobank b ON b.id = t.biobank_id WHERE b.code = upper($1) AND t.external_id = $2",
		[]any{biobankCode, externalID}, donorRow.domain, "donor "+externalID+" of biobank "+biobankCode)
}

// DonorsByIDs returns the donors with the given ids, in any order.
func (s *Store) DonorsByIDs(ctx context.Context, ids []string) ([]domain.Donor, error) {
	return getMany(ctx, s.byKeys(len(ids)), "SELECT "+donorColumns+" FROM donor t WHERE t.id = ANY($1)", []any{parseIDs(ids)}, donorRow.domain)
}

// Donors lists donors.
func (s *Store) Donors(ctx context.Context, f domain.DonorFilter, p domain.PageRequest) (domain.Page[domain.Donor], error) {
	var w where
	if !f.IncludeRetired {
		w.add("t.retired_at IS NULL")
	}
	if c := donorCond(&w, "t", &f); c != "TRUE" {
		w.add(c)
	}
	return listPage(ctx, s.pool, donorColumns, "donor t", w, p, donorRow.domain)
}
