package ontology

import (
	"fmt"
	"slices"
	"strings"
)

// Load loads a whole release of a system, adding the system when it is
// new. Codes and parents may be bare codes or CURIEs in any form Normalize
// accepts; Term.System and Term.CURIE may be left empty.
//
// Terms of the previous release that are missing from this one are kept
// and marked obsolete, never deleted, and keep their parents so that
// "under X" queries still find data annotated with them.
//
// Load checks the release as a whole before changing anything: codes must
// be unique, parents of the same system must be in the release, parents in
// other systems must already be loaded, and the hierarchy must have no
// cycle. On error the registry is left as it was.
func (r *Registry) Load(sys System, terms []Term) (LoadReport, error) {
	sys, err := canonicalSystem(sys)
	if err != nil {
		return LoadReport{}, err
	}
	if len(terms) == 0 {
		return LoadReport{}, fmt.Errorf("ontology: load %s: release has no terms", sys.Name)
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	old := r.snapshot()

	idx := -1
	iName, okName := old.sysIdx[sys.Name]
	iPrefix, okPrefix := old.sysIdx[sys.Prefix]
	switch {
	case okName && okPrefix && iName == iPrefix && old.systems[iName].sys.Prefix == sys.Prefix:
		idx = iName
		prevSys := old.systems[idx].sys
		if sys.Title == "" {
			sys.Title = prevSys.Title
		}
		if sys.Source == "" {
			sys.Source = prevSys.Source
		}
	case okName || okPrefix:
		return LoadReport{}, fmt.Errorf("ontology: load %s: name or prefix %s already used by another system", sys.Name, sys.Prefix)
	}

	release, inRelease, err := prepareRelease(sys, terms)
	if err != nil {
		return LoadReport{}, err
	}
	for _, t := range release {
		for j, p := range t.Parents {
			prefix, _, _ := SplitCURIE(p)
			if prefix == sys.Prefix {
				if _, ok := inRelease[p]; !ok {
					return LoadReport{}, fmt.Errorf("ontology: load %s: %s: parent %s is not in the release", sys.Name, t.CURIE, p)
				}
				continue
			}
			id, ok := old.findCanonical(p)
			if !ok {
				return LoadReport{}, fmt.Errorf("ontology: load %s: %s: parent %s is not loaded", sys.Name, t.CURIE, p)
			}
			t.Parents[j] = old.nodes[id].term.CURIE // the release owns this slice
		}
	}

	var prev []Term
	if idx >= 0 {
		sd := old.systems[idx]
		prev = make([]Term, 0, sd.end-sd.start)
		for id := sd.start; id < sd.end; id++ {
			prev = append(prev, old.nodes[id].term)
		}
	}
	merged, report := mergeRelease(prev, release, inRelease)
	report.System, report.Version = sys.Name, sys.Version

	systems := make([]System, 0, len(old.systems)+1)
	lists := make([][]Term, 0, len(old.systems)+1)
	for i, sd := range old.systems {
		if i == idx {
			systems = append(systems, sys)
			lists = append(lists, merged)
			continue
		}
		systems = append(systems, sd.sys)
		list := make([]Term, 0, sd.end-sd.start)
		for id := sd.start; id < sd.end; id++ {
			list = append(list, old.nodes[id].term)
		}
		lists = append(lists, list)
	}
	if idx < 0 {
		systems = append(systems, sys)
		lists = append(lists, merged)
	}
	snap, err := buildSnapshot(systems, lists)
	if err != nil {
		return LoadReport{}, fmt.Errorf("ontology: load %s: %w", sys.Name, err)
	}
	r.snap.Store(snap)
	return report, nil
}

// canonicalSystem fills in and checks a system's name and prefix.
func canonicalSystem(sys System) (System, error) {
	sys.Name = strings.TrimSpace(sys.Name)
	sys.Prefix = strings.TrimSpace(sys.Prefix)
	if sys.Prefix == "" {
		sys.Prefix = sys.Name
	}
	if sys.Name == "" {
		sys.Name = sys.Prefix
	}
	p, err := canonicalPrefix(sys.Prefix)
	if err != nil {
		return System{}, fmt.Errorf("ontology: system prefix: %w", err)
	}
	n, err := canonicalPrefix(sys.Name)
	if err != nil {
		return System{}, fmt.Errorf("ontology: system name: %w", err)
	}
	sys.Name, sys.Prefix = n, p
	sys.Title = strings.TrimSpace(sys.Title)
	sys.Source = strings.TrimSpace(sys.Source)
	sys.Version = strings.TrimSpace(sys.Version)
	return sys, nil
}

// prepareRelease normalises every term of a release and rejects
// duplicates. It also returns the index of each CURIE in the release.
func prepareRelease(sys System, terms []Term) ([]Term, map[string]int, error) {
	out := make([]Term, 0, len(terms))
	seen := make(map[string]int, len(terms))
	for i, t := range terms {
		nt, err := prepareTerm(sys, t)
		if err != nil {
			return nil, nil, fmt.Errorf("ontology: load %s: term %d: %w", sys.Name, i+1, err)
		}
		if j, dup := seen[nt.CURIE]; dup {
			return nil, nil, fmt.Errorf("ontology: load %s: term %d: %s duplicates term %d", sys.Name, i+1, nt.CURIE, j+1)
		}
		seen[nt.CURIE] = i
		out = append(out, nt)
	}
	return out, seen, nil
}

// prepareTerm returns t in canonical form for sys.
func prepareTerm(sys System, t Term) (Term, error) {
	raw := strings.TrimSpace(t.Code)
	if raw == "" {
		raw = strings.TrimSpace(t.CURIE)
	}
	if raw == "" {
		return Term{}, fmt.Errorf("no code")
	}
	curie, err := normalizeNested(raw, sys.Prefix)
	if err != nil {
		return Term{}, err
	}
	prefix, code, _ := SplitCURIE(curie)
	if prefix != sys.Prefix {
		return Term{}, fmt.Errorf("%s is not in system %s", curie, sys.Name)
	}
	if strings.TrimSpace(t.CURIE) != "" {
		if c, err := Normalize(t.CURIE, sys.Prefix); err != nil || c != curie {
			return Term{}, fmt.Errorf("CURIE %q does not match code %q", t.CURIE, t.Code)
		}
	}
	if t.System != "" && !strings.EqualFold(t.System, sys.Name) && !strings.EqualFold(t.System, sys.Prefix) {
		return Term{}, fmt.Errorf("%s: system %q is not %s", curie, t.System, sys.Name)
	}
	out := Term{System: sys.Name, Code: code, CURIE: curie, Label: strings.TrimSpace(t.Label)}
	for _, s := range t.Synonyms {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out.Synonyms, s) {
			out.Synonyms = append(out.Synonyms, s)
		}
	}
	for _, p := range t.Parents {
		pc, err := normalizeNested(p, sys.Prefix)
		if err != nil {
			return Term{}, fmt.Errorf("%s: parent: %w", curie, err)
		}
		if pc == curie {
			return Term{}, fmt.Errorf("%s: cycle: the term is its own parent", curie)
		}
		if !slices.Contains(out.Parents, pc) {
			out.Parents = append(out.Parents, pc)
		}
	}
	switch t.Status {
	case "", StatusActive:
		out.Status = StatusActive
	case StatusObsolete:
		out.Status = StatusObsolete
	default:
		return Term{}, fmt.Errorf("%s: unknown status %q", curie, t.Status)
	}
	if rb := strings.TrimSpace(t.ReplacedBy); rb != "" {
		if out.ReplacedBy, err = normalizeNested(rb, sys.Prefix); err != nil {
			return Term{}, fmt.Errorf("%s: replaced by: %w", curie, err)
		}
	}
	return out, nil
}

// mergeRelease combines the previous terms of a system with a new release
// and counts the changes. inRelease holds the CURIEs of release.
func mergeRelease(prev, release []Term, inRelease map[string]int) ([]Term, LoadReport) {
	var rep LoadReport
	prevIdx := make(map[string]int, len(prev))
	for i, t := range prev {
		prevIdx[t.CURIE] = i
	}
	merged := make([]Term, 0, len(release)+len(prev))
	for _, t := range release {
		i, known := prevIdx[t.CURIE]
		switch {
		case !known:
			rep.Added++
		case prev[i].Equal(t):
			rep.Unchanged++
		case !prev[i].IsObsolete() && t.IsObsolete():
			rep.Obsoleted++
			rep.ObsoletedCURIEs = append(rep.ObsoletedCURIEs, t.CURIE)
		default:
			rep.Updated++
		}
		merged = append(merged, t)
	}
	for _, t := range prev {
		if _, ok := inRelease[t.CURIE]; ok {
			continue
		}
		if t.IsObsolete() {
			rep.Unchanged++
		} else {
			t.Status = StatusObsolete
			rep.Obsoleted++
			rep.ObsoletedCURIEs = append(rep.ObsoletedCURIEs, t.CURIE)
		}
		merged = append(merged, t)
	}
	return merged, rep
}
