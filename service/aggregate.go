package service

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"databank/domain"
)

// Readers who see aggregates only (domain.Actor.AggregatesOnly) get
// counts, donor counts and facets with small counts suppressed
// (domain.Suppression, threshold Options.MinCount), and no count that a
// narrower or wider one could be subtracted from to single out fewer
// than that many donors.

// errRowsNeedApproval refuses a listing's items to such a reader.
var errRowsNeedApproval = domain.Errorf(domain.EFORBIDDEN,
	"sample- and donor-level records are not shown to researchers: ask for totalCount and donorCount alone, or sampleFacets, or for approved access")

// sampleCounts answers a sample listing with its counts alone.
func (s *Service) sampleCounts(ctx context.Context, f domain.SampleFilter, p domain.PageRequest) (domain.Page[domain.Sample], error) {
	if !p.CountOnly {
		return domain.Page[domain.Sample]{}, errRowsNeedApproval
	}
	if err := noIndividuals(&f); err != nil {
		return domain.Page[domain.Sample]{}, err
	}
	if err := fewNeighbours(f.Neighbours()); err != nil { // before any count
		return domain.Page[domain.Sample]{}, err
	}
	names, neighbours := relaxations(f)
	if res, _, ok := s.countsAndFacets(ctx, append([]domain.SampleFilter{f}, neighbours...), nil, nil); ok { // one pass
		page := domain.Page[domain.Sample]{Total: res[0].samples[0], DonorCount: res[0].donors[0]}
		if s.suppress.CountsSuppressed(page.Total, page.DonorCount) {
			return domain.Page[domain.Sample]{Suppressed: true}, nil
		}
		return page, s.differenced(names, res[1:], page.DonorCount)
	}
	page, err := s.countSamples(ctx, f, allCounts)
	if err != nil {
		return page, err
	}
	if s.suppress.CountsSuppressed(page.Total, page.DonorCount) {
		return domain.Page[domain.Sample]{Suppressed: true}, nil
	}
	return page, s.noDifferencing(ctx, f, page.DonorCount)
}

// differenced is noDifferencing on counts already made: counts[i] are
// those of the neighbour names[i].
func (s *Service) differenced(names []string, counts []indexCounts, donors int) error {
	for i, name := range names {
		if d := abs(counts[i].donors[0] - donors); d > 0 && d < s.suppress.K() {
			return differencing(name, s.suppress.K())
		}
	}
	return nil
}

// noIndividuals refuses, to readers of aggregates, a filter that picks
// out one donor's samples (domain.SampleFilter.SelectsIndividuals).
func noIndividuals(f *domain.SampleFilter) error {
	if name, ok := f.SelectsIndividuals(); ok {
		return domain.Errorf(domain.EFORBIDDEN, "the filter's condition %s picks samples by who they are, not by what they are: a count alone covers the whole "+
			"registry, and counts by it are not shown to researchers; select by the samples' and donors' attributes, or list the nodes of the samples you are "+
			"approved for", name)
	}
	return nil
}

// noDifferencing refuses a count of donors when leaving out one of the
// filter's conditions, at any depth (domain.SampleFilter.Relaxations),
// would change it by fewer than the threshold donors (but some): the
// difference of the two counts would single them out.
func (s *Service) noDifferencing(ctx context.Context, f domain.SampleFilter, donors int) error {
	if err := fewNeighbours(f.Neighbours()); err != nil {
		return err
	}
	names, filters := relaxations(f)
	counts, err := s.donorCountsOf(ctx, filters)
	if err != nil {
		return err
	}
	for i, name := range names {
		if d := abs(counts[i] - donors); d > 0 && d < s.suppress.K() {
			return differencing(name, s.suppress.K())
		}
	}
	return nil
}

// fewNeighbours refuses a filter with more neighbours than the guard
// checks (domain.MaxNeighbours).
func fewNeighbours(n int) error {
	if n > domain.MaxNeighbours {
		return &domain.Error{Code: domain.ELIMIT, Message: fmt.Sprintf("the filter has %d conditions and nested filters; a count for researchers takes at most %d "+
			"(each is checked against the count without it)", n, domain.MaxNeighbours)}
	}
	return nil
}

// relaxations is f.Relaxations in the order of their names.
func relaxations(f domain.SampleFilter) ([]string, []domain.SampleFilter) {
	relaxed := f.Relaxations()
	names := slices.Sorted(maps.Keys(relaxed))
	filters := make([]domain.SampleFilter, len(names))
	for i, name := range names {
		filters[i] = relaxed[name]
	}
	return names, filters
}

func abs(n int) int { return max(n, -n) }

// donorCounts answers a donor listing with its count alone, refusing it
// as noDifferencing does for samples.
func (s *Service) donorCounts(ctx context.Context, f domain.DonorFilter, page domain.Page[domain.Donor], p domain.PageRequest) (domain.Page[domain.Donor], error) {
	if !p.CountOnly {
		return domain.Page[domain.Donor]{}, errRowsNeedApproval
	}
	if f.HasSample != nil {
		if err := noIndividuals(f.HasSample); err != nil {
			return domain.Page[domain.Donor]{}, err
		}
		if err := fewNeighbours(f.HasSample.Neighbours()); err != nil {
			return domain.Page[domain.Donor]{}, err
		}
	}
	if page.Total < s.suppress.K() {
		return domain.Page[domain.Donor]{Suppressed: true}, nil
	}
	relaxed := f.Relaxations() // the samples' filter's neighbours included
	for _, name := range slices.Sorted(maps.Keys(relaxed)) {
		if err := ctx.Err(); err != nil {
			return domain.Page[domain.Donor]{}, domain.Errorf(domain.EUNAVAILABLE, "counting: %v", err)
		}
		q, err := s.store.Donors(ctx, relaxed[name], domain.PageRequest{WantTotal: true, CountOnly: true})
		if err != nil {
			return domain.Page[domain.Donor]{}, err
		}
		if d := abs(q.Total - page.Total); d > 0 && d < s.suppress.K() {
			return domain.Page[domain.Donor]{}, differencing(name, s.suppress.K())
		}
	}
	return domain.Page[domain.Donor]{Total: page.Total}, nil
}

// differencing refuses a count that the count without the filter's
// condition name would single fewer than k donors out from.
func differencing(name string, k int) error {
	return domain.Errorf(domain.EFORBIDDEN, "the filter's condition %s sets apart fewer than %d donors from the rest of the filter's matches: "+
		"such a count could single them out, so it is not shown; widen the condition", name, k)
}
