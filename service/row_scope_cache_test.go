package service

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"databank/domain"
)

func TestRowScopeCache(t *testing.T) {
	var c rowScopeCache
	now := time.Now()
	rita := domain.Actor{Name: "rita", Role: domain.RoleResearcher, DatasetGrants: []string{"b", "a"}}
	sc := domain.RowScope{DatasetIDs: []string{"d1"}}
	c.put(scopeKey(rita), sc, now)

	tests := []struct {
		name  string
		actor domain.Actor
		at    time.Time
		found bool
	}{
		{"the same reader, at once", rita, now, true},
		{"grants in another order", domain.Actor{Name: "rita", Role: domain.RoleResearcher, DatasetGrants: []string{"a", "b"}}, now, true},
		{"after the TTL", rita, now.Add(rowScopeTTL + time.Millisecond), false},
		{"another issuer", domain.Actor{Name: "rita", Issuer: "https://idp", Role: domain.RoleResearcher, DatasetGrants: []string{"a", "b"}}, now, false},
		{"another grant", domain.Actor{Name: "rita", Role: domain.RoleResearcher, DatasetGrants: []string{"a"}}, now, false},
		{"another role", domain.Actor{Name: "rita", Role: domain.RoleStaff, DatasetGrants: []string{"a", "b"}}, now, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := c.get(scopeKey(tt.actor), tt.at)
			assert.Equal(t, tt.found, ok)
			if tt.found {
				assert.Equal(t, sc, got)
			}
		})
	}
	c.reset()
	_, ok := c.get(scopeKey(rita), now)
	assert.False(t, ok, "an approval recorded or revoked empties the cache")
}
