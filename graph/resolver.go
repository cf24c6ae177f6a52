// Package graph is Databank's GraphQL API: the gqlgen schema and thin
// resolvers that parse input, call the store through the Store interface,
// and present domain errors with extensions.code.
package graph

//go:generate sh -c "cd .. && go tool gqlgen generate --config gqlgen.yml"

import (
	"context"
	"io"
	"log/slog"

	"github.com/99designs/gqlgen/graphql"

	"databank/domain"
	"databank/graph/model"
	"databank/ontology"
)

// Resolver is the root resolver: the dependency-injection point.
type Resolver struct {
	store    Store
	importer Importer
	log      *slog.Logger
}

// Importer runs an all-or-nothing import of one registry file; the
// importRegistry mutation uses it. cmd wires the CSV readers and the store.
type Importer interface {
	Import(ctx context.Context, kind domain.ImportKind, name string, r io.Reader, dryRun bool) (*domain.ImportReport, error)
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
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		if f.Name == "totalCount" {
			p.WantTotal = true
		}
	}
	return p
}

// pageInfo describes a page for Relay clients; the cursor is the id of
// the page's last item.
func pageInfo[T any](p domain.Page[T], id func(T) string) *model.PageInfo {
	info := &model.PageInfo{HasNextPage: p.HasNext}
	if n := len(p.Items); n > 0 {
		c := id(p.Items[n-1])
		info.EndCursor = &c
	}
	return info
}

// term returns the ontology term of a CURIE; a code no longer in the
// vocabulary is still shown, labelled by its CURIE.
func term(curie string) *ontology.Term {
	if curie == "" {
		return nil
	}
	if t, ok := ontology.Default().Term(curie); ok {
		return &t
	}
	system, code, _ := ontology.SplitCURIE(curie)
	return &ontology.Term{CURIE: curie, System: system, Code: code, Label: curie, Status: ontology.StatusActive}
}

func terms(curies []string) []ontology.Term {
	out := make([]ontology.Term, 0, len(curies))
	for _, c := range curies {
		if t := term(c); t != nil {
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

// lookupErr turns "not found" into a null result for optional lookups.
func lookupErr[T any](v T, err error) (*T, error) {
	if err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return nil, nil
		}
		return nil, err
	}
	return &v, nil
}

// biobankID resolves a biobank code to its id.
func (r *Resolver) biobankID(ctx context.Context, code *string) (string, error) {
	if code == nil || *code == "" {
		return "", nil
	}
	b, err := r.store.BiobankByCode(ctx, *code)
	if err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return "", &domain.Error{Code: domain.EINVALID, Message: "invalid input",
				Fields: []domain.FieldError{{Field: "biobank", Value: *code, Message: "no biobank has this code"}}}
		}
		return "", err
	}
	return b.ID, nil
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

// one loads a single entity through a loader, nil for an empty id.
func one[T any](ctx context.Context, load func(context.Context, string) (T, error), id string) (*T, error) {
	if id == "" {
		return nil, nil
	}
	v, err := load(ctx, id)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

// filterErr reports an unusable code in a filter argument.
func filterErr(field, value string, err error) error {
	return &domain.Error{Code: domain.EINVALID, Message: "invalid filter",
		Fields: []domain.FieldError{{Field: "filter." + field, Value: value, Message: err.Error()}}}
}

// deref returns a pointer to v as a Node, so the generated type switch
// sees the concrete pointer type.
func deref[T any](v T, err error) (model.Node, error) {
	if err != nil {
		return nil, err
	}
	return &v, nil
}
