package domain_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

func TestAPITokenValidate(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	in90d := now.Add(90 * 24 * time.Hour)
	tests := []struct {
		name  string
		token domain.APIToken
		want  []string // offending fields, none when valid
	}{
		{"staff with a biobank", domain.APIToken{Name: "lims-sync", Role: "staff", Biobanks: []string{" dnb"}, ExpiresAt: in90d}, nil},
		{"staff for every biobank", domain.APIToken{Name: "ops", Role: "staff", Biobanks: []string{"*"}, ExpiresAt: in90d}, nil},
		{"researcher", domain.APIToken{Name: "rita", Role: "researcher", ExpiresAt: in90d}, nil},
		{"federation", domain.APIToken{Name: "lega-se", Role: "federation", ExpiresAt: in90d}, nil},
		{"staff without biobank", domain.APIToken{Name: "lims", Role: "staff", ExpiresAt: in90d}, []string{"biobanks"}},
		{"admin bound to a biobank", domain.APIToken{Name: "root", Role: "admin", Biobanks: []string{"DNB"}, ExpiresAt: in90d}, []string{"biobanks"}},
		{"unknown role", domain.APIToken{Name: "x1", Role: "superuser", ExpiresAt: in90d}, []string{"role"}},
		{"bad name", domain.APIToken{Name: "LIMS sync", Role: "researcher", ExpiresAt: in90d}, []string{"name"}},
		{"bad biobank code", domain.APIToken{Name: "lims", Role: "staff", Biobanks: []string{"d"}, ExpiresAt: in90d}, []string{"biobanks"}},
		{"never expires", domain.APIToken{Name: "lims", Role: "researcher"}, []string{"expiresAt"}},
		{"expired", domain.APIToken{Name: "lims", Role: "researcher", ExpiresAt: now.Add(-time.Second)}, []string{"expiresAt"}},
		{"too long", domain.APIToken{Name: "lims", Role: "researcher", ExpiresAt: now.Add(400 * 24 * time.Hour)}, []string{"expiresAt"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := domain.NewValidation("").AsOf(now)
			tt.token.Validate(v)
			var got []string
			for _, f := range v.Fields {
				got = append(got, f.Field)
			}
			assert.Equal(t, tt.want, got, "%v", v.Fields)
		})
	}
	tok := domain.APIToken{Name: "x1", Role: "staff", Biobanks: []string{"fin", "DNB", "dnb"}, ExpiresAt: in90d}
	tok.Validate(domain.NewValidation("").AsOf(now))
	assert.Equal(t, []string{"DNB", "FIN"}, tok.Biobanks)
}

func TestAPITokenCheck(t *testing.T) {
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		token domain.APIToken
		want  string // part of the message, "" when accepted
	}{
		{"valid", domain.APIToken{Name: "a", ExpiresAt: now.Add(time.Hour)}, ""},
		{"expired", domain.APIToken{Name: "a", ExpiresAt: now}, `API token "a" expired on 2026-12-06T12:00:00Z`},
		{"revoked", domain.APIToken{Name: "a", ExpiresAt: now.Add(time.Hour), RevokedAt: now.Add(-time.Hour)}, `API token "a" was revoked on 2026-12-06T11:00:00Z`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.token.Check(now)
			if tt.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.Equal(t, domain.EUNAUTHORIZED, domain.ErrorCode(err))
			assert.Contains(t, domain.ErrorMessage(err), tt.want)
		})
	}
}

func TestAPITokenSecret(t *testing.T) {
	a, b := domain.NewAPITokenSecret(), domain.NewAPITokenSecret()
	assert.NotEqual(t, a, b)
	assert.True(t, strings.HasPrefix(a, domain.APITokenPrefix))
	assert.True(t, domain.IsAPITokenSecret(a))
	require.Len(t, domain.APITokenDigest(a), 32)
	for _, s := range []string{"", "dbk_", a[:len(a)-1], "xyz_" + a[4:], a[:10] + "!" + a[11:], "0123456789abcdef0123456789abcdef0123456789abcdef"} {
		assert.False(t, domain.IsAPITokenSecret(s), "%q", s)
	}
}

func TestActorScope(t *testing.T) {
	staff := domain.Actor{Name: "token:lims", Role: domain.RoleStaff, Biobanks: []string{"DNB"}, DatasetGrants: []string{"EGAD00000000001"}}
	every := domain.Actor{Name: "sam", Role: domain.RoleStaff, Biobanks: []string{domain.AllBiobanks}}
	admin := domain.Actor{Name: "ada", Role: domain.RoleAdmin}
	fed := domain.Actor{Name: "token:lega", Role: domain.RoleFederation}
	assert.True(t, staff.ActsFor("DNB"))
	assert.False(t, staff.ActsFor("FIN"))
	assert.False(t, staff.ActsFor(""))
	assert.True(t, every.ActsFor("FIN"))
	assert.True(t, admin.ActsFor("FIN"))
	assert.False(t, domain.Actor{Biobanks: []string{"*"}}.ActsFor("DNB"), "nobody without a name")
	assert.True(t, staff.Granted("0190a5c4-5b1e-7c3a-9f00-2d1e4b6a8c01", "EGAD00000000001"))
	assert.False(t, staff.Granted("EGAD00000000002", ""))
	for _, role := range []string{domain.RoleResearcher, domain.RoleStaff, domain.RoleAdmin} {
		assert.False(t, fed.Can(role), "the federation role is outside the ranking")
	}
}
