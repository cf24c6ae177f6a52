package graph

import (
	"context"

	"github.com/99designs/gqlgen/graphql"

	"databank/domain"
)

// Prefetching makes the number of SQL statements of a listing depend on
// the shape of the query only, never on the page size or on timing: a
// list resolver walks the selection set below its items and loads each
// relation for all items in one query, level by level, filling the
// request's loaders. The field resolvers then find everything cached.

// childFields returns the fields selected under the named subfields
// (e.g. "nodes", or "edges" then "node") of the current field.
func childFields(ctx context.Context, typ string, path ...string) []graphql.CollectedField {
	oc := graphql.GetOperationContext(ctx)
	fields := graphql.CollectFieldsCtx(ctx, nil)
	var out []graphql.CollectedField
	var walk func(fs []graphql.CollectedField, path []string)
	walk = func(fs []graphql.CollectedField, path []string) {
		for _, f := range fs {
			if f.Name != path[0] {
				continue
			}
			if len(path) == 1 {
				out = append(out, graphql.CollectFields(oc, f.Selections, []string{typ, "Node"})...)
				continue
			}
			walk(graphql.CollectFields(oc, f.Selections, nil), path[1:])
		}
	}
	walk(fields, path)
	return out
}

// connectionFields returns the fields selected on the items of a
// connection, through nodes and through edges.node.
func connectionFields(ctx context.Context, typ string) []graphql.CollectedField {
	return append(childFields(ctx, typ, "nodes"), childFields(ctx, typ, "edges", "node")...)
}

// sub returns the fields selected under f on objects of type typ.
func sub(ctx context.Context, f graphql.CollectedField, typ string) []graphql.CollectedField {
	return graphql.CollectFields(graphql.GetOperationContext(ctx), f.Selections, []string{typ, "Node"})
}

func ids[T any](xs []T, id func(T) string) []string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		if k := id(x); k != "" {
			out = append(out, k)
		}
	}
	return out
}

func flatten[T any](lists [][]T) []T {
	var out []T
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

type prefetcher struct{ l *Loaders }

func newPrefetcher(ctx context.Context) prefetcher { return prefetcher{loaders(ctx)} }

func (p prefetcher) samples(ctx context.Context, xs []domain.Sample, fields []graphql.CollectedField) error {
	if len(xs) == 0 {
		return nil
	}
	for _, f := range fields {
		var err error
		switch f.Name {
		case "biobank":
			_, err = p.l.Biobank.LoadMany(ctx, ids(xs, func(s domain.Sample) string { return s.BiobankID }))
		case "donor":
			var ds []domain.Donor
			if ds, err = p.l.Donor.LoadMany(ctx, ids(xs, func(s domain.Sample) string { return s.DonorID })); err == nil {
				err = p.donors(ctx, ds, sub(ctx, f, "Donor"))
			}
		case "parent":
			var ps []domain.Sample
			if ps, err = p.l.Sample.LoadMany(ctx, ids(xs, func(s domain.Sample) string { return s.ParentID })); err == nil {
				err = p.samples(ctx, ps, sub(ctx, f, "Sample"))
			}
		case "children":
			var cs [][]domain.Sample
			if cs, err = p.l.ChildrenOf.LoadMany(ctx, ids(xs, sampleID)); err == nil {
				err = p.samples(ctx, flatten(cs), sub(ctx, f, "Sample"))
			}
		case "dataFiles":
			var fs [][]domain.DataFile
			if fs, err = p.l.FilesOfSample.LoadMany(ctx, ids(xs, sampleID)); err == nil {
				err = p.files(ctx, flatten(fs), sub(ctx, f, "DataFile"))
			}
		case "withdrawals":
			var ws [][]domain.Withdrawal
			if ws, err = p.l.WithdrawalsOf.LoadMany(ctx, ids(xs, sampleID)); err == nil {
				err = p.withdrawals(ctx, flatten(ws), sub(ctx, f, "Withdrawal"))
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func sampleID(s domain.Sample) string { return s.ID }

func (p prefetcher) donors(ctx context.Context, xs []domain.Donor, fields []graphql.CollectedField) error {
	if len(xs) == 0 {
		return nil
	}
	donorIDs := ids(xs, func(d domain.Donor) string { return d.ID })
	for _, f := range fields {
		var err error
		switch f.Name {
		case "biobank":
			_, err = p.l.Biobank.LoadMany(ctx, ids(xs, func(d domain.Donor) string { return d.BiobankID }))
		case "consents", "currentConsent":
			_, err = p.l.ConsentsOf.LoadMany(ctx, donorIDs)
		case "diagnoses":
			_, err = p.l.DiagnosesOf.LoadMany(ctx, donorIDs)
		case "samples":
			var ss [][]domain.Sample
			if ss, err = p.l.SamplesOf.LoadMany(ctx, donorIDs); err == nil {
				err = p.samples(ctx, flatten(ss), sub(ctx, f, "Sample"))
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (p prefetcher) files(ctx context.Context, xs []domain.DataFile, fields []graphql.CollectedField) error {
	if len(xs) == 0 {
		return nil
	}
	fileIDs := ids(xs, func(f domain.DataFile) string { return f.ID })
	for _, f := range fields {
		var err error
		switch f.Name {
		case "samples":
			var links [][]domain.FileSample
			if links, err = p.l.SamplesOfFile.LoadMany(ctx, fileIDs); err == nil {
				for _, g := range sub(ctx, f, "FileSample") {
					if g.Name != "sample" || err != nil {
						continue
					}
					var ss []domain.Sample
					if ss, err = p.l.Sample.LoadMany(ctx, ids(flatten(links), func(l domain.FileSample) string { return l.SampleID })); err == nil {
						err = p.samples(ctx, ss, sub(ctx, g, "Sample"))
					}
				}
			}
		case "study":
			_, err = p.l.Study.LoadMany(ctx, ids(xs, func(f domain.DataFile) string { return f.StudyID }))
		case "withdrawal":
			var ws []domain.Withdrawal
			if ws, err = p.l.Withdrawal.LoadMany(ctx, ids(xs, func(f domain.DataFile) string { return f.WithdrawalID })); err == nil {
				err = p.withdrawals(ctx, ws, sub(ctx, f, "Withdrawal"))
			}
		case "datasets":
			_, err = p.l.DatasetsOfFile.LoadMany(ctx, fileIDs)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (p prefetcher) withdrawals(ctx context.Context, xs []domain.Withdrawal, fields []graphql.CollectedField) error {
	if len(xs) == 0 {
		return nil
	}
	for _, f := range fields {
		var err error
		switch f.Name {
		case "sample":
			var ss []domain.Sample
			if ss, err = p.l.Sample.LoadMany(ctx, ids(xs, func(w domain.Withdrawal) string { return w.SampleID })); err == nil {
				err = p.samples(ctx, ss, sub(ctx, f, "Sample"))
			}
		case "study":
			_, err = p.l.Study.LoadMany(ctx, ids(xs, func(w domain.Withdrawal) string { return w.StudyID }))
		case "returnedFiles":
			var fs [][]domain.DataFile
			if fs, err = p.l.FilesOfReturn.LoadMany(ctx, ids(xs, func(w domain.Withdrawal) string { return w.ID })); err == nil {
				err = p.files(ctx, flatten(fs), sub(ctx, f, "DataFile"))
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (p prefetcher) datasets(ctx context.Context, xs []domain.Dataset, fields []graphql.CollectedField) error {
	for _, f := range fields {
		if f.Name != "files" || len(xs) == 0 {
			continue
		}
		fs, err := p.l.FilesOfDataset.LoadMany(ctx, ids(xs, func(d domain.Dataset) string { return d.ID }))
		if err != nil {
			return err
		}
		if err := p.files(ctx, flatten(fs), sub(ctx, f, "DataFile")); err != nil {
			return err
		}
	}
	return nil
}
