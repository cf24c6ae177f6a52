package ontology

import "slices"

// IsA reports whether the term curie is the term ancestor or lies below it
// at any depth, along any of its parents. It is reflexive: IsA(x, x) is true for
// every known term. It is false when either term is unknown. Both
// arguments accept any form Normalize accepts.
func (r *Registry) IsA(curie, ancestor string) bool {
	s := r.snapshot()
	a, ok := s.find(curie)
	if !ok {
		return false
	}
	b, ok := s.find(ancestor)
	if !ok {
		return false
	}
	if a == b {
		return true
	}
	_, found := slices.BinarySearch(s.nodes[a].ancSet, b)
	return found
}

// Ancestors returns the CURIEs of every ancestor of the term, excluding
// the term itself: nearest first, and in parent order among ancestors at
// the same distance. It returns nil for an unknown term or a root.
func (r *Registry) Ancestors(curie string) []string {
	s := r.snapshot()
	id, ok := s.find(curie)
	if !ok {
		return nil
	}
	anc := s.nodes[id].anc
	if len(anc) == 0 {
		return nil
	}
	out := make([]string, len(anc))
	for i, st := range anc {
		out[i] = s.nodes[st.id].term.CURIE
	}
	return out
}

// Descendants returns the CURIEs of every term below the given one,
// excluding the term itself, breadth first: children in term order, then
// grandchildren, and so on. Obsolete terms that kept their parents are
// included. It returns nil for an unknown term or a leaf.
func (r *Registry) Descendants(curie string) []string {
	s := r.snapshot()
	id, ok := s.find(curie)
	if !ok || len(s.nodes[id].children) == 0 {
		return nil
	}
	seen := make([]bool, len(s.nodes))
	seen[id] = true
	queue := []int32{id}
	var out []string
	for i := 0; i < len(queue); i++ {
		for _, c := range s.nodes[queue[i]].children {
			if !seen[c] {
				seen[c] = true
				queue = append(queue, c)
				out = append(out, s.nodes[c].term.CURIE)
			}
		}
	}
	return out
}

// Children returns the CURIEs of the direct children of the term, in term
// order. It returns nil for an unknown term or a leaf.
func (r *Registry) Children(curie string) []string {
	s := r.snapshot()
	id, ok := s.find(curie)
	if !ok {
		return nil
	}
	return s.curies(s.nodes[id].children)
}

// Closure returns the transitive closure of a system's hierarchy: for
// every term, one edge to itself at depth 0 and one to each ancestor at
// its shortest distance, ancestors in other systems included. Terms come
// in the order of Terms. A store can persist the edges to answer "under X"
// filters with a single join. It returns nil for an unknown system.
func (r *Registry) Closure(system string) []Edge {
	s := r.snapshot()
	i, ok := s.systemIndex(system)
	if !ok {
		return nil
	}
	sd := s.systems[i]
	n := 0
	for id := sd.start; id < sd.end; id++ {
		n += 1 + len(s.nodes[id].anc)
	}
	out := make([]Edge, 0, n)
	for id := sd.start; id < sd.end; id++ {
		self := s.nodes[id].term.CURIE
		out = append(out, Edge{Descendant: self, Ancestor: self})
		for _, st := range s.nodes[id].anc {
			out = append(out, Edge{Descendant: self, Ancestor: s.nodes[st.id].term.CURIE, Depth: int(st.depth)})
		}
	}
	return out
}
