package service

import (
	"context"
	"slices"

	"databank/domain"
)

type biobankStore interface {
	CreateBiobank(ctx context.Context, b domain.Biobank) (domain.Biobank, error)
	UpdateBiobank(ctx context.Context, id string, patch func(*domain.Biobank) error) (domain.Biobank, error)
	RetireBiobank(ctx context.Context, id string) (domain.Biobank, error)
	Biobank(ctx context.Context, id string) (domain.Biobank, error)
	BiobankByCode(ctx context.Context, code string) (domain.Biobank, error)
	HoldingBiobanks(ctx context.Context, h domain.Holding) ([]string, error)
	BiobanksByIDs(ctx context.Context, ids []string) ([]domain.Biobank, error)
	Biobanks(ctx context.Context, f domain.BiobankFilter, p domain.PageRequest) (domain.Page[domain.Biobank], error)
}

// CreateBiobank registers a biobank.
func (s *Service) CreateBiobank(ctx context.Context, b domain.Biobank) (domain.Biobank, error) {
	return run(ctx, s, "CreateBiobank", func() (domain.Biobank, error) {
		if !actsForAll(ctx) {
			return domain.Biobank{}, domain.Errorf(domain.EFORBIDDEN, "only admins and staff of every biobank register biobanks")
		}
		return s.store.CreateBiobank(ctx, b)
	})
}

// UpdateBiobank changes a biobank.
func (s *Service) UpdateBiobank(ctx context.Context, id string, patch func(*domain.Biobank) error) (domain.Biobank, error) {
	return byID(ctx, s, "UpdateBiobank", "id", id, func(ctx context.Context, id string) (domain.Biobank, error) {
		if err := s.inScope(ctx, id); err != nil {
			return domain.Biobank{}, err
		}
		return s.store.UpdateBiobank(ctx, id, patch)
	})
}

// RetireBiobank retires a biobank.
func (s *Service) RetireBiobank(ctx context.Context, id string) (domain.Biobank, error) {
	return byID(ctx, s, "RetireBiobank", "id", id, func(ctx context.Context, id string) (domain.Biobank, error) {
		if err := s.inScope(ctx, id); err != nil {
			return domain.Biobank{}, err
		}
		return s.store.RetireBiobank(ctx, id)
	})
}

// Biobank returns the biobank with id.
func (s *Service) Biobank(ctx context.Context, id string) (domain.Biobank, error) {
	return byID(ctx, s, "Biobank", "id", id, s.store.Biobank)
}

// BiobankByCode returns the biobank with code.
func (s *Service) BiobankByCode(ctx context.Context, code string) (domain.Biobank, error) {
	return run(ctx, s, "BiobankByCode", func() (domain.Biobank, error) { return s.store.BiobankByCode(ctx, code) })
}

// BiobanksByIDs returns the biobanks with ids (batch loading).
func (s *Service) BiobanksByIDs(ctx context.Context, ids []string) ([]domain.Biobank, error) {
	return byIDs(ctx, s, "BiobanksByIDs", ids, s.store.BiobanksByIDs)
}

// Biobanks lists biobanks.
func (s *Service) Biobanks(ctx context.Context, f domain.BiobankFilter, p domain.PageRequest) (domain.Page[domain.Biobank], error) {
	return run(ctx, s, "Biobanks", func() (domain.Page[domain.Biobank], error) { return s.store.Biobanks(ctx, f, p) })
}

// codesOfBiobanks maps biobank ids (repeats allowed) to their codes.
func (s *Service) codesOfBiobanks(ctx context.Context, ids []string) (map[string]string, error) {
	slices.Sort(ids)
	bs, err := s.store.BiobanksByIDs(ctx, slices.Compact(ids))
	out := make(map[string]string, len(bs))
	for _, b := range bs {
		out[b.ID] = b.Code
	}
	return out, err
}
