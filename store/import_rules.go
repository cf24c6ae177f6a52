package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"databank/domain"
)

// The import's checks of the business rules that mutations apply too.
// Each selects, in one set-based statement, the staged rows the rule may
// refuse (rows that change what the rule is about: a few, or none, in an
// ordinary import), and the domain rule judges each of them and words the
// error, exactly as for a mutation; where the verdict needs other records
// (withdrawals standing in another unit), the statement finds them, as
// the mutation's query does, and the domain words the error. A selection
// may be wider than the rule but never narrower: rules_parity_test.go
// runs the same cases through the mutations and through imports.

// consentChangesSQL selects the staged consents that change a recorded
// consent's terms, or the date of its withdrawal: the candidates of
// domain.Consent.CheckChange. A consent staged with an unknown donor keeps
// its recorded donor here (the unknown donor is reported as such).
const consentChangesSQL = `SELECT r.src, r.line, r.external_id,
	       CASE WHEN r.donor_id IS NULL THEN d.external_id ELSE r.donor END, r.given_on, r.withdrawn_on, r.permission, r.modifiers,
	       coalesce(r.disease, ''),
	       d.external_id, r.old_given_on, r.old_withdrawn_on, r.old_permission, r.old_modifiers, coalesce(r.old_disease, '')
	  FROM res_consent r JOIN donor d ON d.id = r.old_donor_id
	 WHERE r.ok AND NOT r.is_new
	   AND ((r.given_on, r.permission, r.modifiers, r.disease) IS DISTINCT FROM (r.old_given_on, r.old_permission, r.old_modifiers, r.old_disease)
	        OR r.donor_id <> r.old_donor_id
	        OR r.old_withdrawn_on IS NOT NULL AND r.withdrawn_on IS DISTINCT FROM r.old_withdrawn_on)
	 ORDER BY r.src, r.line`

// checkConsentChanges refuses what domain.Consent.CheckChange refuses:
// a change of a recorded consent's terms, an undone or postponed withdrawal.
func (im *importer) checkConsentChanges(ctx context.Context) error {
	if im.staged[domain.ImportConsents] == 0 {
		return nil
	}
	rows, err := im.tx.Query(ctx, consentChangesSQL)
	if err != nil {
		return fmt.Errorf("store: import: check consent changes: %w", err)
	}
	var src int16
	var line int32
	var c, old domain.Consent
	_, err = pgx.ForEachRow(rows, []any{&src, &line, &c.ExternalID, &c.DonorID, &c.GivenOn, &c.WithdrawnOn, &c.Permission, &c.Modifiers, &c.Disease,
		&old.DonorID, &old.GivenOn, &old.WithdrawnOn, &old.Permission, &old.Modifiers, &old.Disease}, func() error {
		old.ExternalID = c.ExternalID
		v := domain.NewValidation("")
		c.CheckChange(v, &old)
		im.ruleErrors(src, line, v)
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: import: check consent changes: %w", err)
	}
	return nil
}

// withdrawalSourcesSQL selects the staged withdrawals whose unit is not
// their sample's, and those that take material (domain.Withdrawal's
// TakesMaterial: new, moved to another sample, or larger, and not retired)
// from a sample in a status of $1 (without material) before or after the
// import: the candidates of domain.Withdrawal.CheckSource, which decides
// what the two statuses allow. Withdrawals of samples that are unknown or
// invalid themselves are left to those errors.
const withdrawalSourcesSQL = `SELECT src, line, sample, coalesce(sample_unit, ''), coalesce(sample_status, ''), coalesce(sample_status_before, ''),
	       coalesce(quantity_unit, ''), (quantity * 1000)::bigint, sample_id::text, retired, is_new,
	       coalesce(old_sample_id::text, ''), coalesce((old_quantity * 1000)::bigint, 0)
	  FROM res_withdrawal
	 WHERE ok AND sample_ok AND sample_id IS NOT NULL
	   AND (sample_unit IS NULL OR quantity_unit IS DISTINCT FROM sample_unit
	        OR (sample_status = ANY($1) OR sample_status_before = ANY($1))
	           AND NOT retired AND (is_new OR sample_id IS DISTINCT FROM old_sample_id OR quantity > old_quantity))
	 ORDER BY src, line`

// checkWithdrawalSources refuses what domain.Withdrawal.CheckSource
// refuses: a withdrawal in another unit than its sample's, from a sample
// without a recorded quantity, or taking material from a sample that has
// none left.
func (im *importer) checkWithdrawalSources(ctx context.Context) error {
	if im.staged[domain.ImportWithdrawals] == 0 {
		return nil
	}
	rows, err := im.tx.Query(ctx, withdrawalSourcesSQL, domain.SampleStatusesWithoutMaterial)
	if err != nil {
		return fmt.Errorf("store: import: check withdrawals: %w", err)
	}
	var src int16
	var line int32
	var s domain.WithdrawalSource
	var w, old domain.Withdrawal
	var retired, isNew bool
	retiredAt := time.Time{}
	_, err = pgx.ForEachRow(rows, []any{&src, &line, &s.ExternalID, &s.Unit, &s.Status, &s.StatusBefore,
		&w.QuantityUnit, &w.Quantity, &w.SampleID, &retired, &isNew, &old.SampleID, &old.Quantity}, func() error {
		w.RetiredAt, old.RetiredAt = nil, nil
		if retired {
			w.RetiredAt, old.RetiredAt = &retiredAt, &retiredAt
		}
		prev := &old
		if isNew {
			prev = nil
		}
		v := domain.NewValidation("")
		w.CheckSource(v, prev, s)
		im.ruleErrors(src, line, v)
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: import: check withdrawals: %w", err)
	}
	return nil
}

// unitChangesSQL finds the changed staged samples whose new unit is not
// that of a withdrawal recorded in Databank which the import leaves alone
// (only a changed sample can change its unit), with the smallest such
// unit, as UpdateSample finds it.
const unitChangesSQL = `SELECT r.src, r.line, r.external_id, coalesce(r.quantity_unit, ''), w.unit
	   FROM res_sample_ref r
	   JOIN LATERAL (SELECT min(w.quantity_unit) AS unit FROM withdrawal w
	                  WHERE w.sample_id = r.id AND w.retired_at IS NULL AND w.quantity_unit IS DISTINCT FROM r.quantity_unit
	                    AND NOT EXISTS (SELECT 1 FROM res_withdrawal x WHERE x.id = w.id)) w ON w.unit IS NOT NULL
	  WHERE r.ok AND r.changed
	  ORDER BY r.src, r.line`

// checkUnitChanges refuses, as domain.UnitFixedByWithdrawals words it, a
// sample's new unit while withdrawals stand in another.
func (im *importer) checkUnitChanges(ctx context.Context) error {
	if im.staged[domain.ImportSamples] == 0 {
		return nil
	}
	rows, err := im.tx.Query(ctx, unitChangesSQL)
	if err != nil {
		return fmt.Errorf("store: import: check unit changes: %w", err)
	}
	var src int16
	var line int32
	var sample, unit, recorded string
	_, err = pgx.ForEachRow(rows, []any{&src, &line, &sample, &unit, &recorded}, func() error {
		v := domain.NewValidation("")
		domain.UnitFixedByWithdrawals(v, sample, unit, recorded)
		im.ruleErrors(src, line, v)
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: import: check unit changes: %w", err)
	}
	return nil
}

// checkNewDatasets refuses the ids of datasets a file manifest would
// create by naming them that domain.CheckDatasetID refuses (a dataset
// created from datasets.csv or a mutation is checked by Dataset.Validate,
// which uses the same rule). Ids of the wrong shape were refused when the
// manifest was read. New datasets are few: their distinct ids are judged
// in Go, then the rows naming a refused one are found in one statement.
func (im *importer) checkNewDatasets(ctx context.Context) error {
	if im.staged[domain.ImportFiles] == 0 {
		return nil
	}
	rows, err := im.tx.Query(ctx, "SELECT DISTINCT ext FROM res_file_dataset WHERE dataset_id IS NULL")
	if err != nil {
		return fmt.Errorf("store: import: check new datasets: %w", err)
	}
	exts, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("store: import: check new datasets: %w", err)
	}
	refused := map[string]*domain.Validation{}
	var refusedIDs []string
	for _, ext := range exts {
		v := domain.NewValidation("")
		domain.CheckDatasetID(v, ext)
		if len(v.Fields) > 0 && domain.IsExternalID(ext) {
			refused[ext] = v
			refusedIDs = append(refusedIDs, ext)
		}
	}
	if len(refusedIDs) == 0 {
		return nil
	}
	rows, err = im.tx.Query(ctx, "SELECT src, line, ext FROM res_file_dataset WHERE dataset_id IS NULL AND ext = ANY($1) ORDER BY src, line", refusedIDs)
	if err != nil {
		return fmt.Errorf("store: import: check new datasets: %w", err)
	}
	var src int16
	var line int32
	var ext string
	_, err = pgx.ForEachRow(rows, []any{&src, &line, &ext}, func() error {
		im.ruleErrors(src, line, refused[ext])
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: import: check new datasets: %w", err)
	}
	return nil
}
