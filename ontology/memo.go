package ontology

import (
	"strings"
	"sync"
)

// maxMemo bounds the answers a snapshot remembers. A registry file
// repeats a few hundred distinct codes over millions of rows; past the
// bound, answers are computed every time.
const maxMemo = 1 << 14

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

func (m *resolveMemo) get(key memoKey) (resolved, bool) {
	m.mu.RLock()
	r, ok := m.m[key]
	m.mu.RUnlock()
	return r, ok
}

func (m *resolveMemo) put(key memoKey, r resolved) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = make(map[memoKey]resolved)
	}
	if len(m.m) < maxMemo {
		m.m[key] = r
	}
}
