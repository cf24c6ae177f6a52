package graph

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"databank/domain"
)

// The cost model, computed for every operation before anything runs
// (cached documents included: variables change the cost). A field of a
// loaded object costs 1; a connection multiplies what its items select
// by the page it asks for (first, 50 when not given); a short nested
// list multiplies by its usual size; counting a whole listing
// (totalCount at the root) costs as much as a large page of rows,
// because the database reads every matching row, while counting one
// parent's children through an index is cheap. An ordinary researcher's
// query (500 donors with their samples and files) stays well under the
// default limit of 200,000, and a request cannot hold more than a few
// whole-table counts.
const (
	// listCost is the assumed size of a short nested list (a sample's
	// files or children, a donor's consents).
	listCost = 2
	// countCost is the cost of a root listing's totalCount.
	countCost = 25000
	// childCountCost is the cost of counting one parent's children.
	childCountCost = 10
	// introspectionCost is the flat cost of a schema query.
	introspectionCost = 1000
)

// listSizes are the usual sizes of nested lists longer than listCost.
var listSizes = map[string]int{
	"Donor.samples":         10,
	"OntologyTerm.children": 200, // a vocabulary root has thousands
}

// costLimit refuses operations whose cost exceeds max, naming the fields
// that cost most and what to lower.
type costLimit struct{ max int }

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = costLimit{}

func (costLimit) ExtensionName() string                   { return "CostLimit" }
func (costLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (c costLimit) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil {
		return nil
	}
	w := costWalker{vars: oc.Variables, parts: map[string]int{}}
	total := w.set(oc.Operation.SelectionSet, "", 1, true)
	if total <= c.max {
		return nil
	}
	err := gqlerror.Errorf("operation has complexity %d, which exceeds the limit of %d. %s", total, c.max, w.advice())
	err.Extensions = map[string]any{"code": "COMPLEXITY_LIMIT_EXCEEDED", "cost": total, "limit": c.max}
	markStatus(ctx, "COMPLEXITY_LIMIT_EXCEEDED") // gqlgen writes the status before it presents this error
	return err
}

// costWalker adds up an operation's cost and remembers, per field path,
// how much it contributed (times the multiplier of the lists above it).
type costWalker struct {
	vars  map[string]any
	parts map[string]int
	pages map[string]bool // paths whose size is a first argument
}

const maxCost = 1 << 40

func (w *costWalker) set(set ast.SelectionSet, path string, mult int, root bool) int {
	total := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			total = min(total+w.field(s, path, mult, root), maxCost)
		case *ast.InlineFragment:
			total = min(total+w.set(s.SelectionSet, path, mult, root), maxCost)
		case *ast.FragmentSpread:
			if s.Definition != nil {
				total = min(total+w.set(s.Definition.SelectionSet, path, mult, root), maxCost)
			}
		}
	}
	return total
}

func (w *costWalker) field(f *ast.Field, path string, mult int, root bool) int {
	if strings.HasPrefix(f.Name, "__") {
		if f.Name == "__typename" {
			return 0
		}
		return introspectionCost
	}
	name := f.Alias
	if name == "" {
		name = f.Name
	}
	p := name
	if path != "" {
		p = path + "." + name
	}
	var cost int
	many := false // a list or connection: something the caller can make shorter
	switch {
	case f.Definition == nil:
		cost = 1
	case f.Name == "sampleFacets" && root:
		// Each facet counts every matching sample, as a root totalCount.
		facets, _ := f.ArgumentMap(w.vars)["facets"].([]any)
		cost = min(countCost*max(len(facets), 1), maxCost)
		w.parts[p] = min(w.parts[p]+cost*mult, maxCost)
	case f.Name == "_entities" && root:
		// Each representation is an object looked up and resolved with
		// its selection: at least 1, whatever it selects.
		many = true
		reps, _ := f.ArgumentMap(w.vars)["representations"].([]any)
		n := max(len(reps), 1)
		cost = min(1+mulCost(n, max(w.set(f.SelectionSet, p, mulCost(mult, n), false), 1)), maxCost)
	case strings.HasSuffix(f.Definition.Type.Name(), "Connection"):
		many = true
		page := pageCost(f.ArgumentMap(w.vars)["first"])
		if w.pages == nil {
			w.pages = map[string]bool{}
		}
		w.pages[p] = true
		cost = 1
		for _, sel := range f.SelectionSet {
			cost = min(cost+w.connectionPart(sel, p, page, mult, root), maxCost)
		}
	case f.Definition.Type.Elem != nil && len(f.SelectionSet) > 0:
		many = true
		size := listCost
		if n, ok := listSizes[f.ObjectDefinition.Name+"."+f.Name]; ok {
			size = n
		}
		cost = min(1+size*w.set(f.SelectionSet, p, min(mult*size, maxCost), false), maxCost)
	default:
		cost = min(1+w.set(f.SelectionSet, p, mult, false), maxCost)
	}
	if many {
		w.parts[p] = min(w.parts[p]+cost*mult, maxCost)
	}
	return cost
}

// mulCost is a*b for non-negative costs, saturating at maxCost.
func mulCost(a, b int) int {
	if a > 0 && b > maxCost/a {
		return maxCost
	}
	return min(a*b, maxCost)
}

// connectionPart costs one selection inside a connection: its items
// times the page, its count, or its page info.
func (w *costWalker) connectionPart(sel ast.Selection, path string, page, mult int, root bool) int {
	switch s := sel.(type) {
	case *ast.Field:
		switch s.Name {
		case "nodes", "edges":
			return min(1+page*w.set(s.SelectionSet, path, min(mult*page, maxCost), false), maxCost)
		case "totalCount", "donorCount":
			if root {
				w.parts[path+".totalCount"] += countCost * mult
				return countCost
			}
			return childCountCost
		}
		return 1 + w.set(s.SelectionSet, path, mult, false)
	case *ast.InlineFragment:
		n := 0
		for _, c := range s.SelectionSet {
			n += w.connectionPart(c, path, page, mult, root)
		}
		return n
	case *ast.FragmentSpread:
		n := 0
		if s.Definition != nil {
			for _, c := range s.Definition.SelectionSet {
				n += w.connectionPart(c, path, page, mult, root)
			}
		}
		return n
	}
	return 0
}

// pageCost is the number of items a connection may return.
func pageCost(first any) int {
	var n int
	switch v := first.(type) {
	case int64:
		n = int(v)
	case int:
		n = v
	}
	switch {
	case n <= 0:
		return domain.DefaultPageSize
	case n > domain.MaxPageSize:
		return domain.MaxPageSize
	}
	return n
}

// advice names the three fields that cost most, and what to lower.
func (w *costWalker) advice() string {
	type part struct {
		path string
		cost int
	}
	var ps []part
	for p, c := range w.parts {
		ps = append(ps, part{p, c})
	}
	sort.Slice(ps, func(i, j int) bool {
		if ps[i].cost != ps[j].cost {
			return ps[i].cost > ps[j].cost
		}
		return ps[i].path < ps[j].path
	})
	// a path's cost includes what is below it: a path is named only when
	// no list below it explains most (80 %) of its cost
	explained := func(p part) bool {
		for _, q := range ps {
			if strings.HasPrefix(q.path, p.path+".") && q.cost*5 >= p.cost*4 {
				return true
			}
		}
		return false
	}
	var out []string
	for _, p := range ps {
		if len(out) == 3 {
			break
		}
		if explained(p) {
			continue
		}
		hint := ""
		switch {
		case strings.HasSuffix(p.path, ".totalCount"):
			hint = " (counting every matching record; ask for it once)"
		case w.pages[p.path]:
			hint = " (lower its first)"
		}
		out = append(out, fmt.Sprintf("%s costs %d%s", p.path, p.cost, hint))
	}
	if len(out) == 0 {
		return ""
	}
	return "Costliest: " + strings.Join(out, "; ") + "."
}
