package service

import (
	"context"

	"databank/domain"
)

type federationStore interface {
	DatasetsByKeys(ctx context.Context, ids, accessions []string) ([]domain.Dataset, error)
	DataFilesByKeys(ctx context.Context, ids, accessions []string) ([]domain.DataFile, error)
	StudiesByAccessions(ctx context.Context, accessions []string) ([]domain.Study, error)
	BiobanksByCodes(ctx context.Context, codes []string) ([]domain.Biobank, error)
	DatasetSampleTallies(ctx context.Context, datasetIDs []string) (map[string]domain.SampleTally, error)
}

// DatasetsByKeys returns the datasets with the given ids or EGA dataset
// accessions (a federation gateway's batch).
func (s *Service) DatasetsByKeys(ctx context.Context, ids, accessions []string) ([]domain.Dataset, error) {
	return run(ctx, s, "DatasetsByKeys", func() ([]domain.Dataset, error) {
		if err := checkKeys(ids, "accessions", domain.EGADataset, accessions); err != nil {
			return nil, err
		}
		return s.store.DatasetsByKeys(ctx, ids, accessions)
	})
}

// DataFilesByKeys returns the data files with the given ids or EGA file
// accessions (a federation gateway's batch).
func (s *Service) DataFilesByKeys(ctx context.Context, ids, accessions []string) ([]domain.DataFile, error) {
	return run(ctx, s, "DataFilesByKeys", func() ([]domain.DataFile, error) {
		if err := checkKeys(ids, "accessions", domain.EGAFile, accessions); err != nil {
			return nil, err
		}
		fs, err := s.store.DataFilesByKeys(ctx, ids, accessions)
		if err != nil {
			return nil, err
		}
		return keepReadable(ctx, s, "DataFile", fileID, fs)
	})
}

// StudiesByAccessions returns the studies with the given EGA study
// accessions (a federation gateway's batch).
func (s *Service) StudiesByAccessions(ctx context.Context, accessions []string) ([]domain.Study, error) {
	return run(ctx, s, "StudiesByAccessions", func() ([]domain.Study, error) {
		if err := checkKeys(nil, "accessions", domain.EGAStudy, accessions); err != nil {
			return nil, err
		}
		return s.store.StudiesByAccessions(ctx, accessions)
	})
}

// BiobanksByCodes returns the biobanks with the given codes (a
// federation gateway's batch).
func (s *Service) BiobanksByCodes(ctx context.Context, codes []string) ([]domain.Biobank, error) {
	return run(ctx, s, "BiobanksByCodes", func() ([]domain.Biobank, error) { return s.store.BiobanksByCodes(ctx, codes) })
}

// DatasetSampleSummaries counts the samples of datasets, small counts
// suppressed: exact counts never leave the services.
func (s *Service) DatasetSampleSummaries(ctx context.Context, datasetIDs []string) (map[string]domain.SampleSummary, error) {
	return byIDs(ctx, s, "DatasetSampleSummaries", datasetIDs, func(ctx context.Context, ids []string) (map[string]domain.SampleSummary, error) {
		tallies, err := s.store.DatasetSampleTallies(ctx, ids)
		if err != nil {
			return nil, err
		}
		out := make(map[string]domain.SampleSummary, len(tallies))
		for id, t := range tallies {
			out[id] = s.suppress.Summary(t)
		}
		return out, nil
	})
}

// checkKeys refuses a batch holding a malformed id or an accession of
// another type than prefix.
func checkKeys(ids []string, arg, prefix string, accessions []string) error {
	if err := domain.CheckIDs("ids", ids); err != nil {
		return err
	}
	for _, a := range accessions {
		if err := domain.CheckAccession(arg, prefix, a); err != nil {
			return err
		}
	}
	return nil
}
