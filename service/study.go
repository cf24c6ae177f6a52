package service

import (
	"context"

	"databank/domain"
)

type studyStore interface {
	CreateStudy(ctx context.Context, s domain.Study) (domain.Study, error)
	UpdateStudy(ctx context.Context, id string, patch func(*domain.Study) error) (domain.Study, error)
	RetireStudy(ctx context.Context, id string) (domain.Study, error)
	Study(ctx context.Context, id string) (domain.Study, error)
	StudyByExternalID(ctx context.Context, externalID string) (domain.Study, error)
	StudiesByIDs(ctx context.Context, ids []string) ([]domain.Study, error)
	Studies(ctx context.Context, f domain.StudyFilter, p domain.PageRequest) (domain.Page[domain.Study], error)
}

// CreateStudy registers a study.
func (s *Service) CreateStudy(ctx context.Context, st domain.Study) (domain.Study, error) {
	return run(ctx, s, "CreateStudy", func() (domain.Study, error) { return s.store.CreateStudy(ctx, st) })
}

// UpdateStudy changes a study.
func (s *Service) UpdateStudy(ctx context.Context, id string, patch func(*domain.Study) error) (domain.Study, error) {
	return byID(ctx, s, "UpdateStudy", "id", id, func(ctx context.Context, id string) (domain.Study, error) {
		return s.store.UpdateStudy(ctx, id, patch)
	})
}

// RetireStudy retires a study.
func (s *Service) RetireStudy(ctx context.Context, id string) (domain.Study, error) {
	return byID(ctx, s, "RetireStudy", "id", id, s.store.RetireStudy)
}

// Study returns the study with id.
func (s *Service) Study(ctx context.Context, id string) (domain.Study, error) {
	return byID(ctx, s, "Study", "id", id, s.store.Study)
}

// StudyByExternalID returns the study with externalID.
func (s *Service) StudyByExternalID(ctx context.Context, externalID string) (domain.Study, error) {
	return run(ctx, s, "StudyByExternalID", func() (domain.Study, error) { return s.store.StudyByExternalID(ctx, externalID) })
}

// StudiesByIDs returns the studies with ids (batch loading).
func (s *Service) StudiesByIDs(ctx context.Context, ids []string) ([]domain.Study, error) {
	return byIDs(ctx, s, "StudiesByIDs", ids, s.store.StudiesByIDs)
}

// Studies lists studies.
func (s *Service) Studies(ctx context.Context, f domain.StudyFilter, p domain.PageRequest) (domain.Page[domain.Study], error) {
	return run(ctx, s, "Studies", func() (domain.Page[domain.Study], error) { return s.store.Studies(ctx, f, p) })
}
