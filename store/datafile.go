package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"databank/domain"
)

type dataFileRow struct {
	ID           uuid.UUID  `db:"id"`
	ExternalID   string     `db:"external_id"`
	Format       string     `db:"format"`
	Assay        string     `db:"assay"`
	Assembly     *string    `db:"assembly"`
	Size         *int64     `db:"size"`
	MD5          *string    `db:"md5"`
	SHA256       *string    `db:"sha256"`
	Location     string     `db:"location"`
	StudyID      *uuid.UUID `db:"study_id"`
	WithdrawalID *uuid.UUID `db:"withdrawal_id"`
	Software     string     `db:"software"`
	auditRow
}

const dataFileColumns = `t.id, t.external_id, t.format, t.assay, t.assembly, t.size, t.md5, t.sha256, t.location, t.study_id,
	t.withdrawal_id, t.software, ` + auditCols

func (r dataFileRow) domain() domain.DataFile {
	return domain.DataFile{ID: r.ID.String(), ExternalID: r.ExternalID, Format: r.Format, Assay: r.Assay, Assembly: deref(r.Assembly),
		Size: r.Size, MD5: deref(r.MD5), SHA256: deref(r.SHA256), Location: r.Location, StudyID: optIDString(r.StudyID),
		WithdrawalID: optIDString(r.WithdrawalID), Software: r.Software, Audit: r.auditRow.domain()}
}

// RegisterDataFile validates f and records it with its samples. A file
// whose external id or sha256 is already registered is updated in place
// (e.g. its new location), never duplicated; what the registration leaves
// out (samples, study, assembly, ...) is kept.
func (s *Store) RegisterDataFile(ctx context.Context, f domain.DataFile) (domain.DataFile, error) {
	ids, err := s.RegisterDataFiles(ctx, []domain.DataFile{f})
	if err != nil {
		return f, err
	}
	return s.DataFile(ctx, ids[0])
}

// RegisterDataFiles registers files all-or-nothing in one transaction and
// returns their ids. Every file is validated first; the validation errors
// of all files are reported together, with "files[i]." field paths.
func (s *Store) RegisterDataFiles(ctx context.Context, files []domain.DataFile) ([]string, error) {
	v := domain.NewValidation("input")
	for i := range files {
		fv := domain.NewValidation("")
		files[i].Validate(fv, s.vocab)
		refID(fv, "study", files[i].StudyID)
		refID(fv, "withdrawal", files[i].WithdrawalID)
		for _, fe := range fv.Fields {
			if len(files) > 1 {
				fe.Field = fmt.Sprintf("files[%d].%s", i, fe.Field)
			}
			v.Fields = append(v.Fields, fe)
		}
		v.Warnings = append(v.Warnings, fv.Warnings...)
	}
	if err := checked(ctx, v); err != nil {
		return nil, err
	}
	ids := make([]string, len(files))
	who := actor(ctx)
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		for i, f := range files {
			id, err := registerDataFile(ctx, tx, f, who)
			if err != nil {
				if len(files) > 1 {
					return fmt.Errorf("file %s: %w", f.ExternalID, err)
				}
				return err
			}
			ids[i] = id.String()
		}
		return nil
	})
	return ids, err
}

func registerDataFile(ctx context.Context, tx pgx.Tx, f domain.DataFile, who string) (uuid.UUID, error) {
	var id uuid.UUID
	err := tx.QueryRow(ctx, "SELECT id FROM data_file WHERE external_id = $1 OR ($2::text IS NOT NULL AND sha256 = $2) ORDER BY external_id = $1 DESC LIMIT 1",
		f.ExternalID, nullString(f.SHA256)).Scan(&id)
	switch {
	case err == pgx.ErrNoRows:
		id = newID()
		_, err = tx.Exec(ctx, `INSERT INTO data_file (id, external_id, format, assay, assembly, size, md5, sha256, location, study_id,
			withdrawal_id, software, created_by, updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)`,
			id, f.ExternalID, f.Format, f.Assay, nullString(f.Assembly), f.Size, nullString(f.MD5), nullString(f.SHA256), f.Location,
			optID(f.StudyID), optID(f.WithdrawalID), f.Software, who)
	case err == nil:
		// Registering known content again updates what the new registration
		// says and keeps what it leaves out: an unknown assembly, an assay
		// of "other", no study, withdrawal or software never erase a known
		// value, and a retired file stays retired.
		_, err = tx.Exec(ctx, `UPDATE data_file d SET external_id = $2, format = $3,
				assay = CASE WHEN $4 = 'ASSAY:OTHER' THEN d.assay ELSE $4 END,
				assembly = coalesce($5, d.assembly), size = coalesce($6, d.size), md5 = coalesce($7, d.md5),
				sha256 = coalesce($8, d.sha256), location = $9, study_id = coalesce($10, d.study_id),
				withdrawal_id = coalesce($11, d.withdrawal_id), software = coalesce(nullif($12, ''), d.software),
				updated_by = $13, updated_at = now()
			WHERE id = $1 AND (external_id, format, assay, assembly, size, md5, sha256, location, study_id, withdrawal_id, software)
			IS DISTINCT FROM ($2, $3, CASE WHEN $4 = 'ASSAY:OTHER' THEN d.assay ELSE $4 END, coalesce($5, d.assembly), coalesce($6, d.size),
				coalesce($7, d.md5), coalesce($8, d.sha256), $9, coalesce($10, d.study_id), coalesce($11, d.withdrawal_id),
				coalesce(nullif($12, ''), d.software))`,
			id, f.ExternalID, f.Format, f.Assay, nullString(f.Assembly), f.Size, nullString(f.MD5), nullString(f.SHA256), f.Location,
			optID(f.StudyID), optID(f.WithdrawalID), f.Software, who)
	}
	if err != nil {
		return id, translate(err, "register data file")
	}
	return id, linkFileSamples(ctx, tx, id, f.Samples)
}

// linkFileSamples adds the given samples to the file's links, or renames
// their alias. Links are never removed here: a registration that names
// fewer samples (or none) must not erase what is known.
func linkFileSamples(ctx context.Context, tx pgx.Tx, file uuid.UUID, samples []domain.FileSample) error {
	if len(samples) == 0 {
		return nil
	}
	ids := make([]uuid.UUID, 0, len(samples))
	aliases := make([]string, 0, len(samples))
	for _, fs := range samples {
		u, err := uuid.Parse(fs.SampleID)
		if err != nil {
			return &domain.Error{Code: domain.EINVALID, Message: "invalid input",
				Fields: []domain.FieldError{{Field: "input.samples", Value: fs.SampleID, Message: "is not a sample id"}}}
		}
		ids = append(ids, u)
		aliases = append(aliases, fs.Alias)
	}
	_, err := tx.Exec(ctx, `INSERT INTO data_file_sample (data_file_id, sample_id, alias, donor_id)
		SELECT $1, x.id, x.alias, (SELECT s.donor_id FROM sample s WHERE s.id = x.id) FROM unnest($2::uuid[], $3::text[]) AS x(id, alias)
		ON CONFLICT (data_file_id, sample_id) DO UPDATE SET alias = excluded.alias WHERE data_file_sample.alias IS DISTINCT FROM excluded.alias`,
		file, ids, aliases)
	return translate(err, "link samples")
}

// RetireDataFile marks the file retired (e.g. deleted at its location).
func (s *Store) RetireDataFile(ctx context.Context, id string) (domain.DataFile, error) {
	if err := s.retire(ctx, "data_file", id); err != nil {
		return domain.DataFile{}, err
	}
	return s.DataFile(ctx, id)
}

// DataFile returns the data file with the given id.
func (s *Store) DataFile(ctx context.Context, id string) (domain.DataFile, error) {
	uid, err := parseID("data file", id)
	if err != nil {
		return domain.DataFile{}, err
	}
	return getOne(ctx, s.pool, "SELECT "+dataFileColumns+" FROM data_file t WHERE t.id = $1", []any{uid}, dataFileRow.domain, "data file "+id)
}

// DataFileByExternalID returns the data file with the given file id.
func (s *Store) DataFileByExternalID(ctx context.Context, externalID string) (domain.DataFile, error) {
	return getOne(ctx, s.pool, "SELECT "+dataFileColumns+" FROM data_file t WHERE t.external_id = $1", []any{externalID}, dataFileRow.domain, "data file "+externalID)
}

// DataFilesByIDs returns the data files with the given ids, in any order.
func (s *Store) DataFilesByIDs(ctx context.Context, ids []string) ([]domain.DataFile, error) {
	return getMany(ctx, s.byKeys(len(ids)), "SELECT "+dataFileColumns+" FROM data_file t WHERE t.id = ANY($1)", []any{parseIDs(ids)}, dataFileRow.domain)
}

// fileLink is one row of a many-to-many link, with the data file.
type fileLink struct {
	Key   uuid.UUID `db:"key"`
	Alias string    `db:"alias"`
	dataFileRow
}

// DataFilesBySampleIDs returns the current data files holding the given
// samples, grouped by sample id.
//
// The ids are joined as a set (unnest, each id once) rather than tested
// with = ANY: for the ten thousand ids of a preview's chunk, PostgreSQL
// estimated = ANY to match a large part of data_file_sample and scanned
// it whole (130-310 ms at 10M samples), where the join probes its index
// once an id (15 ms).
func (s *Store) DataFilesBySampleIDs(ctx context.Context, sampleIDs []string) (map[string][]domain.DataFile, error) {
	return s.MatchingDataFilesBySampleIDs(ctx, sampleIDs, domain.DataFileFilter{})
}

// MatchingDataFilesBySampleIDs is DataFilesBySampleIDs keeping the files
// that match want only (the withdrawal preview's wanted data): the others
// are neither read from their table nor sent. An empty want keeps all.
func (s *Store) MatchingDataFilesBySampleIDs(ctx context.Context, sampleIDs []string, want domain.DataFileFilter) (map[string][]domain.DataFile, error) {
	ids := make([]string, len(sampleIDs))
	for i, id := range sampleIDs {
		ids[i] = strings.ToLower(id)
	}
	slices.Sort(ids)
	var w where
	in := w.arg(parseIDs(slices.Compact(ids)))
	sql := "SELECT l.sample_id AS key, l.alias, " + dataFileColumns + " FROM unnest(" + in + "::uuid[]) r(id) JOIN data_file_sample l ON l.sample_id = r.id" +
		" JOIN data_file t ON t.id = l.data_file_id WHERE t.retired_at IS NULL AND " + dataFileCond(&w, "t", &want) + " ORDER BY t.id"
	q := s.byKeys(len(ids))
	if len(w.args) > 1 { // want filters by values: planned for them
		q = s.pool
	}
	return s.filesGroupedArgs(ctx, q, sql, w.args)
}

// DataFilesByWithdrawalIDs returns the current data files returned for the
// given withdrawals, grouped by withdrawal id: the files registered with
// the withdrawal, and the files holding the withdrawn sample or a sample
// derived from it that were registered on or after the withdrawal's day
// and not with another withdrawal (another recipient's return of the
// same tube closes that recipient's loop only).
// Derived samples share their donor, so the walk stays among the donor's
// samples; its depth is bounded.
func (s *Store) DataFilesByWithdrawalIDs(ctx context.Context, withdrawalIDs []string) (map[string][]domain.DataFile, error) {
	return s.filesGrouped(ctx, fmt.Sprintf(`WITH RECURSIVE tree(wid, sid, donor_id, depth) AS (
			SELECT w.id, s.id, s.donor_id, 0 FROM withdrawal w JOIN sample s ON s.id = w.sample_id WHERE w.id = ANY($1)
			UNION
			SELECT tree.wid, c.id, c.donor_id, tree.depth + 1 FROM tree JOIN sample c ON c.donor_id = tree.donor_id AND c.parent_id = tree.sid
			WHERE tree.depth < %d
		), returned(key, file) AS (
			SELECT w.id, f.id FROM withdrawal w JOIN data_file f ON f.withdrawal_id = w.id WHERE w.id = ANY($1)
			UNION
			SELECT tree.wid, l.data_file_id FROM tree JOIN withdrawal w ON w.id = tree.wid JOIN data_file_sample l ON l.sample_id = tree.sid
			JOIN data_file f ON f.id = l.data_file_id WHERE f.created_at >= w.withdrawn_on
			AND (f.withdrawal_id IS NULL OR f.withdrawal_id = w.id)
		)
		SELECT r.key, '' AS alias, `+dataFileColumns+` FROM returned r JOIN data_file t ON t.id = r.file
		WHERE t.retired_at IS NULL ORDER BY t.id`, domain.MaxLineageDepth), withdrawalIDs)
}

func (s *Store) filesGrouped(ctx context.Context, sql string, ids []string) (map[string][]domain.DataFile, error) {
	return s.filesGroupedArgs(ctx, s.byKeys(len(ids)), sql, []any{parseIDs(ids)})
}

// filesGroupedArgs is filesGrouped with the statement's arguments given,
// run by q.
func (s *Store) filesGroupedArgs(ctx context.Context, q querier, sql string, args []any) (map[string][]domain.DataFile, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, translate(err, "data files")
	}
	files, err := collectRows(rows, func(l fileLink) keyed[domain.DataFile] {
		return keyed[domain.DataFile]{l.Key.String(), l.dataFileRow.domain()}
	})
	if err != nil {
		return nil, translate(err, "data files")
	}
	out := make(map[string][]domain.DataFile)
	for _, f := range files {
		out[f.key] = append(out[f.key], f.value)
	}
	return out, nil
}

// FileSamplesByFileIDs returns the sample links (sample id and in-file
// alias) of the given data files, grouped by file id.
func (s *Store) FileSamplesByFileIDs(ctx context.Context, fileIDs []string) (map[string][]domain.FileSample, error) {
	rows, err := s.byKeys(len(fileIDs)).Query(ctx, `SELECT l.data_file_id, l.sample_id, l.alias FROM data_file_sample l JOIN sample s ON s.id = l.sample_id
		WHERE l.data_file_id = ANY($1) ORDER BY l.data_file_id, s.external_id`, parseIDs(fileIDs))
	if err != nil {
		return nil, translate(err, "file samples")
	}
	defer rows.Close()
	out := make(map[string][]domain.FileSample)
	for rows.Next() {
		var f, smp uuid.UUID
		var alias string
		if err := rows.Scan(&f, &smp, &alias); err != nil {
			return nil, translate(err, "file samples")
		}
		out[f.String()] = append(out[f.String()], domain.FileSample{SampleID: smp.String(), Alias: alias})
	}
	return out, translate(rows.Err(), "file samples")
}

// DataFiles lists data files.
func (s *Store) DataFiles(ctx context.Context, f domain.DataFileFilter, p domain.PageRequest) (domain.Page[domain.DataFile], error) {
	var w where
	if !f.IncludeRetired {
		w.add("t.retired_at IS NULL")
	}
	if c := dataFileCond(&w, "t", &f); c != "TRUE" {
		w.add(c)
	}
	return listPage(ctx, s.pool, dataFileColumns, "data_file t", w, p, dataFileRow.domain)
}
