package domain_test

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// Every operation of every service has a rule: a method added to a
// service interface without one fails here (and is denied at run time).
func TestEveryOperationHasAnAccessRule(t *testing.T) {
	svc := reflect.TypeFor[domain.Services]()
	require.Greater(t, svc.NumMethod(), 70)
	for i := range svc.NumMethod() {
		op := domain.Operation(svc.Method(i).Name)
		_, ok := domain.PolicyRule(op)
		assert.True(t, ok, "service operation %s has no rule in domain/policy.go", op)
	}
}

func TestAuthorize(t *testing.T) {
	anon := domain.Actor{}
	researcher := domain.Actor{Name: "rita", Role: domain.RoleResearcher}
	staff := domain.Actor{Name: "sam", Role: domain.RoleStaff}
	admin := domain.Actor{Name: "ada", Role: domain.RoleAdmin}
	unknownRole := domain.Actor{Name: "eve", Role: "superuser"}
	tests := []struct {
		op    domain.Operation
		actor domain.Actor
		want  string // error code, "" when allowed
	}{
		{"Health", anon, ""},
		{"Samples", anon, domain.EUNAUTHORIZED},
		{"Samples", researcher, ""},
		{"Samples", unknownRole, domain.EFORBIDDEN},
		{"CreateSample", researcher, domain.EFORBIDDEN},
		{"CreateSample", staff, ""},
		{"CreateSample", admin, ""},
		{"History", researcher, domain.EFORBIDDEN},
		{"History", staff, ""},
		{"ImportFile", researcher, domain.EFORBIDDEN},
		{"SaveOntology", staff, domain.EFORBIDDEN},
		{"SaveOntology", admin, ""},
		{"NoSuchOperation", admin, domain.EFORBIDDEN}, // deny by default
		{"NoSuchOperation", anon, domain.EFORBIDDEN},
	}
	for _, tt := range tests {
		t.Run(string(tt.op)+"/"+tt.actor.Role, func(t *testing.T) {
			err := domain.Authorize(tt.actor, tt.op)
			assert.Equal(t, tt.want, domain.ErrorCode(err), "%v", err)
		})
	}
}

func TestCheckID(t *testing.T) {
	tests := []struct {
		id   string
		want string
	}{
		{"", ""},
		{"0190a5c4-5b1e-7c3a-9f00-2d1e4b6a8c01", ""},
		{"0190A5C4-5B1E-7C3A-9F00-2D1E4B6A8C01", ""},
		{"0190a5c4-5b1e-7c3a-9f00-2d1e4b6a8c0", domain.EINVALID},
		{"0190a5c4x5b1e-7c3a-9f00-2d1e4b6a8c01", domain.EINVALID},
		{"0190a5c4-5b1e-7c3a-9f00-2d1e4b6a8c0g", domain.EINVALID},
		{"S-0001", domain.EINVALID},
	}
	for _, tt := range tests {
		err := domain.CheckID("filter.donor", tt.id)
		assert.Equal(t, tt.want, domain.ErrorCode(err), "%q", tt.id)
		if err != nil {
			var de *domain.Error
			require.ErrorAs(t, err, &de)
			require.Len(t, de.Fields, 1)
			assert.Equal(t, "filter.donor", de.Fields[0].Field)
		}
	}
}
