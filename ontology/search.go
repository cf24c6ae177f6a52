package ontology

import (
	"cmp"
	"slices"
	"strings"
)

// Search returns up to limit terms of a system (every system when system
// is "") whose CURIE, code, label or synonym matches query,
// case-insensitively: exact matches first, then prefix matches, then
// substring matches; within each group active terms come before obsolete
// ones, then term order. An empty query matches every term. A limit of 0
// or less means no limit. Search returns nil for an unknown system.
func (r *Registry) Search(system, query string, limit int) []Term {
	s := r.snapshot()
	var systems []int
	if strings.TrimSpace(system) == "" {
		systems, _, _ = s.allowedSystems(nil)
	} else {
		i, ok := s.systemIndex(system)
		if !ok {
			return nil
		}
		systems = []int{i}
	}
	q := foldName(query)

	type hit struct {
		id       int32
		class    int
		obsolete bool
	}
	var hits []hit
	for _, si := range systems {
		sd := s.systems[si]
		for id := sd.start; id < sd.end; id++ {
			t := &s.nodes[id].term
			class := -1
			match := func(key string) {
				c := -1
				switch {
				case key == q:
					c = 0
				case strings.HasPrefix(key, q):
					c = 1
				case strings.Contains(key, q):
					c = 2
				}
				if c >= 0 && (class < 0 || c < class) {
					class = c
				}
			}
			match(strings.ToLower(t.CURIE))
			match(strings.ToLower(t.Code))
			match(foldName(t.Label))
			for _, syn := range t.Synonyms {
				match(foldName(syn))
			}
			if class >= 0 {
				hits = append(hits, hit{id: id, class: class, obsolete: t.IsObsolete()})
			}
		}
	}
	slices.SortStableFunc(hits, func(a, b hit) int {
		if c := cmp.Compare(a.class, b.class); c != 0 {
			return c
		}
		if a.obsolete != b.obsolete {
			if a.obsolete {
				return 1
			}
			return -1
		}
		return 0
	})
	if limit > 0 && len(hits) > limit {
		hits = hits[:limit]
	}
	out := make([]Term, len(hits))
	for i, h := range hits {
		out[i] = s.nodes[h.id].term.clone()
	}
	return out
}
