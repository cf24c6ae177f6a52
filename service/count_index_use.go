package service

import (
	"context"
	"reflect"
	"time"

	"databank/domain"
)

// countSamples counts the samples matching f and their donors: from the
// count index when it may answer, else in SQL (as p asks).
func (s *Service) countSamples(ctx context.Context, f domain.SampleFilter, p domain.PageRequest) (domain.Page[domain.Sample], error) {
	if res, _, ok := s.countsAndFacets(ctx, []domain.SampleFilter{f}, nil, nil); ok {
		return domain.Page[domain.Sample]{Total: res[0].samples[0], DonorCount: res[0].donors[0]}, nil
	}
	return s.store.Samples(ctx, f, p)
}

// allCounts asks for a listing's counts alone.
var allCounts = domain.PageRequest{WantTotal: true, WantDonorCount: true, CountOnly: true}

// donorCountsOf counts the donors of the samples matching each filter, in
// one pass of the count index when it may answer them all, else in SQL.
func (s *Service) donorCountsOf(ctx context.Context, filters []domain.SampleFilter) ([]int, error) {
	out := make([]int, len(filters))
	if res, _, ok := s.countsAndFacets(ctx, filters, nil, nil); ok {
		for i, c := range res {
			out[i] = c.donors[0]
		}
		return out, nil
	}
	for i, f := range filters {
		q, err := s.store.Samples(ctx, f, allCounts)
		if err != nil {
			return nil, err
		}
		out[i] = q.DonorCount
	}
	return out, nil
}

// facetsOf counts the samples matching filters[i] by reqs[i]'s facet:
// from the count index, in one pass, when it may answer every request,
// else in SQL.
func (s *Service) facetsOf(ctx context.Context, filters []domain.SampleFilter, reqs []domain.FacetRequest) ([]domain.Facet, error) {
	if _, out, ok := s.countsAndFacets(ctx, nil, filters, reqs); ok {
		return out, nil
	}
	return s.store.SampleFacets(ctx, filters, reqs)
}

// countsAndFacets counts the samples and donors matching each of counts,
// and the facets of filters[i] by reqs[i], all in one pass of the count
// index (every count of the index goes through here); ok is false when
// the index cannot answer every one of them (the callers then ask SQL). A researcher's counts,
// checked against every neighbouring filter, and their facets, checked
// bucket by bucket, thus cost one pass instead of three.
func (s *Service) countsAndFacets(ctx context.Context, counts, filters []domain.SampleFilter, reqs []domain.FacetRequest) ([]indexCounts, []domain.Facet, bool) {
	ix, codes := s.indexed(ctx)
	if ix == nil || len(reqs) > 0 && !ix.textAsBytes {
		return nil, nil, false
	}
	jobs := make([]indexJob, 0, len(counts)+len(reqs))
	leaves := newLeafTables(s.vocab.IsA)
	for i := range counts {
		p, ok := ix.compile(&counts[i], leaves)
		if !ok {
			return nil, nil, false
		}
		jobs = append(jobs, indexJob{pred: p})
	}
	names := make([][]string, len(reqs))
	// a facet's buckets by profile are the same under every filter: made
	// once for a request's filter and its neighbours
	type facetKey struct {
		facet   domain.SampleFacet
		day     string
		buckets uintptr // the map of stored values to buckets, by identity
	}
	type facetShape struct {
		job   indexJob
		names []string
	}
	shapes := map[facetKey]facetShape{}
	for i := range reqs {
		p, ok := ix.compile(&filters[i], leaves)
		if !ok {
			return nil, nil, false
		}
		k := facetKey{reqs[i].Facet, reqs[i].At.Format(time.DateOnly), reflect.ValueOf(reqs[i].Buckets).Pointer()}
		shape, made := shapes[k]
		if !made {
			if shape.job, shape.names, ok = ix.facetJob(indexPred{}, reqs[i], codes); !ok {
				return nil, nil, false
			}
			shapes[k] = shape
		}
		j := shape.job
		j.pred, names[i] = p, shape.names
		jobs = append(jobs, j)
	}
	res := ix.count(jobs)
	facets := make([]domain.Facet, len(reqs))
	for i := range reqs {
		facets[i] = domain.Facet{Facet: reqs[i].Facet, Buckets: facetBuckets(res[len(counts)+i], names[i])}
	}
	s.countIndex.answered.Add(1)
	return res[:len(counts)], facets, true
}
