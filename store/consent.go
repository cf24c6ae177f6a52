package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"databank/domain"
)

type consentRow struct {
	ID           uuid.UUID  `db:"id"`
	DonorID      uuid.UUID  `db:"donor_id"`
	ExternalID   string     `db:"external_id"`
	GivenOn      time.Time  `db:"given_on"`
	WithdrawnOn  *time.Time `db:"withdrawn_on"`
	Permission   string     `db:"permission"`
	Modifiers    []string   `db:"modifiers"`
	Disease      *string    `db:"disease"`
	DocumentRef  string     `db:"document_ref"`
	SupersededBy *uuid.UUID `db:"superseded_by"`
	auditRow
}

const consentColumns = "t.id, t.donor_id, t.external_id, t.given_on, t.withdrawn_on, t.permission, t.modifiers, t.disease, t.document_ref, t.superseded_by, " + auditCols

func (r consentRow) domain() domain.Consent {
	c := domain.Consent{ID: r.ID.String(), DonorID: r.DonorID.String(), ExternalID: r.ExternalID, GivenOn: r.GivenOn,
		WithdrawnOn: r.WithdrawnOn, Permission: r.Permission, Modifiers: r.Modifiers, DocumentRef: r.DocumentRef,
		SupersededBy: optIDString(r.SupersededBy), Audit: r.auditRow.domain()}
	if r.Disease != nil {
		c.Disease = *r.Disease
	}
	return c
}

func nullString(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// AddConsent records a new consent of a donor. It supersedes the donor's
// current consents given on or before it; nothing is overwritten.
func (s *Store) AddConsent(ctx context.Context, c domain.Consent) (domain.Consent, error) {
	v := domain.NewValidation("input")
	c.Validate(v, s.vocab)
	donor, err := parseID("donor", c.DonorID)
	if err != nil {
		v.Fail("donorId", c.DonorID, "does not name a donor")
	}
	if err := checked(ctx, v); err != nil {
		return c, err
	}
	id, who := newID(), actor(ctx)
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO consent (id, biobank_id, donor_id, external_id, given_on, withdrawn_on, permission, modifiers, disease, document_ref, created_by, updated_by)
			SELECT $1, d.biobank_id, d.id, $3, $4, $5, $6, $7, $8, $9, $10, $10 FROM donor d WHERE d.id = $2`,
			id, donor, c.ExternalID, c.GivenOn, c.WithdrawnOn, c.Permission, c.Modifiers, nullString(c.Disease), c.DocumentRef, who)
		if err != nil {
			return translate(err, "add consent")
		}
		return supersede(ctx, tx, []uuid.UUID{donor}, who)
	})
	if err != nil {
		return c, err
	}
	return s.Consent(ctx, id.String())
}

// consentHistory is a donor's consent history in SQL: the window of the
// donor's consents in domain.ConsentBefore order (uuid order is the
// order of the ids' text), over a query with donor_id, given_on and id.
// The links supersede keeps, and the order history is read in, follow it.
const consentHistory = "PARTITION BY donor_id ORDER BY given_on, id"

// supersede links, for each donor, every consent to the next one given
// after it, so that exactly the latest consent is current.
//
// The donors are locked first (in id order; NO KEY UPDATE, which the
// key-share locks of foreign-key checks do not block): two transactions adding
// consents for one donor then relink one after the other, and the second
// sees the first's consent, so exactly one consent stays current.
func supersede(ctx context.Context, tx pgx.Tx, donors []uuid.UUID, who string) error {
	return supersedeSelected(ctx, tx, "SELECT unnest($1::uuid[])", who, donors)
}

// supersedeSelected is supersede for the donors a query selects (args are
// its parameters), so that a large import's donor ids stay in the database.
func supersedeSelected(ctx context.Context, tx pgx.Tx, donorIDs, who string, args ...any) error {
	if _, err := tx.Exec(ctx, `SELECT 1 FROM donor WHERE id IN (`+donorIDs+`) ORDER BY id FOR NO KEY UPDATE`, args...); err != nil {
		return translate(err, "lock donors")
	}
	_, err := tx.Exec(ctx, fmt.Sprintf(`UPDATE consent c SET superseded_by = n.next_id, updated_by = $%d, updated_at = now()
		FROM (SELECT id, lead(id) OVER (%s) AS next_id
		        FROM consent WHERE donor_id IN (%s) AND retired_at IS NULL) n
		WHERE c.id = n.id AND c.superseded_by IS DISTINCT FROM n.next_id`, len(args)+1, consentHistory, donorIDs), append(args, who)...)
	return translate(err, "supersede consents")
}

// UpdateConsent applies patch under a row lock. Only withdrawal and the
// document reference may change on a consent; any other change is a new
// consent (domain.Consent.CheckChange, which imports judge by too).
func (s *Store) UpdateConsent(ctx context.Context, id string, patch func(*domain.Consent) error) (domain.Consent, error) {
	uid, err := parseID("consent", id)
	if err != nil {
		return domain.Consent{}, err
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		c, err := getOne(ctx, tx, "SELECT "+consentColumns+" FROM consent t WHERE t.id = $1 FOR UPDATE", []any{uid}, consentRow.domain, "consent")
		if err != nil {
			return err
		}
		old := c
		old.Modifiers = slices.Clone(c.Modifiers)
		if err := patch(&c); err != nil {
			return err
		}
		v := domain.NewValidation("input")
		c.Validate(v, s.vocab)
		if c.DonorID != old.DonorID {
			// The rule names donors by the ids users know them by.
			if err := tx.QueryRow(ctx, `SELECT (SELECT external_id FROM donor WHERE id = $1), coalesce((SELECT external_id FROM donor WHERE id = $2), $3)`,
				optID(old.DonorID), optID(c.DonorID), c.DonorID).Scan(&old.DonorID, &c.DonorID); err != nil {
				return translate(err, "update consent")
			}
		}
		c.CheckChange(v, &old)
		if err := checked(ctx, v); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE consent SET withdrawn_on = $2, document_ref = $3, updated_by = $4, updated_at = now()
			WHERE id = $1 AND (withdrawn_on, document_ref) IS DISTINCT FROM ($2, $3)`, uid, c.WithdrawnOn, c.DocumentRef, actor(ctx))
		return translate(err, "update consent")
	})
	if err != nil {
		return domain.Consent{}, err
	}
	return s.Consent(ctx, id)
}

// RetireConsent marks a consent recorded in error as retired and
// recomputes which consent of the donor is current.
func (s *Store) RetireConsent(ctx context.Context, id string) (domain.Consent, error) {
	c, err := s.Consent(ctx, id)
	if err != nil {
		return c, err
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		who := actor(ctx)
		if _, err := tx.Exec(ctx, "UPDATE consent SET retired_at = now(), superseded_by = NULL, updated_at = now(), updated_by = $2 WHERE id = $1 AND retired_at IS NULL", optID(id), who); err != nil {
			return translate(err, "retire consent")
		}
		if _, err := tx.Exec(ctx, "UPDATE consent SET superseded_by = NULL, updated_at = now(), updated_by = $2 WHERE superseded_by = $1", optID(id), who); err != nil {
			return translate(err, "retire consent")
		}
		return supersede(ctx, tx, []uuid.UUID{*optID(c.DonorID)}, who)
	})
	if err != nil {
		return c, err
	}
	return s.Consent(ctx, id)
}

// Consent returns the consent with the given id.
func (s *Store) Consent(ctx context.Context, id string) (domain.Consent, error) {
	uid, err := parseID("consent", id)
	if err != nil {
		return domain.Consent{}, err
	}
	return getOne(ctx, s.pool, "SELECT "+consentColumns+" FROM consent t WHERE t.id = $1", []any{uid}, consentRow.domain, "consent "+id)
}

// ConsentsByDonorIDs returns every consent (history included, oldest
// first) of the given donors, grouped by donor id.
func (s *Store) ConsentsByDonorIDs(ctx context.Context, donorIDs []string) (map[string][]domain.Consent, error) {
	cs, err := getMany(ctx, s.byKeys(len(donorIDs)), "SELECT "+consentColumns+` FROM consent t WHERE t.donor_id = ANY($1) AND t.retired_at IS NULL
		ORDER BY t.donor_id, row_number() OVER (`+consentHistory+`)`, []any{parseIDs(donorIDs)}, consentRow.domain)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]domain.Consent)
	for _, c := range cs {
		out[c.DonorID] = append(out[c.DonorID], c)
	}
	return out, nil
}
