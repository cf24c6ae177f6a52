package graph

import (
	"context"
	"net/http"
	"time"

	"github.com/vikstrous/dataloadgen"

	"databank/domain"
)

// Loaders batch the lookups of one request, so that a page of 100 samples
// with donors, consents and files costs a fixed number of queries.
type Loaders struct {
	Biobank        *dataloadgen.Loader[string, domain.Biobank]
	Donor          *dataloadgen.Loader[string, domain.Donor]
	Sample         *dataloadgen.Loader[string, domain.Sample]
	Study          *dataloadgen.Loader[string, domain.Study]
	Withdrawal     *dataloadgen.Loader[string, domain.Withdrawal]
	ConsentsOf     *dataloadgen.Loader[string, []domain.Consent]
	DiagnosesOf    *dataloadgen.Loader[string, []domain.Diagnosis]
	SamplesOf      *dataloadgen.Loader[string, []domain.Sample]
	ChildrenOf     *dataloadgen.Loader[string, []domain.Sample]
	WithdrawalsOf  *dataloadgen.Loader[string, []domain.Withdrawal]
	FilesOfSample  *dataloadgen.Loader[string, []domain.DataFile]
	FilesOfReturn  *dataloadgen.Loader[string, []domain.DataFile]
	FilesOfDataset *dataloadgen.Loader[string, []domain.DataFile]
	SamplesOfFile  *dataloadgen.Loader[string, []domain.FileSample]
	DatasetsOfFile *dataloadgen.Loader[string, []domain.Dataset]
}

// batchWait is how long a loader collects keys before it queries.
const batchWait = 2 * time.Millisecond

// byID turns a fetch of entities by ids into a mapped fetch.
func byID[T any](fetch func(context.Context, []string) ([]T, error), id func(T) string) func(context.Context, []string) (map[string]T, error) {
	return func(ctx context.Context, keys []string) (map[string]T, error) {
		xs, err := fetch(ctx, keys)
		if err != nil {
			return nil, err
		}
		out := make(map[string]T, len(xs))
		for _, x := range xs {
			out[id(x)] = x
		}
		return out, nil
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
	w := dataloadgen.WithWait(batchWait)
	return &Loaders{
		Biobank:        dataloadgen.NewMappedLoader(byID(s.BiobanksByIDs, func(x domain.Biobank) string { return x.ID }), w),
		Donor:          dataloadgen.NewMappedLoader(byID(s.DonorsByIDs, func(x domain.Donor) string { return x.ID }), w),
		Sample:         dataloadgen.NewMappedLoader(byID(s.SamplesByIDs, func(x domain.Sample) string { return x.ID }), w),
		Study:          dataloadgen.NewMappedLoader(byID(s.StudiesByIDs, func(x domain.Study) string { return x.ID }), w),
		Withdrawal:     dataloadgen.NewMappedLoader(byID(s.WithdrawalsByIDs, func(x domain.Withdrawal) string { return x.ID }), w),
		ConsentsOf:     dataloadgen.NewLoader(grouped(s.ConsentsByDonorIDs), w),
		DiagnosesOf:    dataloadgen.NewLoader(grouped(s.DiagnosesByDonorIDs), w),
		SamplesOf:      dataloadgen.NewLoader(grouped(s.SamplesByDonorIDs), w),
		ChildrenOf:     dataloadgen.NewLoader(grouped(s.SampleChildren), w),
		WithdrawalsOf:  dataloadgen.NewLoader(grouped(s.WithdrawalsBySampleIDs), w),
		FilesOfSample:  dataloadgen.NewLoader(grouped(s.DataFilesBySampleIDs), w),
		FilesOfReturn:  dataloadgen.NewLoader(grouped(s.DataFilesByWithdrawalIDs), w),
		FilesOfDataset: dataloadgen.NewLoader(grouped(s.DataFilesByDatasetIDs), w),
		SamplesOfFile:  dataloadgen.NewLoader(grouped(s.FileSamplesByFileIDs), w),
		DatasetsOfFile: dataloadgen.NewLoader(grouped(s.DatasetsByFileIDs), w),
	}
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
