package service

import (
	"context"
	"strings"

	"databank/domain"
	"databank/ontology"
)

// facetSystems are the vocabularies of the facets whose values are codes.
var facetSystems = map[domain.SampleFacet]string{
	domain.FacetMaterialType: ontology.Material, domain.FacetAnatomicalSite: ontology.Anatomy,
	domain.FacetStorageTemperature: ontology.Temperature, domain.FacetAssay: ontology.Assay,
	domain.FacetFormat: ontology.Format, domain.FacetAssembly: ontology.Assembly,
	domain.FacetDiagnosisChapter: ontology.ICD10, domain.FacetDiagnosisBlock: ontology.ICD10,
}

// MaxFacetDepth bounds FacetOptions.Depth.
const maxFacetDepth = 10

// SampleFacets counts the samples matching f by each facet.
func (s *Service) SampleFacets(ctx context.Context, f domain.SampleFilter, facets []domain.SampleFacet, o domain.FacetOptions) ([]domain.Facet, error) {
	return run(ctx, s, "SampleFacets", func() ([]domain.Facet, error) {
		if len(facets) == 0 {
			return nil, invalid("facets", "", "name at least one facet")
		}
		if o.Depth < 0 || o.Depth > maxFacetDepth {
			return nil, invalid("depth", "", "must be between 0 and 10")
		}
		w := s.walk(ctx)
		if err := w.sample(&f, "filter", 0); err != nil {
			return nil, err
		}
		if a := domain.ActorFrom(ctx); a.Confined() && !a.AggregatesOnly() {
			// staff of some biobanks count their biobanks' samples only
			sc, err := s.rowScope(ctx)
			if err != nil {
				return nil, err
			}
			f.Scope = sc
		}
		filters := make([]domain.SampleFilter, len(facets))
		reqs := make([]domain.FacetRequest, len(facets))
		seen := map[domain.SampleFacet]bool{}
		for i, facet := range facets {
			if seen[facet] {
				return nil, invalid("facets", string(facet), "is asked for twice")
			}
			seen[facet] = true
			filters[i] = f.WithoutFacet(facet)
			reqs[i] = domain.FacetRequest{Facet: facet, At: today()}
			var err error
			if reqs[i].Buckets, err = w.buckets(facet, o); err != nil {
				return nil, err
			}
		}
		aggregates := domain.ActorFrom(ctx).AggregatesOnly()
		if aggregates {
			if err := noIndividuals(&f); err != nil {
				return nil, err
			}
			if err := fewNeighbours(f.Neighbours()); err != nil {
				return nil, err
			}
		}
		if !aggregates {
			return s.facetsOf(ctx, filters, reqs)
		}
		// Facets of a filter are subject to the same differencing guard
		// as its counts (all minus DNB is the other biobanks), and each
		// bucket to the same bucket under every neighbour of f: the counts
		// of f and its neighbours and all those facets in one reading.
		names, neighbours := relaxations(f)
		all, allReqs := filters, reqs
		for _, g := range neighbours {
			for _, facet := range facets {
				all = append(all, g.WithoutFacet(facet))
			}
			allReqs = append(allReqs, reqs...)
		}
		res, read, ok := s.countsAndFacets(ctx, append([]domain.SampleFilter{f}, neighbours...), all, allReqs)
		if ok {
			if err := s.differenced(names, res[1:], res[0].donors[0]); err != nil {
				return nil, err
			}
		} else {
			whole, err := s.countSamples(ctx, f, allCounts)
			if err != nil {
				return nil, err
			}
			if err := s.noDifferencing(ctx, f, whole.DonorCount); err != nil {
				return nil, err
			}
			if read, err = s.facetsOf(ctx, all, allReqs); err != nil {
				return nil, err
			}
		}
		out := read[:len(facets)]
		s.noBucketDifferencing(out, read[len(facets):])
		for i := range out {
			out[i].Buckets = s.suppress.Buckets(out[i].Buckets)
		}
		return out, nil
	})
}

// noBucketDifferencing hides each bucket of out (the facets of a filter)
// whose donors differ by fewer than the threshold (but some) from the
// same bucket under a neighbour of the filter
// (domain.SampleFilter.Relaxations; near holds their facets, neighbour
// after neighbour, in out's order): a bucket of {sex: FEMALE} by BIOBANK
// against the same of {} would single out the donors the filter sets
// apart, bucket by bucket, where the two totals differ by many.
func (s *Service) noBucketDifferencing(out, near []domain.Facet) {
	for n := 0; n < len(near); n += len(out) {
		for i := range out {
			donors := map[string]int{}
			for _, b := range near[n+i].Buckets {
				donors[b.Value] = b.DonorCount
			}
			for j := range out[i].Buckets {
				b := &out[i].Buckets[j]
				if d := abs(donors[b.Value] - b.DonorCount); d > 0 && d < s.suppress.K() {
					b.Suppressed, b.Count, b.DonorCount = true, 0, 0
				}
			}
		}
	}
}

// buckets maps a facet's stored values to the buckets they count in.
func (w *filterWalk) buckets(facet domain.SampleFacet, o domain.FacetOptions) (map[string]string, error) {
	switch facet {
	case domain.FacetConsentOutcome:
		if o.Purpose == nil {
			return nil, invalid("purpose", "", "is required for the consent outcome facet")
		}
		p, err := w.s.purpose(*o.Purpose)
		if err != nil {
			return nil, err
		}
		if w.shapes == nil {
			if w.shapes, err = w.s.store.ConsentShapes(w.ctx); err != nil {
				return nil, err
			}
		}
		out := map[string]string{}
		for key, outcome := range consentOutcomes(w.shapes, p, w.s.vocab.IsA) {
			out[key] = string(outcome)
		}
		return out, nil
	case domain.FacetDiagnosisChapter:
		return w.s.rollUp(ontology.ICD10, func(chain []ontology.Term) string { return chain[len(chain)-1].CURIE }), nil
	case domain.FacetDiagnosisBlock:
		return w.s.rollUp(ontology.ICD10, icd10Block), nil
	}
	if system, ok := facetSystems[facet]; ok && o.Depth > 0 {
		return w.s.rollUp(system, func(chain []ontology.Term) string {
			if len(chain) <= o.Depth {
				return chain[0].CURIE
			}
			return chain[len(chain)-o.Depth].CURIE
		}), nil
	}
	return nil, nil
}

// icd10Block is the innermost block (a code range such as E10-E14) at or
// above a term; a chapter stays itself.
func icd10Block(chain []ontology.Term) string {
	for _, t := range chain {
		if strings.Contains(t.Code, "-") {
			return t.CURIE
		}
	}
	return chain[len(chain)-1].CURIE
}

// rollUp maps every term of a system to the bucket bucket picks from its
// chain of ancestors (the term first, its top-level ancestor last; along
// first parents).
func (s *Service) rollUp(system string, bucket func(chain []ontology.Term) string) map[string]string {
	out := map[string]string{}
	for _, t := range s.vocab.Terms(system) {
		chain := []ontology.Term{t}
		for cur := t; len(cur.Parents) > 0 && len(chain) <= domain.MaxLineageDepth; {
			p, ok := s.vocab.Term(cur.Parents[0])
			if !ok {
				break
			}
			chain = append(chain, p)
			cur = p
		}
		if b := bucket(chain); b != t.CURIE {
			out[t.CURIE] = b
		}
	}
	return out
}
