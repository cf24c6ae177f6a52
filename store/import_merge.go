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

// mergeHook writes what a kind's rows need besides their records.
type mergeHook func(ctx context.Context, im *importer) error

// merge writes every kind and returns the rows inserted and updated per
// kind.
func (im *importer) merge(ctx context.Context) (created, updated map[domain.ImportKind]int, err error) {
	created, updated = map[domain.ImportKind]int{}, map[domain.ImportKind]int{}
	for _, k := range importKinds {
		if im.staged[k.kind] == 0 {
			continue
		}
		im.progress(ImportProgress{Phase: PhaseWrite, Kind: k.kind})
		if k.kind == domain.ImportFiles {
			if err := im.tx.QueryRow(ctx, "SELECT count(*) FROM res_file WHERE changed AND NOT is_new").Scan(&im.changedFiles); err != nil {
				return nil, nil, im.mergeError(k.kind, err)
			}
		}
		// The update runs first: it must not see the rows just inserted.
		tag, err := im.tx.Exec(ctx, k.updateSQL(), im.actor)
		if err != nil {
			return nil, nil, im.mergeError(k.kind, err)
		}
		updated[k.kind] = int(tag.RowsAffected())
		tag, err = im.tx.Exec(ctx, k.insertSQL(), im.actor)
		if err != nil {
			return nil, nil, im.mergeError(k.kind, err)
		}
		created[k.kind] = int(tag.RowsAffected())
		if k.merged != nil {
			if err := k.merged(ctx, im); err != nil {
				return nil, nil, im.mergeError(k.kind, err)
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
	_, err := im.tx.Exec(ctx, `INSERT INTO data_file_sample (data_file_id, sample_id, alias, donor_id)
		SELECT DISTINCT ON (file_id, sample_id) file_id, sample_id, alias, (SELECT s.donor_id FROM sample s WHERE s.id = r.sample_id)
		FROM res_file_sample r ORDER BY file_id, sample_id, src, line
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
