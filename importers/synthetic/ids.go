package synthetic

import (
	"errors"
	"strconv"
)

// errTooManySamples reports that the sample barcode space is exhausted.
var errTooManySamples = errors.New("synthetic: more than 1,000,000,000 samples")

// donorIDBits is the width of a donor id: 10 base32 characters.
const donorIDBits = 50

// donorIDs turns donor ordinals into pseudonymous ids. It applies a keyed
// bijection on 50-bit numbers, so ids look random yet never collide, with
// no memory of the ids already issued.
type donorIDs struct {
	k1, k2, m1, m2 uint64
}

// newDonorIDs draws the permutation keys from s.
func newDonorIDs(s *source) donorIDs {
	return donorIDs{
		k1: s.uint64(),
		k2: s.uint64(),
		m1: s.uint64() | 1, // odd multipliers are invertible modulo 2^n
		m2: s.uint64() | 1,
	}
}

// id returns the donor id of ordinal n (n < 2^50).
func (p donorIDs) id(n uint64) string {
	const mask = 1<<donorIDBits - 1
	x := (n ^ p.k1) & mask
	x = (x * p.m1) & mask
	x ^= x >> 23
	x = (x * p.m2) & mask
	x ^= x >> 27
	x = (x + p.k2) & mask
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" // RFC 4648 base32
	var b [donorIDBits / 5]byte
	for i := len(b) - 1; i >= 0; i-- {
		b[i] = alphabet[x&31]
		x >>= 5
	}
	return string(b[:])
}

// barcodeSpace is the number of distinct 9-digit sample barcodes.
const barcodeSpace = 1_000_000_000

// barcodes turns sample ordinals into 9-digit barcode numbers with a
// keyed bijection on [0, 10^9): unique for the first 10^9 samples, yet not
// sequential.
type barcodes struct {
	keys [3]uint64
}

// newBarcodes draws the permutation keys from s.
func newBarcodes(s *source) barcodes {
	return barcodes{keys: [3]uint64{s.uint64(), s.uint64(), s.uint64()}}
}

// number returns the barcode number of sample ordinal n.
func (p barcodes) number(n uint64) (uint32, error) {
	if n >= barcodeSpace {
		return 0, errTooManySamples
	}
	// Cycle walking: permute within [0, 2^30) until the value falls below
	// 10^9, which keeps the mapping a bijection on [0, 10^9).
	x := n
	for {
		x = p.permute30(x)
		if x < barcodeSpace {
			return uint32(x), nil
		}
	}
}

// permute30 is a bijection on 30-bit numbers: a four-round Feistel
// network over two 15-bit halves.
func (p barcodes) permute30(x uint64) uint64 {
	const half, mask = 15, 1<<15 - 1
	l, r := x>>half, x&mask
	for round := range 4 {
		f := (r*0x9e3779b1 ^ p.keys[round%3]>>(round*8)) * 0xbf58476d1ce4e5b9
		l, r = r, (l^f>>40)&mask
	}
	return l<<half | r
}

// padded returns prefix followed by n in decimal, zero-padded to width.
func padded(prefix string, n uint64, width int) string {
	var digits [20]byte
	d := strconv.AppendUint(digits[:0], n, 10)
	b := make([]byte, 0, len(prefix)+max(width, len(d)))
	b = append(b, prefix...)
	for i := len(d); i < width; i++ {
		b = append(b, '0')
	}
	return string(append(b, d...))
}

// egaID returns an EGA accession: prefix (EGAS, EGAD, EGAC, EGAF) and 11
// digits counting up from 00001000001 for n = 1.
func egaID(prefix string, n uint64) string {
	return padded(prefix, 1_000_000+n, 11)
}
