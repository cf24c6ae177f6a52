package ontology

import (
	"fmt"
	"slices"
	"strings"
)

// buildSnapshot indexes the terms of every system, links parents and
// children, checks that the hierarchy is acyclic and precomputes each
// term's ancestors with their shortest distance.
func buildSnapshot(systems []System, lists [][]Term) (*snapshot, error) {
	total := 0
	for _, l := range lists {
		total += len(l)
	}
	s := &snapshot{
		systems: make([]systemData, len(systems)),
		sysIdx:  make(map[string]int, 2*len(systems)),
		nodes:   make([]node, 0, total),
		byCURIE: make(map[string]int32, total),
		byFold:  map[string][]int32{},
		byLabel: make(map[string][]int32, total),
		bySyn:   make(map[string][]int32, total),
	}
	for i, sys := range systems {
		s.sysIdx[strings.ToUpper(sys.Name)] = i
		s.sysIdx[strings.ToUpper(sys.Prefix)] = i
		start := int32(len(s.nodes))
		for _, t := range lists[i] {
			id := int32(len(s.nodes))
			if _, dup := s.byCURIE[t.CURIE]; dup {
				return nil, fmt.Errorf("duplicate term %s", t.CURIE)
			}
			s.nodes = append(s.nodes, node{term: t, sys: int32(i)})
			s.byCURIE[t.CURIE] = id
			if fold := strings.ToUpper(t.CURIE); fold != t.CURIE {
				s.byFold[fold] = append(s.byFold[fold], id)
			}
			if t.Label != "" {
				addName(s.byLabel, foldName(t.Label), id)
			}
			for _, syn := range t.Synonyms {
				addName(s.bySyn, foldName(syn), id)
			}
		}
		s.systems[i] = systemData{sys: sys, start: start, end: int32(len(s.nodes))}
	}

	nChildren := make([]int32, len(s.nodes))
	for id := range s.nodes {
		n := &s.nodes[id]
		if len(n.term.Parents) == 0 {
			continue
		}
		n.parents = make([]int32, 0, len(n.term.Parents))
		for _, p := range n.term.Parents {
			pid, ok := s.byCURIE[p]
			if !ok {
				return nil, fmt.Errorf("%s: parent %s not found", n.term.CURIE, p)
			}
			n.parents = append(n.parents, pid)
			nChildren[pid]++
		}
	}
	for id := range s.nodes {
		if nChildren[id] > 0 {
			s.nodes[id].children = make([]int32, 0, nChildren[id])
		}
	}
	for id := range s.nodes {
		for _, p := range s.nodes[id].parents {
			s.nodes[p].children = append(s.nodes[p].children, int32(id))
		}
	}

	order, err := s.topoOrder()
	if err != nil {
		return nil, err
	}
	s.computeAncestors(order)
	return s, nil
}

// addName appends id under key unless it is already the last entry.
func addName(m map[string][]int32, key string, id int32) {
	if key == "" {
		return
	}
	ids := m[key]
	if len(ids) > 0 && ids[len(ids)-1] == id {
		return
	}
	m[key] = append(ids, id)
}

// topoOrder returns the nodes with every parent before its children, or
// an error naming a cycle.
func (s *snapshot) topoOrder() ([]int32, error) {
	pending := make([]int32, len(s.nodes))
	order := make([]int32, 0, len(s.nodes))
	for id := range s.nodes {
		pending[id] = int32(len(s.nodes[id].parents))
		if pending[id] == 0 {
			order = append(order, int32(id))
		}
	}
	for i := 0; i < len(order); i++ {
		for _, c := range s.nodes[order[i]].children {
			pending[c]--
			if pending[c] == 0 {
				order = append(order, c)
			}
		}
	}
	if len(order) == len(s.nodes) {
		return order, nil
	}
	// Every node left has an unprocessed parent: walk up until a node
	// repeats, which closes a cycle.
	start := int32(-1)
	for id, p := range pending {
		if p > 0 {
			start = int32(id)
			break
		}
	}
	seenAt := map[int32]int{}
	var path []int32
	for cur := start; ; {
		if i, ok := seenAt[cur]; ok {
			path = path[i:]
			break
		}
		seenAt[cur] = len(path)
		path = append(path, cur)
		for _, p := range s.nodes[cur].parents {
			if pending[p] > 0 {
				cur = p
				break
			}
		}
	}
	names := s.curies(path)
	names = append(names, names[0])
	return nil, fmt.Errorf("cycle in hierarchy: %s", strings.Join(names, " is_a "))
}

// computeAncestors fills anc and ancSet of every node, visiting nodes in
// topological order so that parents are done first.
func (s *snapshot) computeAncestors(order []int32) {
	n := len(s.nodes)
	stamp := make([]int32, n) // node id + 1 whose list holds the entry
	pos := make([]int32, n)   // index of the entry in list
	var list []ancStep
	arena := make([]ancStep, 0, 4*n)
	setArena := make([]int32, 0, 4*n)
	for _, id := range order {
		nd := &s.nodes[id]
		if len(nd.parents) == 0 {
			continue
		}
		list = list[:0]
		mark := id + 1
		add := func(a, depth int32) {
			if stamp[a] == mark {
				if e := &list[pos[a]]; depth < e.depth {
					e.depth = depth
				}
				return
			}
			stamp[a], pos[a] = mark, int32(len(list))
			list = append(list, ancStep{id: a, depth: depth})
		}
		for _, p := range nd.parents {
			add(p, 1)
		}
		for _, p := range nd.parents {
			for _, st := range s.nodes[p].anc {
				add(st.id, st.depth+1)
			}
		}
		slices.SortStableFunc(list, func(a, b ancStep) int { return int(a.depth - b.depth) })
		start := len(arena)
		arena = append(arena, list...)
		nd.anc = arena[start:len(arena):len(arena)]
		setStart := len(setArena)
		for _, st := range list {
			setArena = append(setArena, st.id)
		}
		set := setArena[setStart:len(setArena):len(setArena)]
		slices.Sort(set)
		nd.ancSet = set
	}
}
