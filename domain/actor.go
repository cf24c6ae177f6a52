package domain

import "context"

// Roles, from least to most privileged. Deny by default: a request with no
// actor may do nothing.
const (
	RoleResearcher = "researcher" // read and discover
	RoleStaff      = "staff"      // curate: create, update, retire, import
	RoleAdmin      = "admin"      // everything, including loading ontologies
)

// Actor is the authenticated user or system acting on a request.
type Actor struct {
	Name string // recorded in created_by/updated_by and the audit log
	Role string
}

// Can reports whether the actor's role is at least role.
func (a Actor) Can(role string) bool {
	rank := map[string]int{RoleResearcher: 1, RoleStaff: 2, RoleAdmin: 3}
	return a.Name != "" && rank[a.Role] >= rank[role] && rank[role] > 0
}

type actorKey struct{}

// WithActor returns a context carrying a.
func WithActor(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// ActorFrom returns the actor in ctx, or the zero Actor (who may do nothing).
func ActorFrom(ctx context.Context) Actor {
	a, _ := ctx.Value(actorKey{}).(Actor)
	return a
}

// Require returns EUNAUTHORIZED when ctx has no actor and EFORBIDDEN when
// the actor's role is below role.
func Require(ctx context.Context, role string) error {
	a := ActorFrom(ctx)
	switch {
	case a.Name == "":
		return Errorf(EUNAUTHORIZED, "authentication required")
	case !a.Can(role):
		return Errorf(EFORBIDDEN, "the %s role is required", role)
	}
	return nil
}
