package store_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

func date(s string) time.Time {
	t, err := domain.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestConsentHistoryKept(t *testing.T) {
	t.Parallel()
	st, ctx := newStore(t)
	f := newFixture(t, ctx, st)
	first, err := st.AddConsent(ctx, domain.Consent{DonorID: f.donor.ID, ExternalID: "C1", GivenOn: date("2015-01-10"), Permission: "GRU", Modifiers: []string{"NPU", "IRB"}})
	require.NoError(t, err)
	assert.Equal(t, "DUO:0000042", first.Permission)
	assert.Equal(t, []string{"DUO:0000021", "DUO:0000045"}, first.Modifiers)

	second, err := st.AddConsent(ctx, domain.Consent{DonorID: f.donor.ID, ExternalID: "C2", GivenOn: date("2020-06-01"), Permission: "DS", Disease: "E11"})
	require.NoError(t, err)
	assert.Equal(t, "ICD10:E11", second.Disease)

	all, err := st.ConsentsByDonorIDs(ctx, []string{f.donor.ID})
	require.NoError(t, err)
	history := all[f.donor.ID]
	require.Len(t, history, 2, "the earlier consent is kept")
	assert.Equal(t, second.ID, history[0].SupersededBy)
	assert.Empty(t, history[1].SupersededBy)
	assert.Equal(t, "C2", domain.CurrentConsent(history, time.Now()).ExternalID)

	// Terms cannot be rewritten; withdrawal is recorded.
	_, err = st.UpdateConsent(ctx, second.ID, func(c *domain.Consent) error { c.Permission = "GRU"; return nil })
	assert.Equal(t, domain.EINVALID, domain.ErrorCode(err))
	withdrawn, err := st.UpdateConsent(ctx, second.ID, func(c *domain.Consent) error { d := date("2023-01-01"); c.WithdrawnOn = &d; return nil })
	require.NoError(t, err)
	require.NotNil(t, withdrawn.WithdrawnOn)
	all, err = st.ConsentsByDonorIDs(ctx, []string{f.donor.ID})
	require.NoError(t, err)
	assert.Nil(t, domain.CurrentConsent(all[f.donor.ID], time.Now()), "a withdrawn latest consent permits nothing")
}

func TestConsentValidation(t *testing.T) {
	t.Parallel()
	st, ctx := newStore(t)
	f := newFixture(t, ctx, st)
	tests := []struct {
		name  string
		c     domain.Consent
		field string
	}{
		{"DS needs disease", domain.Consent{ExternalID: "C1", GivenOn: date("2020-01-01"), Permission: "DS"}, "input.disease"},
		{"modifier as permission", domain.Consent{ExternalID: "C1", GivenOn: date("2020-01-01"), Permission: "NPU"}, "input.duoPermission"},
		{"unknown code", domain.Consent{ExternalID: "C1", GivenOn: date("2020-01-01"), Permission: "DUO:9999999"}, "input.duoPermission"},
		{"withdrawn before given", domain.Consent{ExternalID: "C1", GivenOn: date("2020-01-01"), WithdrawnOn: ptr(date("2019-01-01")), Permission: "GRU"}, "input.withdrawnOn"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.c.DonorID = f.donor.ID
			_, err := st.AddConsent(ctx, tt.c)
			var de *domain.Error
			require.ErrorAs(t, err, &de)
			assert.Equal(t, domain.EINVALID, de.Code)
			require.NotEmpty(t, de.Fields)
			assert.Equal(t, tt.field, de.Fields[0].Field)
		})
	}
}

func ptr[T any](v T) *T { return &v }

func TestWithdrawalCannotBeUndone(t *testing.T) {
	t.Parallel()
	st, ctx := newStore(t)
	f := newFixture(t, ctx, st)
	c, err := st.AddConsent(ctx, domain.Consent{DonorID: f.donor.ID, ExternalID: "C1", GivenOn: date("2015-01-10"), Permission: "GRU", WithdrawnOn: ptr(date("2020-01-01"))})
	require.NoError(t, err)
	tests := []struct {
		name string
		to   *time.Time
		ok   bool
	}{
		{"cleared", nil, false},
		{"postponed", ptr(date("2021-01-01")), false},
		{"in the future", ptr(time.Now().AddDate(1, 0, 0)), false},
		{"moved earlier", ptr(date("2019-06-01")), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := st.UpdateConsent(ctx, c.ID, func(c *domain.Consent) error { c.WithdrawnOn = tt.to; return nil })
			if tt.ok {
				require.NoError(t, err)
				return
			}
			assert.Equal(t, domain.EINVALID, domain.ErrorCode(err))
		})
	}
}
