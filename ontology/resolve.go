package ontology

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxSuggestions is how many close matches an UnknownCodeError offers.
const maxSuggestions = 3

// Resolve finds the term meant by input, looking only in the given systems
// (names or prefixes, any letter case), or in all systems when none are
// given. It tries, in turn:
//
//  1. a CURIE or IRI in any form Normalize accepts;
//  2. a bare code in each allowed system ("E11.9" and "E119" alike);
//  3. a label, then a synonym, compared case-insensitively.
//
// The first step that matches decides. When a step matches several terms,
// the one below all the others is returned if there is one, else the only
// active one; otherwise the result is an *AmbiguousCodeError. No match
// gives an *UnknownCodeError with up to three suggestions. Obsolete terms
// are returned like any other: the caller should warn and name
// Term.ReplacedBy. An unknown system name is an error of its own.
func (r *Registry) Resolve(input string, systems ...string) (Term, error) {
	s, id, err := r.resolveNode(input, systems)
	if err != nil {
		return Term{}, err
	}
	return s.nodes[id].term.clone(), nil
}

// Resolution is what ResolveCode tells of the term found.
type Resolution struct {
	CURIE      string
	Status     Status
	ReplacedBy string
}

// ResolveCode is Resolve for validators, which need only the canonical
// CURIE and whether the term is obsolete: it copies none of the term's
// lists, so it allocates nothing once the same input has been resolved.
func (r *Registry) ResolveCode(input string, systems ...string) (Resolution, error) {
	s, id, err := r.resolveNode(input, systems)
	if err != nil {
		return Resolution{}, err
	}
	t := &s.nodes[id].term
	return Resolution{CURIE: t.CURIE, Status: t.Status, ReplacedBy: t.ReplacedBy}, nil
}

// resolveNode answers Resolve from the snapshot's memo, or works the
// answer out and remembers it.
func (r *Registry) resolveNode(input string, systems []string) (*snapshot, int32, error) {
	s := r.snapshot()
	if len(input) > maxMemoInput {
		id, err := s.resolve(input, systems)
		return s, id, err
	}
	key := newMemoKey(input, systems)
	res, ok := s.memo.get(key)
	if !ok {
		// The input is often a field of a whole record: keep a copy of
		// its own, not the record.
		key = key.owned()
		res.id, res.err = s.resolve(key.input, systems)
		s.memo.put(key, res)
	}
	return s, res.id, copyError(res.err)
}

// copyError returns a copy of a remembered error, so that no caller can
// change what the next one gets.
func copyError(err error) error {
	switch e := err.(type) {
	case *UnknownCodeError:
		c := *e
		c.Systems, c.Suggestions, c.Labels = slices.Clone(e.Systems), slices.Clone(e.Suggestions), slices.Clone(e.Labels)
		return &c
	case *AmbiguousCodeError:
		c := *e
		c.Matches = slices.Clone(e.Matches)
		return &c
	}
	return err
}

// resolve is Resolve without the memo: it returns the node found.
func (s *snapshot) resolve(input string, systems []string) (int32, error) {
	allowed, names, err := s.allowedSystems(systems)
	if err != nil {
		return -1, err
	}
	in := strings.TrimSpace(input)
	if in == "" {
		return -1, &UnknownCodeError{Input: in, Systems: names}
	}

	if curie, err := Normalize(in, ""); err == nil {
		prefix, code, _ := SplitCURIE(curie)
		if si, known := s.sysIdx[prefix]; known && s.systems[si].sys.Prefix == prefix {
			if slices.Contains(allowed, si) {
				if id, ok := s.findCanonical(curie); ok {
					return id, nil
				}
				return -1, s.unknown(in, names, []int{si}, code)
			}
			return -1, s.unknown(in, names, allowed, code)
		}
	}

	var hits []int32
	for _, si := range allowed {
		prefix := s.systems[si].sys.Prefix
		curie, err := Normalize(in, prefix)
		if err != nil {
			continue
		}
		if p, _, _ := SplitCURIE(curie); p != prefix {
			continue
		}
		if id, ok := s.findCanonical(curie); ok && !slices.Contains(hits, id) {
			hits = append(hits, id)
		}
	}
	if id, err, done := s.pick(in, hits); done {
		return id, err
	}

	key := foldName(in)
	for _, index := range []map[string][]int32{s.byLabel, s.bySyn} {
		hits = hits[:0]
		for _, id := range index[key] {
			if slices.Contains(allowed, int(s.nodes[id].sys)) && !slices.Contains(hits, id) {
				hits = append(hits, id)
			}
		}
		if id, err, done := s.pick(in, hits); done {
			return id, err
		}
	}
	return -1, s.unknown(in, names, allowed, in)
}

// allowedSystems turns the system arguments of Resolve into indexes and
// canonical names; no arguments means every system and no names.
func (s *snapshot) allowedSystems(systems []string) ([]int, []string, error) {
	if len(systems) == 0 {
		all := make([]int, len(s.systems))
		for i := range all {
			all[i] = i
		}
		return all, nil, nil
	}
	var idx []int
	var names []string
	for _, name := range systems {
		i, ok := s.systemIndex(name)
		if !ok {
			return nil, nil, fmt.Errorf("ontology: unknown system %q", name)
		}
		if !slices.Contains(idx, i) {
			idx = append(idx, i)
			names = append(names, s.systems[i].sys.Name)
		}
	}
	return idx, names, nil
}

// pick decides a step of Resolve: done is false when nothing matched.
func (s *snapshot) pick(input string, hits []int32) (id int32, err error, done bool) {
	switch len(hits) {
	case 0:
		return -1, nil, false
	case 1:
		return hits[0], nil, true
	}
	if id, ok := s.deepest(hits); ok {
		return id, nil, true
	}
	active := int32(-1)
	for _, id := range hits {
		if !s.nodes[id].term.IsObsolete() {
			if active >= 0 {
				active = -1
				break
			}
			active = id
		}
	}
	if active >= 0 {
		return active, nil, true
	}
	return -1, &AmbiguousCodeError{Input: input, Matches: s.curies(hits)}, true
}

// deepest returns the hit that lies below all the others, if there is
// one: ICD-10 gives a single-category block and its category the same
// title, and the category is the precise answer.
func (s *snapshot) deepest(hits []int32) (int32, bool) {
	for _, cand := range hits {
		below := true
		for _, other := range hits {
			if other != cand {
				if _, ok := slices.BinarySearch(s.nodes[cand].ancSet, other); !ok {
					below = false
					break
				}
			}
		}
		if below {
			return cand, true
		}
	}
	return -1, false
}

// unknown builds the error for input, suggesting terms of the given
// systems whose code, label or synonym is close to query.
func (s *snapshot) unknown(input string, names []string, systems []int, query string) *UnknownCodeError {
	e := &UnknownCodeError{Input: input, Systems: names}
	for _, id := range s.suggest(query, systems) {
		e.Suggestions = append(e.Suggestions, s.nodes[id].term.CURIE)
		e.Labels = append(e.Labels, s.nodes[id].term.Label)
	}
	return e
}

// suggest returns up to maxSuggestions terms of the given systems whose
// code, label or synonym starts with query or is within a few edits of
// it, best first.
func (s *snapshot) suggest(query string, systems []int) []int32 {
	q := foldName(query)
	qLen := utf8.RuneCountInString(q)
	if qLen == 0 {
		return nil
	}
	maxD := maxEdits(qLen)
	type candidate struct {
		id           int32
		score, extra int
	}
	var cands []candidate
	for _, si := range systems {
		sd := s.systems[si]
		for id := sd.start; id < sd.end; id++ {
			t := &s.nodes[id].term
			best := candidate{id: id, score: -1}
			consider := func(key string) {
				score, extra := matchScore(q, qLen, key, maxD)
				if score >= 0 && (best.score < 0 || score < best.score || score == best.score && extra < best.extra) {
					best.score, best.extra = score, extra
				}
			}
			consider(strings.ToLower(t.Code))
			consider(foldName(t.Label))
			for _, syn := range t.Synonyms {
				consider(foldName(syn))
			}
			if best.score >= 0 {
				cands = append(cands, best)
			}
		}
	}
	slices.SortFunc(cands, func(a, b candidate) int {
		return cmp.Or(cmp.Compare(a.score, b.score), cmp.Compare(a.extra, b.extra), cmp.Compare(a.id, b.id))
	})
	out := make([]int32, 0, maxSuggestions)
	for _, c := range cands[:min(len(cands), maxSuggestions)] {
		out = append(out, c.id)
	}
	return out
}

// matchScore rates key against the folded query q: 0 for equal, 1 for a
// prefix match (extra counts the missing characters), otherwise the edit
// distance when it is at most maxD, and -1 for no match.
func matchScore(q string, qLen int, key string, maxD int) (score, extra int) {
	switch {
	case key == "":
		return -1, 0
	case key == q:
		return 0, 0
	case qLen >= 2 && strings.HasPrefix(key, q):
		return 1, utf8.RuneCountInString(key) - qLen
	}
	kLen := utf8.RuneCountInString(key)
	if maxD == 0 || kLen-qLen > maxD || qLen-kLen > maxD {
		return -1, 0
	}
	if d := editDistance(q, key, maxD); d <= maxD {
		return d, 0
	}
	return -1, 0
}

// maxEdits is how many edits a suggestion may be away from a query of n
// characters.
func maxEdits(n int) int {
	switch {
	case n <= 2:
		return 0
	case n <= 5:
		return 1
	case n <= 8:
		return 2
	}
	return 3
}
