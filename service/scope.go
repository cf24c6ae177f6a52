package service

import (
	"context"
	"strings"

	"databank/domain"
)

// Staff act for the biobanks their token names (domain.Actor.ActsFor):
// they create, change and retire the records of those biobanks only, and
// import only their rows. Admins, and staff of every biobank, act for all.

// actsForAll reports whether the actor of ctx acts for every biobank.
func actsForAll(ctx context.Context) bool {
	a := domain.ActorFrom(ctx)
	return a.Role == domain.RoleAdmin || a.ActsFor(domain.AllBiobanks)
}

// importScope is the biobank codes an import by the actor of ctx may
// hold; nil for every biobank.
func importScope(ctx context.Context) []string {
	if actsForAll(ctx) {
		return nil
	}
	a := domain.ActorFrom(ctx)
	out := make([]string, 0, len(a.Biobanks))
	for _, c := range a.Biobanks {
		out = append(out, strings.ToUpper(c))
	}
	return out
}

// inScope refuses a write to a record of the biobank with id biobankID
// unless the actor of ctx acts for it.
func (s *Service) inScope(ctx context.Context, biobankID string) error {
	if actsForAll(ctx) || biobankID == "" {
		return nil
	}
	bs, err := s.store.BiobanksByIDs(ctx, []string{biobankID})
	if err != nil || len(bs) == 0 {
		return err // an unknown biobank is the write's own error
	}
	if a := domain.ActorFrom(ctx); !a.ActsFor(bs[0].Code) {
		return domain.Errorf(domain.EFORBIDDEN, "the record belongs to biobank %s, and you act for %s only", bs[0].Code, strings.Join(a.Biobanks, ", "))
	}
	return nil
}

// scoped runs a write on the record with id after checking that the
// actor acts for its biobank (found through get and biobank).
func scoped[T any](ctx context.Context, s *Service, id string, get func(context.Context, string) (T, error), biobank func(context.Context, T) (string, error),
	write func(context.Context, string) (T, error)) (T, error) {
	if !actsForAll(ctx) {
		x, err := get(ctx, id)
		if err != nil {
			var zero T
			return zero, err
		}
		b, err := biobank(ctx, x)
		if err == nil {
			err = s.inScope(ctx, b)
		}
		if err != nil {
			var zero T
			return zero, err
		}
	}
	return write(ctx, id)
}

// donorBiobank is the biobank of a donor, by the donor's id.
func (s *Service) donorBiobank(ctx context.Context, donorID string) (string, error) {
	if actsForAll(ctx) || donorID == "" {
		return "", nil
	}
	d, err := s.store.Donor(ctx, donorID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return "", nil // the write reports the unknown donor
	}
	return d.BiobankID, err
}

// actsForHolding refuses a write to records shared across biobanks (data
// files, datasets) unless the actor of ctx acts for every biobank whose
// data they hold (store.HoldingBiobanks), before and after the write: a
// staff member of one biobank could otherwise take over another's file
// by registering its accession or content again, or hand it out through a
// dataset. Records that hold no biobank's data yet are anyone's on the
// staff.
func (s *Service) actsForHolding(ctx context.Context, h domain.Holding) error {
	if actsForAll(ctx) {
		return nil
	}
	codes, err := s.store.HoldingBiobanks(ctx, h)
	if err != nil {
		return err
	}
	a := domain.ActorFrom(ctx)
	for _, c := range codes {
		if !a.ActsFor(c) {
			return domain.Errorf(domain.EFORBIDDEN, "the record holds data of biobank %s, and you act for %s only", c, strings.Join(a.Biobanks, ", "))
		}
	}
	return nil
}
