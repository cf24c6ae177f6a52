package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"databank/domain"
)

// ImportRequest asks the store to import registry files.
type ImportRequest = domain.ImportRequest

// ImportReport is what an import did, or would do, and every problem it
// found.
type ImportReport = domain.ImportReport

// ImportProgress reports how far an import has got.
type ImportProgress = domain.ImportProgress

// Import phases, in order.
const (
	PhaseRead     = domain.PhaseRead
	PhaseLock     = domain.PhaseLock
	PhaseValidate = domain.PhaseValidate
	PhaseWrite    = domain.PhaseWrite
	PhaseCommit   = domain.PhaseCommit
)

// Import reads every source, validates every row, resolves references by
// external id against the database and the rows of the import, and, when
// nothing is wrong, upserts all rows in one transaction: new records are
// created, changed ones updated (the change is kept in the change log),
// unchanged ones left alone, and nothing is deleted.
//
// Rows stream through: each source is parsed and copied into a staging
// table, then every cross-row rule is checked and every record
// merged with set-based SQL, so memory does not grow with the files.
// Imports touching the same biobank are serialised by advisory locks.
//
// The report is returned whenever the sources could be read; when it
// holds errors, nothing was written and the error is EINVALID.
func (s *Store) Import(ctx context.Context, req ImportRequest) (*ImportReport, error) {
	start := time.Now()
	rep := &domain.ImportReport{DryRun: req.DryRun}
	im := &importer{
		actor:    actor(ctx),
		staged:   map[domain.ImportKind]int64{},
		codes:    map[string]struct{}{},
		keys:     newKeyHashes(),
		errs:     newCollector(rep, req.Sources, req.MaxErrors),
		progress: func(ImportProgress) {},
		scope:    req.Biobanks,
	}
	if req.Progress != nil {
		im.progress = req.Progress
	}
	err := s.runImport(ctx, im, req)
	im.errs.sortReport()
	rep.Elapsed = time.Since(start)
	if err != nil {
		return rep, err
	}
	if rep.ErrorCount > 0 {
		return rep, rep.Err()
	}
	return rep, nil
}

// importer holds the state of one import.
type importer struct {
	tx       pgx.Tx
	scratch  scratch // where the staging tables are
	actor    string
	staged   map[domain.ImportKind]int64 // rows staged per kind
	errs     *collector
	keys     *keyHashes // hashes of the staged rows' keys
	progress func(ImportProgress)
	// codes are the biobank codes of the staged rows (nil when there are
	// too many to keep).
	codes map[string]struct{}
	// changedFiles counts files updated by the import, including those
	// whose record is unchanged but which gain a sample or a dataset.
	changedFiles int
	// scope, when not nil, are the only biobank codes rows may name.
	scope []string
}

// importWorkMem lets the set-based joins of a large import hash in
// memory; it applies to the import's transaction only.
const importWorkMem = "128MB"

// runImport runs the phases on a connection of the import's own, so that
// its staging tables and settings never leak into the pool.
func (s *Store) runImport(ctx context.Context, im *importer, req ImportRequest) error {
	for _, src := range req.Sources {
		if _, err := kindOf(src.Kind()); err != nil {
			return &domain.Error{Code: domain.EINVALID, Message: fmt.Sprintf("cannot import %s: unknown kind %q", src.Name(), src.Kind())}
		}
	}
	if len(req.Sources) > 1<<15 {
		return domain.Errorf(domain.EINVALID, "too many files in one import (%d)", len(req.Sources))
	}
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return &domain.Error{Code: domain.EUNAVAILABLE, Message: "database unreachable", Err: err}
	}
	defer conn.Close(context.WithoutCancel(ctx))
	registerTypes(conn)
	// Should staging fall back to temporary tables, give them room
	// (possible only before the session first uses one).
	if _, err := conn.Exec(ctx, "SET temp_buffers = '256MB'"); err != nil {
		return translate(err, "import settings")
	}
	tx, err := conn.Begin(ctx)
	if err != nil {
		return translate(err, "import begin")
	}
	defer func() { _ = tx.Rollback(context.WithoutCancel(ctx)) }()
	im.tx = tx
	if err := setActor(ctx, tx); err != nil {
		return err
	}
	// No statement timeout: a large import runs long statements. Room for
	// in-memory hashing, and no JIT: the staging tables' rough estimates
	// make the planner compile every statement, which costs more than it
	// saves. Statistics of the staging tables are sampled lightly. Joins
	// over the staged rows are worth parallel workers, whose start the
	// default costs overrate for statements that run for seconds. A
	// parallel hash may use work_mem times hash_mem_multiplier for each of
	// its processes: the multiplier is 1, so that one hash of the import
	// holds at most 3 x work_mem with the default two workers.
	if _, err := tx.Exec(ctx, "SET LOCAL statement_timeout = 0; SET LOCAL work_mem = '"+importWorkMem+"'; SET LOCAL jit = off; "+
		"SET LOCAL default_statistics_target = 10; SET LOCAL parallel_setup_cost = 100; SET LOCAL parallel_tuple_cost = 0.01; "+
		"SET LOCAL hash_mem_multiplier = 1"); err != nil {
		return translate(err, "import settings")
	}
	if im.scratch, err = openScratch(ctx, tx); err != nil {
		return translate(err, "import staging")
	}
	if err := im.createStageTables(ctx); err != nil {
		return translate(err, "import staging")
	}

	for i, src := range req.Sources {
		if err := im.stageSource(ctx, i, src); err != nil {
			var de *domain.Error
			if errors.Is(err, context.Canceled) || errors.As(err, &de) {
				return translate(err, "import read")
			}
			return err
		}
	}
	for _, k := range importKinds {
		if im.staged[k.kind] > 0 {
			if _, err := tx.Exec(ctx, "ANALYZE "+k.stage()); err != nil {
				return translate(err, "import analyze")
			}
		}
	}

	im.progress(ImportProgress{Phase: PhaseLock})
	if err := im.lock(ctx); err != nil {
		return err
	}
	im.progress(ImportProgress{Phase: PhaseValidate})
	if err := im.resolve(ctx); err != nil {
		return translate(err, "import resolve")
	}
	if err := im.check(ctx); err != nil {
		return translate(err, "import check")
	}
	rep := im.errs.rep
	if rep.ErrorCount > 0 {
		im.countRejected()
		return nil
	}
	created, updated, err := im.merge(ctx)
	if err != nil {
		return err
	}
	im.count(created, updated)
	if req.DryRun {
		return nil
	}
	im.progress(ImportProgress{Phase: PhaseCommit})
	if err := im.scratch.drop(ctx, tx); err != nil {
		return translate(err, "import commit")
	}
	if err := tx.Commit(ctx); err != nil {
		return translate(err, "import commit")
	}
	rep.Committed = true
	return nil
}

// kindsRead returns the kinds of the import's rows, in dependency order.
func (im *importer) kindsRead() []domain.ImportKind {
	var out []domain.ImportKind
	for _, k := range domain.ImportKinds {
		if slices.Contains(im.errs.kinds, k) {
			out = append(out, k)
		}
	}
	return out
}

// countRejected fills the counts of a rejected import: rows read and rows
// rejected; nothing was created, updated or left unchanged.
func (im *importer) countRejected() {
	rep := im.errs.rep
	rep.Counts = nil
	for _, k := range im.kindsRead() {
		rep.Counts = append(rep.Counts, domain.ImportCounts{Kind: k, Rows: im.errs.rows[k], Rejected: im.errs.rejectedRows(k)})
	}
}

// count fills the counts of a merged import.
func (im *importer) count(created, updated map[domain.ImportKind]int) {
	rep := im.errs.rep
	rep.Counts = nil
	for _, k := range im.kindsRead() {
		c := domain.ImportCounts{Kind: k, Rows: im.errs.rows[k], Created: created[k], Updated: updated[k]}
		if k == domain.ImportFiles {
			// A file whose record is unchanged but gains a sample or a
			// dataset is updated too; the merge counts only records.
			c.Updated = max(c.Updated, im.changedFiles)
		}
		c.Unchanged = c.Rows - c.Created - c.Updated
		rep.Counts = append(rep.Counts, c)
	}
}
