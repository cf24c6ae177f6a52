package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"databank/domain"
)

// The check step finds, in SQL over the resolved tables, every error that
// needs more than one row to see: duplicates, references to records that
// exist neither in Databank nor in the import, consent terms that would
// change, lineage cycles and overdrawn samples. Each check returns
// (src, line, column, value, message) rows, so that every error still
// names its file, line and column.
//
// Where a business rule of the domain package applies, SQL only selects
// the few rows the rule may refuse, set-based, and the rule itself (the
// one mutations apply) judges each of them and words its error: the
// import and the mutations cannot drift apart (rules_parity_test.go runs
// the same cases through both).

// dupCheck is a duplicate key of a kind: rows of its staging table
// with the same key are refused.
type dupCheck struct {
	kind *importKind
	dupKey
}

// dupChecks lists the duplicate keys of every kind.
var dupChecks = func() []dupCheck {
	var out []dupCheck
	for _, k := range importKinds {
		for _, d := range k.dups {
			out = append(out, dupCheck{kind: k, dupKey: d})
		}
	}
	return out
}()

// checkDuplicates reports every row whose key an earlier row of the
// import already has. Only checks whose key hashes repeat while staging
// need SQL (see keyHashes).
func (im *importer) checkDuplicates(ctx context.Context) error {
	for i, d := range dupChecks {
		if !im.keys.mayRepeat(i) {
			continue
		}
		keys, table := strings.Join(d.cols, ", "), d.kind.stage()
		filter := "TRUE"
		if d.nonNull {
			filter = "(" + keys + ") IS NOT NULL"
		}
		sql := fmt.Sprintf(`WITH d AS MATERIALIZED (SELECT %[2]s FROM %[1]s WHERE %[3]s GROUP BY %[2]s HAVING count(*) > 1)
			SELECT src, line, %[4]s, first_value(src) OVER w, first_value(line) OVER w, row_number() OVER w
			  FROM %[1]s s JOIN d USING (%[2]s) WINDOW w AS (PARTITION BY %[2]s ORDER BY src, line)`, table, keys, filter, d.value)
		rows, err := im.tx.Query(ctx, sql)
		if err != nil {
			return fmt.Errorf("store: import: check duplicates in %s: %w", table, err)
		}
		var src, firstSrc int16
		var line, firstLine int32
		var value string
		var n int64
		_, err = pgx.ForEachRow(rows, []any{&src, &line, &value, &firstSrc, &firstLine, &n}, func() error {
			if n == 1 {
				return nil
			}
			where := "line " + strconv.Itoa(int(firstLine))
			if firstSrc != src {
				where = im.errs.names[firstSrc] + " " + where
			}
			im.errs.sqlError(src, line, d.column, value, fmt.Sprintf("duplicate: the same %s is already on %s of this import", d.what, where))
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: import: check duplicates in %s: %w", table, err)
		}
	}
	return nil
}

// scopeSQL refuses the rows of biobanks outside the importing staff
// member's scope ($1, upper-case codes), each on its line. A file row
// (its samples are of its biobank) also needs, when it changes a
// registered file, the biobanks of the samples that file holds and of the
// withdrawal it was registered with, and, when
// it adds the file to a dataset, the biobanks of the dataset's data; a
// dataset row that changes a registered dataset needs the biobanks of its
// data (the rule of service.actsForHolding), so that a file or dataset of
// another biobank is not taken over by importing its accession. Rows that
// change nothing need nothing more: a re-import stays possible.
const scopeSQL = `SELECT DISTINCT src, line, 'biobank', biobank,
	format('biobank %s is not one you act for (%s): its rows are not yours to import', biobank, array_to_string($1::text[], ', '))
  FROM (SELECT src, line, code AS biobank FROM res_biobank
	UNION ALL SELECT src, line, biobank FROM res_donor
	UNION ALL SELECT src, line, biobank FROM res_consent
	UNION ALL SELECT src, line, biobank FROM res_diagnosis
	UNION ALL SELECT src, line, biobank FROM res_sample
	UNION ALL SELECT src, line, biobank FROM res_withdrawal
	UNION ALL SELECT src, line, biobank FROM res_file WHERE biobank IS NOT NULL
	UNION ALL SELECT r.src, r.line, b.code FROM res_file r JOIN data_file_sample l ON l.data_file_id = r.id AND r.changed
		JOIN sample x ON x.id = l.sample_id JOIN biobank b ON b.id = x.biobank_id
	UNION ALL SELECT r.src, r.line, b.code FROM res_file r JOIN data_file d ON d.id = r.id AND r.changed
		JOIN withdrawal w ON w.id = d.withdrawal_id JOIN biobank b ON b.id = w.biobank_id
	UNION ALL SELECT d.src, d.line, b.code FROM res_file_dataset d JOIN dataset_file df ON df.dataset_id = d.dataset_id
		AND NOT EXISTS (SELECT 1 FROM dataset_file e WHERE e.dataset_id = d.dataset_id AND e.data_file_id = d.file_id)
		JOIN data_file_sample l ON l.data_file_id = df.data_file_id JOIN sample x ON x.id = l.sample_id JOIN biobank b ON b.id = x.biobank_id
	UNION ALL SELECT r.src, r.line, b.code FROM res_dataset r JOIN dataset_file df ON df.dataset_id = r.id AND r.changed
		JOIN data_file_sample l ON l.data_file_id = df.data_file_id JOIN sample x ON x.id = l.sample_id JOIN biobank b ON b.id = x.biobank_id) r
 WHERE upper(biobank) <> ALL($1::text[])`

// checkSQL lists the checks besides the references (refCheckSQL); each
// returns src, line, column, value, message.
var checkSQL = []string{
	// Withdrawals never exceed what the registry says is left.
	`WITH over AS (
		SELECT w.sample_id, w.total,
		       CASE WHEN rs.line IS NOT NULL THEN rs.registered_remaining ELSE sp.registered_remaining END AS registered,
		       coalesce(rs.external_id, sp.external_id) AS ext, coalesce(rs.quantity_unit, sp.quantity_unit, '') AS unit
		  FROM res_withdrawn w LEFT JOIN res_sample_ref rs ON rs.id = w.sample_id LEFT JOIN sample sp ON sp.id = w.sample_id)
	 SELECT r.src, r.line, 'quantity', trim_scale(r.quantity)::text,
	        format('the withdrawals from sample %s add up to %s %s, more than its remaining quantity of %s %s before withdrawals',
	               o.ext, trim_scale(o.total), o.unit, trim_scale(o.registered), o.unit)
	   FROM over o JOIN res_withdrawal r ON r.sample_id = o.sample_id
	  WHERE o.registered IS NOT NULL AND o.total > o.registered AND r.ok AND NOT r.retired
	 UNION ALL
	 SELECT rs.src, rs.line, 'registered_remaining', trim_scale(rs.registered_remaining)::text,
	        format('is less than the %s %s already withdrawn from sample %s in Databank', trim_scale(o.total), o.unit, o.ext)
	   FROM over o JOIN res_sample_ref rs ON rs.id = o.sample_id
	  WHERE o.registered IS NOT NULL AND o.total > o.registered AND rs.ok
	    AND NOT EXISTS (SELECT 1 FROM res_withdrawal r WHERE r.sample_id = o.sample_id AND r.ok AND NOT r.retired)`,

	// Studies: an EGA accession names one study.
	`SELECT r.src, r.line, 'accession', r.accession, format('EGA study accession already belongs to study %s', o.external_id)
	   FROM res_study r JOIN study o ON o.accession = r.accession AND o.external_id <> r.external_id`,

	// Files: the samples they hold exist, and one record per content.
	`SELECT src, line, 'sample_ids', ext, format('unknown sample of biobank %s: not in Databank and not in this import',
	        (SELECT biobank FROM res_file r WHERE r.src = l.src AND r.line = l.line LIMIT 1))
	   FROM res_file_sample l WHERE sample_id IS NULL AND biobank_id IS NOT NULL
	 UNION ALL
	 SELECT src, line, 'sha256', sha256,
	        format('this content is already registered as file %s; the same content cannot be two files (to rename the file, give its new file_id with the same sha256 alone)', sha_owner)
	   FROM res_file WHERE by_id IS NOT NULL AND by_sha IS NOT NULL AND by_id <> by_sha
	 UNION ALL
	 SELECT r.src, r.line, 'file_id', r.external_id,
	        format('this row and another row of the import (file %s) would update the same registered file', o.external_id)
	   FROM res_file r JOIN res_file o ON o.id = r.id AND o.external_id <> r.external_id`,
}

// cycleSQL finds staged samples that would become their own ancestor, by
// walking up (lineageWalk, the walk mutations take too) from a few rows
// through staged rows first, else the database, along indexes. Which rows
// must be walked from: a cycle that did not exist before holds a row whose
// parent changed, or else it is made of new rows only; around a cycle the
// ids cannot only decrease, so one of its new rows has a parent with a
// greater id. Walking from every changed row and from new rows whose
// parent's id is greater than their own therefore finds every cycle. New
// ids are time-ordered and parents usually come first in a file, so a
// fresh import walks from few rows. Every staged sample on a cycle found
// is reported, with its parent; $1 is domain.MaxLineageDepth.
var cycleSQL = `WITH RECURSIVE ` + lineageWalk(`SELECT r.id, r.parent_id FROM res_sample r WHERE `+cycleStart,
	"LEFT JOIN res_sample rp ON rp.id = u.cur LEFT JOIN sample sp ON sp.id = u.cur",
	"CASE WHEN rp.id IS NOT NULL THEN rp.parent_id ELSE sp.parent_id END") + `
SELECT r.src, r.line, r.external_id, r.parent FROM on_cycle m JOIN res_sample r ON r.id = m.id`

// cycleStart selects the staged samples a lineage cycle walk starts from.
// A sample named as its own parent is refused as such when read, not
// walked from.
const cycleStart = `r.parent_id IS NOT NULL AND r.parent_id <> r.id
	   AND (r.is_new AND r.parent_id > r.id OR NOT r.is_new AND r.parent_id IS DISTINCT FROM r.old_parent_id)`

// check runs every check, collecting all errors.
func (im *importer) check(ctx context.Context) error {
	if err := im.checkDuplicates(ctx); err != nil {
		return err
	}
	for _, k := range importKinds {
		if sql := k.refCheckSQL(); sql != "" && im.staged[k.kind] > 0 {
			if err := im.collectErrors(ctx, sql, k.checkArgs...); err != nil {
				return err
			}
		}
	}
	for _, sql := range checkSQL {
		if err := im.collectErrors(ctx, sql); err != nil {
			return err
		}
	}
	if im.scope != nil {
		if err := im.collectErrors(ctx, scopeSQL, im.scope); err != nil {
			return err
		}
	}
	for _, check := range []func(context.Context) error{im.checkConsentChanges, im.checkWithdrawalSources, im.checkUnitChanges, im.checkNewDatasets,
		im.checkLineage} {
		if err := check(ctx); err != nil {
			return err
		}
	}
	return nil
}

// checkLineage walks up from the staged samples that could close a
// lineage cycle, along an index on the staged ids built only when there
// is a walk to do (a file that lists parents before their children has
// none).
func (im *importer) checkLineage(ctx context.Context) error {
	if im.staged[domain.ImportSamples] == 0 {
		return nil
	}
	var walk bool
	if err := im.tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM res_sample r WHERE "+cycleStart+")").Scan(&walk); err != nil {
		return fmt.Errorf("store: import: check lineage: %w", err)
	}
	if walk {
		if _, err := im.tx.Exec(ctx, "CREATE INDEX ON res_sample (id)"); err != nil {
			return fmt.Errorf("store: import: check lineage: %w", err)
		}
		if _, err := im.tx.Exec(ctx, "SET LOCAL enable_hashjoin = off; SET LOCAL enable_mergejoin = off"); err != nil {
			return fmt.Errorf("store: import: check lineage: %w", err)
		}
		rows, err := im.tx.Query(ctx, cycleSQL, domain.MaxLineageDepth)
		if err != nil {
			return fmt.Errorf("store: import: check lineage: %w", err)
		}
		var src int16
		var line int32
		var sample, parent string
		_, err = pgx.ForEachRow(rows, []any{&src, &line, &sample, &parent}, func() error {
			v := domain.NewValidation("")
			domain.LineageCycle(v, sample, parent)
			im.ruleErrors(src, line, v)
			return nil
		})
		if err != nil {
			return fmt.Errorf("store: import: check lineage: %w", err)
		}
		if _, err := im.tx.Exec(ctx, "SET LOCAL enable_hashjoin = on; SET LOCAL enable_mergejoin = on"); err != nil {
			return fmt.Errorf("store: import: check lineage: %w", err)
		}
	}
	return nil
}

// ruleErrors records the field errors a domain rule found in a staged row,
// each in the column of its field.
func (im *importer) ruleErrors(src int16, line int32, v *domain.Validation) {
	for _, f := range v.Fields {
		im.errs.sqlError(src, line, domain.ColumnOf(f.Field), f.Value, f.Message)
	}
}

// collectErrors runs a check and records the errors it returns.
func (im *importer) collectErrors(ctx context.Context, sql string, args ...any) error {
	rows, err := im.tx.Query(ctx, sql, args...)
	if err != nil {
		return fmt.Errorf("store: import: check: %w", err)
	}
	var src int16
	var line int32
	var column, value, msg *string
	_, err = pgx.ForEachRow(rows, []any{&src, &line, &column, &value, &msg}, func() error {
		im.errs.sqlError(src, line, deref(column), deref(value), deref(msg))
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: import: check: %w", err)
	}
	return nil
}
