package domain

import "math"

// unitScales gives each convertible unit its dimension and its size in
// the dimension's smallest unit.
var unitScales = map[string]struct {
	dimension string
	size      int64
}{
	"ng": {"mass", 1}, "ug": {"mass", 1_000}, "mg": {"mass", 1_000_000}, "g": {"mass", 1_000_000_000},
	"uL": {"volume", 1}, "mL": {"volume", 1_000}, "L": {"volume", 1_000_000},
}

// ComparableUnits returns the canonical units a quantity in unit compares
// with: the units of its dimension (mass or volume), or unit alone.
func ComparableUnits(unit string) []string {
	s, ok := unitScales[unit]
	if !ok {
		return []string{unit}
	}
	var out []string
	for _, u := range []string{"ng", "ug", "mg", "g", "uL", "mL", "L"} {
		if unitScales[u].dimension == s.dimension {
			out = append(out, u)
		}
	}
	return out
}

// AtLeastIn converts the threshold "at least q of from" into unit to,
// rounding up to the quantities' precision so that a stored quantity
// meets the converted threshold exactly when it meets the original; ok
// is false when the units do not compare.
func AtLeastIn(q Quantity, from, to string) (Quantity, bool) {
	if from == to {
		return q, true
	}
	a, okA := unitScales[from]
	b, okB := unitScales[to]
	if !okA || !okB || a.dimension != b.dimension {
		return 0, false
	}
	if a.size >= b.size {
		f := Quantity(a.size / b.size)
		// saturate: a threshold beyond int64 in the smaller unit is one no
		// stored quantity meets (or, negative, one every quantity meets)
		switch {
		case q > math.MaxInt64/f:
			return math.MaxInt64, true
		case q < math.MinInt64/f:
			return math.MinInt64, true
		}
		return q * f, true
	}
	d := Quantity(b.size / a.size)
	if q >= 0 {
		return (q + d - 1) / d, true
	}
	return q / d, true
}
