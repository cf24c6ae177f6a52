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

// resolveSQL lists the statements of the resolve step in order: each
// kind's resolve statement (see importKind.resolveSQL), then its own.
var resolveSQL = func() []string {
	var out []string
	for _, k := range importKinds {
		out = append(out, k.resolveSQL())
		out = append(out, k.after...)
	}
	return out
}()

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
