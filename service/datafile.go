package service

import (
	"context"

	"databank/domain"
)

type dataFileStore interface {
	RegisterDataFile(ctx context.Context, f domain.DataFile) (domain.DataFile, error)
	RegisterDataFiles(ctx context.Context, files []domain.DataFile) ([]string, error)
	RetireDataFile(ctx context.Context, id string) (domain.DataFile, error)
	DataFile(ctx context.Context, id string) (domain.DataFile, error)
	DataFileByExternalID(ctx context.Context, externalID string) (domain.DataFile, error)
	DataFilesByIDs(ctx context.Context, ids []string) ([]domain.DataFile, error)
	DataFilesBySampleIDs(ctx context.Context, sampleIDs []string) (map[string][]domain.DataFile, error)
	DataFilesByWithdrawalIDs(ctx context.Context, withdrawalIDs []string) (map[string][]domain.DataFile, error)
	DataFilePagesByDatasetIDs(ctx context.Context, datasetIDs []string, p domain.PageRequest, sc *domain.RowScope) (map[string]domain.Page[domain.DataFile], error)
	FileSamplePagesByFileIDs(ctx context.Context, fileIDs []string, p domain.PageRequest, sc *domain.RowScope) (map[string]domain.Page[domain.FileSample], error)
	DataFiles(ctx context.Context, f domain.DataFileFilter, p domain.PageRequest) (domain.Page[domain.DataFile], error)
}

// RegisterDataFile registers a data file or updates what is known of it.
// Staff must act for every biobank whose data the file holds: the file
// it matches (by accession or content), and the samples and withdrawal it
// is registered with.
func (s *Service) RegisterDataFile(ctx context.Context, f domain.DataFile) (domain.DataFile, error) {
	return run(ctx, s, "RegisterDataFile", func() (domain.DataFile, error) {
		if err := s.actsForHolding(ctx, filesHolding([]domain.DataFile{f})); err != nil {
			return domain.DataFile{}, err
		}
		return s.store.RegisterDataFile(ctx, f)
	})
}

// RegisterDataFiles registers files in one transaction (each as
// RegisterDataFile).
func (s *Service) RegisterDataFiles(ctx context.Context, files []domain.DataFile) ([]string, error) {
	return run(ctx, s, "RegisterDataFiles", func() ([]string, error) {
		if err := s.actsForHolding(ctx, filesHolding(files)); err != nil {
			return nil, err
		}
		return s.store.RegisterDataFiles(ctx, files)
	})
}

// filesHolding is what registering files touches: the files they match
// and the samples and withdrawals they name.
func filesHolding(files []domain.DataFile) domain.Holding {
	var h domain.Holding
	for _, f := range files {
		h.FileAccessions = append(h.FileAccessions, f.ExternalID)
		if f.SHA256 != "" {
			h.FileSHA256s = append(h.FileSHA256s, f.SHA256)
		}
		if f.WithdrawalID != "" {
			h.WithdrawalIDs = append(h.WithdrawalIDs, f.WithdrawalID)
		}
		for _, x := range f.Samples {
			h.SampleIDs = append(h.SampleIDs, x.SampleID)
		}
	}
	return h
}

// RetireDataFile retires a data file (staff of every biobank whose data
// it holds).
func (s *Service) RetireDataFile(ctx context.Context, id string) (domain.DataFile, error) {
	return byID(ctx, s, "RetireDataFile", "id", id, func(ctx context.Context, id string) (domain.DataFile, error) {
		if err := s.actsForHolding(ctx, domain.Holding{FileIDs: []string{id}}); err != nil {
			return domain.DataFile{}, err
		}
		return s.store.RetireDataFile(ctx, id)
	})
}

// DataFile returns the data file with id.
func (s *Service) DataFile(ctx context.Context, id string) (domain.DataFile, error) {
	return byID(ctx, s, "DataFile", "id", id, func(ctx context.Context, id string) (domain.DataFile, error) {
		return readableOne(ctx, s, "DataFile", fileID, func() (domain.DataFile, error) { return s.store.DataFile(ctx, id) })
	})
}

// DataFileByExternalID returns the data file with externalID.
func (s *Service) DataFileByExternalID(ctx context.Context, externalID string) (domain.DataFile, error) {
	return run(ctx, s, "DataFileByExternalID", func() (domain.DataFile, error) {
		return readableOne(ctx, s, "DataFile", fileID, func() (domain.DataFile, error) { return s.store.DataFileByExternalID(ctx, externalID) })
	})
}

// DataFilesByIDs returns the data files with ids (batch loading).
func (s *Service) DataFilesByIDs(ctx context.Context, ids []string) ([]domain.DataFile, error) {
	return byIDs(ctx, s, "DataFilesByIDs", ids, func(ctx context.Context, ids []string) ([]domain.DataFile, error) {
		fs, err := s.store.DataFilesByIDs(ctx, ids)
		if err != nil {
			return nil, err
		}
		return keepReadable(ctx, s, "DataFile", fileID, fs)
	})
}

// DataFilesBySampleIDs returns the files derived from samples (batch loading).
func (s *Service) DataFilesBySampleIDs(ctx context.Context, sampleIDs []string) (map[string][]domain.DataFile, error) {
	return byIDs(ctx, s, "DataFilesBySampleIDs", sampleIDs, func(ctx context.Context, ids []string) (map[string][]domain.DataFile, error) {
		groups, err := s.store.DataFilesBySampleIDs(ctx, ids)
		if err != nil {
			return nil, err
		}
		return keepReadableGroups(ctx, s, "DataFile", fileID, groups)
	})
}

// DataFilesByWithdrawalIDs returns the files returned for withdrawals (batch loading).
func (s *Service) DataFilesByWithdrawalIDs(ctx context.Context, withdrawalIDs []string) (map[string][]domain.DataFile, error) {
	return byIDs(ctx, s, "DataFilesByWithdrawalIDs", withdrawalIDs, func(ctx context.Context, ids []string) (map[string][]domain.DataFile, error) {
		groups, err := s.store.DataFilesByWithdrawalIDs(ctx, ids)
		if err != nil {
			return nil, err
		}
		return keepReadableGroups(ctx, s, "DataFile", fileID, groups)
	})
}

// DataFilePagesByDatasetIDs returns one page of each dataset's files.
func (s *Service) DataFilePagesByDatasetIDs(ctx context.Context, datasetIDs []string, p domain.PageRequest) (map[string]domain.Page[domain.DataFile], error) {
	return byIDs(ctx, s, "DataFilePagesByDatasetIDs", datasetIDs, func(ctx context.Context, ids []string) (map[string]domain.Page[domain.DataFile], error) {
		sc, err := s.rowScope(ctx)
		if err != nil {
			return nil, err
		}
		return s.store.DataFilePagesByDatasetIDs(ctx, ids, p, sc)
	})
}

// FileSamplePagesByFileIDs returns one page of each file's sample links.
func (s *Service) FileSamplePagesByFileIDs(ctx context.Context, fileIDs []string, p domain.PageRequest) (map[string]domain.Page[domain.FileSample], error) {
	return byIDs(ctx, s, "FileSamplePagesByFileIDs", fileIDs, func(ctx context.Context, ids []string) (map[string]domain.Page[domain.FileSample], error) {
		sc, err := s.rowScope(ctx)
		if err != nil {
			return nil, err
		}
		return s.store.FileSamplePagesByFileIDs(ctx, ids, p, sc)
	})
}

// DataFiles lists data files matching f.
func (s *Service) DataFiles(ctx context.Context, f domain.DataFileFilter, p domain.PageRequest) (domain.Page[domain.DataFile], error) {
	return run(ctx, s, "DataFiles", func() (domain.Page[domain.DataFile], error) {
		if err := s.dataFileFilter(ctx, &f); err != nil {
			return domain.Page[domain.DataFile]{}, err
		}
		sc, err := s.rowScope(ctx)
		if err != nil {
			return domain.Page[domain.DataFile]{}, err
		}
		if sc != nil {
			if err := pseudonymsKept(domain.ActorFrom(ctx), f.Sample); err != nil {
				return domain.Page[domain.DataFile]{}, err
			}
		}
		f.Scope = sc
		return s.store.DataFiles(ctx, f, p)
	})
}
