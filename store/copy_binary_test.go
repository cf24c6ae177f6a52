package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/store/storetest"
)

// sliceRows serves rows from a slice.
type sliceRows struct {
	rows [][]any
	i    int
}

func (s *sliceRows) Next() bool             { s.i++; return s.i <= len(s.rows) }
func (s *sliceRows) Values() ([]any, error) { return s.rows[s.i-1], nil }

// The binary COPY encoder is checked against PostgreSQL itself: every
// staged type, NULLs, empty and non-empty arrays, dates before and after
// 2000, and a stream long enough to cross many reads.
func TestCopyBinaryRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, storetest.New(t, Migrator{}))
	require.NoError(t, err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `CREATE TEMP TABLE c (s smallint, i integer, b boolean, u uuid, t text, nt text, d date, n4 integer, n8 bigint, a text[])`)
	require.NoError(t, err)

	day := func(y int, m time.Month, d int) pgtype.Date {
		return pgtype.Date{Time: time.Date(y, m, d, 0, 0, 0, 0, time.UTC), Valid: true}
	}
	id := newID()
	rows := [][]any{
		{int16(-3), int32(7), true, pgtype.UUID{Bytes: id, Valid: true}, "Ωmega", pgtype.Text{String: "x", Valid: true},
			day(2024, 2, 29), pgtype.Int4{Int32: -1, Valid: true}, pgtype.Int8{Int64: 1 << 40, Valid: true}, []string{"a", "", "ü"}},
		{int16(0), int32(0), false, pgtype.UUID{}, "", pgtype.Text{}, day(1999, 12, 31), pgtype.Int4{}, pgtype.Int8{}, []string{}},
		{int16(1), int32(1), true, pgtype.UUID{Bytes: id, Valid: true}, strings.Repeat("z", 70000), pgtype.Text{}, day(1880, 1, 1),
			pgtype.Int4{}, pgtype.Int8{}, []string{strings.Repeat("y", 1000)}},
		{int16(2), int32(2), true, pgtype.UUID{}, "t", pgtype.Text{}, pgtype.Date{}, pgtype.Int4{}, pgtype.Int8{}, []string(nil)},
	}
	for range 2000 {
		rows = append(rows, rows[0])
	}
	tag, err := conn.PgConn().CopyFrom(ctx, &copyReader{rows: &sliceRows{rows: rows}},
		"COPY c FROM STDIN (FORMAT binary)")
	require.NoError(t, err)
	assert.EqualValues(t, len(rows), tag.RowsAffected())

	got, err := conn.Query(ctx, `SELECT s, i, b, u, t, nt, d, n4, n8, a FROM c LIMIT 4`)
	require.NoError(t, err)
	var i int
	for got.Next() {
		vals, err := got.Values()
		require.NoError(t, err)
		want := rows[i]
		assert.Equal(t, want[0], vals[0])
		assert.Equal(t, want[1], vals[1])
		assert.Equal(t, want[2], vals[2])
		if u := want[3].(pgtype.UUID); u.Valid {
			assert.Equal(t, [16]byte(u.Bytes), vals[3])
		} else {
			assert.Nil(t, vals[3])
		}
		assert.Equal(t, want[4], vals[4])
		if nt := want[5].(pgtype.Text); nt.Valid {
			assert.Equal(t, nt.String, vals[5])
		} else {
			assert.Nil(t, vals[5])
		}
		if d := want[6].(pgtype.Date); d.Valid {
			assert.Equal(t, d.Time, vals[6].(time.Time))
		} else {
			assert.Nil(t, vals[6])
		}
		if a := want[9].([]string); len(a) == 0 {
			assert.Empty(t, vals[9])
		} else {
			var out []string
			for _, x := range vals[9].([]any) {
				out = append(out, x.(string))
			}
			assert.Equal(t, a, out)
		}
		i++
	}
	require.NoError(t, got.Err())
	assert.Equal(t, 4, i)

	var sum int64
	require.NoError(t, conn.QueryRow(ctx, `SELECT sum(n8) FROM c`).Scan(&sum))
	assert.EqualValues(t, int64(len(rows)-3)<<40, sum)
}

func TestCopyBinaryRejectsUnknownTypes(t *testing.T) {
	t.Parallel()
	_, err := appendCopyRow(nil, []any{3.5})
	require.ErrorContains(t, err, "cannot encode float64")
}

func TestCopyReaderClosed(t *testing.T) {
	t.Parallel()
	rows := &sliceRows{rows: [][]any{{int16(1)}, {int16(2)}}}
	r := &copyReader{rows: rows}
	buf := make([]byte, 4)
	n, err := r.Read(buf)
	require.NoError(t, err)
	assert.Equal(t, 4, n)
	r.Close()
	_, err = r.Read(buf)
	require.ErrorIs(t, err, errCopyClosed)
	assert.LessOrEqual(t, rows.i, 2, "no row is read after Close")
	read := rows.i
	_, _ = r.Read(buf)
	assert.Equal(t, read, rows.i)
}
