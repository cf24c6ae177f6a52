package synthetic

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The loops below check many values with plain comparisons: testify per
// iteration would be slow.

func TestDonorIDsAreUnique(t *testing.T) {
	p := newDonorIDs(newSource(1))
	const n = 300_000
	ids := make([]string, n)
	for i := range ids {
		ids[i] = p.id(uint64(i))
		if !reDonorID.MatchString(ids[i]) {
			t.Fatalf("donor id %q at %d is malformed", ids[i], i)
		}
	}
	slices.Sort(ids)
	assert.Len(t, slices.Compact(ids), n, "donor ids must be unique")
}

func TestBarcodesAreUniqueAndInRange(t *testing.T) {
	p := newBarcodes(newSource(1))
	const n = 1_000_000
	numbers := make([]uint32, n)
	for i := range numbers {
		b, err := p.number(uint64(i))
		if err != nil || b >= barcodeSpace {
			t.Fatalf("barcode %d at %d: %v", b, i, err)
		}
		numbers[i] = b
	}
	slices.Sort(numbers)
	assert.Len(t, slices.Compact(numbers), n, "barcodes must be unique")
	_, err := p.number(barcodeSpace)
	assert.ErrorIs(t, err, errTooManySamples)
}

func TestPermute30IsInjective(t *testing.T) {
	// A Feistel network is a bijection by construction; check that it
	// stays within 30 bits and is injective on 2^20 spread-out inputs.
	p := newBarcodes(newSource(5))
	out := make([]uint64, 1<<20)
	for x := range out {
		out[x] = p.permute30(uint64(x) * 1021 % (1 << 30))
		if out[x] >= 1<<30 {
			t.Fatalf("permute30(%d) = %d, beyond 30 bits", x, out[x])
		}
	}
	slices.Sort(out)
	assert.Len(t, slices.Compact(out), 1<<20)
}

func TestIDFormats(t *testing.T) {
	tests := []struct{ got, want string }{
		{padded("ST", 1, 4), "ST0001"},
		{padded("ST", 500, 4), "ST0500"},
		{padded("C", 12, 8), "C00000012"},
		{padded("C", 123_456_789, 8), "C123456789"},
		{padded("", 42, 9), "000000042"},
		{egaID("EGAS", 1), "EGAS00001000001"},
		{egaID("EGAF", 123_456), "EGAF00001123456"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.got)
	}
}

func TestWeightedPickFollowsWeights(t *testing.T) {
	w := newWeighted(choice[string]{"a", 1}, choice[string]{"b", 3}, choice[string]{"c", 6})
	s := newSource(1)
	counts := map[string]int{}
	for range 100_000 {
		counts[w.pick(s)]++
	}
	require.Len(t, counts, 3)
	assert.InDelta(t, 10_000, counts["a"], 600)
	assert.InDelta(t, 30_000, counts["b"], 900)
	assert.InDelta(t, 60_000, counts["c"], 900)
}
