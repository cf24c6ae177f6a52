package service

import (
	"context"
	"slices"

	"databank/domain"
)

type referenceStore interface {
	AddReference(ctx context.Context, kind string, r domain.Reference) (domain.Reference, error)
	ReferencesByIDs(ctx context.Context, ids []string) (map[string][]domain.Reference, error)
}

// AddReference records an id a dataset, data file, study or sample is
// known by elsewhere (staff).
func (s *Service) AddReference(ctx context.Context, r domain.Reference) (domain.Reference, error) {
	return byID(ctx, s, "AddReference", "entity", r.EntityID, func(ctx context.Context, id string) (domain.Reference, error) {
		v := domain.NewValidation("input")
		r.Validate(v)
		if err := v.Err(); err != nil {
			return r, err
		}
		kind, err := s.store.EntityType(ctx, id)
		if err != nil {
			return r, err
		}
		if !slices.Contains(domain.ReferenceKinds, kind) {
			return r, invalid("entity", id, "is a "+kind+": references are for datasets, data files, studies and samples")
		}
		if kind == "Sample" {
			x, err := s.store.Sample(ctx, id)
			if err == nil {
				err = s.inScope(ctx, x.BiobankID)
			}
			if err != nil {
				return r, err
			}
		}
		r.EntityID = id
		return s.store.AddReference(ctx, kind, r)
	})
}

// ReferencesByIDs returns the references of records (batch loading).
func (s *Service) ReferencesByIDs(ctx context.Context, ids []string) (map[string][]domain.Reference, error) {
	return byIDs(ctx, s, "ReferencesByIDs", ids, s.store.ReferencesByIDs)
}
