package graph

import (
	"context"
	"testing"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/stretchr/testify/assert"

	"databank/graph/generated"
)

// fieldSpy is an extension that intercepts fields.
type fieldSpy struct{}

func (fieldSpy) ExtensionName() string                   { return "FieldSpy" }
func (fieldSpy) Validate(graphql.ExecutableSchema) error { return nil }
func (fieldSpy) InterceptField(ctx context.Context, next graphql.Resolver) (any, error) {
	return next(ctx)
}

// TestServerRefusesFieldInterceptors: the fields of non-root objects are
// resolved without the field middleware (graph/internal/gqlgen), so an
// extension that intercepts fields would silently miss most of them; use
// refuses it.
func TestServerRefusesFieldInterceptors(t *testing.T) {
	srv := handler.New(generated.NewExecutableSchema(generated.Config{Resolvers: &Resolver{}}))
	assert.PanicsWithValue(t,
		"graph: extension FieldSpy intercepts fields, which the fields of objects skip (graph/internal/gqlgen)",
		func() { use(srv, fieldSpy{}) })
	assert.NotPanics(t, func() { use(srv, prefetchMutations{}) })
}
