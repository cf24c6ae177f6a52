package graph

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"databank/domain"
)

// A sample's donor's consents are fetched ahead only for an actor who may
// read both donors and consents: the federation client reads consents
// but no donor, a researcher with approvals donors but no consents.
func TestDonorConsentsAheadFollowsThePolicy(t *testing.T) {
	for _, tt := range []struct {
		actor domain.Actor
		want  bool
	}{
		{domain.Actor{Name: "sam", Role: domain.RoleStaff, Biobanks: []string{domain.AllBiobanks}}, true},
		{domain.Actor{Name: "ada", Role: domain.RoleAdmin}, true},
		{domain.Actor{Name: "lega", Role: domain.RoleFederation}, false},
		{domain.Actor{Name: "vera", Role: domain.RoleResearcher, DatasetGrants: []string{"EGAD00000000001"}}, false},
		{domain.Actor{}, false},
	} {
		ctx := domain.WithActor(context.Background(), tt.actor)
		assert.Equal(t, tt.want, donorConsentsAhead.allowed(ctx), "%+v", tt.actor)
	}
}
