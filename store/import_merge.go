package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"databank/domain"
)

// The merge step writes the resolved rows, kind by kind in dependency
// order: new rows are inserted with their new ids, and only rows that
// really differ are updated (the update repeats the IS DISTINCT FROM test),
// so that the change_log trigger records exactly the changes and an
// unchanged file writes nothing. Nothing is ever deleted. $1 is the actor.

// mergeStep is one kind's statements: the update runs first (it must not
// see the rows just inserted), then the insert.
type mergeStep struct {
	kind   domain.ImportKind
	update string
	insert string
	after  func(ctx context.Context, im *importer) error
}

var mergeSteps = []mergeStep{
	{
		kind: domain.ImportBiobanks,
		update: `UPDATE biobank t SET name = r.name, country = r.country, contact = r.contact, updated_by = $1, updated_at = now()
			FROM res_biobank r WHERE r.changed AND t.id = r.id
			 AND (t.name, t.country, t.contact) IS DISTINCT FROM (r.name, r.country, r.contact)`,
		insert: `INSERT INTO biobank (id, code, name, country, contact, created_by, updated_by)
			SELECT id, code, name, country, contact, $1, $1 FROM res_biobank WHERE is_new`,
	},
	{
		kind: domain.ImportStudies,
		update: `UPDATE study t SET title = r.title, principal_investigator = r.principal_investigator, ethics_approval = r.ethics_approval,
			       ega_accession = r.ega_accession, updated_by = $1, updated_at = now()
			FROM res_study r WHERE r.changed AND t.id = r.id
			 AND (t.title, t.principal_investigator, t.ethics_approval, t.ega_accession)
			     IS DISTINCT FROM (r.title, r.principal_investigator, r.ethics_approval, r.ega_accession)`,
		insert: `INSERT INTO study (id, external_id, title, principal_investigator, ethics_approval, ega_accession, created_by, updated_by)
			SELECT id, external_id, title, principal_investigator, ethics_approval, ega_accession, $1, $1 FROM res_study WHERE is_new`,
	},
	{
		kind: domain.ImportDatasets,
		update: `UPDATE dataset t SET title = r.title, version = r.version, data_use = r.data_use, data_access_committee = r.data_access_committee,
			       description = r.description, updated_by = $1, updated_at = now()
			FROM res_dataset r WHERE r.changed AND t.id = r.id
			 AND (t.title, t.version, t.data_use, t.data_access_committee, t.description)
			     IS DISTINCT FROM (r.title, r.version, r.data_use, r.data_access_committee, r.description)`,
		insert: `INSERT INTO dataset (id, external_id, title, version, data_use, data_access_committee, description, created_by, updated_by)
			SELECT id, external_id, title, version, data_use, data_access_committee, description, $1, $1 FROM res_dataset WHERE is_new`,
	},
	{
		kind: domain.ImportDonors,
		update: `UPDATE donor t SET sex = r.sex, birth_year = r.birth_year, vital_status = r.vital_status, updated_by = $1, updated_at = now()
			FROM res_donor r WHERE r.changed AND t.id = r.id
			 AND (t.sex, t.birth_year, t.vital_status) IS DISTINCT FROM (r.sex, r.birth_year, r.vital_status)`,
		insert: `INSERT INTO donor (id, biobank_id, external_id, sex, birth_year, vital_status, created_by, updated_by)
			SELECT id, biobank_id, external_id, sex, birth_year, vital_status, $1, $1 FROM res_donor WHERE is_new`,
	},
	{
		kind: domain.ImportConsents,
		update: `UPDATE consent t SET withdrawn_on = r.withdrawn_on, document_ref = r.document_ref, updated_by = $1, updated_at = now()
			FROM res_consent r WHERE r.changed AND t.id = r.id
			 AND (t.withdrawn_on, t.document_ref) IS DISTINCT FROM (r.withdrawn_on, r.document_ref)`,
		// New consents arrive already linked to the consent that
		// supersedes them (the order supersede uses), so that creating a
		// consent is not also logged as a change; supersede then relinks
		// the donors' existing consents.
		insert: `INSERT INTO consent (id, biobank_id, donor_id, external_id, given_on, withdrawn_on, permission, modifiers, disease,
			       document_ref, superseded_by, created_by, updated_by)
			SELECT r.id, r.biobank_id, r.donor_id, r.external_id, r.given_on, r.withdrawn_on, r.permission, r.modifiers, r.disease,
			       r.document_ref, n.next_id, $1, $1
			  FROM res_consent r LEFT JOIN (
			       SELECT c.id, lead(c.id) OVER (` + consentHistory + `) AS next_id FROM (
			              SELECT id, donor_id, given_on FROM consent
			               WHERE retired_at IS NULL AND donor_id IN (SELECT donor_id FROM res_consent WHERE is_new)
			              UNION ALL
			              SELECT id, donor_id, given_on FROM res_consent WHERE is_new) c) n ON n.id = r.id
			 WHERE r.is_new`,
		after: supersedeImported,
	},
	{
		kind: domain.ImportDiagnoses,
		update: `UPDATE diagnosis t SET diagnosed_on = r.diagnosed_on, age_at_diagnosis = r.age_at_diagnosis, updated_by = $1, updated_at = now()
			FROM res_diagnosis r WHERE r.changed AND t.id = r.id
			 AND (t.diagnosed_on, t.age_at_diagnosis) IS DISTINCT FROM (r.diagnosed_on, r.age_at_diagnosis)`,
		insert: `INSERT INTO diagnosis (id, donor_id, code, diagnosed_on, age_at_diagnosis, created_by, updated_by)
			SELECT id, donor_id, code, diagnosed_on, age_at_diagnosis, $1, $1 FROM res_diagnosis WHERE is_new`,
	},
	{
		// withdrawn is set from the import's totals, so that a new
		// registry remainder and the withdrawals it allows arrive together.
		kind: domain.ImportSamples,
		update: `UPDATE sample t SET donor_id = r.donor_id, parent_id = r.parent_id, material_type = r.material_type,
			       anatomical_site = r.anatomical_site, collected_on = r.collected_on, storage_temperature = r.storage_temperature,
			       initial_quantity = r.initial_quantity, registered_remaining = r.registered_remaining, quantity_unit = r.quantity_unit,
			       status = r.status, withdrawn = coalesce(w.total, 0), updated_by = $1, updated_at = now()
			FROM res_sample r LEFT JOIN res_withdrawn w ON w.sample_id = r.id
			WHERE r.changed AND t.id = r.id
			 AND (t.donor_id, t.parent_id, t.material_type, t.anatomical_site, t.collected_on, t.storage_temperature,
			      t.initial_quantity, t.registered_remaining, t.quantity_unit, t.status)
			     IS DISTINCT FROM (r.donor_id, r.parent_id, r.material_type, r.anatomical_site, r.collected_on, r.storage_temperature,
			      r.initial_quantity, r.registered_remaining, r.quantity_unit, r.status)`,
		insert: `INSERT INTO sample (id, biobank_id, external_id, donor_id, parent_id, material_type, anatomical_site, collected_on,
			       storage_temperature, initial_quantity, registered_remaining, withdrawn, quantity_unit, status, created_by, updated_by)
			SELECT r.id, r.biobank_id, r.external_id, r.donor_id, r.parent_id, r.material_type, r.anatomical_site, r.collected_on,
			       r.storage_temperature, r.initial_quantity, r.registered_remaining, coalesce(w.total, 0), r.quantity_unit, r.status, $1, $1
			  FROM res_sample r LEFT JOIN res_withdrawn w ON w.sample_id = r.id WHERE r.is_new`,
	},
	{
		kind: domain.ImportWithdrawals,
		update: `UPDATE withdrawal t SET sample_id = r.sample_id, study_id = r.study_id, quantity = r.quantity, quantity_unit = r.quantity_unit,
			       withdrawn_on = r.withdrawn_on, recipient = r.recipient, data_return_required = r.data_return_required,
			       data_return_due = r.data_return_due, updated_by = $1, updated_at = now()
			FROM res_withdrawal r WHERE r.changed AND t.id = r.id
			 AND (t.sample_id, t.study_id, t.quantity, t.quantity_unit, t.withdrawn_on, t.recipient, t.data_return_required, t.data_return_due)
			     IS DISTINCT FROM (r.sample_id, r.study_id, r.quantity, r.quantity_unit, r.withdrawn_on, r.recipient,
			      r.data_return_required, r.data_return_due)`,
		insert: `INSERT INTO withdrawal (id, biobank_id, external_id, sample_id, study_id, quantity, quantity_unit, withdrawn_on, recipient,
			       data_return_required, data_return_due, created_by, updated_by)
			SELECT id, biobank_id, external_id, sample_id, study_id, quantity, quantity_unit, withdrawn_on, recipient,
			       data_return_required, data_return_due, $1, $1 FROM res_withdrawal WHERE is_new`,
		after: recomputeImported,
	},
	{
		kind: domain.ImportFiles,
		update: `UPDATE data_file t SET external_id = r.external_id, format = r.format, assay = r.assay, assembly = r.assembly, size = r.size,
			       md5 = r.md5, sha256 = r.sha256, location = r.location, study_id = r.study_id, withdrawal_id = r.withdrawal_id,
			       updated_by = $1, updated_at = now()
			FROM res_file r WHERE r.changed AND t.id = r.id
			 AND (t.external_id, t.format, t.assay, t.assembly, t.size, t.md5, t.sha256, t.location, t.study_id, t.withdrawal_id)
			     IS DISTINCT FROM (r.external_id, r.format, r.assay, r.assembly, r.size, r.md5, r.sha256, r.location, r.study_id, r.withdrawal_id)`,
		insert: `INSERT INTO data_file (id, external_id, format, assay, assembly, size, md5, sha256, location, study_id, withdrawal_id,
			       created_by, updated_by)
			SELECT id, external_id, format, assay, assembly, size, md5, sha256, location, study_id, withdrawal_id, $1, $1
			  FROM res_file WHERE is_new`,
		after: linkImportedFiles,
	},
}

// merge writes every kind and returns the rows inserted and updated per
// kind.
func (im *importer) merge(ctx context.Context) (created, updated map[domain.ImportKind]int, err error) {
	created, updated = map[domain.ImportKind]int{}, map[domain.ImportKind]int{}
	for _, m := range mergeSteps {
		if im.staged[m.kind] == 0 {
			continue
		}
		im.progress(ImportProgress{Phase: PhaseWrite, Kind: m.kind})
		if m.kind == domain.ImportFiles {
			if err := im.tx.QueryRow(ctx, "SELECT count(*) FROM res_file WHERE changed AND NOT is_new").Scan(&im.changedFiles); err != nil {
				return nil, nil, im.mergeError(m.kind, err)
			}
		}
		tag, err := im.tx.Exec(ctx, m.update, im.actor)
		if err != nil {
			return nil, nil, im.mergeError(m.kind, err)
		}
		updated[m.kind] = int(tag.RowsAffected())
		tag, err = im.tx.Exec(ctx, m.insert, im.actor)
		if err != nil {
			return nil, nil, im.mergeError(m.kind, err)
		}
		created[m.kind] = int(tag.RowsAffected())
		if m.after != nil {
			if err := m.after(ctx, im); err != nil {
				return nil, nil, im.mergeError(m.kind, err)
			}
		}
	}
	return created, updated, nil
}

// mergeError explains a failure to write rows that passed every check:
// most likely a concurrent change made outside imports.
func (im *importer) mergeError(kind domain.ImportKind, err error) error {
	err = translate(err, "import "+string(kind))
	if de, ok := err.(*domain.Error); ok && de.Code != domain.EINTERNAL {
		return &domain.Error{Code: de.Code, Message: fmt.Sprintf("import of %s failed, nothing was written: %s", kind, de.Message), Err: de}
	}
	return err
}

// supersedeImported links, for every donor with an imported consent,
// each consent to the next one, so that exactly the latest is current.
func supersedeImported(ctx context.Context, im *importer) error {
	// Only a new consent changes the order of a donor's consents: terms
	// (given_on among them) never change, and imports retire nothing. A
	// donor the import creates has only the import's consents, linked as
	// they were inserted, and nobody else can see it yet.
	return supersedeSelected(ctx, im.tx, `SELECT c.donor_id FROM res_consent c WHERE c.donor_id IS NOT NULL AND c.is_new
		AND NOT EXISTS (SELECT 1 FROM res_donor d WHERE d.id = c.donor_id AND d.is_new)`, im.actor)
}

// recomputeImported recomputes the withdrawn total of every sample whose
// withdrawals the import touched, from the withdrawal rows themselves, so
// that each withdrawal counts exactly once however often it is imported.
func recomputeImported(ctx context.Context, im *importer) error {
	// Changed samples too: their total was written from the import's
	// figures, which cannot know of withdrawals recorded meanwhile. New
	// samples are left out: every withdrawal of a sample created by this
	// import is one of its rows, already summed into the total the sample
	// was created with (res_withdrawn), and the biobank's lock keeps
	// anyone else from recording one. Unchanged withdrawals change no
	// total.
	ctx = domain.WithActor(ctx, domain.Actor{Name: im.actor})
	return recomputeSelected(ctx, im.tx, `SELECT w.sample_id FROM res_withdrawal w WHERE w.sample_id IS NOT NULL
		   AND (w.is_new OR w.changed) AND NOT w.sample_is_new
		UNION SELECT old_sample_id FROM res_withdrawal WHERE old_sample_id IS NOT NULL AND changed
		UNION SELECT id FROM res_sample_ref WHERE changed`)
}

// linkImportedFiles adds the files' samples (with their names inside the
// file) and datasets. Links are only added or renamed, never removed. A
// dataset a manifest names that exists nowhere yet is created, titled by
// its id, for staff to describe later.
func linkImportedFiles(ctx context.Context, im *importer) error {
	if err := createManifestDatasets(ctx, im); err != nil {
		return err
	}
	_, err := im.tx.Exec(ctx, `INSERT INTO data_file_sample (data_file_id, sample_id, alias)
		SELECT DISTINCT ON (file_id, sample_id) file_id, sample_id, alias FROM res_file_sample ORDER BY file_id, sample_id, src, line
		ON CONFLICT (data_file_id, sample_id) DO UPDATE SET alias = excluded.alias WHERE data_file_sample.alias IS DISTINCT FROM excluded.alias`)
	if err != nil {
		return err
	}
	_, err = im.tx.Exec(ctx, `INSERT INTO dataset_file (dataset_id, data_file_id)
		SELECT DISTINCT dataset_id, file_id FROM res_file_dataset ON CONFLICT DO NOTHING`)
	return err
}

// createManifestDatasets creates the datasets that files name but that
// neither Databank nor the import holds.
func createManifestDatasets(ctx context.Context, im *importer) error {
	rows, err := im.tx.Query(ctx, "SELECT DISTINCT ext FROM res_file_dataset WHERE dataset_id IS NULL ORDER BY ext")
	if err != nil {
		return err
	}
	exts, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil || len(exts) == 0 {
		return err
	}
	ids := make([]uuid.UUID, len(exts))
	for i := range exts {
		ids[i] = newID()
	}
	if _, err := im.tx.Exec(ctx, `INSERT INTO dataset (id, external_id, title, created_by, updated_by)
		SELECT x.id, x.ext, x.ext, $3, $3 FROM unnest($1::uuid[], $2::text[]) AS x(id, ext)`, ids, exts, im.actor); err != nil {
		return err
	}
	_, err = im.tx.Exec(ctx, `UPDATE res_file_dataset r SET dataset_id = d.id FROM dataset d WHERE r.dataset_id IS NULL AND d.external_id = r.ext`)
	return err
}
