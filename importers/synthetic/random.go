package synthetic

import "math/rand/v2"

// pcgStream is the fixed second PCG seed word; Config.Seed is the first.
const pcgStream = 0x6461746162616e6b // "databank"

// source wraps the single random stream all generation draws from, in a
// fixed order, which is what makes the output reproducible.
type source struct {
	r *rand.Rand
}

// newSource returns a PCG-backed source seeded from seed.
func newSource(seed uint64) *source {
	return &source{r: rand.New(rand.NewPCG(seed, pcgStream))}
}

// intn returns a number in [0, n); n must be > 0.
func (s *source) intn(n int) int { return s.r.IntN(n) }

// between returns a number in [lo, hi]; hi must be >= lo.
func (s *source) between(lo, hi int) int { return lo + s.r.IntN(hi-lo+1) }

// chance reports true with probability p.
func (s *source) chance(p float64) bool { return s.r.Float64() < p }

// uint64 returns 64 random bits.
func (s *source) uint64() uint64 { return s.r.Uint64() }

// dateBetween returns a day in [lo, hi]; hi must be >= lo.
func (s *source) dateBetween(lo, hi date) date {
	return lo + date(s.r.IntN(int(hi-lo)+1))
}

// milliBetween returns a quantity in [lo, hi]; hi must be >= lo.
func (s *source) milliBetween(lo, hi milli) milli {
	return lo + milli(s.r.Int64N(int64(hi-lo)+1))
}

// hex returns n random lower-case hexadecimal digits.
func (s *source) hex(n int) string {
	const digits = "0123456789abcdef"
	b := make([]byte, n)
	var bits uint64
	for i := range b {
		if i%16 == 0 {
			bits = s.r.Uint64()
		}
		b[i] = digits[bits&0xf]
		bits >>= 4
	}
	return string(b)
}

// weighted is a value list with relative weights, sampled by pick.
type weighted[T any] struct {
	values []T
	cum    []int // cumulative weights
}

// choice is one value with its relative weight, for newWeighted.
type choice[T any] struct {
	v T
	w int
}

// newWeighted builds a weighted list; every weight must be > 0.
func newWeighted[T any](cs ...choice[T]) weighted[T] {
	var w weighted[T]
	total := 0
	for _, c := range cs {
		total += c.w
		w.values = append(w.values, c.v)
		w.cum = append(w.cum, total)
	}
	return w
}

// pick draws one value according to the weights.
func (w weighted[T]) pick(s *source) T {
	x := s.intn(w.cum[len(w.cum)-1])
	lo, hi := 0, len(w.cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if w.cum[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return w.values[lo]
}
