package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"databank/domain"
	"databank/ontology"
)

// filterWalk normalises one listing's filter tree: it names each field by
// its path (filter.or[1].hasData.assay) and bounds the tree's depth and
// size, so that no filter costs more than a bounded statement.
type filterWalk struct {
	s       *Service
	ctx     context.Context
	clauses int
	shapes  []domain.ConsentShape // loaded once per walk, when a consent filter asks
}

func (s *Service) walk(ctx context.Context) *filterWalk { return &filterWalk{s: s, ctx: ctx} }

func (s *Service) sampleFilter(ctx context.Context, f *domain.SampleFilter) error {
	return s.walk(ctx).sample(f, "filter", 0)
}

func (s *Service) donorFilter(ctx context.Context, f *domain.DonorFilter) error {
	return s.walk(ctx).donor(f, "filter", 0)
}

func (s *Service) dataFileFilter(ctx context.Context, f *domain.DataFileFilter) error {
	return s.walk(ctx).dataFile(f, "filter", 0)
}

// distinct returns xs without repeats (as norm spells them), in their
// first order.
func distinct(xs []string, norm func(string) string) []string {
	seen := make(map[string]bool, len(xs))
	out := xs[:0:0]
	for _, x := range xs {
		if k := norm(x); !seen[k] {
			seen[k] = true
			out = append(out, x)
		}
	}
	return out
}

// enter counts a (nested) filter and checks the bounds.
func (w *filterWalk) enter(path string, depth int) error {
	w.clauses++
	if depth > domain.MaxFilterDepth {
		return invalid(path, "", fmt.Sprintf("filters nest at most %d levels deep", domain.MaxFilterDepth))
	}
	if w.clauses > domain.MaxFilterClauses {
		return invalid(path, "", fmt.Sprintf("a filter holds at most %d nested filters", domain.MaxFilterClauses))
	}
	return nil
}

func (w *filterWalk) sample(f *domain.SampleFilter, path string, depth int) error {
	if err := w.enter(path, depth); err != nil {
		return err
	}
	s, ctx := w.s, w.ctx
	field := func(name string) string { return path + "." + name }
	err := normalise(
		func() (err error) { f.BiobankID, err = s.biobankID(ctx, field("biobank"), f.BiobankCode); return },
		func() error {
			f.BiobankIDs = f.BiobankIDs[:0]
			f.Biobanks = distinct(f.Biobanks, strings.ToUpper)
			for i, code := range f.Biobanks {
				id, err := s.biobankID(ctx, fmt.Sprintf("%s[%d]", field("biobanks"), i), code)
				if err != nil {
					return err
				}
				f.BiobankIDs = append(f.BiobankIDs, id)
			}
			return nil
		},
		func() error { f.Statuses = distinct(f.Statuses, strings.ToLower); return nil },
		func() error { return domain.CheckID(field("donor"), f.DonorID) },
		func() error { return domain.CheckID(field("derivedFrom"), f.DerivedFrom) },
		func() error { return domain.CheckID(field("sameDonorAs"), f.SameDonorAs) },
		func() (err error) {
			f.MaterialType, err = s.code(field("materialType"), f.MaterialType, ontology.Material)
			return
		},
		func() (err error) {
			f.AnatomicalSite, err = s.code(field("anatomicalSite"), f.AnatomicalSite, ontology.Anatomy)
			return
		},
		func() (err error) {
			f.StorageTemperature, err = s.code(field("storageTemperature"), f.StorageTemperature, ontology.Temperature)
			return
		},
		func() (err error) { f.Diagnosis, err = s.code(field("diagnosis"), f.Diagnosis, ontology.ICD10); return },
		func() error { return dateRange(field("collectedFrom"), f.CollectedFrom, f.CollectedTo) },
		func() error { return intRange(field("birthYearFrom"), f.BirthYearFrom, f.BirthYearTo) },
		func() error {
			return intRange(field("ageAtCollectionFrom"), f.AgeAtCollectionFrom, f.AgeAtCollectionTo)
		},
		func() error { return quantityFilter(field("remainingAtLeast"), f.RemainingAtLeast) },
		func() error {
			if f.HasData == nil {
				return nil
			}
			return w.dataFile(f.HasData, field("hasData"), depth+1)
		},
		func() error { return w.consent(f.Consent, field("consent")) },
	)
	if err != nil {
		return err
	}
	for i := range f.And {
		if err := w.sample(&f.And[i], fmt.Sprintf("%s[%d]", field("and"), i), depth+1); err != nil {
			return err
		}
	}
	for i := range f.Or {
		if err := w.sample(&f.Or[i], fmt.Sprintf("%s[%d]", field("or"), i), depth+1); err != nil {
			return err
		}
	}
	if f.Not != nil {
		return w.sample(f.Not, field("not"), depth+1)
	}
	return nil
}

func (w *filterWalk) donor(f *domain.DonorFilter, path string, depth int) error {
	if err := w.enter(path, depth); err != nil {
		return err
	}
	s, ctx := w.s, w.ctx
	field := func(name string) string { return path + "." + name }
	return normalise(
		func() (err error) { f.BiobankID, err = s.biobankID(ctx, field("biobank"), f.BiobankCode); return },
		func() (err error) { f.Diagnosis, err = s.code(field("diagnosis"), f.Diagnosis, ontology.ICD10); return },
		func() error { return intRange(field("birthYearFrom"), f.BirthYearFrom, f.BirthYearTo) },
		func() error {
			if f.HasSample == nil {
				return nil
			}
			return w.sample(f.HasSample, field("hasSample"), depth+1)
		},
	)
}

func (w *filterWalk) dataFile(f *domain.DataFileFilter, path string, depth int) error {
	if err := w.enter(path, depth); err != nil {
		return err
	}
	s := w.s
	field := func(name string) string { return path + "." + name }
	return normalise(
		func() error { return domain.CheckID(field("sample"), f.SampleID) },
		func() error { return domain.CheckID(field("donor"), f.DonorID) },
		func() error { return domain.CheckID(field("dataset"), f.DatasetID) },
		func() error { return domain.CheckID(field("study"), f.StudyID) },
		func() (err error) { f.Format, err = s.code(field("format"), f.Format, ontology.Format); return },
		func() (err error) { f.Assay, err = s.code(field("assay"), f.Assay, ontology.Assay); return },
		func() (err error) { f.Assembly, err = s.code(field("assembly"), f.Assembly, ontology.Assembly); return },
		func() error {
			if f.Sample == nil {
				return nil
			}
			return w.sample(f.Sample, field("sample"), depth+1)
		},
	)
}

// consent resolves a consent filter: the purpose is normalised, and
// every combination of consent terms in the registry is decided once
// (domain.MatchConsent); the store then matches the keys of those whose
// outcome was asked for.
func (w *filterWalk) consent(f *domain.ConsentFilter, path string) error {
	if f == nil {
		return nil
	}
	if len(f.Outcomes) == 0 {
		return invalid(path+".outcomes", "", "name at least one outcome")
	}
	p, err := w.s.purposeAt(path+".purpose", f.Purpose)
	if err != nil {
		return err
	}
	f.Purpose = p
	f.At = today()
	if w.shapes == nil {
		if w.shapes, err = w.s.store.ConsentShapes(w.ctx); err != nil {
			return err
		}
	}
	slices.Sort(f.Outcomes)
	f.Outcomes = slices.Compact(f.Outcomes)
	outcomes := consentOutcomes(w.shapes, p, w.s.vocab.IsA)
	f.Keys, f.KeyOutcomes = f.Keys[:0], nil
	for key, outcome := range outcomes {
		if slices.Contains(f.Outcomes, outcome) {
			f.Keys = append(f.Keys, key)
		}
	}
	slices.Sort(f.Keys)
	for _, key := range f.Keys {
		f.KeyOutcomes = append(f.KeyOutcomes, outcomes[key])
	}
	return nil
}

// consentOutcomes decides each combination of consent terms against p,
// keyed as the store keys them; donors without a consent in force are
// denied (domain.DecideConsent).
func consentOutcomes(shapes []domain.ConsentShape, p domain.ResearchPurpose, isA domain.IsA) map[string]domain.ConsentOutcome {
	out := map[string]domain.ConsentOutcome{domain.NoConsentKey: domain.DecideConsent(nil, p, today(), isA).Outcome}
	for _, c := range shapes {
		out[c.Key] = domain.MatchConsent(c.Permission, c.Modifiers, c.Disease, p, isA).Outcome
	}
	return out
}

// today is domain.Today.
func today() time.Time { return domain.Today() }

func dateRange(field string, from, to *time.Time) error {
	if from != nil && to != nil && from.After(*to) {
		return invalid(field, from.Format(domain.DateLayout), "is after the end of the range")
	}
	return nil
}

func intRange(field string, from, to *int) error {
	if from != nil && to != nil && *from > *to {
		return invalid(field, fmt.Sprint(*from), "is above the end of the range")
	}
	return nil
}

func quantityFilter(field string, q *domain.QuantityFilter) error {
	if q == nil {
		return nil
	}
	u, ok := domain.NormalizeUnit(q.Unit)
	if !ok {
		return invalid(field+".unit", q.Unit, "is not a known unit (ng, ug, mg, g, uL, mL, L, cells, aliquots, slides, blocks)")
	}
	if q.Amount < 0 {
		return invalid(field+".amount", q.Amount.String(), "must not be negative")
	}
	q.Unit = u
	return nil
}
