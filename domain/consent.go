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

// Validate normalises c and records every field error in v; its codes
// are checked against vocab.
func (c *Consent) Validate(v *Validation, vocab Vocabulary) {
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
	c.ValidateCodes(v, vocab, ConsentRecordFields)
	v.Text("documentRef", c.DocumentRef, 500)
}

// ConsentCodeFields names the fields of a consent's codes in an input, for
// messages.
type ConsentCodeFields struct{ Permission, Modifiers, Disease string }

// ConsentRecordFields are the names of a recorded consent's code fields.
var ConsentRecordFields = ConsentCodeFields{Permission: "duoPermission", Modifiers: "duoModifiers", Disease: "disease"}

// ValidateCodes normalises and checks a consent's codes, naming the fields
// as f does: a permission is required and is no modifier, modifiers are no
// permissions (sorted, without repeats), and a disease is given exactly
// when the permission is DS. Consent.Validate and consent matching
// without a consent (MatchConsent's input) both check codes here.
func (c *Consent) ValidateCodes(v *Validation, vocab Vocabulary, f ConsentCodeFields) {
	if v.Required(f.Permission, c.Permission) {
		v.Code(vocab, f.Permission, &c.Permission, ontology.DUO)
		if c.Permission != "" && vocab.IsA(c.Permission, DUOModifierRoot) {
			v.Fail(f.Permission, c.Permission, "is a DUO modifier, not a permission")
		}
	}
	for i := range c.Modifiers {
		v.Code(vocab, f.Modifiers, &c.Modifiers[i], ontology.DUO)
		if c.Modifiers[i] != "" && vocab.IsA(c.Modifiers[i], DUOPermissionRoot) {
			v.Fail(f.Modifiers, c.Modifiers[i], "is a DUO permission, not a modifier")
		}
	}
	c.Modifiers = slices.DeleteFunc(c.Modifiers, func(s string) bool { return s == "" })
	slices.Sort(c.Modifiers)
	c.Modifiers = slices.Compact(c.Modifiers)
	if c.Modifiers == nil {
		c.Modifiers = []string{}
	}
	v.Code(vocab, f.Disease, &c.Disease, DiseaseSystems...)
	if c.Permission == DUODiseaseSpecific && c.Disease == "" {
		v.Fail(f.Disease, "", "is required when the permission is DS (disease specific research)")
	}
	if c.Permission != DUODiseaseSpecific && c.Disease != "" && c.Permission != "" {
		v.Fail(f.Disease, c.Disease, "is only allowed when the permission is DS (disease specific research)")
	}
}

// A donor's current consent has one definition, CurrentConsent, over the
// order ConsentBefore gives the donor's consents. The store keeps that
// order as links (SupersededBy: each consent points to the next one; in
// SQL, ORDER BY given_on, id over the donor's consents that are not
// retired), so that one consent can tell whether it is current
// (ActiveOn) without its history.

// ConsentBefore reports whether a comes before b in their donor's history:
// given earlier, or on the same day and with the smaller id. Ids are
// canonical lower-case UUIDs, whose text order is the database's uuid
// order (and, for ids the store makes, the order of recording).
func ConsentBefore(a, b *Consent) bool {
	if !a.GivenOn.Equal(b.GivenOn) {
		return a.GivenOn.Before(b.GivenOn)
	}
	return a.ID < b.ID
}

// CurrentConsent returns the consent in force on day t among a donor's
// consents: the last one (ConsentBefore) given by then and not retired,
// unless it was withdrawn by then. A withdrawn latest consent means no
// consent, never a fall-back to an earlier one.
func CurrentConsent(cs []Consent, t time.Time) *Consent {
	latest := latestConsent(cs, t)
	if latest == nil || latest.WithdrawnOn != nil && !t.Before(*latest.WithdrawnOn) {
		return nil
	}
	return latest
}

// latestConsent is the last consent (ConsentBefore) given by day t and
// not retired, withdrawn or not; nil when there is none.
func latestConsent(cs []Consent, t time.Time) *Consent {
	var latest *Consent
	for i := range cs {
		c := &cs[i]
		if c.GivenOn.After(t) || c.RetiredAt != nil {
			continue
		}
		if latest == nil || ConsentBefore(latest, c) {
			latest = c
		}
	}
	return latest
}

// ActiveOn reports whether c is its donor's current consent on day t, as
// far as c itself tells: no later consent supersedes it, and, alone,
// CurrentConsent would choose it (given by t, not retired, not withdrawn
// by then). For any day on which every consent of the donor had been
// given, today in particular, this is c == CurrentConsent(history, t); for
// a day in the past, ask CurrentConsent.
func (c *Consent) ActiveOn(t time.Time) bool {
	return c.SupersededBy == "" && CurrentConsent([]Consent{*c}, t) != nil
}

// consentTermsNeverChange ends the message of a change to a recorded
// consent's terms.
const consentTermsNeverChange = "a consent's terms never change: record a new consent, with a new consent id, instead"

// CheckChange records in v every change from old, a recorded consent, to
// c that Databank refuses, one error per field: a consent's terms (its id,
// donor, date, permission, modifiers and disease) never change, since new
// terms are a new consent; and a recorded withdrawal can only move
// earlier, never be undone or postponed. Only the withdrawal date and the
// document reference may change. Both are compared after Validate has
// normalised c. DonorID names the donor as the message should (the store
// passes external ids).
func (c *Consent) CheckChange(v *Validation, old *Consent) {
	if c.ExternalID != old.ExternalID {
		v.Fail("consentId", c.ExternalID, "consent %s keeps its id; %s", old.ExternalID, consentTermsNeverChange)
	}
	if c.DonorID != old.DonorID {
		v.Fail("donorId", c.DonorID, "consent %s belongs to donor %s; %s", old.ExternalID, old.DonorID, consentTermsNeverChange)
	}
	if !c.GivenOn.Equal(old.GivenOn) {
		v.Fail("givenOn", FormatDate(&c.GivenOn), "consent %s was given on %s; %s", old.ExternalID, FormatDate(&old.GivenOn), consentTermsNeverChange)
	}
	if c.Permission != old.Permission {
		v.Fail("duoPermission", c.Permission, "consent %s has the permission %s; %s", old.ExternalID, old.Permission, consentTermsNeverChange)
	}
	if !slices.Equal(c.Modifiers, old.Modifiers) {
		v.Fail("duoModifiers", strings.Join(c.Modifiers, ";"), "consent %s has the modifiers %q; %s",
			old.ExternalID, strings.Join(old.Modifiers, ";"), consentTermsNeverChange)
	}
	if c.Disease != old.Disease {
		v.Fail("disease", c.Disease, "consent %s has the disease %q; %s", old.ExternalID, old.Disease, consentTermsNeverChange)
	}
	if old.WithdrawnOn != nil && (c.WithdrawnOn == nil || c.WithdrawnOn.After(*old.WithdrawnOn)) {
		v.Fail("withdrawnOn", FormatDate(c.WithdrawnOn), "consent %s was withdrawn on %s; a withdrawal cannot be undone or postponed: record a new consent instead",
			old.ExternalID, FormatDate(old.WithdrawnOn))
	}
}
