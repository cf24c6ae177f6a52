package store

import (
	"context"
	"strconv"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/store/storetest"
)

type scanInner struct {
	Note *string `db:"note"`
}

type scanRow struct {
	Name string   `db:"name"`
	Tags []string `db:"tags"`
	N    *int64
	scanInner
}

// collectRows fills every row afresh (no slice or pointer shared with the
// row before), reads embedded structs' fields and fields named without a
// tag, grows past one block, and names a column it has no field for.
func TestCollectRows(t *testing.T) {
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, storetest.New(t, Migrator{}))
	require.NoError(t, err)
	defer conn.Close(ctx)
	rows, err := conn.Query(ctx, `SELECT 'r' || g AS name, CASE WHEN g % 2 = 0 THEN ARRAY['a' || g] END AS tags,
		CASE WHEN g % 3 = 0 THEN g END AS n, CASE WHEN g % 5 = 0 THEN 'note ' || g END AS note FROM generate_series(1, 600) g`)
	require.NoError(t, err)
	got, err := collectRows(rows, func(r scanRow) scanRow { return r })
	require.NoError(t, err)
	require.Len(t, got, 600)
	for i, r := range got {
		g := int64(i + 1)
		assert.Equal(t, "r"+strconv.FormatInt(g, 10), r.Name)
		if g%2 == 0 {
			assert.Equal(t, []string{"a" + strconv.FormatInt(g, 10)}, r.Tags)
		} else {
			assert.Nil(t, r.Tags, "row %d", g)
		}
		if g%3 == 0 {
			require.NotNil(t, r.N)
			assert.Equal(t, g, *r.N)
		} else {
			assert.Nil(t, r.N, "row %d", g)
		}
		if g%5 == 0 {
			require.NotNil(t, r.Note)
			assert.Equal(t, "note "+strconv.FormatInt(g, 10), *r.Note)
		} else {
			assert.Nil(t, r.Note, "row %d", g)
		}
	}

	rows, err = conn.Query(ctx, `SELECT 'x' AS name, 1 AS surprise`)
	require.NoError(t, err)
	_, err = collectRows(rows, func(r scanRow) scanRow { return r })
	assert.ErrorContains(t, err, `column "surprise" has no field`)
	rows, err = conn.Query(ctx, `SELECT 'x' AS name, NULL::text[] AS tags, 1::bigint AS n`)
	require.NoError(t, err)
	_, err = collectRows(rows, func(r scanRow) scanRow { return r })
	assert.ErrorContains(t, err, `field "note" of store.scanRow has no column`)
}
