package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"databank/domain"
)

// auditRow holds the audit columns every table has.
type auditRow struct {
	CreatedAt time.Time  `db:"created_at"`
	CreatedBy string     `db:"created_by"`
	UpdatedAt time.Time  `db:"updated_at"`
	UpdatedBy string     `db:"updated_by"`
	RetiredAt *time.Time `db:"retired_at"`
}

func (a auditRow) domain() domain.Audit {
	return domain.Audit{CreatedAt: a.CreatedAt, CreatedBy: a.CreatedBy, UpdatedAt: a.UpdatedAt, UpdatedBy: a.UpdatedBy, RetiredAt: a.RetiredAt}
}

// where builds a parameterised WHERE clause. Values are always passed as
// parameters; only fixed column expressions from this package are spliced.
type where struct {
	conds   []string
	args    []any
	aliases int
}

// alias returns a table alias not used elsewhere in the statement, for
// subqueries of nested filters.
func (w *where) alias(prefix string) string {
	w.aliases++
	return fmt.Sprintf("%s%d", prefix, w.aliases)
}

// arg appends a parameter and returns its placeholder.
func (w *where) arg(v any) string {
	w.args = append(w.args, v)
	return fmt.Sprintf("$%d", len(w.args))
}

// add appends a condition; its values are parameters taken with arg
// (one placeholder mechanism: arg numbers them as they are taken).
func (w *where) add(cond string) {
	w.conds = append(w.conds, cond)
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return "TRUE"
	}
	return strings.Join(w.conds, " AND ")
}

// listPage runs a keyset-paginated listing: rows of from (aliased t)
// matching w, ordered by id, after the request's cursor. conv converts
// one row. The total is counted only when asked.
func listPage[R any, T any](ctx context.Context, q querier, cols, from string, w where, p domain.PageRequest, conv func(R) T) (domain.Page[T], error) {
	return listPageWith(ctx, q, cols, from, w, p, conv, listOptions[T]{})
}

// listOptions extend a listing: the orders it offers besides id, and the
// column whose distinct values WantDonorCount counts.
type listOptions[T any] struct {
	orders   map[string]sortKey[T]
	donorCol string
}

// listPageWith is listPage with options.
func listPageWith[R any, T any](ctx context.Context, q querier, cols, from string, w where, p domain.PageRequest, conv func(R) T, o listOptions[T]) (domain.Page[T], error) {
	var page domain.Page[T]
	if err := p.Validate(); err != nil {
		return page, err
	}
	var key *sortKey[T]
	if p.Order.Field != "" {
		k, ok := o.orders[p.Order.Field]
		if !ok {
			return page, &domain.Error{Code: domain.EINVALID, Message: "invalid order", Fields: []domain.FieldError{{Field: "orderBy", Value: p.Order.Field, Message: "this listing cannot be sorted by it"}}}
		}
		key = &k
	}
	if err := countPage(ctx, q, from, w, p, o.donorCol, &page); err != nil {
		return page, err
	}
	if p.CountOnly {
		return page, nil
	}
	order := "t.id"
	if key == nil && p.After != "" {
		after, err := uuid.Parse(p.After)
		if err != nil {
			return page, badCursor
		}
		w.add("t.id > " + w.arg(after))
	}
	if key != nil {
		dir := map[bool]string{false: "ASC", true: "DESC"}[p.Order.Desc]
		order = fmt.Sprintf("%s %s, t.id %s", key.expr(p.Order.Desc), dir, dir)
		if p.After != "" {
			c, err := decodeCursor(p.After, p.Order)
			if err != nil {
				return page, err
			}
			cmp := map[bool]string{false: ">", true: "<"}[p.Order.Desc]
			w.add(fmt.Sprintf("(%s, t.id) %s (%s::%s, %s)", key.expr(p.Order.Desc), cmp, w.arg(c.Value), key.typ, w.arg(c.ID)))
		}
	}
	limit := p.Limit()
	sql := fmt.Sprintf("SELECT %s FROM %s WHERE %s ORDER BY %s LIMIT %d", cols, from, w.sql(), order, limit+1)
	rows, err := q.Query(ctx, sql, w.args...)
	if err != nil {
		return page, translate(err, "list")
	}
	items, err := collectRows(rows, conv)
	if err != nil {
		return page, translate(err, "list")
	}
	if len(items) > limit {
		page.HasNext = true
		items = items[:limit]
	}
	page.Items = items
	if key != nil {
		page.Cursors = make([]string, len(page.Items))
		for i, x := range page.Items {
			page.Cursors[i] = encodeCursor(p.Order, key.value(x, p.Order.Desc), key.id(x))
		}
	}
	return page, nil
}

// countPage counts the matching rows, and their distinct donors, when
// the request asks; one statement for both.
func countPage[T any](ctx context.Context, q querier, from string, w where, p domain.PageRequest, donorCol string, page *domain.Page[T]) error {
	wantDonors := p.WantDonorCount && donorCol != ""
	if !p.WantTotal && !wantDonors {
		return nil
	}
	donors := "0"
	if wantDonors {
		donors = "count(DISTINCT " + donorCol + ")"
	}
	err := q.QueryRow(ctx, "SELECT count(*), "+donors+" FROM "+from+" WHERE "+w.sql(), w.args...).Scan(&page.Total, &page.DonorCount)
	return translate(err, "count")
}

// getOne runs a query expected to return one row.
func getOne[R any, T any](ctx context.Context, q querier, sql string, args []any, conv func(R) T, what string) (T, error) {
	var zero T
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return zero, translate(err, "get "+what)
	}
	rec, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[R])
	if err != nil {
		if err == pgx.ErrNoRows {
			return zero, domain.Errorf(domain.ENOTFOUND, "%s not found", what)
		}
		return zero, translate(err, "get "+what)
	}
	return conv(rec), nil
}

// getMany runs a query and converts every row.
func getMany[R any, T any](ctx context.Context, q querier, sql string, args []any, conv func(R) T) ([]T, error) {
	rows, err := q.Query(ctx, sql, args...)
	if err != nil {
		return nil, translate(err, "query")
	}
	out, err := collectRows(rows, conv)
	if err != nil {
		return nil, translate(err, "query")
	}
	return out, nil
}

// auditCols are the audit columns of the table aliased t.
const auditCols = "t.created_at, t.created_by, t.updated_at, t.updated_by, t.retired_at"

// collectOne reads exactly one row of R from rows.
func collectOne[R any, T any](rows pgx.Rows, conv func(R) T, what string) (T, error) {
	var zero T
	rec, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[R])
	if err != nil {
		if err == pgx.ErrNoRows {
			return zero, domain.Errorf(domain.ENOTFOUND, "%s not found", what)
		}
		return zero, translate(err, what)
	}
	return conv(rec), nil
}

// checked returns the validation's error, and passes its warnings (an
// obsolete code, say) to the request's collector.
func checked(ctx context.Context, v *domain.Validation) error {
	if err := v.Err(); err != nil {
		return err
	}
	domain.Warn(ctx, v.Warnings...)
	return nil
}
