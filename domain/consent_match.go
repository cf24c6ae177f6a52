package domain

import (
	"slices"
	"time"
)

// Consent matching: whether a donor's consent permits a research purpose,
// by the DUO rules (GA4GH Data Use Ontology; the matching rules of Lawson
// et al., Cell Genomics 2021, and of the DUOS service). One pure function
// decides; everything that shows a decision (discovery, the withdrawal
// preview, federation) calls it.

// ConsentOutcome is a decision on a purpose.
type ConsentOutcome string

// The outcomes: the rules permit, deny, or cannot decide alone (a data
// access committee must confirm conditions).
const (
	ConsentPermitted   ConsentOutcome = "PERMITTED"
	ConsentNeedsReview ConsentOutcome = "NEEDS_REVIEW"
	ConsentDenied      ConsentOutcome = "DENIED"
)

// DUO codes the rules name.
const (
	DUONoRestriction  = "DUO:0000004" // NRES
	DUOGeneral        = "DUO:0000042" // GRU
	DUOHealthMedical  = "DUO:0000006" // HMB
	DUODiseaseSpecial = "DUO:0000007" // DS
	DUOPopulation     = "DUO:0000011" // POA
	DUOGeneralCare    = "DUO:0000005" // GRU-CC (obsolete): GRU and CC
	DUOResearchUse    = "DUO:0000014" // RU (obsolete)

	DUONotProfitCommercial = "DUO:0000018" // NPUNCU
	DUONotForProfit        = "DUO:0000045" // NPU
	DUONonCommercial       = "DUO:0000046" // NCU
	DUONoMethods           = "DUO:0000015" // NMDS
	DUONoAncestry          = "DUO:0000044" // NPOA
	DUOGeneticOnly         = "DUO:0000016" // GSO
	DUOClinicalCare        = "DUO:0000043" // CC
	DUOReturnData          = "DUO:0000029" // RTN
)

// conditionModifiers are modifiers whose conditions a requester must meet
// and only a committee can confirm.
var conditionModifiers = map[string]string{
	"DUO:0000012": "research specific restrictions (RS)",
	"DUO:0000019": "publication required (PUB)",
	"DUO:0000020": "collaboration with the study's investigators required (COL)",
	"DUO:0000021": "ethics approval required (IRB)",
	"DUO:0000022": "geographical restriction (GS)",
	"DUO:0000024": "publication moratorium (MOR)",
	"DUO:0000025": "time limit on use (TS)",
	"DUO:0000026": "user specific restriction (US)",
	"DUO:0000027": "project specific restriction (PS)",
	"DUO:0000028": "institution specific restriction (IS)",
	DUOReturnData: "derived data must be returned to the biobank (RTN)",
}

// ResearchPurpose is what a researcher intends to do with the data.
type ResearchPurpose struct {
	// Category is the primary purpose as a DUO CURIE: GRU (general
	// research), HMB (health/medical/biomedical), DS (disease-specific,
	// with Disease) or POA (population origins/ancestry).
	Category string
	// Disease is the disease CURIE (ICD-10) of a disease-specific purpose.
	Disease            string
	Commercial         bool
	ForProfit          bool
	MethodsDevelopment bool
	Ancestry           bool // includes population origins or ancestry research
	PhenotypeOnly      bool // no genetic analysis
	ClinicalCare       bool
}

// ConsentDecision is a decision with its reasons, in words a researcher
// understands, and for NEEDS_REVIEW the conditions (DUO CURIEs) a
// committee must confirm.
type ConsentDecision struct {
	Outcome    ConsentOutcome
	Reasons    []string
	Conditions []string
}

// IsA reports whether a code equals or lies below another in its
// vocabulary (ontology.Registry.IsA).
type IsA func(curie, ancestor string) bool

// MatchConsent decides whether consent codes (a permission, its
// modifiers, and the disease of a DS permission) permit purpose.
func MatchConsent(permission string, modifiers []string, disease string, p ResearchPurpose, isA IsA) ConsentDecision {
	var deny, review, conds []string
	has := func(m string) bool { return slices.Contains(modifiers, m) }
	ancestry := p.Ancestry || p.Category == DUOPopulation
	careAllowed := has(DUOClinicalCare)

	switch permission {
	case DUONoRestriction, DUOGeneral:
	case DUOGeneralCare:
		careAllowed = true
	case DUOHealthMedical:
		switch {
		case ancestry:
			deny = append(deny, "the consent permits health, medical or biomedical research (HMB), not population origins or ancestry research")
		case p.Category != DUOHealthMedical && p.Category != DUODiseaseSpecial:
			deny = append(deny, "the consent permits health, medical or biomedical research (HMB) only; a general research purpose is broader")
		}
	case DUODiseaseSpecial:
		switch {
		case p.Category != DUODiseaseSpecial || p.Disease == "":
			what := "a disease"
			if disease != "" {
				what = disease
			}
			deny = append(deny, "the consent permits research on "+what+" only (DS); the purpose is not about a disease")
		case disease == "": // a dataset's DS code, which names no disease
			review = append(review, "the disease-specific permission (DS) names no disease; a committee must decide whether the purpose's disease is the one meant")
		case !isA(p.Disease, disease):
			deny = append(deny, "the consent permits research on "+disease+" and diseases below it (DS); "+p.Disease+" is not one of them")
		}
		if ancestry {
			deny = append(deny, "a disease-specific consent (DS) does not permit population origins or ancestry research")
		}
	case DUOPopulation: // only that: a disease or general purpose that also studies ancestry is more
		if p.Category != DUOPopulation {
			deny = append(deny, "the consent permits population origins or ancestry research only (POA)")
		}
	case DUOResearchUse:
		review = append(review, "the consent carries the obsolete code RU (research use only); a committee must interpret it")
	default:
		review = append(review, "the consent's permission "+permission+" is not one the rules know; a committee must decide")
	}

	if (has(DUONotProfitCommercial) || has(DUONotForProfit) || has(DUONonCommercial)) && (p.Commercial || p.ForProfit) {
		deny = append(deny, "the consent excludes commercial and for-profit use (NPUNCU, NPU or NCU)")
	}
	if has(DUONoMethods) && p.MethodsDevelopment {
		aboutDisease := permission == DUODiseaseSpecial && p.Disease != "" && disease != "" && isA(p.Disease, disease)
		if !aboutDisease {
			deny = append(deny, "the consent excludes methods development other than on its disease (NMDS)")
		}
	}
	if has(DUONoAncestry) && ancestry {
		deny = append(deny, "the consent excludes population origins or ancestry research (NPOA)")
	}
	if has(DUOGeneticOnly) && p.PhenotypeOnly {
		deny = append(deny, "the consent permits genetic studies only (GSO); the purpose is phenotype-only")
	}
	if p.ClinicalCare && !careAllowed {
		deny = append(deny, "clinical care use needs the consent's clinical care modifier (CC)")
	}
	for _, m := range modifiers {
		if c, ok := conditionModifiers[m]; ok {
			conds = append(conds, m)
			review = append(review, "condition: "+c)
		}
	}

	switch {
	case len(deny) > 0:
		return ConsentDecision{Outcome: ConsentDenied, Reasons: deny}
	case len(review) > 0:
		return ConsentDecision{Outcome: ConsentNeedsReview, Reasons: review, Conditions: conds}
	}
	return ConsentDecision{Outcome: ConsentPermitted, Reasons: []string{"the consent's codes permit this purpose"}}
}

// DecideConsent decides a donor's consent in force on day at (see
// CurrentConsent) against purpose: no consent, a withdrawn or a retired
// one permits nothing.
func DecideConsent(c *Consent, p ResearchPurpose, at time.Time, isA IsA) ConsentDecision {
	switch {
	case c == nil:
		return ConsentDecision{Outcome: ConsentDenied, Reasons: []string{"no consent is recorded for the donor"}}
	case c.RetiredAt != nil:
		return ConsentDecision{Outcome: ConsentDenied, Reasons: []string{"the donor's consent was retired"}}
	case c.WithdrawnOn != nil && !at.Before(*c.WithdrawnOn):
		return ConsentDecision{Outcome: ConsentDenied, Reasons: []string{"the donor withdrew consent on " + c.WithdrawnOn.Format(DateLayout)}}
	}
	return MatchConsent(c.Permission, c.Modifiers, c.Disease, p, isA)
}

// DecideDonorConsent decides a donor's consents cs (all of them, as
// recorded) on day at against purpose: the consent in force
// (CurrentConsent); when none is, because the latest was withdrawn, that
// withdrawal is the reason; when none was ever recorded, that is.
func DecideDonorConsent(cs []Consent, p ResearchPurpose, at time.Time, isA IsA) ConsentDecision {
	current, withdrawn := ConsentState(cs, at)
	if current == nil && withdrawn != nil {
		return DecideConsent(withdrawn, p, at, isA)
	}
	return DecideConsent(current, p, at, isA)
}

// DUO roots: every permission descends from DUOPermission, every
// modifier from DUOModifier.
const (
	DUOPermission = "DUO:0000001"
	DUOModifier   = "DUO:0000017"
)

// DecideDataUse decides a dataset's data-use conditions (DUO codes, a
// permission and modifiers) against purpose, as MatchConsent decides a
// consent. Without a permission, or with several, a committee decides.
func DecideDataUse(codes []string, p ResearchPurpose, isA IsA) ConsentDecision {
	var perms, mods []string
	for _, c := range codes {
		switch {
		case isA(c, DUOPermission), c == DUOGeneralCare, c == DUOResearchUse: // the obsolete two have no parent in DUO
			perms = append(perms, c)
		case isA(c, DUOModifier):
			mods = append(mods, c)
		}
	}
	switch len(perms) {
	case 1:
		return MatchConsent(perms[0], mods, "", p, isA)
	case 0:
		return ConsentDecision{Outcome: ConsentNeedsReview, Reasons: []string{"the dataset records no data-use permission: its data access committee decides"}}
	}
	return ConsentDecision{Outcome: ConsentNeedsReview, Reasons: []string{"the dataset records several data-use permissions: its data access committee decides"}}
}
