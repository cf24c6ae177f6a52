package service

import (
	"context"

	"databank/domain"
)

type withdrawalStore interface {
	CreateWithdrawal(ctx context.Context, w domain.Withdrawal) (domain.Withdrawal, error)
	UpdateWithdrawal(ctx context.Context, id string, patch func(*domain.Withdrawal) error) (domain.Withdrawal, error)
	RetireWithdrawal(ctx context.Context, id string) (domain.Withdrawal, error)
	Withdrawal(ctx context.Context, id string) (domain.Withdrawal, error)
	WithdrawalByExternalID(ctx context.Context, biobankCode, externalID string) (domain.Withdrawal, error)
	WithdrawalsByIDs(ctx context.Context, ids []string) ([]domain.Withdrawal, error)
	WithdrawalsBySampleIDs(ctx context.Context, sampleIDs []string) (map[string][]domain.Withdrawal, error)
	Withdrawals(ctx context.Context, f domain.WithdrawalFilter, p domain.PageRequest) (domain.Page[domain.Withdrawal], error)
}

// CreateWithdrawal records material taken from a sample.
func (s *Service) CreateWithdrawal(ctx context.Context, w domain.Withdrawal) (domain.Withdrawal, error) {
	return run(ctx, s, "CreateWithdrawal", func() (domain.Withdrawal, error) {
		b := w.BiobankID
		if b == "" && w.SampleID != "" && !actsForAll(ctx) {
			if x, err := s.store.Sample(ctx, w.SampleID); err == nil {
				b = x.BiobankID
			}
		}
		if err := s.inScope(ctx, b); err != nil {
			return domain.Withdrawal{}, err
		}
		return s.store.CreateWithdrawal(ctx, w)
	})
}

// UpdateWithdrawal changes a withdrawal.
func (s *Service) UpdateWithdrawal(ctx context.Context, id string, patch func(*domain.Withdrawal) error) (domain.Withdrawal, error) {
	return byID(ctx, s, "UpdateWithdrawal", "id", id, func(ctx context.Context, id string) (domain.Withdrawal, error) {
		return scoped(ctx, s, id, s.store.Withdrawal, withdrawalsBiobank, func(ctx context.Context, id string) (domain.Withdrawal, error) {
			return s.store.UpdateWithdrawal(ctx, id, patch)
		})
	})
}

// RetireWithdrawal retires a withdrawal; its material counts again.
func (s *Service) RetireWithdrawal(ctx context.Context, id string) (domain.Withdrawal, error) {
	return byID(ctx, s, "RetireWithdrawal", "id", id, func(ctx context.Context, id string) (domain.Withdrawal, error) {
		return scoped(ctx, s, id, s.store.Withdrawal, withdrawalsBiobank, s.store.RetireWithdrawal)
	})
}

// Withdrawal returns the withdrawal with id.
func (s *Service) Withdrawal(ctx context.Context, id string) (domain.Withdrawal, error) {
	return byID(ctx, s, "Withdrawal", "id", id, func(ctx context.Context, id string) (domain.Withdrawal, error) {
		return readableOne(ctx, s, "Withdrawal", withdrawalID, func() (domain.Withdrawal, error) { return s.store.Withdrawal(ctx, id) })
	})
}

// WithdrawalByExternalID returns the withdrawal known to a biobank by externalID.
func (s *Service) WithdrawalByExternalID(ctx context.Context, biobankCode, externalID string) (domain.Withdrawal, error) {
	return run(ctx, s, "WithdrawalByExternalID", func() (domain.Withdrawal, error) {
		return readableOne(ctx, s, "Withdrawal", withdrawalID, func() (domain.Withdrawal, error) {
			return byExternalID(ctx, s, "withdrawal", biobankCode, externalID, s.store.WithdrawalByExternalID)
		})
	})
}

// WithdrawalsByIDs returns the withdrawals with ids (batch loading).
func (s *Service) WithdrawalsByIDs(ctx context.Context, ids []string) ([]domain.Withdrawal, error) {
	return byIDs(ctx, s, "WithdrawalsByIDs", ids, func(ctx context.Context, ids []string) ([]domain.Withdrawal, error) {
		ws, err := s.store.WithdrawalsByIDs(ctx, ids)
		if err != nil {
			return nil, err
		}
		return keepReadable(ctx, s, "Withdrawal", withdrawalID, ws)
	})
}

// WithdrawalsBySampleIDs returns the withdrawals of samples (batch loading).
func (s *Service) WithdrawalsBySampleIDs(ctx context.Context, sampleIDs []string) (map[string][]domain.Withdrawal, error) {
	return byIDs(ctx, s, "WithdrawalsBySampleIDs", sampleIDs, func(ctx context.Context, ids []string) (map[string][]domain.Withdrawal, error) {
		groups, err := s.store.WithdrawalsBySampleIDs(ctx, ids)
		if err != nil {
			return nil, err
		}
		return keepReadableGroups(ctx, s, "Withdrawal", withdrawalID, groups)
	})
}

// Withdrawals lists withdrawals matching f.
func (s *Service) Withdrawals(ctx context.Context, f domain.WithdrawalFilter, p domain.PageRequest) (domain.Page[domain.Withdrawal], error) {
	return run(ctx, s, "Withdrawals", func() (domain.Page[domain.Withdrawal], error) {
		if err := s.withdrawalFilter(ctx, &f); err != nil {
			return domain.Page[domain.Withdrawal]{}, err
		}
		sc, err := s.rowScope(ctx)
		if err != nil {
			return domain.Page[domain.Withdrawal]{}, err
		}
		f.Scope = sc
		return s.store.Withdrawals(ctx, f, p)
	})
}

func withdrawalsBiobank(_ context.Context, w domain.Withdrawal) (string, error) {
	return w.BiobankID, nil
}
