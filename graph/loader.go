package graph

import (
	"context"
	"net/http"
	"time"

	"databank/domain"
)

// Loaders batch the lookups of one request, so that a page of 100 samples
// with donors, consents and files costs a fixed number of queries.
type Loaders struct {
	Biobank        *batchLoader[string, domain.Biobank]
	Donor          *batchLoader[string, domain.Donor]
	Sample         *batchLoader[string, domain.Sample]
	Study          *batchLoader[string, domain.Study]
	Withdrawal     *batchLoader[string, domain.Withdrawal]
	ConsentsOf     *batchLoader[string, []domain.Consent]
	DiagnosesOf    *batchLoader[string, []domain.Diagnosis]
	SamplesOf      *batchLoader[string, []domain.Sample]
	ChildrenOf     *batchLoader[string, []domain.Sample]
	WithdrawalsOf  *batchLoader[string, []domain.Withdrawal]
	FilesOfSample  *batchLoader[string, []domain.DataFile]
	FilesOfReturn  *batchLoader[string, []domain.DataFile]
	FilesOfDataset *batchLoader[string, []domain.DataFile]
	SamplesOfFile  *batchLoader[string, []domain.FileSample]
	DatasetsOfFile *batchLoader[string, []domain.Dataset]
}

// A loader queries once no new key has come for batchIdle, and at the
// latest batchMax after its first key.
const (
	batchIdle = 3 * time.Millisecond
	batchMax  = 100 * time.Millisecond
)

// byID turns a fetch of entities by ids into a loader fetch; a missing id
// is a not-found error for that key only.
func byID[T any](fetch func(context.Context, []string) ([]T, error), id func(T) string) func(context.Context, []string) ([]T, []error) {
	return func(ctx context.Context, keys []string) ([]T, []error) {
		out := make([]T, len(keys))
		errs := make([]error, len(keys))
		xs, err := fetch(ctx, keys)
		found := make(map[string]T, len(xs))
		for _, x := range xs {
			found[id(x)] = x
		}
		for i, k := range keys {
			x, ok := found[k]
			switch {
			case err != nil:
				errs[i] = err
			case !ok:
				errs[i] = domain.Errorf(domain.ENOTFOUND, "%s not found", k)
			default:
				out[i] = x
			}
		}
		return out, errs
	}
}

// grouped turns a fetch of one-to-many lists into a loader fetch where a
// key with nothing is an empty list, not an error.
func grouped[T any](fetch func(context.Context, []string) (map[string][]T, error)) func(context.Context, []string) ([][]T, []error) {
	return func(ctx context.Context, keys []string) ([][]T, []error) {
		m, err := fetch(ctx, keys)
		out := make([][]T, len(keys))
		errs := make([]error, len(keys))
		for i, k := range keys {
			if err != nil {
				errs[i] = err
				continue
			}
			out[i] = m[k]
		}
		return out, errs
	}
}

func newLoaders(s Store) *Loaders {
	return &Loaders{
		Biobank:        load(byID(s.BiobanksByIDs, func(x domain.Biobank) string { return x.ID })),
		Donor:          load(byID(s.DonorsByIDs, func(x domain.Donor) string { return x.ID })),
		Sample:         load(byID(s.SamplesByIDs, func(x domain.Sample) string { return x.ID })),
		Study:          load(byID(s.StudiesByIDs, func(x domain.Study) string { return x.ID })),
		Withdrawal:     load(byID(s.WithdrawalsByIDs, func(x domain.Withdrawal) string { return x.ID })),
		ConsentsOf:     load(grouped(s.ConsentsByDonorIDs)),
		DiagnosesOf:    load(grouped(s.DiagnosesByDonorIDs)),
		SamplesOf:      load(grouped(s.SamplesByDonorIDs)),
		ChildrenOf:     load(grouped(s.SampleChildren)),
		WithdrawalsOf:  load(grouped(s.WithdrawalsBySampleIDs)),
		FilesOfSample:  load(grouped(s.DataFilesBySampleIDs)),
		FilesOfReturn:  load(grouped(s.DataFilesByWithdrawalIDs)),
		FilesOfDataset: load(grouped(s.DataFilesByDatasetIDs)),
		SamplesOfFile:  load(grouped(s.FileSamplesByFileIDs)),
		DatasetsOfFile: load(grouped(s.DatasetsByFileIDs)),
	}
}

func load[V any](fetch func(context.Context, []string) ([]V, []error)) *batchLoader[string, V] {
	return newBatchLoader(fetch, batchIdle, batchMax)
}

type loadersKey struct{}

// WithLoaders installs fresh per-request loaders in every request.
func WithLoaders(s Store, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), loadersKey{}, newLoaders(s))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// loaders returns the request's loaders.
func loaders(ctx context.Context) *Loaders {
	return ctx.Value(loadersKey{}).(*Loaders)
}
