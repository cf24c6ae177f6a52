package service

import (
	"context"

	"databank/domain"
)

type sampleStore interface {
	CreateSample(ctx context.Context, s domain.Sample) (domain.Sample, error)
	UpdateSample(ctx context.Context, id string, patch func(*domain.Sample) error) (domain.Sample, error)
	RetireSample(ctx context.Context, id string) (domain.Sample, error)
	Sample(ctx context.Context, id string) (domain.Sample, error)
	SampleByExternalID(ctx context.Context, biobankCode, externalID string) (domain.Sample, error)
	SamplesByExternalIDs(ctx context.Context, biobankCode string, externalIDs []string) (map[string]domain.Sample, error)
	SamplesByIDs(ctx context.Context, ids []string) ([]domain.Sample, error)
	SamplesByDonorIDs(ctx context.Context, donorIDs []string) (map[string][]domain.Sample, error)
	SampleSiblingsByDonorIDs(ctx context.Context, donorIDs []string, want domain.DataFileFilter) (map[string][]domain.Sample, map[string]bool, error)
	SampleChildren(ctx context.Context, parentIDs []string) (map[string][]domain.Sample, error)
	Samples(ctx context.Context, f domain.SampleFilter, p domain.PageRequest) (domain.Page[domain.Sample], error)
	SampleFacets(ctx context.Context, filters []domain.SampleFilter, reqs []domain.FacetRequest) ([]domain.Facet, error)
	ConsentShapes(ctx context.Context) ([]domain.ConsentShape, error)
}

// CreateSample registers a sample.
func (s *Service) CreateSample(ctx context.Context, smp domain.Sample) (domain.Sample, error) {
	return run(ctx, s, "CreateSample", func() (domain.Sample, error) {
		if smp.BiobankID == "" {
			var err error
			if smp.BiobankID, err = s.biobankID(ctx, "input.biobank", smp.BiobankCode); err != nil {
				return domain.Sample{}, err
			}
		}
		if err := s.inScope(ctx, smp.BiobankID); err != nil {
			return domain.Sample{}, err
		}
		return s.store.CreateSample(ctx, smp)
	})
}

// UpdateSample changes a sample.
func (s *Service) UpdateSample(ctx context.Context, id string, patch func(*domain.Sample) error) (domain.Sample, error) {
	return byID(ctx, s, "UpdateSample", "id", id, func(ctx context.Context, id string) (domain.Sample, error) {
		return scoped(ctx, s, id, s.store.Sample, samplesBiobank, func(ctx context.Context, id string) (domain.Sample, error) {
			return s.store.UpdateSample(ctx, id, patch)
		})
	})
}

// RetireSample retires a sample.
func (s *Service) RetireSample(ctx context.Context, id string) (domain.Sample, error) {
	return byID(ctx, s, "RetireSample", "id", id, func(ctx context.Context, id string) (domain.Sample, error) {
		return scoped(ctx, s, id, s.store.Sample, samplesBiobank, s.store.RetireSample)
	})
}

// Sample returns the sample with id.
func (s *Service) Sample(ctx context.Context, id string) (domain.Sample, error) {
	return byID(ctx, s, "Sample", "id", id, func(ctx context.Context, id string) (domain.Sample, error) {
		return readableOne(ctx, s, "Sample", sampleID, func() (domain.Sample, error) { return s.store.Sample(ctx, id) })
	})
}

// SampleByExternalID returns the sample known to a biobank by externalID.
func (s *Service) SampleByExternalID(ctx context.Context, biobankCode, externalID string) (domain.Sample, error) {
	return run(ctx, s, "SampleByExternalID", func() (domain.Sample, error) {
		return readableOne(ctx, s, "Sample", sampleID, func() (domain.Sample, error) {
			return byExternalID(ctx, s, "sample", biobankCode, externalID, s.store.SampleByExternalID)
		})
	})
}

// SamplesByExternalIDs maps the known external ids of a biobank to samples.
func (s *Service) SamplesByExternalIDs(ctx context.Context, biobankCode string, externalIDs []string) (map[string]domain.Sample, error) {
	return run(ctx, s, "SamplesByExternalIDs", func() (map[string]domain.Sample, error) {
		found, err := s.store.SamplesByExternalIDs(ctx, biobankCode, externalIDs)
		if err != nil {
			return nil, err
		}
		xs := make([]domain.Sample, 0, len(found))
		for _, x := range found {
			xs = append(xs, x)
		}
		kept, err := keepReadable(ctx, s, "Sample", sampleID, xs)
		if err != nil || len(kept) == len(xs) {
			return found, err
		}
		out := make(map[string]domain.Sample, len(kept))
		for _, x := range kept {
			out[x.ExternalID] = x
		}
		return out, nil
	})
}

// SamplesByIDs returns the samples with ids (batch loading).
func (s *Service) SamplesByIDs(ctx context.Context, ids []string) ([]domain.Sample, error) {
	return byIDs(ctx, s, "SamplesByIDs", ids, func(ctx context.Context, ids []string) ([]domain.Sample, error) {
		xs, err := s.store.SamplesByIDs(ctx, ids)
		if err != nil {
			return nil, err
		}
		return keepReadable(ctx, s, "Sample", sampleID, xs)
	})
}

// SamplesByDonorIDs returns the samples of donors (batch loading).
func (s *Service) SamplesByDonorIDs(ctx context.Context, donorIDs []string) (map[string][]domain.Sample, error) {
	return byIDs(ctx, s, "SamplesByDonorIDs", donorIDs, func(ctx context.Context, ids []string) (map[string][]domain.Sample, error) {
		groups, err := s.store.SamplesByDonorIDs(ctx, ids)
		if err != nil {
			return nil, err
		}
		return keepReadableGroups(ctx, s, "Sample", sampleID, groups)
	})
}

// SampleChildren returns the samples derived from parents (batch loading).
func (s *Service) SampleChildren(ctx context.Context, parentIDs []string) (map[string][]domain.Sample, error) {
	return byIDs(ctx, s, "SampleChildren", parentIDs, func(ctx context.Context, ids []string) (map[string][]domain.Sample, error) {
		groups, err := s.store.SampleChildren(ctx, ids)
		if err != nil {
			return nil, err
		}
		return keepReadableGroups(ctx, s, "Sample", sampleID, groups)
	})
}

// Samples lists samples matching f.
func (s *Service) Samples(ctx context.Context, f domain.SampleFilter, p domain.PageRequest) (domain.Page[domain.Sample], error) {
	return run(ctx, s, "Samples", func() (domain.Page[domain.Sample], error) {
		if err := s.sampleFilter(ctx, &f); err != nil {
			return domain.Page[domain.Sample]{}, err
		}
		a := domain.ActorFrom(ctx)
		if a.AggregatesOnly() && p.CountOnly {
			return s.sampleCounts(ctx, f, p)
		}
		// items: the matches the reader may see (a researcher's approved
		// samples, a biobank's staff its samples)
		sc, err := s.rowScope(ctx)
		if err != nil {
			return domain.Page[domain.Sample]{}, err
		}
		if err := pseudonymsKept(a, &f); err != nil {
			return domain.Page[domain.Sample]{}, err
		}
		f.Scope = sc
		if a.Role == domain.RoleFederation && f.UsesDonorAttributes() {
			return domain.Page[domain.Sample]{}, domain.Errorf(domain.EFORBIDDEN,
				"the federation client may not select samples by their donors (donor, sex, birth year, age, diagnosis, vital status)")
		}
		if p.CountOnly && p.After == "" && p.Order == (domain.Order{}) {
			if err := p.Validate(); err != nil {
				return domain.Page[domain.Sample]{}, err
			}
			return s.countSamples(ctx, f, p)
		}
		return s.store.Samples(ctx, f, p)
	})
}

func samplesBiobank(_ context.Context, x domain.Sample) (string, error) { return x.BiobankID, nil }
