// Package scalar holds the GraphQL scalars Databank adds: Date, Quantity,
// Long (64-bit integers) and JSON (JSON text passed through as a value).
package scalar

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"

	"databank/domain"
)

// MarshalDate writes a calendar date as "YYYY-MM-DD".
func MarshalDate(t time.Time) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.Quote(t.Format(domain.DateLayout)))
	})
}

// UnmarshalDate reads a "YYYY-MM-DD" string.
func UnmarshalDate(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, invalid("a Date must be a string of the form YYYY-MM-DD")
	}
	t, err := domain.ParseDate(s)
	if err != nil {
		return t, invalid(err.Error())
	}
	return t, nil
}

// invalid is the error of an unreadable scalar: bad input, not a fault.
func invalid(msg string) error {
	return &domain.Error{Code: domain.EINVALID, Message: msg}
}

// MarshalQuantity writes a quantity as a JSON number with at most three
// decimal places.
func MarshalQuantity(q domain.Quantity) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, q.String())
	})
}

// UnmarshalQuantity reads a number or a decimal string, refusing more than
// three decimal places.
func UnmarshalQuantity(v any) (domain.Quantity, error) {
	q, err := parseQuantity(v)
	if err != nil {
		return 0, invalid("a Quantity must be a non-negative number with at most 3 decimal places: " + err.Error())
	}
	return q, nil
}

func parseQuantity(v any) (domain.Quantity, error) {
	switch x := v.(type) {
	case string:
		return domain.ParseQuantity(x)
	case json.Number:
		return domain.ParseQuantity(x.String())
	case int:
		return domain.ParseQuantity(strconv.Itoa(x))
	case int64:
		return domain.ParseQuantity(strconv.FormatInt(x, 10))
	case float64:
		return domain.ParseQuantity(strconv.FormatFloat(x, 'f', -1, 64))
	}
	return 0, fmt.Errorf("a Quantity must be a number")
}

// MarshalDateTime writes an instant in RFC 3339 with its fraction.
func MarshalDateTime(t time.Time) graphql.Marshaler {
	return graphql.MarshalTime(t)
}

// UnmarshalDateTime reads an RFC 3339 instant; anything else is INVALID
// (gqlgen's own Time reports it as an internal error).
func UnmarshalDateTime(v any) (time.Time, error) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, invalid("a DateTime must be an RFC 3339 string such as 2026-12-01T09:30:00Z")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return t, invalid(fmt.Sprintf("%q is not an RFC 3339 DateTime such as 2026-12-01T09:30:00Z", s))
	}
	return t, nil
}
