package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"databank/domain"
)

// createStageTables creates every staging table, empty.
func (im *importer) createStageTables(ctx context.Context) error {
	for _, k := range importKinds {
		if _, err := im.tx.Exec(ctx, im.scratch.ddl(k.stageDDL())); err != nil {
			return fmt.Errorf("store: import: create %s: %w", k.stage(), err)
		}
	}
	return nil
}

// stageSource streams the rows of one source into its staging table.
func (im *importer) stageSource(ctx context.Context, idx int, src domain.ImportSource) error {
	k, err := kindOf(src.Kind())
	if err != nil {
		return err
	}
	cs := &copySource{im: im, src: src, idx: int16(idx), kind: k, ctx: ctx, keyCols: dupKeyColumns(k)}
	rd := &copyReader{rows: cs}
	_, err = im.tx.Conn().PgConn().CopyFrom(ctx, rd, k.copySQL())
	rd.Close() // no more rows are read, even if pgconn's reader lives on
	if cs.err != nil {
		return cs.err
	}
	if err != nil {
		return fmt.Errorf("store: import: copy %s: %w", src.Name(), err)
	}
	im.staged[k.kind] += cs.staged
	im.progress(ImportProgress{Phase: PhaseRead, Kind: k.kind, Source: src.Name(), Rows: cs.rows, Done: true})
	return nil
}

// copySource reads an import source lazily for COPY: rows are parsed,
// validated and reported one at a time, and only rows with a key are sent.
type copySource struct {
	im   *importer
	ctx  context.Context
	src  domain.ImportSource
	idx  int16
	kind *importKind
	// keyCols are the positions of the duplicate checks' key columns
	keyCols [][]int
	vals    []any
	rows    int64
	staged  int64
	err     error
}

// progressEvery is how many rows pass between progress reports.
const progressEvery = 10000

func (c *copySource) Next() bool {
	for {
		row, err := c.src.Next()
		var fileErrs domain.RowErrors
		switch {
		case err == io.EOF:
			return false
		case errors.As(err, &fileErrs):
			c.im.errs.fileErrors(fileErrs)
			continue
		case err != nil:
			c.err = fmt.Errorf("store: import: read %s: %w", c.src.Name(), err)
			return false
		}
		c.rows++
		c.im.errs.rowRead(c.kind.kind, c.idx, row)
		if c.rows%progressEvery == 0 {
			if err := c.ctx.Err(); err != nil {
				c.err = err
				return false
			}
			c.im.progress(ImportProgress{Phase: PhaseRead, Kind: c.kind.kind, Source: c.src.Name(), Rows: c.rows})
		}
		if !c.kind.has(row) {
			continue
		}
		c.staged++
		c.im.noteBiobank(row)
		c.vals = append(c.vals[:0], c.idx, int32(row.Line), len(row.Errors) == 0, pgtype.UUID{Bytes: newID(), Valid: true})
		c.vals = c.kind.values(c.vals, row)
		c.im.keys.add(c.keyCols, c.vals)
		return true
	}
}

func (c *copySource) Values() ([]any, error) { return c.vals, nil }

// numeric converts a quantity to thousandths of its unit; the resolve
// step turns them into numeric(15,3) (cheaper than sending numerics).
func numeric(q *domain.Quantity) pgtype.Int8 {
	if q == nil {
		return pgtype.Int8{}
	}
	return pgtype.Int8{Int64: int64(*q), Valid: true}
}

// text converts a string to a text parameter, NULL when empty.
func text(s string) pgtype.Text {
	return pgtype.Text{String: s, Valid: s != ""}
}

// date converts a date to a date parameter.
func date(t *time.Time) pgtype.Date {
	if t == nil {
		return pgtype.Date{}
	}
	return pgtype.Date{Time: *t, Valid: true}
}

// int4 converts an optional int to an integer parameter.
func int4(n *int) pgtype.Int4 {
	if n == nil {
		return pgtype.Int4{}
	}
	return pgtype.Int4{Int32: int32(*n), Valid: true}
}

// optDate returns nil for the zero time.
func optDate(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// nonNil returns an empty list for nil, so that arrays are '{}', not NULL.
func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
