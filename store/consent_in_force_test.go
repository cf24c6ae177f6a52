package store_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// The consent in force is decided in Go (domain.CurrentConsent) for one
// donor and in SQL (current_consent_key) for the discovery filters and
// facets over many: both must agree on every kind of history.
func TestConsentInForceAgreesWithTheDomain(t *testing.T) {
	st, ctx := newStore(t)
	f := newFixture(t, ctx, st)
	day := func(s string) time.Time {
		d, err := domain.ParseDate(s)
		require.NoError(t, err)
		return d
	}
	type consent struct {
		permission string
		modifiers  []string
		given      string
		withdrawn  string
		retired    bool
	}
	histories := map[string][]consent{
		"single":                         {{permission: "HMB", given: "2020-01-01"}},
		"latest wins":                    {{permission: "HMB", given: "2020-01-01"}, {permission: "GRU", given: "2022-01-01"}},
		"latest withdrawn, no fall-back": {{permission: "HMB", given: "2020-01-01"}, {permission: "GRU", given: "2022-01-01", withdrawn: "2023-01-01"}},
		"latest retired, fall back":      {{permission: "HMB", given: "2020-01-01"}, {permission: "GRU", given: "2022-01-01", retired: true}},
		"same day, later id":             {{permission: "HMB", modifiers: []string{"NPU"}, given: "2021-01-01"}, {permission: "HMB", modifiers: []string{"IRB"}, given: "2021-01-01"}},
		"withdrawn after the day asked":  {{permission: "HMB", given: "2020-01-01", withdrawn: "2023-01-01"}},
		"none":                           nil,
	}
	donors := map[string]string{}  // donor id → history
	samples := map[string]string{} // donor id → sample id
	n := 0
	for name, h := range histories {
		n++
		d, err := st.CreateDonor(ctx, domain.Donor{BiobankID: f.biobank.ID, ExternalID: fmt.Sprintf("H%02d", n), Sex: "male", VitalStatus: "alive"})
		require.NoError(t, err)
		donors[d.ID] = name
		s, err := st.CreateSample(ctx, domain.Sample{BiobankID: f.biobank.ID, DonorID: d.ID, ExternalID: fmt.Sprintf("HS%02d", n), MaterialType: "DNA"})
		require.NoError(t, err)
		samples[d.ID] = s.ID
		for i, c := range h {
			x, err := st.AddConsent(ctx, domain.Consent{DonorID: d.ID, ExternalID: fmt.Sprintf("HC%02d-%d", n, i), GivenOn: day(c.given), Permission: c.permission, Modifiers: c.modifiers})
			require.NoError(t, err, name)
			if c.withdrawn != "" {
				w := day(c.withdrawn)
				_, err = st.UpdateConsent(ctx, x.ID, func(c *domain.Consent) error { c.WithdrawnOn = &w; return nil })
				require.NoError(t, err, name)
			}
			if c.retired {
				_, err = st.RetireConsent(ctx, x.ID)
				require.NoError(t, err, name)
			}
		}
	}
	shapes, err := st.ConsentShapes(ctx)
	require.NoError(t, err)
	keyOf := func(c *domain.Consent) string {
		if c == nil {
			return domain.NoConsentKey
		}
		for _, s := range shapes {
			if s.Permission == c.Permission && slices.Equal(s.Modifiers, c.Modifiers) && s.Disease == c.Disease {
				return s.Key
			}
		}
		t.Fatalf("no shape for %+v", c)
		return ""
	}
	ids := make([]string, 0, len(donors))
	for id := range donors {
		ids = append(ids, id)
	}
	consents, err := st.ConsentsByDonorIDs(ctx, ids)
	require.NoError(t, err)
	for _, at := range []string{"2019-06-01", "2021-06-01", "2022-06-01", "2024-06-01"} {
		for id, name := range donors {
			want := keyOf(domain.CurrentConsent(consents[id], day(at)))
			found := func(keys []string) bool {
				p, err := st.Samples(ctx, domain.SampleFilter{DonorID: id, Consent: &domain.ConsentFilter{At: day(at), Keys: keys}}, domain.PageRequest{})
				require.NoError(t, err)
				return len(p.Items) == 1 && p.Items[0].ID == samples[id]
			}
			assert.True(t, found([]string{want}), "%s on %s: SQL does not find the key %q", name, at, want)
			var others []string
			for _, s := range append(shapes, domain.ConsentShape{Key: domain.NoConsentKey}) {
				if s.Key != want {
					others = append(others, s.Key)
				}
			}
			assert.False(t, found(others), "%s on %s: SQL finds another key than %q", name, at, want)
		}
	}
}
