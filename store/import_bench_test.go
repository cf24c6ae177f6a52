package store_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/importers/registry"
	"databank/store"
	"databank/store/storetest"
)

// slowLog logs statements slower than 20ms.
type slowLog struct{ t testing.TB }

type startKey struct{}

func (l slowLog) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	return context.WithValue(ctx, startKey{}, [2]any{time.Now(), d.SQL})
}

func (l slowLog) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryEndData) {
	v := ctx.Value(startKey{}).([2]any)
	if el := time.Since(v[0].(time.Time)); el > 20*time.Millisecond {
		sql := strings.Join(strings.Fields(v[1].(string)), " ")
		if len(sql) > 90 {
			sql = sql[:90]
		}
		l.t.Logf("%8s %s", el.Round(time.Millisecond), sql)
	}
}

// TestImportProfile imports the bundle in $IMPORT_PROFILE_DIR twice,
// logging slow statements. It is a tool for tuning, skipped otherwise.
func TestImportProfile(t *testing.T) {
	t.Parallel()
	dir := os.Getenv("IMPORT_PROFILE_DIR")
	if dir == "" {
		t.Skip("IMPORT_PROFILE_DIR not set")
	}
	url := storetest.New(t, store.Migrator{})
	if ms := os.Getenv("IMPORT_EXPLAIN"); ms != "" {
		// Log the plans of slow statements in the server log (needs a
		// superuser TEST_DATABASE_URL).
		cfg, err := pgx.ParseConfig(url)
		require.NoError(t, err)
		admin, err := pgx.Connect(context.Background(), os.Getenv(storetest.EnvURL))
		require.NoError(t, err)
		for _, set := range []string{"session_preload_libraries = 'auto_explain'", "auto_explain.log_min_duration = " + ms,
			"auto_explain.log_analyze = on", "auto_explain.log_nested_statements = on"} {
			_, err = admin.Exec(context.Background(), "ALTER DATABASE "+cfg.Database+" SET "+set)
			require.NoError(t, err)
		}
		admin.Close(context.Background())
	}
	ctx := domain.WithActor(context.Background(), domain.Actor{Name: "profiler", Role: domain.RoleStaff})
	st, err := store.Open(ctx, url, store.Options{Tracer: slowLog{t}})
	require.NoError(t, err)
	defer st.Close()
	for i := range 2 {
		files, err := registry.OpenBundle(dir, registry.Options{})
		require.NoError(t, err)
		start := time.Now()
		last := start
		rep, err := st.Import(ctx, store.ImportRequest{Sources: registry.Sources(files), Progress: func(p store.ImportProgress) {
			if p.Phase != store.PhaseRead || p.Done {
				t.Logf("%8s phase %s %s %s %d", time.Since(last).Round(time.Millisecond), p.Phase, p.Kind, p.Source, p.Rows)
				last = time.Now()
			}
		}})
		registry.CloseAll(files)
		require.NoError(t, err)
		t.Logf("import %d: %s, %d rows", i+1, time.Since(start), rep.Rows())
	}
}
