package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"databank/domain"
)

type datasetRow struct {
	ID                  uuid.UUID `db:"id"`
	ExternalID          string    `db:"external_id"`
	Title               string    `db:"title"`
	Version             string    `db:"version"`
	DataUse             []string  `db:"data_use"`
	DataAccessCommittee string    `db:"data_access_committee"`
	Description         string    `db:"description"`
	auditRow
}

const datasetColumns = "t.id, t.external_id, t.title, t.version, t.data_use, t.data_access_committee, t.description, " + auditCols

func (r datasetRow) domain() domain.Dataset {
	return domain.Dataset{ID: r.ID.String(), ExternalID: r.ExternalID, Title: r.Title, Version: r.Version, DataUse: r.DataUse,
		DataAccessCommittee: r.DataAccessCommittee, Description: r.Description, Audit: r.auditRow.domain()}
}

// CreateDataset validates and inserts d.
func (s *Store) CreateDataset(ctx context.Context, d domain.Dataset) (domain.Dataset, error) {
	v := domain.NewValidation("input")
	d.Validate(v, s.vocab)
	if err := checked(ctx, v); err != nil {
		return d, err
	}
	id := newID()
	_, err := s.exec(ctx, `INSERT INTO dataset (id, external_id, title, version, data_use, data_access_committee, description, created_by, updated_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`, id, d.ExternalID, d.Title, d.Version, d.DataUse, d.DataAccessCommittee, d.Description, actor(ctx))
	if err != nil {
		return d, translate(err, "create dataset")
	}
	return s.Dataset(ctx, id.String())
}

// UpdateDataset applies patch under a row lock, validates and writes it.
func (s *Store) UpdateDataset(ctx context.Context, id string, patch func(*domain.Dataset) error) (domain.Dataset, error) {
	uid, err := parseID("dataset", id)
	if err != nil {
		return domain.Dataset{}, err
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		d, err := getOne(ctx, tx, "SELECT "+datasetColumns+" FROM dataset t WHERE t.id = $1 FOR UPDATE", []any{uid}, datasetRow.domain, "dataset")
		if err != nil {
			return err
		}
		if err := patch(&d); err != nil {
			return err
		}
		v := domain.NewValidation("input")
		d.Validate(v, s.vocab)
		if err := checked(ctx, v); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE dataset SET external_id = $2, title = $3, version = $4, data_use = $5, data_access_committee = $6,
			description = $7, updated_by = $8, updated_at = now()
			WHERE id = $1 AND (external_id, title, version, data_use, data_access_committee, description) IS DISTINCT FROM ($2, $3, $4, $5, $6, $7)`,
			uid, d.ExternalID, d.Title, d.Version, d.DataUse, d.DataAccessCommittee, d.Description, actor(ctx))
		return translate(err, "update dataset")
	})
	if err != nil {
		return domain.Dataset{}, err
	}
	return s.Dataset(ctx, id)
}

// SetDatasetFiles adds (or, with remove, removes) data files to a dataset.
// The change is kept in the change log (files_added / files_removed), so
// a removed link is never lost.
func (s *Store) SetDatasetFiles(ctx context.Context, datasetID string, fileIDs []string, remove bool) (domain.Dataset, error) {
	uid, err := parseID("dataset", datasetID)
	if err != nil {
		return domain.Dataset{}, err
	}
	v := domain.NewValidation("")
	files := make([]uuid.UUID, 0, len(fileIDs))
	for _, id := range fileIDs {
		if u := refID(v, "files", id); u != nil {
			files = append(files, *u)
		}
	}
	if err := v.Err(); err != nil {
		return domain.Dataset{}, err
	}
	// The change log's triggers on dataset_file record what changed
	// (files_added, files_removed).
	sql := `INSERT INTO dataset_file (dataset_id, data_file_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`
	if remove {
		sql = `DELETE FROM dataset_file WHERE dataset_id = $1 AND data_file_id = ANY($2)`
	}
	_, err = s.exec(ctx, sql, uid, files)
	if err != nil {
		return domain.Dataset{}, translate(err, "dataset files")
	}
	return s.Dataset(ctx, datasetID)
}

// RetireDataset marks the dataset retired.
func (s *Store) RetireDataset(ctx context.Context, id string) (domain.Dataset, error) {
	if err := s.retire(ctx, "dataset", id); err != nil {
		return domain.Dataset{}, err
	}
	return s.Dataset(ctx, id)
}

// Dataset returns the dataset with the given id.
func (s *Store) Dataset(ctx context.Context, id string) (domain.Dataset, error) {
	uid, err := parseID("dataset", id)
	if err != nil {
		return domain.Dataset{}, err
	}
	return getOne(ctx, s.pool, "SELECT "+datasetColumns+" FROM dataset t WHERE t.id = $1", []any{uid}, datasetRow.domain, "dataset "+id)
}

// DatasetByExternalID returns the dataset with the given dataset id.
func (s *Store) DatasetByExternalID(ctx context.Context, externalID string) (domain.Dataset, error) {
	return getOne(ctx, s.pool, "SELECT "+datasetColumns+" FROM dataset t WHERE t.external_id = $1", []any{externalID}, datasetRow.domain, "dataset "+externalID)
}

// DatasetsByIDs returns the datasets with the given ids, in any order.
func (s *Store) DatasetsByIDs(ctx context.Context, ids []string) ([]domain.Dataset, error) {
	return getMany(ctx, s.byKeys(len(ids)), "SELECT "+datasetColumns+" FROM dataset t WHERE t.id = ANY($1)", []any{parseIDs(ids)}, datasetRow.domain)
}

// DatasetsByFileIDs returns the current datasets holding the given data
// files, grouped by file id.
func (s *Store) DatasetsByFileIDs(ctx context.Context, fileIDs []string) (map[string][]domain.Dataset, error) {
	type link struct {
		Key uuid.UUID `db:"key"`
		datasetRow
	}
	rows, err := s.byKeys(len(fileIDs)).Query(ctx, "SELECT l.data_file_id AS key, "+datasetColumns+
		" FROM dataset_file l JOIN dataset t ON t.id = l.dataset_id WHERE l.data_file_id = ANY($1) AND t.retired_at IS NULL ORDER BY t.id", parseIDs(fileIDs))
	if err != nil {
		return nil, translate(err, "datasets")
	}
	links, err := pgx.CollectRows(rows, pgx.RowToStructByName[link])
	if err != nil {
		return nil, translate(err, "datasets")
	}
	out := make(map[string][]domain.Dataset)
	for _, l := range links {
		out[l.Key.String()] = append(out[l.Key.String()], l.datasetRow.domain())
	}
	return out, nil
}

// Datasets lists datasets.
func (s *Store) Datasets(ctx context.Context, f domain.DatasetFilter, p domain.PageRequest) (domain.Page[domain.Dataset], error) {
	var w where
	if !f.IncludeRetired {
		w.add("t.retired_at IS NULL")
	}
	return listPage(ctx, s.pool, datasetColumns, "dataset t", w, p, datasetRow.domain)
}
