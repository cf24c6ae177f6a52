package service

import (
	"context"
	"slices"

	"databank/domain"
	"databank/ontology"
)

// purposeCategories are the DUO codes a research purpose's category may be.
// NRES is a consent's permission, not a research purpose: a purpose
// "without restriction" would pass every HMB consent.
var purposeCategories = map[string]bool{domain.DUOGeneral: true, domain.DUOHealthMedical: true,
	domain.DUODiseaseSpecial: true, domain.DUOPopulation: true}

// purpose normalises a research purpose: the category and disease in any
// spelling the vocabulary accepts become CURIEs.
func (s *Service) purpose(p domain.ResearchPurpose) (domain.ResearchPurpose, error) {
	return s.purposeAt("purpose", p)
}

// purposeAt is purpose for an input named path.
func (s *Service) purposeAt(path string, p domain.ResearchPurpose) (domain.ResearchPurpose, error) {
	cat, err := s.code(path+".category", p.Category, ontology.DUO)
	if err != nil {
		return p, err
	}
	if !purposeCategories[cat] {
		return p, invalid(path+".category", p.Category, "must be GRU, HMB, DS or POA")
	}
	p.Category = cat
	if p.Disease, err = s.code(path+".disease", p.Disease, domain.DiseaseSystems...); err != nil {
		return p, err
	}
	if p.Category == domain.DUODiseaseSpecial && p.Disease == "" {
		return p, invalid(path+".disease", "", "is required for a disease-specific (DS) purpose")
	}
	return p, nil
}

// MatchConsent decides consent codes against a purpose, without data.
func (s *Service) MatchConsent(ctx context.Context, permission string, modifiers []string, disease string, p domain.ResearchPurpose) (domain.ConsentDecision, error) {
	return compute(ctx, s, "MatchConsent", func() (domain.ConsentDecision, error) {
		var d domain.ConsentDecision
		p, err := s.purpose(p)
		if err != nil {
			return d, err
		}
		c := domain.Consent{Permission: permission, Modifiers: slices.Clone(modifiers), Disease: disease}
		v := domain.NewValidation("consent")
		c.ValidateCodes(v, s.vocab, domain.ConsentCodeFields{Permission: "permission", Modifiers: "modifiers", Disease: "disease"})
		if err := v.Err(); err != nil {
			return d, err
		}
		return domain.MatchConsent(c.Permission, c.Modifiers, c.Disease, p, s.vocab.IsA), nil
	})
}

// DecideDonorConsent decides a donor's consents against a purpose today:
// the consent in force, or, when the latest was withdrawn, that
// withdrawal (domain.DecideDonorConsent).
func (s *Service) DecideDonorConsent(ctx context.Context, cs []domain.Consent, p domain.ResearchPurpose) (domain.ConsentDecision, error) {
	return compute(ctx, s, "DecideDonorConsent", func() (domain.ConsentDecision, error) {
		p, err := s.purpose(p)
		if err != nil {
			return domain.ConsentDecision{}, err
		}
		return domain.DecideDonorConsent(cs, p, today(), s.vocab.IsA), nil
	})
}

// DecideConsent decides one recorded consent (nil: the donor has none)
// against a purpose today. A consent a later one superseded permits
// nothing any more: the donor's consent in force decides
// (DecideDonorConsent).
func (s *Service) DecideConsent(ctx context.Context, c *domain.Consent, p domain.ResearchPurpose) (domain.ConsentDecision, error) {
	return compute(ctx, s, "DecideConsent", func() (domain.ConsentDecision, error) {
		p, err := s.purpose(p)
		if err != nil {
			return domain.ConsentDecision{}, err
		}
		d := domain.DecideConsent(c, p, today(), s.vocab.IsA)
		if c != nil && c.SupersededBy != "" && d.Outcome != domain.ConsentDenied {
			d = domain.ConsentDecision{Outcome: domain.ConsentDenied, Reasons: []string{
				"a later consent superseded this one: the donor's consent in force decides (ask the donor's or the sample's consentDecision)"}}
		}
		return d, nil
	})
}

// DecideDataUse decides a dataset's data-use conditions against a purpose.
func (s *Service) DecideDataUse(ctx context.Context, codes []string, p domain.ResearchPurpose) (domain.ConsentDecision, error) {
	return compute(ctx, s, "DecideDataUse", func() (domain.ConsentDecision, error) {
		p, err := s.purpose(p)
		if err != nil {
			return domain.ConsentDecision{}, err
		}
		return domain.DecideDataUse(codes, p, s.vocab.IsA), nil
	})
}
