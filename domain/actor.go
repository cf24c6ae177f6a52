package domain

import (
	"context"
	"slices"
	"time"
)

// Roles, from least to most privileged. Deny by default: a request with no
// actor may do nothing.
const (
	RoleResearcher = "researcher" // read and discover
	RoleStaff      = "staff"      // curate: create, update, retire, import
	RoleAdmin      = "admin"      // everything, including loading ontologies and tokens
	// RoleFederation is a machine client of the Federated EGA (LocalEGA).
	// It stands outside the ranking of the three roles above: Can grants
	// it nothing, so the policy must name the operations it may perform.
	RoleFederation = "federation"
)

// Roles lists every role an identity may hold.
var Roles = []string{RoleResearcher, RoleStaff, RoleAdmin, RoleFederation}

// How an actor proved who it is (Actor.Via). An actor made by the process
// itself (the command line, start-up) has none.
const (
	ViaTokensFile = "tokens-file" // a bearer token of DATABANK_TOKENS_FILE
	ViaAPIToken   = "api-token"   // a token made with `databank token create`
	ViaOIDC       = "oidc"        // a JWT of a configured OpenID Connect issuer
)

// AllBiobanks in Actor.Biobanks puts every biobank in the actor's scope.
const AllBiobanks = "*"

// Actor is the authenticated user or system acting on a request.
type Actor struct {
	Name string // recorded in created_by/updated_by and the audit log
	Role string

	// Via says how the actor authenticated (ViaTokensFile, ViaAPIToken,
	// ViaOIDC); empty for the process itself.
	Via string
	// Subject identifies the actor at its issuer: the JWT's sub, or the
	// API token's id. Issuer is the JWT's iss (empty for tokens).
	Subject string
	Issuer  string
	// Biobanks are the codes of the biobanks a staff actor acts for;
	// AllBiobanks stands for every one. Empty: none (deny by default).
	Biobanks []string
	// DatasetGrants name the datasets a verified GA4GH
	// ControlledAccessGrants visa grants: each is a dataset's id or
	// external id (accession), as the visa's value names it.
	DatasetGrants []string
	// Registered is true for a registered ("bona fide") researcher: one
	// with verified AcceptedTermsAndPolicies and ResearcherStatus visas.
	Registered bool
	// ExpiresAt is when the credential stops being valid (zero: never).
	ExpiresAt time.Time
}

// Can reports whether the actor's role is at least role.
func (a Actor) Can(role string) bool {
	rank := map[string]int{RoleResearcher: 1, RoleStaff: 2, RoleAdmin: 3}
	return a.Name != "" && rank[a.Role] >= rank[role] && rank[role] > 0
}

// ActsFor reports whether the biobank with code is in the actor's scope:
// always for an admin, for others when Biobanks names it or AllBiobanks.
// It says nothing about the role; combine it with Can.
func (a Actor) ActsFor(code string) bool {
	if a.Name == "" {
		return false
	}
	return a.Role == RoleAdmin || slices.Contains(a.Biobanks, AllBiobanks) || (code != "" && slices.Contains(a.Biobanks, code))
}

// Confined reports whether the actor reads part of the registry's rows
// only (RowScope): researchers (the rows of their approvals) and staff
// who act for some biobanks only.
func (a Actor) Confined() bool {
	return a.AggregatesOnly() || a.Role == RoleStaff && !a.ActsFor(AllBiobanks)
}

// Granted reports whether a visa grants the actor the dataset named by
// any of names (its id, its accession).
func (a Actor) Granted(names ...string) bool {
	for _, n := range names {
		if n != "" && slices.Contains(a.DatasetGrants, n) {
			return true
		}
	}
	return false
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
