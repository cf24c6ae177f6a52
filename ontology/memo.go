package ontology

import (
	"strings"
	"sync"
)

// maxMemo bounds the answers a snapshot remembers: a registry file repeats
// a few hundred distinct codes over millions of rows. When the memo is
// full it starts again empty, so that a burst of odd inputs (a file with a
// shifted column) does not leave it useless for the next files.
const maxMemo = 1 << 14

// maxMemoInput is the longest input remembered: codes, labels and
// synonyms are short, and anything longer is not worth keeping.
const maxMemoInput = 128

// resolveMemo remembers the answers of Resolve for one snapshot: a
// snapshot never changes, so neither do its answers.
type resolveMemo struct {
	mu sync.RWMutex
	m  map[memoKey]resolved
}

type resolved struct {
	id  int32 // the node found, or -1
	err error // read-only once stored
}

// memoKey identifies a question asked of Resolve. The usual one to three
// systems are kept as they are; more are joined into rest.
type memoKey struct {
	input   string
	systems [3]string
	n       int
	rest    string
}

func newMemoKey(input string, systems []string) memoKey {
	k := memoKey{input: input, n: len(systems)}
	if len(systems) <= len(k.systems) {
		copy(k.systems[:], systems)
	} else {
		k.rest = strings.Join(systems, "\x00")
	}
	return k
}

// owned returns the key with strings of its own, so that a remembered
// key does not keep alive the record or request its strings came from.
func (k memoKey) owned() memoKey {
	k.input, k.rest = strings.Clone(k.input), strings.Clone(k.rest)
	for i := range k.systems {
		k.systems[i] = strings.Clone(k.systems[i])
	}
	return k
}

func (m *resolveMemo) get(key memoKey) (resolved, bool) {
	m.mu.RLock()
	r, ok := m.m[key]
	m.mu.RUnlock()
	return r, ok
}

func (m *resolveMemo) put(key memoKey, r resolved) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil || len(m.m) >= maxMemo {
		m.m = make(map[memoKey]resolved)
	}
	m.m[key] = r
}
