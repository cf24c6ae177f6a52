package ontology

import (
	"strings"
	"sync"
	"sync/atomic"
)

// Registry holds code systems and their terms. Reads never block: each
// Load builds a new immutable snapshot and swaps it in, so a Registry is
// safe for concurrent use and readers see either the old or the new
// release, never a mix. The zero Registry is empty and ready to use.
type Registry struct {
	mu   sync.Mutex // serialises Load
	snap atomic.Pointer[snapshot]
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry { return &Registry{} }

var emptySnapshot = &snapshot{}

// Clone returns a new registry holding r's current systems and terms.
// Loading a release into either registry leaves the other as it is.
func (r *Registry) Clone() *Registry {
	c := NewRegistry()
	c.snap.Store(r.snapshot())
	return c
}

// Replace makes r hold src's current systems and terms, in one step:
// readers of r see either everything it held before or everything src
// holds, never a mix. A server builds a new release aside (Clone, then
// Load) and publishes it with Replace. Later loads into either registry
// leave the other as it is.
func (r *Registry) Replace(src *Registry) {
	s := src.snapshot()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.snap.Store(s)
}

func (r *Registry) snapshot() *snapshot {
	if s := r.snap.Load(); s != nil {
		return s
	}
	return emptySnapshot
}

// Systems returns the registered systems in the order they were first
// loaded.
func (r *Registry) Systems() []System {
	s := r.snapshot()
	out := make([]System, len(s.systems))
	for i, sd := range s.systems {
		out[i] = sd.sys
	}
	return out
}

// System returns the system with the given name or prefix, in any letter
// case.
func (r *Registry) System(name string) (System, bool) {
	s := r.snapshot()
	i, ok := s.systemIndex(name)
	if !ok {
		return System{}, false
	}
	return s.systems[i].sys, true
}

// Term returns the term named by curie, which may be in any form that
// Normalize accepts; codes match case-insensitively when that is
// unambiguous.
func (r *Registry) Term(curie string) (Term, bool) {
	s := r.snapshot()
	id, ok := s.find(curie)
	if !ok {
		return Term{}, false
	}
	return s.nodes[id].term.clone(), true
}

// Terms returns every term of a system, obsolete ones included: the terms
// of the latest release in release order, then terms missing from it.
// It returns nil for an unknown system.
func (r *Registry) Terms(system string) []Term {
	s := r.snapshot()
	i, ok := s.systemIndex(system)
	if !ok {
		return nil
	}
	sd := s.systems[i]
	out := make([]Term, 0, sd.end-sd.start)
	for id := sd.start; id < sd.end; id++ {
		out = append(out, s.nodes[id].term.clone())
	}
	return out
}

// snapshot is an immutable view of a registry. Nodes are stored system by
// system, each system's terms in a contiguous range.
type snapshot struct {
	systems []systemData
	sysIdx  map[string]int // upper-case name and prefix → index in systems

	nodes   []node
	byCURIE map[string]int32   // canonical CURIE → node
	byFold  map[string][]int32 // upper-case CURIE → nodes, for CURIEs that are not upper case
	byLabel map[string][]int32 // folded label → nodes
	bySyn   map[string][]int32 // folded synonym → nodes

	memo resolveMemo // answers of Resolve
}

type systemData struct {
	sys        System
	start, end int32 // node range
}

type node struct {
	term     Term
	sys      int32
	parents  []int32
	children []int32   // in node order
	anc      []ancStep // all ancestors, nearest first
	ancSet   []int32   // ids of anc, sorted, for IsA
}

type ancStep struct {
	id    int32
	depth int32
}

// systemIndex finds a system by name or prefix, case-insensitively.
func (s *snapshot) systemIndex(name string) (int, bool) {
	i, ok := s.sysIdx[strings.ToUpper(strings.TrimSpace(name))]
	return i, ok
}

// find looks a CURIE up: verbatim, then normalised, then ignoring letter
// case when only one term matches.
func (s *snapshot) find(curie string) (int32, bool) {
	if id, ok := s.byCURIE[curie]; ok {
		return id, true
	}
	n, err := Normalize(curie, "")
	if err != nil {
		return -1, false
	}
	return s.findCanonical(n)
}

// findCanonical looks up a CURIE that is already normalised.
func (s *snapshot) findCanonical(curie string) (int32, bool) {
	if id, ok := s.byCURIE[curie]; ok {
		return id, true
	}
	upper := strings.ToUpper(curie)
	folded := s.byFold[upper]
	id, exact := s.byCURIE[upper]
	switch {
	case exact && len(folded) == 0:
		return id, true
	case !exact && len(folded) == 1:
		return folded[0], true
	}
	return -1, false
}

// curies returns the CURIEs of ids.
func (s *snapshot) curies(ids []int32) []string {
	if len(ids) == 0 {
		return nil
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = s.nodes[id].term.CURIE
	}
	return out
}

// foldName is the key under which labels and synonyms are matched: lower
// case, inner runs of white space collapsed to one space.
func foldName(s string) string {
	if isFolded(s) {
		return s
	}
	return strings.Join(strings.Fields(strings.ToLower(s)), " ")
}

// isFolded reports whether foldName would return s unchanged: ASCII
// without upper case, single inner spaces only.
func isFolded(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'A' && c <= 'Z', c >= 0x80, c < ' ':
			return false
		case c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' '):
			return false
		}
	}
	return true
}
