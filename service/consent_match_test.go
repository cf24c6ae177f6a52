package service_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// One recorded consent is decided on its own codes while it is the
// donor's latest; once superseded it permits nothing: the donor's consent
// in force decides.
func TestDecideOneConsent(t *testing.T) {
	svc := newService(t)
	ctx := domain.WithActor(context.Background(), domain.Actor{Name: "rita", Role: domain.RoleResearcher})
	given := mustDate(t, "2020-01-01")
	purpose := domain.ResearchPurpose{Category: "GRU"}
	tests := []struct {
		name   string
		c      domain.Consent
		want   domain.ConsentOutcome
		reason string
	}{
		{"latest", domain.Consent{Permission: domain.DUOGeneral, GivenOn: given}, domain.ConsentPermitted, "permit"},
		{"superseded", domain.Consent{Permission: domain.DUOGeneral, GivenOn: given, SupersededBy: "0190e1a2-0000-7000-8000-000000000001"},
			domain.ConsentDenied, "a later consent superseded this one"},
		{"superseded and denied on its own", domain.Consent{Permission: domain.DUOHealthMedical, GivenOn: given, SupersededBy: "0190e1a2-0000-7000-8000-000000000001"},
			domain.ConsentDenied, "HMB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := svc.DecideConsent(ctx, &tt.c, purpose)
			require.NoError(t, err)
			assert.Equal(t, tt.want, d.Outcome)
			require.NotEmpty(t, d.Reasons)
			assert.Contains(t, d.Reasons[0], tt.reason)
		})
	}
}
