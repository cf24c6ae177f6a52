package service

import (
	"context"
	"strings"
	"time"

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

// rowScope returns the scope the actor of ctx is confined to when reading
// rows: nil when it sees every row (admins, staff of every biobank, the
// federation client), the biobanks of staff who act for some only, and a
// researcher's approvals; EFORBIDDEN when it may see none. Scopes are
// reused for rowScopeTTL (rowScopeCache).
func (s *Service) rowScope(ctx context.Context) (*domain.RowScope, error) {
	a := domain.ActorFrom(ctx)
	if !a.Confined() {
		return nil, nil
	}
	key, now := scopeKey(a), time.Now()
	sc, ok := s.scopes.get(key, now)
	if !ok {
		var err error
		if sc, err = s.findRowScope(ctx, a); err != nil {
			return nil, err
		}
		s.scopes.put(key, sc, now)
	}
	switch {
	case !sc.Empty():
		return &sc, nil
	case a.AggregatesOnly():
		return nil, errRowsNeedApproval
	}
	return nil, domain.Errorf(domain.EFORBIDDEN, "you act for no biobank (%s): staff read and write the records of their biobanks only",
		strings.Join(a.Biobanks, ", "))
}

// findRowScope asks the store for the scope of a confined actor: a
// researcher's approvals, or the ids of a staff member's biobanks.
func (s *Service) findRowScope(ctx context.Context, a domain.Actor) (domain.RowScope, error) {
	if a.AggregatesOnly() {
		return s.store.ApprovalScope(ctx, a.Name, a.Issuer, a.DatasetGrants)
	}
	var sc domain.RowScope
	bs, err := s.store.BiobanksByCodes(ctx, importScope(ctx))
	for _, b := range bs {
		sc.BiobankIDs = append(sc.BiobankIDs, b.ID)
	}
	return sc, err
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
	if sc != nil && domain.ErrorCode(err) == domain.ENOTFOUND {
		// a confined reader learns nothing of what lies outside its
		// scope, not even whether it exists
		return zero, domain.NotVisible(domain.ActorFrom(ctx), strings.ToLower(kind))
	}
	if err != nil || sc == nil {
		return x, err
	}
	in, err := s.readableIDs(ctx, sc, kind, []string{id(x)})
	if err != nil {
		return zero, err
	}
	if !in(id(x)) { // answered as for a record that does not exist: no id of it
		return zero, domain.NotVisible(domain.ActorFrom(ctx), strings.ToLower(kind))
	}
	return x, nil
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

// readableRecord returns the kind of the record with id ("Sample", …),
// refusing it when it lies outside the row scope of ctx; biobanks,
// studies and datasets hold no personal data and lie within every scope.
func (s *Service) readableRecord(ctx context.Context, id string) (string, error) {
	sc, err := s.rowScope(ctx)
	if err != nil {
		return "", err
	}
	kind, err := s.store.EntityType(ctx, id)
	if sc == nil || err != nil {
		if sc != nil && domain.ErrorCode(err) == domain.ENOTFOUND {
			err = domain.NotVisible(domain.ActorFrom(ctx), id)
		}
		return kind, err
	}
	return kind, s.readableOfKind(ctx, sc, id, kind)
}

// readableOfKind refuses the record with id, of kind, outside sc.
func (s *Service) readableOfKind(ctx context.Context, sc *domain.RowScope, id, kind string) error {
	asked := strings.ToLower(kind) + " " + id // the refusal names what was asked for, never the donor behind it
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
		err = domain.NotVisible(domain.ActorFrom(ctx), asked)
	}
	return err
}

// pseudonymsKept refuses a researcher's listing of samples (or of files,
// by their samples) selected by their donors' birth years or ages, or by
// diagnosis: the rows hide the birth year (age band only) and the
// diagnoses, which such a filter, narrowed year by year or code by code,
// would give back.
func pseudonymsKept(a domain.Actor, f *domain.SampleFilter) error {
	if !a.AggregatesOnly() {
		return nil
	}
	if f.UsesBirthYear() {
		return domain.Errorf(domain.EFORBIDDEN, "approved researchers see age bands, not birth years: a listing of samples may not select by birth year or age at collection "+
			"(counts and facets may)")
	}
	if f.UsesDiagnosis() {
		return domain.Errorf(domain.EFORBIDDEN, "approved researchers do not see diagnoses: a listing of samples may not select by diagnosis (counts and facets may)")
	}
	return nil
}
