package graph

import (
	"bytes"
	"context"
	"encoding/csv"

	"github.com/99designs/gqlgen/graphql"

	"databank/domain"
	"databank/graph/model"
)

// previewRequest converts the preview input.
func previewRequest(in model.WithdrawalPreviewInput) domain.PreviewRequest {
	req := domain.PreviewRequest{BiobankCode: str(in.Biobank), SampleIDs: in.SampleIds, IDs: in.Ids,
		Data:    domain.DataFileFilter{Assay: in.Assay, Assembly: str(in.Assembly), Format: str(in.Format)},
		Purpose: researchPurpose(*in.Purpose)}
	if in.Filter != nil {
		f := sampleFilter(in.Filter)
		req.Filter = &f
	}
	if q := in.Quantity; q != nil {
		req.Quantity = &domain.QuantityFilter{Amount: q.Amount, Unit: q.Unit}
	}
	return req
}

// maxPreviewList bounds the samples of a withdrawalPreview's list answer
// (PreviewRequest.MaxListed), which is held whole until it is sent
// (gqlgen resolves the list before writing it): a longer preview is asked
// as withdrawalPreviewCsv, or for its counts only.
const maxPreviewList = 20_000

// previewListed tells whether the answer's samples are selected: a
// preview asked for its counts only keeps no items.
func previewListed(ctx context.Context) bool {
	for _, f := range graphql.CollectFieldsCtx(ctx, nil) {
		if f.Name == "samples" {
			return true
		}
	}
	return false
}

// previewAnswer builds the GraphQL answer, with the samples and files
// selected below the items prefetched (a level's relations in one
// statement each, whatever the number of items).
func previewAnswer(ctx context.Context, items []domain.PreviewItem, sum domain.PreviewSummary) (*model.WithdrawalPreview, error) {
	var samples, files []any
	for i := range items {
		it := &items[i]
		for _, s := range []*domain.Sample{it.Sample, it.Alternative} {
			if s != nil {
				samples = append(samples, s)
			}
		}
		for _, fs := range [][]domain.DataFile{it.Files, it.AlternativeFiles} {
			for j := range fs {
				files = append(files, &fs[j])
			}
		}
	}
	sampleFields := append(childFields(ctx, "Sample", "samples", "sample"), childFields(ctx, "Sample", "samples", "alternative")...)
	if err := prefetch(ctx, "Sample", samples, sampleFields); err != nil {
		return nil, err
	}
	fileFields := append(childFields(ctx, "DataFile", "samples", "files"), childFields(ctx, "DataFile", "samples", "alternativeFiles")...)
	if err := prefetch(ctx, "DataFile", files, fileFields); err != nil {
		return nil, err
	}
	out := &model.WithdrawalPreview{Samples: items, SummaryLine: sum.Line(), Total: sum.Total, ServedAsData: sum.AsData(), ServedByAlternative: sum.ByAlternative}
	for _, s := range domain.PreviewStatuses {
		out.Summary = append(out.Summary, model.PreviewCount{Status: s, Count: sum.Counts[s]})
	}
	return out, nil
}

// previewCSV runs a preview into CSV text.
func (r *queryResolver) previewCSV(ctx context.Context, req domain.PreviewRequest) (string, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(domain.PreviewCSVHeader); err != nil {
		return "", err
	}
	if _, err := r.svc.WithdrawalPreview(ctx, req, func(it domain.PreviewItem) error { return w.Write(it.CSVRecord()) }); err != nil {
		return "", err
	}
	w.Flush()
	return buf.String(), w.Error()
}
