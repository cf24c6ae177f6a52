// Package graph is Databank's GraphQL API: the gqlgen schema and thin
// resolvers that parse input, call the store through the Store interface,
// and present domain errors with extensions.code.
package graph

//go:generate sh -c "cd .. && go run ./graph/internal/gqlgen"

import (
	"context"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"

	"databank/domain"
	"databank/graph/model"
	"databank/ontology"
)

// Resolver is the root resolver: the dependency-injection point.
type Resolver struct {
	svc   domain.Services
	vocab *ontology.Registry
	log   *slog.Logger
}

// pageRequest builds a page request, counting the total only when the
// query selects totalCount.
func pageRequest(ctx context.Context, first *int, after *string) domain.PageRequest {
	p := domain.PageRequest{}
	if first != nil {
		p.First = *first
	}
	if after != nil {
		p.After = *after
	}
	p.CountOnly = true
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		switch f.Name {
		case "totalCount":
			p.WantTotal = true
		case "donorCount":
			p.WantDonorCount = true
		case "countsSuppressed", "__typename":
		default: // nodes, edges, pageInfo: the items are wanted
			p.CountOnly = false
		}
	}
	return p
}

// pageInfo describes a page for Relay clients; the cursor is the page's
// own (a sorted listing's) or the id of the page's last item.
func pageInfo[T any](p domain.Page[T], id func(T) string) *model.PageInfo {
	info := &model.PageInfo{HasNextPage: p.HasNext}
	if n := len(p.Items); n > 0 {
		c := id(p.Items[n-1])
		if len(p.Cursors) == n {
			c = p.Cursors[n-1]
		}
		info.EndCursor = &c
	}
	return info
}

// pageEdges is edges with the page's own cursors when it has them.
func pageEdges[T any, E any](p domain.Page[T], id func(T) string, mk func(string, *T) E) []E {
	if len(p.Cursors) != len(p.Items) {
		return edges(p.Items, id, mk)
	}
	out := make([]E, len(p.Items))
	for i := range p.Items {
		out[i] = mk(p.Cursors[i], &p.Items[i])
	}
	return out
}

// term returns the ontology term of a CURIE; a code no longer in the
// vocabulary is still shown, labelled by its CURIE. Each CURIE is looked
// up once per request (Loaders.terms): a page of samples names the same
// few terms hundreds of times.
func (r *Resolver) term(ctx context.Context, curie string) *ontology.Term {
	if curie == "" {
		return nil
	}
	return loaders(ctx).terms.get(curie, r.lookupTerm)
}

// lookupTerm finds the term of a CURIE in the vocabulary.
func (r *Resolver) lookupTerm(curie string) *ontology.Term {
	if t, ok := r.vocab.Term(curie); ok {
		return &t
	}
	system, code, _ := ontology.SplitCURIE(curie)
	return &ontology.Term{CURIE: curie, System: system, Code: code, Label: curie, Status: ontology.StatusActive}
}

func (r *Resolver) terms(ctx context.Context, curies []string) []ontology.Term {
	out := make([]ontology.Term, 0, len(curies))
	for _, c := range curies {
		if t := r.term(ctx, c); t != nil {
			out = append(out, *t)
		}
	}
	return out
}

// str dereferences an optional string.
func str(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// optional returns nil for a zero value (an empty string, line 0): a
// nullable field the domain holds without a pointer.
func optional[T comparable](v T) *T {
	var zero T
	if v == zero {
		return nil
	}
	return &v
}

// set copies an optional input onto a field when the input is present.
func set[T any](dst *T, src *T) {
	if src != nil {
		*dst = *src
	}
}

// lookup runs an optional lookup of one object of GraphQL type typ: "not
// found" is a null result; a found object has the relations selected
// below it prefetched.
func lookup[T any](ctx context.Context, typ string, fetch func() (T, error)) (*T, error) {
	v, err := fetch()
	if err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return nil, nil
		}
		return nil, err
	}
	return &v, prefetchOne(ctx, typ, &v)
}

// needOne reports a lookup called with neither an id nor an external id.
func needOne(what string) error {
	return domain.Errorf(domain.EINVALID, "give either id or %s", what)
}

// edges wraps a page's items into Relay edges whose cursor is the item id.
func edges[T any, E any](items []T, id func(T) string, mk func(string, *T) E) []E {
	out := make([]E, len(items))
	for i := range items {
		out[i] = mk(id(items[i]), &items[i])
	}
	return out
}

// deref returns a pointer to v as a Node, so the generated type switch
// sees the concrete pointer type, with the relations selected below it
// prefetched.
func deref[T any](ctx context.Context, typ string, v T, err error) (model.Node, error) {
	if err != nil {
		return nil, err
	}
	return &v, prefetchOne(ctx, typ, &v)
}

// count is a count as shown: nil when suppressed.
func count(n int, suppressed bool) *int {
	if suppressed {
		return nil
	}
	return &n
}
