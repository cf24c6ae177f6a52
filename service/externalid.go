package service

import (
	"context"
	"strings"

	"databank/domain"
)

// byExternalID finds a record of kind ("sample", "donor", "withdrawal")
// by the external id its biobank gave it. Without a biobank code, the id
// must name one record across all biobanks: unknown is ENOTFOUND, and an
// id several biobanks use is EINVALID naming them, so the caller can
// choose.
func byExternalID[T any](ctx context.Context, s *Service, kind, biobankCode, externalID string,
	find func(context.Context, string, string) (T, error)) (T, error) {
	var zero T
	if biobankCode == "" {
		codes, err := s.store.BiobanksHolding(ctx, kind, externalID)
		switch {
		case err != nil:
			return zero, err
		case len(codes) == 0:
			return zero, domain.Errorf(domain.ENOTFOUND, "no biobank has a %s %s", kind, externalID)
		case len(codes) > 1:
			msg := "biobanks " + strings.Join(codes, ", ") + " each have a " + kind + " " + externalID + "; give one of them"
			return zero, &domain.Error{Code: domain.EINVALID, Message: msg,
				Fields: []domain.FieldError{{Field: "biobank", Message: "must be one of " + strings.Join(codes, ", ")}}}
		}
		biobankCode = codes[0]
	}
	return find(ctx, biobankCode, externalID)
}
