package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"databank/domain"
)

// Nested lists that can be long (a dataset's files, a file's samples)
// are paged per parent: one statement returns the same page (first items
// after the cursor, in id order) of every parent at once, each parent's
// rows found through its primary key with a LATERAL LIMIT, so a page
// costs the same whether a parent has ten children or a million.

// cursorID parses a page cursor (the id of the previous page's last
// item); "" is the first page.
func cursorID(after string) (*uuid.UUID, error) {
	if after == "" {
		return nil, nil
	}
	u, err := uuid.Parse(after)
	if err != nil {
		return nil, &domain.Error{Code: domain.EINVALID, Message: "invalid page request",
			Fields: []domain.FieldError{{Field: "after", Value: domain.Quote(after, 40), Message: "is not a cursor of this list (endCursor of the previous page)"}}}
	}
	return &u, nil
}

// childCounts runs a "key, count" statement over parent ids.
func (s *Store) childCounts(ctx context.Context, sql string, args ...any) (map[string]int, error) {
	rows, err := s.pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, translate(err, "count children")
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k uuid.UUID
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			return nil, translate(err, "count children")
		}
		out[k.String()] = n
	}
	return out, translate(rows.Err(), "count children")
}

// pages cuts the rows fetched for each parent (at most limit+1) into
// pages, and fills totals when asked.
func pages[T any](ids [][16]byte, got map[string][]T, limit int, totals map[string]int) map[string]domain.Page[T] {
	out := make(map[string]domain.Page[T], len(ids))
	for _, id := range ids {
		k := uuid.UUID(id).String()
		items := got[k]
		p := domain.Page[T]{Items: items, Total: totals[k]}
		if len(items) > limit {
			p.Items, p.HasNext = items[:limit], true
		}
		out[k] = p
	}
	return out
}

// DataFilePagesByDatasetIDs returns one page of each dataset's current
// files, in file id order.
//
// sc, when not nil, confines the files to a reader's row scope.
func (s *Store) DataFilePagesByDatasetIDs(ctx context.Context, datasetIDs []string, p domain.PageRequest, sc *domain.RowScope) (map[string]domain.Page[domain.DataFile], error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	after, err := cursorID(p.After)
	if err != nil {
		return nil, err
	}
	ids := parseIDs(datasetIDs)
	w := where{args: []any{ids, after, p.Limit() + 1}}
	scope := ""
	if sc != nil {
		scope = " AND " + scopeFileCond(&w, "t", sc)
	}
	rows, err := s.pool.Query(ctx, `SELECT d.id AS key, '' AS alias, `+dataFileColumns+` FROM unnest($1::uuid[]) d(id)
		CROSS JOIN LATERAL (SELECT t.* FROM dataset_file l JOIN data_file t ON t.id = l.data_file_id
			WHERE l.dataset_id = d.id AND t.retired_at IS NULL AND ($2::uuid IS NULL OR l.data_file_id > $2)`+scope+`
			ORDER BY l.data_file_id LIMIT $3) t`, w.args...)
	if err != nil {
		return nil, translate(err, "dataset files")
	}
	links, err := pgx.CollectRows(rows, pgx.RowToStructByName[fileLink])
	if err != nil {
		return nil, translate(err, "dataset files")
	}
	got := map[string][]domain.DataFile{}
	for _, l := range links {
		got[l.Key.String()] = append(got[l.Key.String()], l.dataFileRow.domain())
	}
	var totals map[string]int
	if p.WantTotal {
		c := where{args: []any{ids}}
		scope := ""
		if sc != nil {
			scope = " AND " + scopeFileCond(&c, "t", sc)
		}
		totals, err = s.childCounts(ctx, `SELECT l.dataset_id, count(*) FROM dataset_file l JOIN data_file t ON t.id = l.data_file_id
			WHERE l.dataset_id = ANY($1) AND t.retired_at IS NULL`+scope+` GROUP BY l.dataset_id`, c.args...)
		if err != nil {
			return nil, err
		}
	}
	return pages(ids, got, p.Limit(), totals), nil
}

// FileSamplePagesByFileIDs returns one page of each file's sample links,
// in sample id order.
//
// sc, when not nil, confines the samples to a reader's row scope.
func (s *Store) FileSamplePagesByFileIDs(ctx context.Context, fileIDs []string, p domain.PageRequest, sc *domain.RowScope) (map[string]domain.Page[domain.FileSample], error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	after, err := cursorID(p.After)
	if err != nil {
		return nil, err
	}
	ids := parseIDs(fileIDs)
	w := where{args: []any{ids, after, p.Limit() + 1}}
	rows, err := s.pool.Query(ctx, `SELECT f.id, l.sample_id, l.alias FROM unnest($1::uuid[]) f(id)
		CROSS JOIN LATERAL (SELECT l.sample_id, l.alias FROM data_file_sample l
			WHERE l.data_file_id = f.id AND ($2::uuid IS NULL OR l.sample_id > $2)`+fileSampleScope(&w, sc)+` ORDER BY l.sample_id LIMIT $3) l`,
		w.args...)
	if err != nil {
		return nil, translate(err, "file samples")
	}
	defer rows.Close()
	got := map[string][]domain.FileSample{}
	for rows.Next() {
		var f, smp uuid.UUID
		var alias string
		if err := rows.Scan(&f, &smp, &alias); err != nil {
			return nil, translate(err, "file samples")
		}
		got[f.String()] = append(got[f.String()], domain.FileSample{SampleID: smp.String(), Alias: alias})
	}
	if err := rows.Err(); err != nil {
		return nil, translate(err, "file samples")
	}
	var totals map[string]int
	if p.WantTotal {
		c := where{args: []any{ids}}
		totals, err = s.childCounts(ctx, `SELECT l.data_file_id, count(*) FROM data_file_sample l WHERE l.data_file_id = ANY($1)`+fileSampleScope(&c, sc)+
			` GROUP BY l.data_file_id`, c.args...)
		if err != nil {
			return nil, err
		}
	}
	return pages(ids, got, p.Limit(), totals), nil
}

// fileSampleScope is the condition confining a file's sample links (alias
// l) to the row scope sc; none when sc is nil.
func fileSampleScope(w *where, sc *domain.RowScope) string {
	if sc == nil {
		return ""
	}
	return " AND EXISTS (SELECT 1 FROM sample fs WHERE fs.id = l.sample_id AND " + scopeSampleCond(w, "fs", sc) + ")"
}
