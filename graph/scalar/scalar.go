// Package scalar holds the GraphQL scalars Databank adds: Date and Quantity.
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
		return time.Time{}, fmt.Errorf("a Date must be a string of the form YYYY-MM-DD")
	}
	return domain.ParseDate(s)
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
