package service

import (
	"context"

	"databank/domain"
)

type donorStore interface {
	CreateDonor(ctx context.Context, d domain.Donor) (domain.Donor, error)
	UpdateDonor(ctx context.Context, id string, patch func(*domain.Donor) error) (domain.Donor, error)
	RetireDonor(ctx context.Context, id string) (domain.Donor, error)
	Donor(ctx context.Context, id string) (domain.Donor, error)
	DonorByExternalID(ctx context.Context, biobankCode, externalID string) (domain.Donor, error)
	DonorsByIDs(ctx context.Context, ids []string) ([]domain.Donor, error)
	Donors(ctx context.Context, f domain.DonorFilter, p domain.PageRequest) (domain.Page[domain.Donor], error)

	AddDiagnosis(ctx context.Context, d domain.Diagnosis) (domain.Diagnosis, error)
	RetireDiagnosis(ctx context.Context, id string) (domain.Diagnosis, error)
	Diagnosis(ctx context.Context, id string) (domain.Diagnosis, error)
	DiagnosesByDonorIDs(ctx context.Context, donorIDs []string) (map[string][]domain.Diagnosis, error)

	AddConsent(ctx context.Context, c domain.Consent) (domain.Consent, error)
	UpdateConsent(ctx context.Context, id string, patch func(*domain.Consent) error) (domain.Consent, error)
	RetireConsent(ctx context.Context, id string) (domain.Consent, error)
	Consent(ctx context.Context, id string) (domain.Consent, error)
	ConsentsByDonorIDs(ctx context.Context, donorIDs []string) (map[string][]domain.Consent, error)
}

// CreateDonor registers a donor.
func (s *Service) CreateDonor(ctx context.Context, d domain.Donor) (domain.Donor, error) {
	return run(ctx, s, "CreateDonor", func() (domain.Donor, error) {
		if d.BiobankID == "" {
			var err error
			if d.BiobankID, err = s.biobankID(ctx, "input.biobank", d.BiobankCode); err != nil {
				return domain.Donor{}, err
			}
		}
		if err := s.inScope(ctx, d.BiobankID); err != nil {
			return domain.Donor{}, err
		}
		return s.store.CreateDonor(ctx, d)
	})
}

// UpdateDonor changes a donor.
func (s *Service) UpdateDonor(ctx context.Context, id string, patch func(*domain.Donor) error) (domain.Donor, error) {
	return byID(ctx, s, "UpdateDonor", "id", id, func(ctx context.Context, id string) (domain.Donor, error) {
		return scoped(ctx, s, id, s.store.Donor, donorsBiobank, func(ctx context.Context, id string) (domain.Donor, error) {
			return s.store.UpdateDonor(ctx, id, patch)
		})
	})
}

// RetireDonor retires a donor.
func (s *Service) RetireDonor(ctx context.Context, id string) (domain.Donor, error) {
	return byID(ctx, s, "RetireDonor", "id", id, func(ctx context.Context, id string) (domain.Donor, error) {
		return scoped(ctx, s, id, s.store.Donor, donorsBiobank, s.store.RetireDonor)
	})
}

// Donor returns the donor with id.
func (s *Service) Donor(ctx context.Context, id string) (domain.Donor, error) {
	return byID(ctx, s, "Donor", "id", id, func(ctx context.Context, id string) (domain.Donor, error) {
		d, err := readableOne(ctx, s, "Donor", donorID, func() (domain.Donor, error) { return s.store.Donor(ctx, id) })
		if err != nil {
			return d, err
		}
		return pseudonymised(ctx, []domain.Donor{d})[0], nil
	})
}

// DonorByExternalID returns the donor known to a biobank by externalID.
func (s *Service) DonorByExternalID(ctx context.Context, biobankCode, externalID string) (domain.Donor, error) {
	return run(ctx, s, "DonorByExternalID", func() (domain.Donor, error) {
		d, err := readableOne(ctx, s, "Donor", donorID, func() (domain.Donor, error) {
			return byExternalID(ctx, s, "donor", biobankCode, externalID, s.store.DonorByExternalID)
		})
		if err != nil {
			return d, err
		}
		return pseudonymised(ctx, []domain.Donor{d})[0], nil
	})
}

// DonorsByIDs returns the donors with ids (batch loading).
func (s *Service) DonorsByIDs(ctx context.Context, ids []string) ([]domain.Donor, error) {
	return byIDs(ctx, s, "DonorsByIDs", ids, func(ctx context.Context, ids []string) ([]domain.Donor, error) {
		ds, err := s.store.DonorsByIDs(ctx, ids)
		if err == nil {
			ds, err = keepReadable(ctx, s, "Donor", donorID, ds)
		}
		return pseudonymised(ctx, ds), err
	})
}

// Donors lists donors matching f.
func (s *Service) Donors(ctx context.Context, f domain.DonorFilter, p domain.PageRequest) (domain.Page[domain.Donor], error) {
	return run(ctx, s, "Donors", func() (domain.Page[domain.Donor], error) {
		if err := s.donorFilter(ctx, &f); err != nil {
			return domain.Page[domain.Donor]{}, err
		}
		if domain.ActorFrom(ctx).AggregatesOnly() {
			if !p.CountOnly {
				return domain.Page[domain.Donor]{}, errRowsNeedApproval
			}
			p.WantTotal = true
			page, err := s.store.Donors(ctx, f, p)
			if err != nil {
				return page, err
			}
			return s.donorCounts(ctx, f, page, p)
		}
		sc, err := s.rowScope(ctx)
		if err != nil {
			return domain.Page[domain.Donor]{}, err
		}
		f.Scope = sc
		return s.store.Donors(ctx, f, p)
	})
}

// AddDiagnosis records a diagnosis of a donor.
func (s *Service) AddDiagnosis(ctx context.Context, d domain.Diagnosis) (domain.Diagnosis, error) {
	return run(ctx, s, "AddDiagnosis", func() (domain.Diagnosis, error) {
		b, err := s.donorBiobank(ctx, d.DonorID)
		if err == nil {
			err = s.inScope(ctx, b)
		}
		if err != nil {
			return domain.Diagnosis{}, err
		}
		return s.store.AddDiagnosis(ctx, d)
	})
}

// RetireDiagnosis retires a diagnosis.
func (s *Service) RetireDiagnosis(ctx context.Context, id string) (domain.Diagnosis, error) {
	return byID(ctx, s, "RetireDiagnosis", "id", id, func(ctx context.Context, id string) (domain.Diagnosis, error) {
		return scoped(ctx, s, id, s.store.Diagnosis, func(ctx context.Context, d domain.Diagnosis) (string, error) { return s.donorBiobank(ctx, d.DonorID) },
			s.store.RetireDiagnosis)
	})
}

// Diagnosis returns the diagnosis with id.
func (s *Service) Diagnosis(ctx context.Context, id string) (domain.Diagnosis, error) {
	return byID(ctx, s, "Diagnosis", "id", id, func(ctx context.Context, id string) (domain.Diagnosis, error) {
		return readableOne(ctx, s, "Donor", diagnosisDonor, func() (domain.Diagnosis, error) { return s.store.Diagnosis(ctx, id) })
	})
}

// DiagnosesByDonorIDs returns the diagnoses of donors (batch loading).
func (s *Service) DiagnosesByDonorIDs(ctx context.Context, donorIDs []string) (map[string][]domain.Diagnosis, error) {
	return byIDs(ctx, s, "DiagnosesByDonorIDs", donorIDs, func(ctx context.Context, ids []string) (map[string][]domain.Diagnosis, error) {
		groups, err := s.store.DiagnosesByDonorIDs(ctx, ids)
		if err != nil {
			return nil, err
		}
		return keepReadableKeys(ctx, s, "Donor", groups)
	})
}

// AddConsent records a consent of a donor.
func (s *Service) AddConsent(ctx context.Context, c domain.Consent) (domain.Consent, error) {
	return run(ctx, s, "AddConsent", func() (domain.Consent, error) {
		b, err := s.donorBiobank(ctx, c.DonorID)
		if err == nil {
			err = s.inScope(ctx, b)
		}
		if err != nil {
			return domain.Consent{}, err
		}
		return s.store.AddConsent(ctx, c)
	})
}

// UpdateConsent changes what may change of a consent.
func (s *Service) UpdateConsent(ctx context.Context, id string, patch func(*domain.Consent) error) (domain.Consent, error) {
	return byID(ctx, s, "UpdateConsent", "id", id, func(ctx context.Context, id string) (domain.Consent, error) {
		return scoped(ctx, s, id, s.store.Consent, s.consentBiobank, func(ctx context.Context, id string) (domain.Consent, error) {
			return s.store.UpdateConsent(ctx, id, patch)
		})
	})
}

// RetireConsent retires a consent.
func (s *Service) RetireConsent(ctx context.Context, id string) (domain.Consent, error) {
	return byID(ctx, s, "RetireConsent", "id", id, func(ctx context.Context, id string) (domain.Consent, error) {
		return scoped(ctx, s, id, s.store.Consent, s.consentBiobank, s.store.RetireConsent)
	})
}

// Consent returns the consent with id.
func (s *Service) Consent(ctx context.Context, id string) (domain.Consent, error) {
	return byID(ctx, s, "Consent", "id", id, func(ctx context.Context, id string) (domain.Consent, error) {
		return readableOne(ctx, s, "Donor", consentDonor, func() (domain.Consent, error) { return s.store.Consent(ctx, id) })
	})
}

// ConsentsByDonorIDs returns the consents of donors (batch loading).
func (s *Service) ConsentsByDonorIDs(ctx context.Context, donorIDs []string) (map[string][]domain.Consent, error) {
	return byIDs(ctx, s, "ConsentsByDonorIDs", donorIDs, func(ctx context.Context, ids []string) (map[string][]domain.Consent, error) {
		groups, err := s.store.ConsentsByDonorIDs(ctx, ids)
		if err != nil {
			return nil, err
		}
		return keepReadableKeys(ctx, s, "Donor", groups)
	})
}

func donorsBiobank(_ context.Context, d domain.Donor) (string, error) { return d.BiobankID, nil }

func (s *Service) consentBiobank(ctx context.Context, c domain.Consent) (string, error) {
	return s.donorBiobank(ctx, c.DonorID)
}
