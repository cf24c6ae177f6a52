package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"databank/domain"
)

// staffOnly implements @staffOnly: the field resolves for staff and
// admins; other readers (researchers, approved ones, the federation
// client) get null. Staff members' names are not theirs to read.
func staffOnly(ctx context.Context, _ any, next graphql.Resolver) (any, error) {
	if !domain.ActorFrom(ctx).Can(domain.RoleStaff) {
		return nil, nil
	}
	return next(ctx)
}
