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

// ActiveOn, which reads one consent and its superseded link, agrees
// with CurrentConsent over the history whenever every consent has been
// given, when the links follow ConsentBefore.
func TestActiveOnAgreesWithCurrentConsent(t *testing.T) {
	w := day("2021-06-01")
	histories := [][]domain.Consent{
		{{ID: "a", GivenOn: day("2010-01-01")}},
		{{ID: "a", GivenOn: day("2010-01-01")}, {ID: "b", GivenOn: day("2020-01-01")}},
		{{ID: "b", GivenOn: day("2020-01-01")}, {ID: "a", GivenOn: day("2020-01-01")}},
		{{ID: "a", GivenOn: day("2010-01-01")}, {ID: "b", GivenOn: day("2020-01-01"), WithdrawnOn: &w}},
		{{ID: "c", GivenOn: day("2019-01-01"), WithdrawnOn: &w}, {ID: "a", GivenOn: day("2020-01-01")}, {ID: "b", GivenOn: day("2010-01-01")}},
	}
	for _, cs := range histories {
		// Link each consent to the next in ConsentBefore order, as the store does.
		for i := range cs {
			for j := range cs {
				if domain.ConsentBefore(&cs[i], &cs[j]) && (cs[i].SupersededBy == "" || domain.ConsentBefore(&cs[j], byID(cs, cs[i].SupersededBy))) {
					cs[i].SupersededBy = cs[j].ID
				}
			}
		}
		for _, on := range []string{"2020-01-01", "2021-05-31", "2021-06-01", "2030-01-01"} {
			current := domain.CurrentConsent(cs, day(on))
			for i := range cs {
				assert.Equal(t, current != nil && current.ID == cs[i].ID, cs[i].ActiveOn(day(on)), "%v on %s: %s", cs, on, cs[i].ID)
			}
		}
	}
}

func byID(cs []domain.Consent, id string) *domain.Consent {
	for i := range cs {
		if cs[i].ID == id {
			return &cs[i]
		}
	}
	return nil
}

func TestConsentCheckChange(t *testing.T) {
	withdrawn := day("2021-01-31")
	old := domain.Consent{ExternalID: "C1", DonorID: "D1", GivenOn: day("2015-01-10"), WithdrawnOn: &withdrawn,
		Permission: "DUO:0000042", Modifiers: []string{"DUO:0000045"}, DocumentRef: "doc://1"}
	const never = "; a consent's terms never change: record a new consent, with a new consent id, instead"
	tests := []struct {
		name   string
		change func(c *domain.Consent)
		want   []domain.FieldError
	}{
		{"document", func(c *domain.Consent) { c.DocumentRef = "doc://2" }, nil},
		{"withdrawn earlier", func(c *domain.Consent) { c.WithdrawnOn = ptr(day("2020-01-01")) }, nil},
		{"withdrawal undone", func(c *domain.Consent) { c.WithdrawnOn = nil },
			[]domain.FieldError{{Field: "withdrawnOn", Message: "consent C1 was withdrawn on 2021-01-31; a withdrawal cannot be undone or postponed: record a new consent instead"}}},
		{"withdrawal postponed", func(c *domain.Consent) { c.WithdrawnOn = ptr(day("2021-02-01")) },
			[]domain.FieldError{{Field: "withdrawnOn", Value: "2021-02-01", Message: "consent C1 was withdrawn on 2021-01-31; a withdrawal cannot be undone or postponed: record a new consent instead"}}},
		{"id", func(c *domain.Consent) { c.ExternalID = "C2" }, []domain.FieldError{{Field: "consentId", Value: "C2", Message: "consent C1 keeps its id" + never}}},
		{"donor", func(c *domain.Consent) { c.DonorID = "D2" }, []domain.FieldError{{Field: "donorId", Value: "D2", Message: "consent C1 belongs to donor D1" + never}}},
		{"permission", func(c *domain.Consent) { c.Permission = "DUO:0000006" },
			[]domain.FieldError{{Field: "duoPermission", Value: "DUO:0000006", Message: "consent C1 has the permission DUO:0000042" + never}}},
		{"modifiers", func(c *domain.Consent) { c.Modifiers = nil },
			[]domain.FieldError{{Field: "duoModifiers", Message: `consent C1 has the modifiers "DUO:0000045"` + never}}},
		{"disease", func(c *domain.Consent) { c.Disease = "ICD10:E11" },
			[]domain.FieldError{{Field: "disease", Value: "ICD10:E11", Message: `consent C1 has the disease ""` + never}}},
		{"given", func(c *domain.Consent) { c.GivenOn = day("2015-01-11") },
			[]domain.FieldError{{Field: "givenOn", Value: "2015-01-11", Message: "consent C1 was given on 2015-01-10" + never}}},
	}
	for _, tt := range tests {
		c := old
		c.Modifiers = []string{"DUO:0000045"}
		tt.change(&c)
		v := domain.NewValidation("")
		c.CheckChange(v, &old)
		assert.Equal(t, tt.want, v.Fields, tt.name)
	}
}

func ptr[T any](v T) *T { return &v }

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
