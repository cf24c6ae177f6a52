package domain_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"databank/domain"
)

func day(s string) time.Time {
	t, err := domain.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestCurrentConsent(t *testing.T) {
	withdrawn := day("2022-01-01")
	old := domain.Consent{ID: "a", ExternalID: "old", GivenOn: day("2010-01-01"), Permission: "DUO:0000042"}
	newer := domain.Consent{ID: "b", ExternalID: "new", GivenOn: day("2020-01-01"), Permission: "DUO:0000006"}
	newerWithdrawn := newer
	newerWithdrawn.WithdrawnOn = &withdrawn
	tests := []struct {
		name string
		cs   []domain.Consent
		on   string
		want string
	}{
		{"none", nil, "2023-01-01", ""},
		{"latest wins", []domain.Consent{newer, old}, "2023-01-01", "new"},
		{"not yet given", []domain.Consent{newer, old}, "2015-01-01", "old"},
		{"withdrawn latest permits nothing", []domain.Consent{old, newerWithdrawn}, "2023-01-01", ""},
		{"before the withdrawal", []domain.Consent{old, newerWithdrawn}, "2021-12-31", "new"},
		{"before any consent", []domain.Consent{old}, "2000-01-01", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := domain.CurrentConsent(tt.cs, day(tt.on))
			if tt.want == "" {
				assert.Nil(t, got)
				return
			}
			if assert.NotNil(t, got) {
				assert.Equal(t, tt.want, got.ExternalID)
			}
		})
	}
}

func TestActorCan(t *testing.T) {
	tests := []struct {
		actor domain.Actor
		role  string
		want  bool
	}{
		{domain.Actor{Name: "r", Role: domain.RoleResearcher}, domain.RoleResearcher, true},
		{domain.Actor{Name: "r", Role: domain.RoleResearcher}, domain.RoleStaff, false},
		{domain.Actor{Name: "s", Role: domain.RoleStaff}, domain.RoleResearcher, true},
		{domain.Actor{Name: "a", Role: domain.RoleAdmin}, domain.RoleStaff, true},
		{domain.Actor{Role: domain.RoleAdmin}, domain.RoleResearcher, false},
		{domain.Actor{Name: "x", Role: "superuser"}, domain.RoleResearcher, false},
		{domain.Actor{Name: "s", Role: domain.RoleStaff}, "nonsense", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.actor.Can(tt.role), "%+v can %s", tt.actor, tt.role)
	}
}
