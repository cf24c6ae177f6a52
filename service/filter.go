package service

import (
	"context"

	"databank/domain"
)

// Filters are normalised here, once, for every entry point: biobank codes
// become ids, vocabulary codes in any accepted spelling (CURIE, bare
// code, shorthand, unambiguous label) become canonical CURIEs, and ids
// are checked. Anything unusable is EINVALID naming the filter field;
// an unknown code carries the closest known codes, never an empty result.

// filterField names a field of a listing's filter in messages.
func filterField(name string) string { return "filter." + name }

// biobankID resolves a biobank code; "" stays "".
func (s *Service) biobankID(ctx context.Context, field, code string) (string, error) {
	if code == "" {
		return "", nil
	}
	b, err := s.store.BiobankByCode(ctx, code)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return "", invalid(field, code, "no biobank has this code")
	}
	return b.ID, err
}

// normalise runs each step in order and stops at the first error.
func normalise(steps ...func() error) error {
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func (s *Service) withdrawalFilter(ctx context.Context, f *domain.WithdrawalFilter) error {
	return normalise(
		func() (err error) { f.BiobankID, err = s.biobankID(ctx, filterField("biobank"), f.BiobankCode); return },
		func() error { return domain.CheckID(filterField("sample"), f.SampleID) },
		func() error { return domain.CheckID(filterField("study"), f.StudyID) },
	)
}

// code resolves a code of systems to its CURIE, naming field when it is
// unknown (with the closest codes); "" stays "".
func (s *Service) code(field, code string, systems ...string) (string, error) {
	if code == "" {
		return "", nil
	}
	t, err := s.vocab.Resolve(code, systems...)
	if err != nil {
		return "", invalid(field, code, err.Error())
	}
	return t.CURIE, nil
}

// invalid is the error of a value a caller gave in field.
func invalid(field, value, msg string) error {
	return &domain.Error{Code: domain.EINVALID, Message: "invalid input",
		Fields: []domain.FieldError{{Field: field, Value: domain.Quote(value, domain.QuoteMax), Message: msg}}}
}
