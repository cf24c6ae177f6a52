package service

import (
	"context"

	"databank/domain"
)

type datasetStore interface {
	CreateDataset(ctx context.Context, d domain.Dataset) (domain.Dataset, error)
	UpdateDataset(ctx context.Context, id string, patch func(*domain.Dataset) error) (domain.Dataset, error)
	SetDatasetFiles(ctx context.Context, datasetID string, fileIDs []string, remove bool) (domain.Dataset, error)
	RetireDataset(ctx context.Context, id string) (domain.Dataset, error)
	Dataset(ctx context.Context, id string) (domain.Dataset, error)
	DatasetByExternalID(ctx context.Context, externalID string) (domain.Dataset, error)
	DatasetsByIDs(ctx context.Context, ids []string) ([]domain.Dataset, error)
	DatasetsByFileIDs(ctx context.Context, fileIDs []string) (map[string][]domain.Dataset, error)
	Datasets(ctx context.Context, f domain.DatasetFilter, p domain.PageRequest) (domain.Page[domain.Dataset], error)
}

// CreateDataset registers a dataset.
func (s *Service) CreateDataset(ctx context.Context, d domain.Dataset) (domain.Dataset, error) {
	return run(ctx, s, "CreateDataset", func() (domain.Dataset, error) { return s.store.CreateDataset(ctx, d) })
}

// A dataset releases files of possibly several biobanks, and a visa for
// its accession grants them all: changing it (its accession, its data-use
// codes, its files) or retiring it takes staff of every biobank whose data
// it holds, and adding a file also staff of the file's biobanks.

// UpdateDataset changes a dataset.
func (s *Service) UpdateDataset(ctx context.Context, id string, patch func(*domain.Dataset) error) (domain.Dataset, error) {
	return byID(ctx, s, "UpdateDataset", "id", id, func(ctx context.Context, id string) (domain.Dataset, error) {
		if err := s.actsForHolding(ctx, domain.Holding{DatasetIDs: []string{id}}); err != nil {
			return domain.Dataset{}, err
		}
		return s.store.UpdateDataset(ctx, id, patch)
	})
}

// SetDatasetFiles adds files to a dataset, or removes them.
func (s *Service) SetDatasetFiles(ctx context.Context, datasetID string, fileIDs []string, remove bool) (domain.Dataset, error) {
	return byID(ctx, s, "SetDatasetFiles", "dataset", datasetID, func(ctx context.Context, id string) (domain.Dataset, error) {
		if err := domain.CheckIDs("files", fileIDs); err != nil {
			return domain.Dataset{}, err
		}
		if err := s.actsForHolding(ctx, domain.Holding{DatasetIDs: []string{id}, FileIDs: fileIDs}); err != nil {
			return domain.Dataset{}, err
		}
		return s.store.SetDatasetFiles(ctx, id, fileIDs, remove)
	})
}

// RetireDataset retires a dataset.
func (s *Service) RetireDataset(ctx context.Context, id string) (domain.Dataset, error) {
	return byID(ctx, s, "RetireDataset", "id", id, func(ctx context.Context, id string) (domain.Dataset, error) {
		if err := s.actsForHolding(ctx, domain.Holding{DatasetIDs: []string{id}}); err != nil {
			return domain.Dataset{}, err
		}
		return s.store.RetireDataset(ctx, id)
	})
}

// Dataset returns the dataset with id.
func (s *Service) Dataset(ctx context.Context, id string) (domain.Dataset, error) {
	return byID(ctx, s, "Dataset", "id", id, s.store.Dataset)
}

// DatasetByExternalID returns the dataset with externalID.
func (s *Service) DatasetByExternalID(ctx context.Context, externalID string) (domain.Dataset, error) {
	return run(ctx, s, "DatasetByExternalID", func() (domain.Dataset, error) {
		return s.store.DatasetByExternalID(ctx, externalID)
	})
}

// DatasetsByIDs returns the datasets with ids (batch loading).
func (s *Service) DatasetsByIDs(ctx context.Context, ids []string) ([]domain.Dataset, error) {
	return byIDs(ctx, s, "DatasetsByIDs", ids, s.store.DatasetsByIDs)
}

// DatasetsByFileIDs returns the datasets of files (batch loading).
func (s *Service) DatasetsByFileIDs(ctx context.Context, fileIDs []string) (map[string][]domain.Dataset, error) {
	return byIDs(ctx, s, "DatasetsByFileIDs", fileIDs, s.store.DatasetsByFileIDs)
}

// Datasets lists datasets.
func (s *Service) Datasets(ctx context.Context, f domain.DatasetFilter, p domain.PageRequest) (domain.Page[domain.Dataset], error) {
	return run(ctx, s, "Datasets", func() (domain.Page[domain.Dataset], error) { return s.store.Datasets(ctx, f, p) })
}
