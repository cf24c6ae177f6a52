package domain_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/ontology"
)

const (
	gru  = domain.DUOGeneral
	hmb  = domain.DUOHealthMedical
	ds   = domain.DUODiseaseSpecial
	poa  = domain.DUOPopulation
	nres = domain.DUONoRestriction
	npu  = domain.DUONotForProfit
	ncu  = domain.DUONonCommercial
	irb  = "DUO:0000021"
	col  = "DUO:0000020"
	rtn  = domain.DUOReturnData
)

var isA = ontology.Builtin().IsA

func TestMatchConsent(t *testing.T) {
	tests := []struct {
		name       string
		permission string
		modifiers  []string
		disease    string
		purpose    domain.ResearchPurpose
		want       domain.ConsentOutcome
		reason     string   // part of the first reason
		conditions []string // for NEEDS_REVIEW
	}{
		{"GRU permits a general purpose", gru, nil, "", domain.ResearchPurpose{Category: gru}, domain.ConsentPermitted, "permit", nil},
		{"NRES permits ancestry research", nres, nil, "", domain.ResearchPurpose{Category: poa}, domain.ConsentPermitted, "permit", nil},
		{"HMB permits a disease purpose", hmb, nil, "", domain.ResearchPurpose{Category: ds, Disease: "ICD10:E11"}, domain.ConsentPermitted, "permit", nil},
		{"HMB denies POA", hmb, nil, "", domain.ResearchPurpose{Category: poa}, domain.ConsentDenied, "not population origins", nil},
		{"HMB denies ancestry as part of HMB research", hmb, nil, "", domain.ResearchPurpose{Category: hmb, Ancestry: true}, domain.ConsentDenied, "not population origins", nil},
		{"HMB denies a general purpose", hmb, nil, "", domain.ResearchPurpose{Category: gru}, domain.ConsentDenied, "general research purpose is broader", nil},
		{"DS parent permits child disease", ds, nil, "ICD10:E11", domain.ResearchPurpose{Category: ds, Disease: "ICD10:E11.9"}, domain.ConsentPermitted, "permit", nil},
		{"DS permits its own disease", ds, nil, "ICD10:E11", domain.ResearchPurpose{Category: ds, Disease: "ICD10:E11"}, domain.ConsentPermitted, "permit", nil},
		{"DS child denies parent block", ds, nil, "ICD10:E11", domain.ResearchPurpose{Category: ds, Disease: "ICD10:E10-E14"}, domain.ConsentDenied, "ICD10:E10-E14 is not one of them", nil},
		{"DS denies a sibling disease", ds, nil, "ICD10:E11", domain.ResearchPurpose{Category: ds, Disease: "ICD10:E10"}, domain.ConsentDenied, "ICD10:E10 is not one of them", nil},
		{"DS block permits a disease in it", ds, nil, "ICD10:E10-E14", domain.ResearchPurpose{Category: ds, Disease: "ICD10:E11.9"}, domain.ConsentPermitted, "permit", nil},
		{"DS denies HMB purpose", ds, nil, "ICD10:E11", domain.ResearchPurpose{Category: hmb}, domain.ConsentDenied, "not about a disease", nil},
		{"POA permits POA", poa, nil, "", domain.ResearchPurpose{Category: poa}, domain.ConsentPermitted, "permit", nil},
		{"POA denies HMB", poa, nil, "", domain.ResearchPurpose{Category: hmb}, domain.ConsentDenied, "population origins or ancestry research only", nil},
		{"NPU denies a commercial purpose", gru, []string{npu}, "", domain.ResearchPurpose{Category: gru, Commercial: true}, domain.ConsentDenied, "commercial", nil},
		{"NCU denies a for-profit purpose", hmb, []string{ncu}, "", domain.ResearchPurpose{Category: hmb, ForProfit: true}, domain.ConsentDenied, "commercial", nil},
		{"NPU permits a non-commercial purpose", gru, []string{npu}, "", domain.ResearchPurpose{Category: gru}, domain.ConsentPermitted, "permit", nil},
		{"NMDS denies methods development", gru, []string{domain.DUONoMethods}, "", domain.ResearchPurpose{Category: gru, MethodsDevelopment: true}, domain.ConsentDenied, "methods development", nil},
		{"NMDS permits methods on its disease", ds, []string{domain.DUONoMethods}, "ICD10:E11", domain.ResearchPurpose{Category: ds, Disease: "ICD10:E11.9", MethodsDevelopment: true}, domain.ConsentPermitted, "permit", nil},
		{"NPOA denies ancestry", gru, []string{domain.DUONoAncestry}, "", domain.ResearchPurpose{Category: gru, Ancestry: true}, domain.ConsentDenied, "NPOA", nil},
		{"GSO denies phenotype-only", gru, []string{domain.DUOGeneticOnly}, "", domain.ResearchPurpose{Category: gru, PhenotypeOnly: true}, domain.ConsentDenied, "GSO", nil},
		{"clinical care needs CC", gru, nil, "", domain.ResearchPurpose{Category: gru, ClinicalCare: true}, domain.ConsentDenied, "CC", nil},
		{"CC permits clinical care", gru, []string{domain.DUOClinicalCare}, "", domain.ResearchPurpose{Category: gru, ClinicalCare: true}, domain.ConsentPermitted, "permit", nil},
		{"obsolete GRU-CC permits clinical care", domain.DUOGeneralCare, nil, "", domain.ResearchPurpose{Category: gru, ClinicalCare: true}, domain.ConsentPermitted, "permit", nil},
		{"obsolete RU needs review", domain.DUOResearchUse, nil, "", domain.ResearchPurpose{Category: gru}, domain.ConsentNeedsReview, "obsolete code RU", nil},
		{"IRB and COL need review", hmb, []string{irb, col}, "", domain.ResearchPurpose{Category: hmb}, domain.ConsentNeedsReview, "ethics approval", []string{irb, col}},
		{"RTN needs review", gru, []string{rtn}, "", domain.ResearchPurpose{Category: gru}, domain.ConsentNeedsReview, "returned to the biobank", []string{rtn}},
		{"a denial outweighs conditions", hmb, []string{irb, npu}, "", domain.ResearchPurpose{Category: hmb, Commercial: true}, domain.ConsentDenied, "commercial", nil},
		{"HMB denies a purpose of no category it covers", hmb, nil, "", domain.ResearchPurpose{Category: nres}, domain.ConsentDenied, "general research purpose is broader", nil},
		{"HMB denies a purpose without a category", hmb, nil, "", domain.ResearchPurpose{}, domain.ConsentDenied, "general research purpose is broader", nil},
		{"POA denies a disease purpose that studies ancestry too", poa, nil, "", domain.ResearchPurpose{Category: ds, Disease: "ICD10:E11", Ancestry: true}, domain.ConsentDenied, "ancestry research only", nil},
		{"POA denies a general purpose that studies ancestry too", poa, nil, "", domain.ResearchPurpose{Category: gru, Ancestry: true}, domain.ConsentDenied, "ancestry research only", nil},
		{"POA permits POA with the ancestry flag", poa, nil, "", domain.ResearchPurpose{Category: poa, Ancestry: true}, domain.ConsentPermitted, "permit", nil},
		{"DS naming no disease needs review", ds, nil, "", domain.ResearchPurpose{Category: ds, Disease: "ICD10:E11"}, domain.ConsentNeedsReview, "names no disease", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := domain.MatchConsent(tt.permission, tt.modifiers, tt.disease, tt.purpose, isA)
			assert.Equal(t, tt.want, d.Outcome, "%v", d.Reasons)
			require.NotEmpty(t, d.Reasons)
			assert.Contains(t, d.Reasons[0], tt.reason)
			assert.Equal(t, tt.conditions, d.Conditions)
		})
	}
}

// Every permission with every modifier, against purposes with and without
// each flag: the rules never permit what a modifier forbids, and never
// leave a decision without a reason.
func TestMatchConsentExhaustive(t *testing.T) {
	permissions := []string{nres, gru, hmb, ds, poa, domain.DUOGeneralCare, domain.DUOResearchUse}
	modifiers := []string{"", npu, ncu, domain.DUONotProfitCommercial, domain.DUONoMethods, domain.DUONoAncestry, domain.DUOGeneticOnly,
		domain.DUOClinicalCare, irb, col, rtn, "DUO:0000012", "DUO:0000019", "DUO:0000022", "DUO:0000024", "DUO:0000025", "DUO:0000026", "DUO:0000027", "DUO:0000028"}
	categories := []domain.ResearchPurpose{{Category: gru}, {Category: hmb}, {Category: ds, Disease: "ICD10:E11.9"}, {Category: ds, Disease: "ICD10:C50"}, {Category: poa}}
	n := 0
	for _, perm := range permissions {
		for _, mod := range modifiers {
			var mods []string
			if mod != "" {
				mods = []string{mod}
			}
			for _, base := range categories {
				for flags := range 1 << 6 {
					p := base
					p.Commercial, p.ForProfit, p.MethodsDevelopment = flags&1 != 0, flags&2 != 0, flags&4 != 0
					p.Ancestry, p.PhenotypeOnly, p.ClinicalCare = flags&8 != 0, flags&16 != 0, flags&32 != 0
					d := domain.MatchConsent(perm, mods, "ICD10:E11", p, isA)
					n++
					require.NotEmpty(t, d.Reasons)
					permitted := d.Outcome == domain.ConsentPermitted
					switch {
					case (mod == npu || mod == ncu || mod == domain.DUONotProfitCommercial) && (p.Commercial || p.ForProfit):
						assert.Equal(t, domain.ConsentDenied, d.Outcome, "%s %s %+v", perm, mod, p)
					case mod == domain.DUONoAncestry && (p.Ancestry || p.Category == poa):
						assert.Equal(t, domain.ConsentDenied, d.Outcome)
					case mod == domain.DUOGeneticOnly && p.PhenotypeOnly:
						assert.Equal(t, domain.ConsentDenied, d.Outcome)
					case p.ClinicalCare && mod != domain.DUOClinicalCare && perm != domain.DUOGeneralCare:
						assert.Equal(t, domain.ConsentDenied, d.Outcome)
					}
					if d.Outcome == domain.ConsentNeedsReview {
						assert.False(t, permitted)
					}
					if len(d.Conditions) > 0 {
						assert.Equal(t, domain.ConsentNeedsReview, d.Outcome)
					}
				}
			}
		}
	}
	assert.Greater(t, n, 40000)
}

func TestDecideConsent(t *testing.T) {
	day := func(s string) time.Time { d, _ := domain.ParseDate(s); return d }
	withdrawn := day("2022-06-01")
	retired := day("2023-01-01")
	c := domain.Consent{Permission: gru, GivenOn: day("2020-01-01")}
	purpose := domain.ResearchPurpose{Category: gru}
	assert.Equal(t, domain.ConsentDenied, domain.DecideConsent(nil, purpose, day("2024-01-01"), isA).Outcome)
	assert.Equal(t, domain.ConsentPermitted, domain.DecideConsent(&c, purpose, day("2024-01-01"), isA).Outcome)
	w := c
	w.WithdrawnOn = &withdrawn
	assert.Equal(t, domain.ConsentPermitted, domain.DecideConsent(&w, purpose, day("2022-05-31"), isA).Outcome, "before the withdrawal")
	d := domain.DecideConsent(&w, purpose, day("2022-06-01"), isA)
	assert.Equal(t, domain.ConsentDenied, d.Outcome)
	assert.Contains(t, d.Reasons[0], "withdrew consent on 2022-06-01")
	r := c
	r.RetiredAt = &retired
	assert.Contains(t, domain.DecideConsent(&r, purpose, day("2024-01-01"), isA).Reasons[0], "retired")
}

func TestDecideDonorConsent(t *testing.T) {
	day := func(s string) time.Time { d, _ := domain.ParseDate(s); return d }
	withdrawn := day("2022-06-01")
	purpose := domain.ResearchPurpose{Category: gru}
	first := domain.Consent{ID: "a", Permission: hmb, GivenOn: day("2018-01-01")}
	second := domain.Consent{ID: "b", Permission: gru, GivenOn: day("2020-01-01")}
	gone := second
	gone.WithdrawnOn = &withdrawn
	tests := []struct {
		name   string
		cs     []domain.Consent
		at     string
		want   domain.ConsentOutcome
		reason string
	}{
		{"none recorded", nil, "2024-01-01", domain.ConsentDenied, "no consent is recorded"},
		{"the latest applies", []domain.Consent{second, first}, "2024-01-01", domain.ConsentPermitted, "permit"},
		{"the earlier one before the latest was given", []domain.Consent{second, first}, "2019-01-01", domain.ConsentDenied, "HMB"},
		{"the latest withdrawn: the withdrawal is the reason", []domain.Consent{first, gone}, "2024-01-01", domain.ConsentDenied, "withdrew consent on 2022-06-01"},
		{"before the withdrawal", []domain.Consent{first, gone}, "2022-05-31", domain.ConsentPermitted, "permit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := domain.DecideDonorConsent(tt.cs, purpose, day(tt.at), isA)
			assert.Equal(t, tt.want, d.Outcome, d.Reasons)
			require.NotEmpty(t, d.Reasons)
			assert.Contains(t, d.Reasons[0], tt.reason)
		})
	}
}

func TestDecideDataUse(t *testing.T) {
	tests := []struct {
		name    string
		codes   []string
		purpose domain.ResearchPurpose
		want    domain.ConsentOutcome
		reason  string
	}{
		{"GRU", []string{gru}, domain.ResearchPurpose{Category: gru}, domain.ConsentPermitted, "permit"},
		{"HMB with a condition", []string{hmb, irb}, domain.ResearchPurpose{Category: hmb}, domain.ConsentNeedsReview, "ethics"},
		{"obsolete GRU-CC is a permission", []string{domain.DUOGeneralCare}, domain.ResearchPurpose{Category: gru, ClinicalCare: true}, domain.ConsentPermitted, "permit"},
		{"obsolete RU is a permission", []string{domain.DUOResearchUse}, domain.ResearchPurpose{Category: gru}, domain.ConsentNeedsReview, "obsolete code RU"},
		{"DS names no disease in a dataset", []string{ds}, domain.ResearchPurpose{Category: ds, Disease: "ICD10:E11"}, domain.ConsentNeedsReview, "names no disease"},
		{"DS naming no disease still denies a purpose not about a disease", []string{ds}, domain.ResearchPurpose{Category: gru}, domain.ConsentDenied, "not about a disease"},
		{"no permission", []string{irb}, domain.ResearchPurpose{Category: gru}, domain.ConsentNeedsReview, "no data-use permission"},
		{"two permissions", []string{gru, hmb}, domain.ResearchPurpose{Category: gru}, domain.ConsentNeedsReview, "several"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := domain.DecideDataUse(tt.codes, tt.purpose, isA)
			assert.Equal(t, tt.want, d.Outcome, d.Reasons)
			require.NotEmpty(t, d.Reasons)
			assert.Contains(t, d.Reasons[0], tt.reason)
		})
	}
}
