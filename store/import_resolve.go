package store

import (
	"context"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"

	"databank/domain"
)

// The resolve step turns each staging table imp_X into res_X: the staged
// rows with the ids they refer to looked up by external id, in the
// database and among the staged rows (so a row may refer to one later in
// the same file or bundle); the row's own final id (the existing record's
// id, or the new id made for it); is_new; and changed, whether the row
// differs from the record it would update. Everything is set-based: one
// statement per kind, whatever the number of rows.

// maxBiobankCodes bounds the biobank codes collected while reading;
// beyond it, bbkSQL finds them in the staging tables.
const maxBiobankCodes = 10000

// noteBiobank remembers the biobank code of a staged row.
func (im *importer) noteBiobank(row *domain.ImportRow) {
	code := row.Ref.Biobank
	if row.Biobank.Code != "" {
		code = row.Biobank.Code
	}
	if code == "" || im.codes == nil {
		return
	}
	if _, ok := im.codes[code]; !ok {
		if len(im.codes) >= maxBiobankCodes {
			im.codes = nil
			return
		}
		im.codes[code] = struct{}{}
	}
}

// bbkSQL collects every biobank code of the import from the staging
// tables, when there were too many to remember while reading; the resolve
// step fills in their ids once the locks are held.
const bbkSQL = `CREATE UNLOGGED TABLE imp_bbk AS
SELECT code, NULL::uuid AS id FROM (
	      SELECT code FROM imp_biobank
	UNION SELECT biobank FROM imp_donor
	UNION SELECT biobank FROM imp_consent
	UNION SELECT biobank FROM imp_diagnosis
	UNION SELECT biobank FROM imp_sample
	UNION SELECT biobank FROM imp_withdrawal
	UNION SELECT biobank FROM imp_file WHERE biobank IS NOT NULL) c`

// resolveSQL lists the statements of the resolve step in order.
var resolveSQL = []string{
	`CREATE UNLOGGED TABLE res_biobank AS
	SELECT s.src, s.line, s.ok, s.code, coalesce(t.id, s.new_id) AS id, t.id IS NULL AS is_new,
	       t.id IS NOT NULL AND (t.name, t.country, t.contact) IS DISTINCT FROM (s.name, s.country, s.contact) AS changed,
	       s.name, s.country, s.contact
	  FROM imp_biobank s LEFT JOIN biobank t ON t.code = s.code`,

	`UPDATE imp_bbk b SET id = coalesce(
		(SELECT t.id FROM biobank t WHERE t.code = b.code),
		(SELECT r.id FROM res_biobank r WHERE r.code = b.code ORDER BY r.src, r.line LIMIT 1))`,

	`CREATE UNLOGGED TABLE res_study AS
	SELECT s.src, s.line, s.ok, s.external_id, coalesce(t.id, s.new_id) AS id, t.id IS NULL AS is_new,
	       t.id IS NOT NULL AND (t.title, t.principal_investigator, t.ethics_approval, t.ega_accession)
	           IS DISTINCT FROM (s.title, s.principal_investigator, s.ethics_approval, s.ega_accession) AS changed,
	       s.title, s.principal_investigator, s.ethics_approval, s.ega_accession
	  FROM imp_study s LEFT JOIN study t ON t.external_id = s.external_id`,

	`CREATE UNLOGGED TABLE res_dataset AS
	SELECT s.src, s.line, s.ok, s.external_id, coalesce(t.id, s.new_id) AS id, t.id IS NULL AS is_new,
	       t.id IS NOT NULL AND (t.title, t.version, t.data_use, t.data_access_committee, t.description)
	           IS DISTINCT FROM (s.title, s.version, s.data_use, s.data_access_committee, s.description) AS changed,
	       s.title, s.version, s.data_use, s.data_access_committee, s.description
	  FROM imp_dataset s LEFT JOIN dataset t ON t.external_id = s.external_id`,

	`CREATE UNLOGGED TABLE res_donor AS
	SELECT s.src, s.line, s.ok, s.biobank, s.external_id, b.id AS biobank_id, coalesce(t.id, s.new_id) AS id, t.id IS NULL AS is_new,
	       t.id IS NOT NULL AND (t.sex, t.birth_year, t.vital_status) IS DISTINCT FROM (s.sex, s.birth_year, s.vital_status) AS changed,
	       s.sex, s.birth_year, s.vital_status
	  FROM imp_donor s JOIN imp_bbk b ON b.code = s.biobank
	  LEFT JOIN donor t ON t.biobank_id = b.id AND t.external_id = s.external_id`,

	`CREATE UNLOGGED TABLE res_consent AS
	SELECT x.*, coalesce(t.id, x.new_id) AS id, t.id IS NULL AS is_new,
	       t.id IS NOT NULL AND (t.withdrawn_on, t.document_ref) IS DISTINCT FROM (x.withdrawn_on, x.document_ref) AS changed,
	       t.donor_id AS old_donor_id, t.given_on AS old_given_on, t.withdrawn_on AS old_withdrawn_on, t.permission AS old_permission,
	       t.modifiers AS old_modifiers, t.disease AS old_disease
	  FROM (SELECT s.src, s.line, s.ok, s.new_id, s.biobank, s.donor, s.external_id, s.given_on, s.withdrawn_on, s.permission,
	               s.modifiers, s.disease, s.document_ref, b.id AS biobank_id, coalesce(d.id, rd.id) AS donor_id
	          FROM imp_consent s JOIN imp_bbk b ON b.code = s.biobank
	          LEFT JOIN res_donor rd ON rd.biobank = s.biobank AND rd.external_id = s.donor
	          LEFT JOIN donor d ON d.biobank_id = b.id AND d.external_id = s.donor) x
	  LEFT JOIN consent t ON t.biobank_id = x.biobank_id AND t.external_id = x.external_id`,

	`CREATE UNLOGGED TABLE res_diagnosis AS
	SELECT x.*, coalesce(t.id, x.new_id) AS id, t.id IS NULL AS is_new,
	       t.id IS NOT NULL AND (t.diagnosed_on, t.age_at_diagnosis) IS DISTINCT FROM (x.diagnosed_on, x.age_at_diagnosis) AS changed
	  FROM (SELECT s.src, s.line, s.ok, s.new_id, s.biobank, s.donor, s.code, s.diagnosed_on, s.age_at_diagnosis,
	               b.id AS biobank_id, coalesce(d.id, rd.id) AS donor_id
	          FROM imp_diagnosis s JOIN imp_bbk b ON b.code = s.biobank
	          LEFT JOIN res_donor rd ON rd.biobank = s.biobank AND rd.external_id = s.donor
	          LEFT JOIN donor d ON d.biobank_id = b.id AND d.external_id = s.donor) x
	  LEFT JOIN diagnosis t ON t.donor_id = x.donor_id AND t.code = x.code`,

	// A parent may be a sample in the database or a staged row; a staged
	// row that exists keeps its database id, so the parent's final id is
	// the database id when there is one, else the staged row's new id.
	// Only the columns later statements read are kept: a million rows of
	// this table are written once and read several times.
	`CREATE UNLOGGED TABLE res_sample AS
	SELECT x.src, x.line, x.ok, x.biobank, x.external_id, x.donor, x.parent, x.biobank_id, x.donor_id, x.parent_id,
	       x.parent_same_donor, x.material_type, x.anatomical_site, x.collected_on, x.storage_temperature,
	       x.initial_quantity, x.registered_remaining, x.quantity_unit, x.status,
	       coalesce(t.id, x.new_id) AS id, t.id IS NULL AS is_new, t.parent_id AS old_parent_id,
	       t.id IS NOT NULL AND (t.donor_id, t.parent_id, t.material_type, t.anatomical_site, t.collected_on, t.storage_temperature,
	                             t.initial_quantity, t.registered_remaining, t.quantity_unit, t.status)
	           IS DISTINCT FROM (x.donor_id, x.parent_id, x.material_type, x.anatomical_site, x.collected_on, x.storage_temperature,
	                             x.initial_quantity, x.registered_remaining, x.quantity_unit, x.status) AS changed
	  FROM (SELECT s.src, s.line, s.ok, s.new_id, s.biobank, s.external_id, s.donor, s.parent, b.id AS biobank_id,
	               coalesce(d.id, rd.id) AS donor_id,
	               coalesce(pt.id, ps.new_id) AS parent_id,
	               CASE WHEN ps.line IS NOT NULL THEN ps.donor = s.donor
	                    WHEN pt.id IS NOT NULL THEN pt.donor_id = coalesce(d.id, rd.id) END AS parent_same_donor,
	               s.material_type, s.anatomical_site, s.collected_on, s.storage_temperature,
	               (s.initial_quantity / 1000.0)::numeric(15,3) AS initial_quantity,
	               (s.registered_remaining / 1000.0)::numeric(15,3) AS registered_remaining, s.quantity_unit, s.status
	          FROM imp_sample s JOIN imp_bbk b ON b.code = s.biobank
	          LEFT JOIN res_donor rd ON rd.biobank = s.biobank AND rd.external_id = s.donor
	          LEFT JOIN donor d ON d.biobank_id = b.id AND d.external_id = s.donor
	          LEFT JOIN sample pt ON pt.biobank_id = b.id AND pt.external_id = s.parent
	          LEFT JOIN imp_sample ps ON ps.biobank = s.biobank AND ps.external_id = s.parent) x
	  LEFT JOIN sample t ON t.biobank_id = x.biobank_id AND t.external_id = x.external_id`,

	// The staged samples that withdrawals and file links name, or that
	// changed: the only ones later statements look up among the staged
	// samples, so that each joins a few rows instead of all of them. (A
	// withdrawal moved away from a sample leaves it a smaller total; if
	// that sample is staged unchanged, the database holds the same
	// figures.) The keys come first, in a table of their own, so that the
	// pass over the staged samples can run in parallel.
	`CREATE UNLOGGED TABLE res_sample_keys AS
	SELECT biobank, sample AS ext FROM imp_withdrawal
	 UNION SELECT f.biobank, x.ext FROM imp_file f CROSS JOIN LATERAL unnest(f.sample_ids) AS x(ext)`,

	`CREATE UNLOGGED TABLE res_sample_ref AS
	SELECT rs.src, rs.line, rs.ok, rs.biobank, rs.external_id, rs.id, rs.is_new, rs.changed, rs.quantity_unit, rs.registered_remaining,
	       rs.status
	  FROM res_sample rs LEFT JOIN res_sample_keys k ON k.biobank = rs.biobank AND k.ext = rs.external_id
	 WHERE rs.changed OR k.ext IS NOT NULL`,

	`CREATE UNLOGGED TABLE res_withdrawal AS
	SELECT x.*, coalesce(t.id, x.new_id) AS id, t.id IS NULL AS is_new, t.sample_id AS old_sample_id, t.quantity AS old_quantity,
	       coalesce(t.retired_at IS NOT NULL, false) AS retired,
	       t.id IS NOT NULL AND (t.sample_id, t.study_id, t.quantity, t.quantity_unit, t.withdrawn_on, t.recipient,
	                             t.data_return_required, t.data_return_due)
	           IS DISTINCT FROM (x.sample_id, x.study_id, x.quantity, x.quantity_unit, x.withdrawn_on, x.recipient,
	                             x.data_return_required, x.data_return_due) AS changed
	  FROM (SELECT s.src, s.line, s.ok, s.new_id, s.biobank, s.external_id, s.sample, s.study,
	               (s.quantity / 1000.0)::numeric(15,3) AS quantity, s.quantity_unit,
	               s.withdrawn_on, s.recipient, s.data_return_required, s.data_return_due, b.id AS biobank_id,
	               coalesce(sp.id, rs.id) AS sample_id,
	               CASE WHEN rs.line IS NOT NULL THEN rs.quantity_unit ELSE sp.quantity_unit END AS sample_unit,
	               CASE WHEN rs.line IS NOT NULL THEN rs.status ELSE sp.status END AS sample_status,
	               sp.status AS sample_status_before,
	               coalesce(rs.ok, true) AS sample_ok, coalesce(rs.is_new, false) AS sample_is_new,
	               coalesce(st.id, rst.id) AS study_id
	          FROM imp_withdrawal s JOIN imp_bbk b ON b.code = s.biobank
	          LEFT JOIN res_sample_ref rs ON rs.biobank = s.biobank AND rs.external_id = s.sample
	          LEFT JOIN sample sp ON sp.biobank_id = b.id AND sp.external_id = s.sample
	          LEFT JOIN res_study rst ON rst.external_id = s.study
	          LEFT JOIN study st ON st.external_id = s.study) x
	  LEFT JOIN withdrawal t ON t.biobank_id = x.biobank_id AND t.external_id = x.external_id`,

	// The withdrawn total of every sample whose total may change: samples
	// of staged withdrawals (before and after), and changed samples. The
	// staged withdrawals replace their database versions.
	`CREATE UNLOGGED TABLE res_withdrawn AS
	WITH affected AS (
		      SELECT sample_id AS id FROM res_withdrawal WHERE sample_id IS NOT NULL
		UNION SELECT old_sample_id FROM res_withdrawal WHERE old_sample_id IS NOT NULL
		UNION SELECT id FROM res_sample_ref WHERE changed)
	SELECT a.sample_id, sum(a.quantity) AS total FROM (
		SELECT sample_id, quantity FROM res_withdrawal
		 WHERE sample_id IS NOT NULL AND quantity IS NOT NULL AND NOT retired AND quantity_unit IS NOT DISTINCT FROM sample_unit
		UNION ALL
		SELECT w.sample_id, w.quantity FROM withdrawal w
		 WHERE w.retired_at IS NULL AND w.sample_id IN (SELECT id FROM affected)
		   AND NOT EXISTS (SELECT 1 FROM res_withdrawal r WHERE r.id = w.id)) a
	 GROUP BY a.sample_id`,

	// A file is the record with its file id, else the one with its
	// sha256: registering the same content again updates it.
	`CREATE UNLOGGED TABLE res_file AS
	SELECT x.*, coalesce(x.by_id, x.by_sha, x.new_id) AS id, x.by_id IS NULL AND x.by_sha IS NULL AS is_new,
	       t.id IS NOT NULL AND (t.external_id, t.format, t.assay, t.assembly, t.size, t.md5, t.sha256, t.location, t.study_id, t.withdrawal_id)
	           IS DISTINCT FROM (x.external_id, x.format, x.assay, x.assembly, x.size, x.md5, x.sha256, x.location, x.study_id, x.withdrawal_id)
	           AS changed
	  FROM (SELECT s.*, b.id AS biobank_id, te.id AS by_id, th.id AS by_sha, th.external_id AS sha_owner,
	               coalesce(st.id, rst.id) AS study_id, coalesce(wt.id, rw.id) AS withdrawal_id
	          FROM imp_file s LEFT JOIN imp_bbk b ON b.code = s.biobank
	          LEFT JOIN data_file te ON te.external_id = s.external_id
	          LEFT JOIN data_file th ON th.sha256 = s.sha256
	          LEFT JOIN res_study rst ON rst.external_id = s.study
	          LEFT JOIN study st ON st.external_id = s.study
	          LEFT JOIN res_withdrawal rw ON rw.biobank = s.biobank AND rw.external_id = s.withdrawal
	          LEFT JOIN withdrawal wt ON wt.biobank_id = b.id AND wt.external_id = s.withdrawal) x
	  LEFT JOIN data_file t ON t.id = coalesce(x.by_id, x.by_sha)`,

	`CREATE UNLOGGED TABLE res_file_sample AS
	SELECT r.src, r.line, r.id AS file_id, r.biobank_id, x.ext, x.alias, coalesce(sp.id, rs.id) AS sample_id
	  FROM res_file r CROSS JOIN LATERAL unnest(r.sample_ids, r.aliases) AS x(ext, alias)
	  LEFT JOIN res_sample_ref rs ON rs.biobank = r.biobank AND rs.external_id = x.ext
	  LEFT JOIN sample sp ON sp.biobank_id = r.biobank_id AND sp.external_id = x.ext`,

	`CREATE UNLOGGED TABLE res_file_dataset AS
	SELECT r.src, r.line, r.id AS file_id, x.ext, coalesce(d.id, rd.id) AS dataset_id
	  FROM res_file r CROSS JOIN LATERAL unnest(r.datasets) AS x(ext)
	  LEFT JOIN res_dataset rd ON rd.external_id = x.ext
	  LEFT JOIN dataset d ON d.external_id = x.ext`,

	// A file whose record is unchanged but gains a sample, a sample name
	// or a dataset is updated too.
	`UPDATE res_file r SET changed = true
	  WHERE NOT r.is_new AND NOT r.changed AND (
		EXISTS (SELECT 1 FROM res_file_sample l WHERE l.file_id = r.id AND l.sample_id IS NOT NULL AND NOT EXISTS (
			SELECT 1 FROM data_file_sample d WHERE d.data_file_id = l.file_id AND d.sample_id = l.sample_id AND d.alias = l.alias))
		OR EXISTS (SELECT 1 FROM res_file_dataset l WHERE l.file_id = r.id AND l.dataset_id IS NOT NULL AND NOT EXISTS (
			SELECT 1 FROM dataset_file d WHERE d.data_file_id = l.file_id AND d.dataset_id = l.dataset_id)))`,
}

// resolve runs the resolve step.
func (im *importer) resolve(ctx context.Context) error {
	for _, sql := range resolveSQL {
		if _, err := im.tx.Exec(ctx, im.scratch.ddl(sql)); err != nil {
			return fmt.Errorf("store: import: resolve: %w", err)
		}
		// Statistics let the planner hash the joins of later statements
		// instead of sorting for merge joins on guessed sizes.
		table := ""
		if rest, ok := strings.CutPrefix(sql, unloggedPrefix); ok {
			table = strings.Fields(rest)[0]
		} else if strings.HasPrefix(sql, "UPDATE imp_bbk") {
			table = "imp_bbk"
		}
		if table != "" {
			if _, err := im.tx.Exec(ctx, "ANALYZE "+table); err != nil {
				return fmt.Errorf("store: import: resolve: %w", err)
			}
		}
	}
	return nil
}

// lockKeys returns the advisory locks the import needs, sorted: one per
// biobank it touches, and one per registry-wide kind it writes.
func (im *importer) lockKeys(ctx context.Context) ([]string, error) {
	var err error
	if im.codes != nil {
		codes := make([]string, 0, len(im.codes))
		for c := range im.codes {
			codes = append(codes, c)
		}
		_, err = im.tx.Exec(ctx, im.scratch.ddl(unloggedPrefix+"imp_bbk AS SELECT code, NULL::uuid AS id FROM unnest($1::text[]) AS code"), codes)
	} else {
		_, err = im.tx.Exec(ctx, im.scratch.ddl(bbkSQL))
	}
	if err != nil {
		return nil, fmt.Errorf("store: import: biobanks: %w", err)
	}
	rows, err := im.tx.Query(ctx, "SELECT code FROM imp_bbk")
	if err != nil {
		return nil, fmt.Errorf("store: import: biobanks: %w", err)
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("store: import: biobanks: %w", err)
	}
	keys := make([]string, 0, len(codes)+3)
	for _, c := range codes {
		keys = append(keys, "biobank:"+c)
	}
	for _, k := range []domain.ImportKind{domain.ImportStudies, domain.ImportDatasets, domain.ImportFiles} {
		if im.staged[k] > 0 {
			keys = append(keys, "registry:"+string(k))
		}
	}
	sort.Strings(keys)
	return keys, nil
}

// lock serialises imports that touch the same biobank (or the same
// registry-wide kind): each takes its transaction-scoped advisory locks in
// sorted order, so two imports wait for each other instead of deadlocking.
func (im *importer) lock(ctx context.Context) error {
	keys, err := im.lockKeys(ctx)
	if err != nil {
		return err
	}
	for _, k := range keys {
		if _, err := im.tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", lockID(k)); err != nil {
			return translate(err, "import lock")
		}
	}
	return nil
}

// lockID maps a lock name to a 64-bit advisory lock key.
func lockID(name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("databank.import:" + name))
	return int64(h.Sum64())
}
