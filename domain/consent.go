package domain

import (
	"slices"
	"strings"
	"time"

	"databank/ontology"
)

// DUO terms the consent rules refer to by name.
const (
	DUOPermissionRoot  = "DUO:0000001"
	DUOModifierRoot    = "DUO:0000017"
	DUODiseaseSpecific = "DUO:0000007"
)

// Consent is what a donor agreed to, coded with the GA4GH Data Use
// Ontology. Consents are never overwritten: a new consent supersedes the
// donor's previous one, and a withdrawal only sets WithdrawnOn.
type Consent struct {
	ID          string
	DonorID     string
	ExternalID  string // consent id, unique within the biobank
	GivenOn     time.Time
	WithdrawnOn *time.Time
	Permission  string   // DUO permission CURIE
	Modifiers   []string // DUO modifier CURIEs
	Disease     string   // disease CURIE; required when Permission is DS
	DocumentRef string   // reference to the signed document
	// SupersededBy is the id of the consent that replaced this one, if any.
	SupersededBy string
	Audit
}

// DiseaseSystems are the code systems a disease-specific consent may name.
var DiseaseSystems = []string{ontology.ICD10}

// Validate normalises c and records every field error in v.
func (c *Consent) Validate(v *Validation) {
	c.ExternalID = strings.TrimSpace(c.ExternalID)
	v.ExternalID("consentId", c.ExternalID)
	if c.GivenOn.IsZero() {
		v.Fail("givenOn", "", "is required")
	} else if c.GivenOn.After(v.Now()) {
		v.Fail("givenOn", FormatDate(&c.GivenOn), "must not be in the future")
	}
	if c.WithdrawnOn != nil && !c.GivenOn.IsZero() && c.WithdrawnOn.Before(c.GivenOn) {
		v.Fail("withdrawnOn", FormatDate(c.WithdrawnOn), "must not be before givenOn %s", FormatDate(&c.GivenOn))
	}
	if c.WithdrawnOn != nil && c.WithdrawnOn.After(v.Now()) {
		v.Fail("withdrawnOn", FormatDate(c.WithdrawnOn), "must not be in the future")
	}
	if v.Required("duoPermission", c.Permission) {
		v.Code("duoPermission", &c.Permission, ontology.DUO)
		if c.Permission != "" && ontology.Default().IsA(c.Permission, DUOModifierRoot) {
			v.Fail("duoPermission", c.Permission, "is a DUO modifier, not a permission")
		}
	}
	for i := range c.Modifiers {
		v.Code("duoModifiers", &c.Modifiers[i], ontology.DUO)
		if c.Modifiers[i] != "" && ontology.Default().IsA(c.Modifiers[i], DUOPermissionRoot) {
			v.Fail("duoModifiers", c.Modifiers[i], "is a DUO permission, not a modifier")
		}
	}
	c.Modifiers = slices.DeleteFunc(c.Modifiers, func(s string) bool { return s == "" })
	slices.Sort(c.Modifiers)
	c.Modifiers = slices.Compact(c.Modifiers)
	if c.Modifiers == nil {
		c.Modifiers = []string{}
	}
	v.Code("disease", &c.Disease, DiseaseSystems...)
	if c.Permission == DUODiseaseSpecific && c.Disease == "" {
		v.Fail("disease", "", "is required when the permission is DS (disease specific research)")
	}
	if c.Permission != DUODiseaseSpecific && c.Disease != "" && c.Permission != "" {
		v.Fail("disease", c.Disease, "is only allowed when the permission is DS (disease specific research)")
	}
	v.Text("documentRef", c.DocumentRef, 500)
}

// ActiveOn reports whether c permits anything on day t: given on or before
// t, not withdrawn by then, not superseded and not retired.
func (c *Consent) ActiveOn(t time.Time) bool {
	if c.SupersededBy != "" || c.RetiredAt != nil || t.Before(c.GivenOn) {
		return false
	}
	return c.WithdrawnOn == nil || t.Before(*c.WithdrawnOn)
}

// CurrentConsent returns the consent in force on day t among a donor's
// consents: the latest one given by then, unless it was withdrawn. A
// withdrawn latest consent means no consent, never a fall-back to an
// earlier one.
func CurrentConsent(cs []Consent, t time.Time) *Consent {
	var latest *Consent
	for i := range cs {
		c := &cs[i]
		if c.GivenOn.After(t) || c.RetiredAt != nil {
			continue
		}
		if latest == nil || c.GivenOn.After(latest.GivenOn) || c.GivenOn.Equal(latest.GivenOn) && c.ID > latest.ID {
			latest = c
		}
	}
	if latest == nil || latest.WithdrawnOn != nil && !t.Before(*latest.WithdrawnOn) {
		return nil
	}
	return latest
}

// CheckWithdrawal refuses a change of a consent's withdrawal that would
// bring a withdrawn consent back into force: a recorded withdrawal can
// only move earlier, never be cleared or postponed.
func CheckWithdrawal(v *Validation, old, updated *time.Time) {
	switch {
	case old == nil:
	case updated == nil:
		v.Fail("withdrawnOn", "", "the consent was withdrawn on %s; a withdrawal cannot be undone (record a new consent)", FormatDate(old))
	case updated.After(*old):
		v.Fail("withdrawnOn", FormatDate(updated), "the consent was withdrawn on %s; a withdrawal can only move earlier", FormatDate(old))
	}
}
