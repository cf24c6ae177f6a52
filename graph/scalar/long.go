package scalar

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
)

// longRange is what every Long error message states.
const longRange = "a Long must be a whole number from -9223372036854775808 to 9223372036854775807, sent as a JSON number or a string of digits"

// MarshalLong writes a 64-bit integer as a JSON number. GraphQL's Int is
// 32-bit by the specification; a file of 6 GB needs more.
func MarshalLong(n int64) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) {
		io.WriteString(w, strconv.FormatInt(n, 10))
	})
}

// UnmarshalLong reads a JSON number or a string of decimal digits (with an
// optional sign), refusing fractions, exponents and values outside int64.
func UnmarshalLong(v any) (int64, error) {
	n, err := parseLong(v)
	if err != nil {
		return 0, invalid(longRange + ": " + err.Error())
	}
	return n, nil
}

// MarshalLongInt writes an int as a Long, for domain counts held in int.
func MarshalLongInt(n int) graphql.Marshaler { return MarshalLong(int64(n)) }

// UnmarshalLongInt reads a Long into an int, refusing values an int cannot
// hold on this platform.
func UnmarshalLongInt(v any) (int, error) {
	n, err := UnmarshalLong(v)
	if err != nil {
		return 0, err
	}
	if int64(int(n)) != n {
		return 0, invalid(fmt.Sprintf("%s: %d does not fit in this server's integers", longRange, n))
	}
	return int(n), nil
}

func parseLong(v any) (int64, error) {
	switch x := v.(type) {
	case int64:
		return x, nil
	case int:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case json.Number:
		return parseLongText(x.String())
	case string:
		return parseLongText(strings.TrimSpace(x))
	case float64:
		// A float literal (6378409845.0) or a float decoded without
		// json.Number: GraphQL's Int refuses these too.
		if math.IsInf(x, 0) || math.IsNaN(x) || x != math.Trunc(x) {
			return 0, fmt.Errorf("%v is not a whole number", x)
		}
		return 0, fmt.Errorf("%v: write a whole number without a decimal point or exponent", x)
	case nil:
		return 0, fmt.Errorf("null is not a number")
	}
	return 0, fmt.Errorf("got a %T", v)
}

// parseLongText reads decimal digits with an optional sign, telling apart
// text that is too large, a fraction, and no number at all.
func parseLongText(s string) (int64, error) {
	n, err := strconv.ParseInt(s, 10, 64)
	if err == nil {
		return n, nil
	}
	if errors.Is(err, strconv.ErrRange) {
		return 0, fmt.Errorf("%q is out of range", s)
	}
	f, ferr := strconv.ParseFloat(s, 64)
	switch {
	case ferr != nil:
		return 0, fmt.Errorf("%q is not a number", s)
	case f != math.Trunc(f):
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	return 0, fmt.Errorf("%q: write a whole number in plain digits, without a decimal point or exponent", s)
}
