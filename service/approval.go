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
				return a, domain.Errorf(domain.EFORBIDDEN, "a dataset may hold samples of every biobank: only staff acting for all biobanks, or admins, approve datasets")
			}
			d, err := s.approvalDataset(ctx, a)
			if err != nil {
				return a, err
			}
			a.DatasetID = d
		}
		if len(a.SampleIDs) > 0 {
			if err := s.approvableSamples(ctx, a.SampleIDs); err != nil {
				return a, err
			}
		}
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
	for i, id := range ids {
		x, ok := found[strings.ToLower(id)]
		if !ok {
			return invalid(fmt.Sprintf("input.samples[%d]", i), id, "names no sample")
		}
		if err := s.inScope(ctx, x.BiobankID); err != nil {
			return err
		}
	}
	return nil
}

// RevokeAccessApproval ends an approval (staff).
func (s *Service) RevokeAccessApproval(ctx context.Context, id string) (domain.AccessApproval, error) {
	return byID(ctx, s, "RevokeAccessApproval", "id", id, s.store.RevokeAccessApproval)
}

// AccessApprovals lists approvals (staff).
func (s *Service) AccessApprovals(ctx context.Context, researcher string, includeInactive bool) ([]domain.AccessApproval, error) {
	return run(ctx, s, "AccessApprovals", func() ([]domain.AccessApproval, error) {
		return s.store.AccessApprovals(ctx, strings.TrimSpace(researcher), includeInactive)
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

// keepReadablePages is keepReadable over the pages of a batch lookup. A
// page the scope narrows keeps its items (and their cursors) within the
// scope, and counts those alone: pages of a file's samples or a
// dataset's files are short, and a researcher approved for part of one
// learns nothing of the rest, its size included.
func keepReadablePages[T any](ctx context.Context, s *Service, kind string, id func(T) string, pages map[string]domain.Page[T]) (map[string]domain.Page[T], error) {
	var all []T
	for _, p := range pages {
		all = append(all, p.Items...)
	}
	kept, err := keepReadable(ctx, s, kind, id, all)
	if err != nil || len(kept) == len(all) {
		return pages, err
	}
	in := make(map[string]bool, len(kept))
	for _, x := range kept {
		in[id(x)] = true
	}
	out := make(map[string]domain.Page[T], len(pages))
	for k, p := range pages {
		q := domain.Page[T]{HasNext: p.HasNext, Items: []T{}}
		for i, x := range p.Items {
			if !in[id(x)] {
				continue
			}
			q.Items = append(q.Items, x)
			if len(p.Cursors) == len(p.Items) {
				q.Cursors = append(q.Cursors, p.Cursors[i])
			}
		}
		if len(q.Items) == len(p.Items) {
			q = p
		} else {
			q.Total = len(q.Items)
		}
		out[k] = q
	}
	return out, nil
}
