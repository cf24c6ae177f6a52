package store

import (
	"hash/maphash"
	"slices"

	"github.com/jackc/pgx/v5/pgtype"
)

// Duplicate keys are rare, and grouping a million staged rows in SQL to
// find none costs about a second. So while rows are staged, a 64-bit hash
// of each row's key is kept per duplicate check; only a check whose hashes
// repeat asks SQL which rows really share a key (a repeat may also be a
// collision, which SQL then clears). Eight bytes a row: beyond
// maxKeyHashes in all (32 MiB), the hashes are dropped and every check
// falls back to SQL, so that memory stays bounded for any import size.
const maxKeyHashes = 1 << 22

// keyHashes holds the hashes of the staged keys, per duplicate check.
type keyHashes struct {
	hashes [][]uint64 // by index in dupChecks
	total  int
	off    bool // too many rows: every check runs in SQL
	h      maphash.Hash
}

func newKeyHashes() *keyHashes {
	// A zero maphash.Hash picks a random seed of its own on first use,
	// and Reset keeps it.
	return &keyHashes{hashes: make([][]uint64, len(dupChecks))}
}

// dupKeyColumns returns the positions, among the staging table's columns,
// of each duplicate check's key columns (nil for other kinds).
func dupKeyColumns(k *importKind) [][]int {
	out := make([][]int, len(dupChecks))
	for i, d := range dupChecks {
		if d.kind != k {
			continue
		}
		for _, c := range d.cols {
			out[i] = append(out[i], k.position(c))
		}
	}
	return out
}

// add hashes the keys of one staged row; cols is dupKeyColumns of its table.
func (k *keyHashes) add(cols [][]int, vals []any) {
	if k.off {
		return
	}
	for i, pos := range cols {
		if pos == nil {
			continue
		}
		k.h.Reset()
		null := false
		for _, p := range pos {
			switch v := vals[p].(type) {
			case string:
				k.h.WriteString(v)
			case pgtype.Text:
				null = null || !v.Valid
				k.h.WriteString(v.String)
			default:
				panic("store: duplicate check on a column that is not text")
			}
			k.h.WriteByte(0xff) // never in UTF-8 text
		}
		if null && dupChecks[i].nonNull {
			continue
		}
		k.hashes[i] = append(k.hashes[i], k.h.Sum64())
		if k.total++; k.total > maxKeyHashes {
			k.off, k.hashes = true, nil
			return
		}
	}
}

// mayRepeat reports whether duplicate check i may find rows sharing a key.
func (k *keyHashes) mayRepeat(i int) bool {
	if k.off {
		return true
	}
	h := k.hashes[i]
	slices.Sort(h)
	for j := 1; j < len(h); j++ {
		if h[j] == h[j-1] {
			return true
		}
	}
	return false
}
