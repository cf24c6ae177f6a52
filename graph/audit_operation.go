package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"databank/domain"
)

// auditOperation tells the request's audit trail which operation runs
// and whether it is a mutation, as the executor parsed and selected it:
// the audit's write flag must not follow the request's text, whose first
// word may be a comment, a fragment or another operation.
type auditOperation struct{}

var _ interface {
	graphql.HandlerExtension
	graphql.OperationContextMutator
} = auditOperation{}

func (auditOperation) ExtensionName() string                   { return "AuditOperation" }
func (auditOperation) Validate(graphql.ExecutableSchema) error { return nil }

func (auditOperation) MutateOperationContext(ctx context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation != nil {
		domain.TrailFrom(ctx).Executed(oc.Operation.Name, oc.Operation.Operation == ast.Mutation)
	}
	return nil
}
