package service

import (
	"context"
	"fmt"
	"strings"

	"databank/domain"
)

// Readers confined to part of the registry (domain.RowScope) see the
// rows of that part only: approved researchers the rows of their
// approvals, through the operations whose rule is Approved; staff of some
// biobanks the rows of those biobanks. Each operation that returns rows
// asks rowScope first: nil for readers who see every row, the scope, or a
// refusal for a reader who may see none (a researcher approved for
// nothing). The operation then confines its answer to the scope: listings
// through the filter's Scope, lookups by dropping (batches) or refusing
// (single records) what lies outside, donors pseudonymised for
// researchers (age band, no birth year).

type approvalStore interface {
	RecordAccessApproval(ctx context.Context, a domain.AccessApproval) (domain.AccessApproval, error)
	RevokeAccessApproval(ctx context.Context, id string) (domain.AccessApproval, error)
	AccessApprovals(ctx context.Context, researcher string, includeInactive bool) ([]domain.AccessApproval, error)
	ApprovalScope(ctx context.Context, researcher, issuer string, grants []string) (domain.RowScope, error)
	InRowScope(ctx context.Context, sc domain.RowScope, kind string, ids []string) (map[string]bool, error)
}

// rowScope returns the scope the actor of ctx is confined to when reading
// rows: nil when it sees every row (admins, staff of every biobank, the
// federation client), the biobanks of staff who act for some only, and a
// researcher's approvals; EFORBIDDEN when it may see none.
func (s *Service) rowScope(ctx context.Context) (*domain.RowScope, error) {
	a := domain.ActorFrom(ctx)
	var sc domain.RowScope
	switch {
	case a.AggregatesOnly():
		var err error
		if sc, err = s.store.ApprovalScope(ctx, a.Name, a.Issuer, a.DatasetGrants); err != nil {
			return nil, err
		}
		if sc.Empty() {
			return nil, errRowsNeedApproval
		}
	case a.Confined(): // staff of some biobanks
		bs, err := s.store.BiobanksByCodes(ctx, importScope(ctx))
		if err != nil {
			return nil, err
		}
		for _, b := range bs {
			sc.BiobankIDs = append(sc.BiobankIDs, b.ID)
		}
		if sc.Empty() {
			return nil, domain.Errorf(domain.EFORBIDDEN, "you act for no biobank (%s): staff read and write the records of their biobanks only",
				strings.Join(a.Biobanks, ", "))
		}
	default:
		return nil, nil
	}
	return &sc, nil
}

// readableIDs tells which of ids of kind lie within sc (all when sc is
// nil).
func (s *Service) readableIDs(ctx context.Context, sc *domain.RowScope, kind string, ids []string) (func(string) bool, error) {
	if sc == nil {
		return func(string) bool { return true }, nil
	}
	in, err := s.store.InRowScope(ctx, *sc, kind, ids)
	if err != nil {
		return nil, err
	}
	return func(id string) bool { return in[id] }, nil
}

// keepReadable returns the items of xs within the row scope of ctx; id
// names an item, kind its type ("Sample", "DataFile", "Donor").
func keepReadable[T any](ctx context.Context, s *Service, kind string, id func(T) string, xs []T) ([]T, error) {
	sc, err := s.rowScope(ctx)
	if err != nil || sc == nil {
		return xs, err
	}
	ids := make([]string, len(xs))
	for i, x := range xs {
		ids[i] = id(x)
	}
	in, err := s.readableIDs(ctx, sc, kind, ids)
	if err != nil {
		return nil, err
	}
	out := xs[:0:0]
	for _, x := range xs {
		if in(id(x)) {
			out = append(out, x)
		}
	}
	return out, nil
}

// keepReadableGroups is keepReadable over the lists of a batch lookup.
func keepReadableGroups[T any](ctx context.Context, s *Service, kind string, id func(T) string, groups map[string][]T) (map[string][]T, error) {
	var all []T
	for _, xs := range groups {
		all = append(all, xs...)
	}
	kept, err := keepReadable(ctx, s, kind, id, all)
	if err != nil || len(kept) == len(all) {
		return groups, err
	}
	in := make(map[string]bool, len(kept))
	for _, x := range kept {
		in[id(x)] = true
	}
	out := make(map[string][]T, len(groups))
	for k, xs := range groups {
		for _, x := range xs {
			if in[id(x)] {
				out[k] = append(out[k], x)
			}
		}
	}
	return out, nil
}

// readableOne fetches a single record for the actor of ctx: a
// researcher approved for nothing is refused before the lookup, and a
// record outside the approvals after it.
func readableOne[T any](ctx context.Context, s *Service, kind string, id func(T) string, fetch func() (T, error)) (T, error) {
	var zero T
	sc, err := s.rowScope(ctx)
	if err != nil {
		return zero, err
	}
	x, err := fetch()
	if err != nil || sc == nil {
		return x, err
	}
	in, err := s.readableIDs(ctx, sc, kind, []string{id(x)})
	if err != nil {
		return zero, err
	}
	if !in(id(x)) {
		return zero, domain.Errorf(domain.EFORBIDDEN, "%s %s lies outside what you may see: %s", strings.ToLower(kind), id(x), yourScope(ctx))
	}
	return x, nil
}

// yourScope says what the actor of ctx may see row by row.
func yourScope(ctx context.Context) string {
	a := domain.ActorFrom(ctx)
	if a.AggregatesOnly() {
		return "the samples and files of your approved datasets and sample sets"
	}
	return "the records of your biobanks (" + strings.Join(a.Biobanks, ", ") + ")"
}

// pseudonymised returns donors as the actor of ctx may see them: without
// birth years for researchers.
func pseudonymised(ctx context.Context, ds []domain.Donor) []domain.Donor {
	if !domain.ActorFrom(ctx).AggregatesOnly() {
		return ds
	}
	for i := range ds {
		ds[i] = ds[i].Pseudonymised()
	}
	return ds
}

func sampleID(x domain.Sample) string          { return x.ID }
func fileID(x domain.DataFile) string          { return x.ID }
func donorID(x domain.Donor) string            { return x.ID }
func fileSampleID(x domain.FileSample) string  { return x.SampleID }
func withdrawalID(x domain.Withdrawal) string  { return x.ID }
func consentDonor(x domain.Consent) string     { return x.DonorID }
func diagnosisDonor(x domain.Diagnosis) string { return x.DonorID }

// keepReadableKeys keeps the groups of a batch lookup keyed by records of
// kind (the consents of donors) whose key lies within the row scope.
func keepReadableKeys[T any](ctx context.Context, s *Service, kind string, groups map[string]T) (map[string]T, error) {
	sc, err := s.rowScope(ctx)
	if err != nil || sc == nil {
		return groups, err
	}
	keys := make([]string, 0, len(groups))
	for k := range groups {
		keys = append(keys, k)
	}
	in, err := s.readableIDs(ctx, sc, kind, keys)
	if err != nil {
		return nil, err
	}
	out := make(map[string]T, len(groups))
	for k, v := range groups {
		if in(k) {
			out[k] = v
		}
	}
	return out, nil
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

// readableRecord refuses the record with id, of any kind, when it lies
// outside the row scope of ctx; biobanks, studies and datasets hold no
// personal data and lie within every scope.
func (s *Service) readableRecord(ctx context.Context, id string) error {
	sc, err := s.rowScope(ctx)
	if err != nil || sc == nil {
		return err
	}
	kind, err := s.store.EntityType(ctx, id)
	if err != nil {
		return err
	}
	key := id
	switch kind {
	case "Sample", "DataFile", "Donor", "Withdrawal":
	case "Consent":
		c, err := s.store.Consent(ctx, id)
		if err != nil {
			return err
		}
		kind, key = "Donor", c.DonorID
	case "Diagnosis":
		d, err := s.store.Diagnosis(ctx, id)
		if err != nil {
			return err
		}
		kind, key = "Donor", d.DonorID
	default:
		return nil
	}
	in, err := s.readableIDs(ctx, sc, kind, []string{key})
	if err == nil && !in(key) {
		err = domain.Errorf(domain.EFORBIDDEN, "%s %s lies outside what you may see: %s", strings.ToLower(kind), key, yourScope(ctx))
	}
	return err
}
