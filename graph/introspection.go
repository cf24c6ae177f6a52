package graph

import (
	"context"
	"regexp"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"databank/domain"
)

// Only authenticated users learn the schema: introspection (__schema,
// __type) and the federation's _service, which gives the whole schema
// too, are refused to requests without credentials (UNAUTHORIZED, 401:
// a gateway composes with its federation token), and validation errors
// do not suggest field names to them ("Did you mean …?").

// introspectionForMembers enables introspection for requests with an
// actor only.
type introspectionForMembers struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = introspectionForMembers{}

func (introspectionForMembers) ExtensionName() string                   { return "IntrospectionForMembers" }
func (introspectionForMembers) Validate(graphql.ExecutableSchema) error { return nil }

func (introspectionForMembers) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	anonymous := domain.ActorFrom(ctx).Name == ""
	oc.DisableIntrospection = anonymous
	if !anonymous || oc.Operation == nil {
		return nil
	}
	for _, f := range graphql.CollectFields(oc, oc.Operation.SelectionSet, nil) {
		switch f.Name {
		case "__schema", "__type", "_service":
			return &gqlerror.Error{Message: "the schema is shown to authenticated users only: send a bearer token",
				Extensions: map[string]any{"code": domain.EUNAUTHORIZED}}
		}
	}
	return nil
}

// suggestion is how gqlparser suggests names in validation errors.
var suggestion = regexp.MustCompile(` Did you mean [^?]*\?`)

// withoutSuggestions removes name suggestions from a validation message
// for a request without credentials.
func withoutSuggestions(ctx context.Context, msg string) string {
	if domain.ActorFrom(ctx).Name != "" {
		return msg
	}
	return suggestion.ReplaceAllString(msg, "")
}
