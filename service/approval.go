package service

import (
	"context"
	"fmt"
	"strings"

	"databank/domain"
)

type approvalStore interface {
	RecordAccessApproval(ctx context.Context, a domain.AccessApproval) (domain.AccessApproval, error)
	RevokeAccessApproval(ctx context.Context, id string) (domain.AccessApproval, error)
	AccessApproval(ctx context.Context, id string) (domain.AccessApproval, error)
	AccessApprovals(ctx context.Context, researcher string, includeInactive bool) ([]domain.AccessApproval, error)
	ApprovalScope(ctx context.Context, researcher, issuer string, grants []string) (domain.RowScope, error)
	InRowScope(ctx context.Context, sc domain.RowScope, kind string, ids []string) (map[string]bool, error)
}

// RecordAccessApproval records an approval (staff): for a dataset, which
// staff acting for every biobank may approve, or for samples, all of
// biobanks the staff act for.
func (s *Service) RecordAccessApproval(ctx context.Context, a domain.AccessApproval) (domain.AccessApproval, error) {
	return run(ctx, s, "RecordAccessApproval", func() (domain.AccessApproval, error) {
		v := domain.NewValidation("input")
		a.Validate(v)
		for i, id := range a.SampleIDs {
			if err := domain.CheckID(fmt.Sprintf("input.samples[%d]", i), id); err != nil {
				return a, err
			}
		}
		if err := domain.CheckID("input.dataset", a.DatasetID); err != nil {
			return a, err
		}
		if err := v.Err(); err != nil {
			return a, err
		}
		if a.DatasetID != "" || a.DatasetExternalID != "" {
			if !actsForAll(ctx) {
				return a, errDatasetApproval
			}
			d, err := s.approvalDataset(ctx, a)
			if err != nil {
				return a, err
			}
			a.DatasetID = d
		}
		if err := s.approvable(ctx, a); err != nil {
			return a, err
		}
		defer s.scopes.reset()
		return s.store.RecordAccessApproval(ctx, a)
	})
}

// approvalDataset resolves the dataset an approval names.
func (s *Service) approvalDataset(ctx context.Context, a domain.AccessApproval) (string, error) {
	if a.DatasetID != "" {
		d, err := s.store.Dataset(ctx, a.DatasetID)
		return d.ID, err
	}
	d, err := s.store.DatasetByExternalID(ctx, a.DatasetExternalID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return "", invalid("input.dataset", a.DatasetExternalID, "names no dataset")
	}
	return d.ID, err
}

// approvableSamples checks that every sample exists and lies in a
// biobank the actor of ctx acts for.
func (s *Service) approvableSamples(ctx context.Context, ids []string) error {
	xs, err := s.store.SamplesByIDs(ctx, ids)
	if err != nil {
		return err
	}
	found := make(map[string]domain.Sample, len(xs))
	for _, x := range xs {
		found[x.ID] = x
	}
	biobanks := map[string]bool{}
	for i, id := range ids {
		x, ok := found[strings.ToLower(id)]
		if !ok {
			return invalid(fmt.Sprintf("input.samples[%d]", i), id, "names no sample")
		}
		biobanks[x.BiobankID] = true
	}
	for b := range biobanks {
		if err := s.inScope(ctx, b); err != nil {
			return err
		}
	}
	return nil
}

// RevokeAccessApproval ends an approval (staff who could have recorded
// it).
func (s *Service) RevokeAccessApproval(ctx context.Context, id string) (domain.AccessApproval, error) {
	return byID(ctx, s, "RevokeAccessApproval", "id", id, func(ctx context.Context, id string) (domain.AccessApproval, error) {
		a, err := s.store.AccessApproval(ctx, id)
		if err == nil {
			err = s.approvable(ctx, a)
		}
		if err != nil {
			return domain.AccessApproval{}, err
		}
		defer s.scopes.reset()
		return s.store.RevokeAccessApproval(ctx, id)
	})
}

// errDatasetApproval refuses staff of some biobanks a dataset's approval.
var errDatasetApproval = domain.Errorf(domain.EFORBIDDEN,
	"a dataset may hold samples of every biobank: only staff acting for all biobanks, or admins, approve datasets")

// approvable refuses an approval the actor of ctx could not record: a
// dataset's unless it acts for every biobank, a set of samples unless
// it acts for their biobanks.
func (s *Service) approvable(ctx context.Context, a domain.AccessApproval) error {
	if a.DatasetID != "" {
		if !actsForAll(ctx) {
			return errDatasetApproval
		}
		return nil
	}
	return s.approvableSamples(ctx, a.SampleIDs)
}

// AccessApprovals lists approvals (staff: those they could record).
func (s *Service) AccessApprovals(ctx context.Context, researcher string, includeInactive bool) ([]domain.AccessApproval, error) {
	return run(ctx, s, "AccessApprovals", func() ([]domain.AccessApproval, error) {
		as, err := s.store.AccessApprovals(ctx, strings.TrimSpace(researcher), includeInactive)
		if err != nil || actsForAll(ctx) {
			return as, err
		}
		var out []domain.AccessApproval
		for _, a := range as {
			switch err := s.approvable(ctx, a); domain.ErrorCode(err) {
			case "":
				out = append(out, a)
			case domain.EFORBIDDEN, domain.EINVALID:
			default:
				return nil, err
			}
		}
		return out, nil
	})
}

// MyApprovedAccess is the caller's approved scope (empty for a researcher
// approved for nothing; staff and admins see every row anyway).
func (s *Service) MyApprovedAccess(ctx context.Context) (domain.RowScope, error) {
	return run(ctx, s, "MyApprovedAccess", func() (domain.RowScope, error) {
		a := domain.ActorFrom(ctx)
		return s.store.ApprovalScope(ctx, a.Name, a.Issuer, a.DatasetGrants)
	})
}
