package graph

import (
	"reflect"

	"databank/domain"
)

// renamed merges an input field with its former, deprecated name (see
// docs/glossary.md): either may be given, both only with the same value.
func renamed[T any](field, former string, value, old *T) (*T, error) {
	switch {
	case old == nil:
		return value, nil
	case value == nil:
		return old, nil
	case reflect.DeepEqual(*value, *old):
		return value, nil
	}
	v := domain.NewValidation("input")
	v.Fail(field, "", "and its former name %s disagree: give %s alone", former, field)
	return nil, v.Err()
}
