package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"databank/domain"
)

// A reader confined to part of the registry (domain.RowScope) reads rows
// through the conditions below: listings add them to their filters, and
// lookups ask InRowScope which of their records lie within.

// InRowScope returns which of ids — samples, data files, donors or
// withdrawals, by kind ("Sample", "DataFile", "Donor", "Withdrawal") —
// lie within sc.
func (s *Store) InRowScope(ctx context.Context, sc domain.RowScope, kind string, ids []string) (map[string]bool, error) {
	var w where
	var table, cond string
	switch kind {
	case "Sample":
		table, cond = "sample", scopeSampleCond(&w, "t", &sc)
	case "DataFile":
		table, cond = "data_file", scopeFileCond(&w, "t", &sc)
	case "Donor":
		table, cond = "donor", scopeDonorCond(&w, "t", &sc)
	case "Withdrawal":
		table, cond = "withdrawal", scopeWithdrawalCond(&w, "t", &sc)
	default:
		return nil, domain.Errorf(domain.EINTERNAL, "store: no approved scope for %s", kind)
	}
	rows, err := s.pool.Query(ctx, "SELECT t.id::text FROM "+table+" t WHERE t.id = ANY("+w.arg(parseIDs(ids))+") AND "+cond, w.args...)
	if err != nil {
		return nil, translate(err, "approved scope")
	}
	out := map[string]bool{}
	var id string
	_, err = pgx.ForEachRow(rows, []any{&id}, func() error {
		out[id] = true
		return nil
	})
	return out, translate(err, "approved scope")
}

// scopeSampleCond is "the sample t lies within sc": one of its samples,
// held by a current file of one of its datasets, or of one of its
// biobanks.
func scopeSampleCond(w *where, t string, sc *domain.RowScope) string {
	l, d, f := w.alias("al"), w.alias("ad"), w.alias("af")
	return "(" + t + ".id = ANY(" + w.arg(parseIDs(sc.SampleIDs)) + "::uuid[]) OR " + t + ".biobank_id = ANY(" + w.arg(parseIDs(sc.BiobankIDs)) + "::uuid[])" +
		" OR EXISTS (SELECT 1 FROM data_file_sample " + l + " JOIN dataset_file " + d + " ON " + d + ".data_file_id = " + l + ".data_file_id JOIN data_file " + f +
		" ON " + f + ".id = " + l + ".data_file_id WHERE " + l + ".sample_id = " + t + ".id AND " + f + ".retired_at IS NULL AND " + d + ".dataset_id = ANY(" +
		w.arg(parseIDs(sc.DatasetIDs)) + "::uuid[])))"
}

// scopeFileCond is "the data file t lies within sc": in one of its
// datasets, or holding one of its samples or a sample of one of its
// biobanks.
func scopeFileCond(w *where, t string, sc *domain.RowScope) string {
	l, d, s := w.alias("al"), w.alias("ad"), w.alias("as")
	return "(EXISTS (SELECT 1 FROM dataset_file " + d + " WHERE " + d + ".data_file_id = " + t + ".id AND " + d + ".dataset_id = ANY(" +
		w.arg(parseIDs(sc.DatasetIDs)) + "::uuid[])) OR EXISTS (SELECT 1 FROM data_file_sample " + l + " JOIN sample " + s + " ON " + s + ".id = " + l +
		".sample_id WHERE " + l + ".data_file_id = " + t + ".id AND (" + l + ".sample_id = ANY(" + w.arg(parseIDs(sc.SampleIDs)) + "::uuid[]) OR " +
		s + ".biobank_id = ANY(" + w.arg(parseIDs(sc.BiobankIDs)) + "::uuid[]))))"
}

// scopeDonorCond is "the donor t lies within sc": of one of its
// biobanks, or with a current sample within it.
func scopeDonorCond(w *where, t string, sc *domain.RowScope) string {
	s := w.alias("ds")
	return "(" + t + ".biobank_id = ANY(" + w.arg(parseIDs(sc.BiobankIDs)) + "::uuid[]) OR EXISTS (SELECT 1 FROM sample " + s + " WHERE " + s +
		".donor_id = " + t + ".id AND " + s + ".retired_at IS NULL AND " + scopeSampleCond(w, s, sc) + "))"
}

// scopeWithdrawalCond is "the withdrawal t lies within sc": of one of its
// biobanks, or of a sample within it.
func scopeWithdrawalCond(w *where, t string, sc *domain.RowScope) string {
	s := w.alias("ws")
	return "(" + t + ".biobank_id = ANY(" + w.arg(parseIDs(sc.BiobankIDs)) + "::uuid[]) OR EXISTS (SELECT 1 FROM sample " + s + " WHERE " + s +
		".id = " + t + ".sample_id AND " + scopeSampleCond(w, s, sc) + "))"
}
