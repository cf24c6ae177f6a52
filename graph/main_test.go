package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/graph"
	"databank/service"
	"databank/store"
	"databank/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

const (
	researcherToken = "researcher-token-0123456789"
	staffToken      = "staff-token-0123456789abcdef"
	adminToken      = "admin-token-0123456789abcdef"
	// readerToken reads sample- and donor-level records (staff of every
	// biobank): what the tests of rows use, researchers seeing aggregates
	// only.
	readerToken     = "reader-token-0123456789abcdef"
	federationToken = "federation-token-0123456789ab"
	// visaToken is a researcher whose visa grants dataset EGAD00000000001;
	// dnbStaffToken is staff of biobank DNB only.
	visaToken     = "visa-token-0123456789abcdefgh"
	dnbStaffToken = "dnb-staff-token-0123456789ab"
)

// counter is a pgx tracer counting the statements sent to PostgreSQL.
type counter struct {
	n   atomic.Int64
	mu  sync.Mutex
	sql []string
	// starting, when set, is called as each statement starts
	starting atomic.Pointer[func(sql string)]
}

func (c *counter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	if f := c.starting.Load(); f != nil {
		(*f)(d.SQL)
	}
	c.n.Add(1)
	c.mu.Lock()
	c.sql = append(c.sql, d.SQL)
	c.mu.Unlock()
	return ctx
}
func (c *counter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

type env struct {
	t       testing.TB
	store   *store.Store
	server  *httptest.Server
	queries *counter
	ctx     context.Context
}

func newEnv(t testing.TB) *env {
	t.Helper()
	c := &counter{}
	ctx := domain.WithActor(context.Background(), domain.Actor{Name: "fixture", Role: domain.RoleStaff, Biobanks: []string{domain.AllBiobanks}})
	st, err := store.Open(ctx, storetest.New(t, store.Migrator{}), store.Options{Tracer: c})
	require.NoError(t, err)
	t.Cleanup(st.Close)
	h := graph.NewHandler(graph.Config{RatePerSecond: -1, Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})), Services: service.New(st, service.Options{}), Auth: graph.NewTokenAuth(map[string]domain.Actor{
		researcherToken: {Name: "rita", Role: domain.RoleResearcher},
		staffToken:      {Name: "sam", Role: domain.RoleStaff, Biobanks: []string{domain.AllBiobanks}},
		adminToken:      {Name: "ada", Role: domain.RoleAdmin},
		readerToken:     {Name: "rowan", Role: domain.RoleStaff, Biobanks: []string{domain.AllBiobanks}},
		federationToken: {Name: "lega", Role: domain.RoleFederation},
		visaToken:       {Name: "vera", Role: domain.RoleResearcher, Via: domain.ViaOIDC, Issuer: "https://login.example.org", DatasetGrants: []string{"EGAD00000000001"}},
		dnbStaffToken:   {Name: "dora", Role: domain.RoleStaff, Biobanks: []string{"DNB"}},
	})})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &env{t: t, store: st, server: srv, queries: c, ctx: ctx}
}

// response is a GraphQL response with raw data.
type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Path       []any          `json:"path"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

func (e *env) do(token, query string, vars map[string]any) response {
	e.t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	require.NoError(e.t, err)
	_, out := e.post(token, "application/json", body)
	return out
}

// ok runs a query that must succeed and decodes its data into v.
func (e *env) ok(token, query string, vars map[string]any, v any) {
	e.t.Helper()
	res := e.do(token, query, vars)
	require.Empty(e.t, res.Errors, "errors: %+v", res.Errors)
	if v != nil {
		require.NoError(e.t, json.Unmarshal(res.Data, v))
	}
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		require.NoError(t, err)
		return v
	}
}

// seed creates a biobank with n donors, each with a consent, a blood
// sample and a DNA child held in one data file per donor.
func (e *env) seed(n int) domain.Biobank {
	t := e.t
	ctx := e.ctx
	b := must[domain.Biobank](t)(e.store.CreateBiobank(ctx, domain.Biobank{Code: "DNB", Name: "Danish National Biobank", Country: "DK"}))
	for i := range n {
		d := must[domain.Donor](t)(e.store.CreateDonor(ctx, domain.Donor{BiobankID: b.ID, ExternalID: fmt.Sprintf("D%04d", i), Sex: "female"}))
		given, _ := domain.ParseDate("2020-01-01")
		must[domain.Consent](t)(e.store.AddConsent(ctx, domain.Consent{DonorID: d.ID, ExternalID: fmt.Sprintf("C%04d", i), GivenOn: given, Permission: "HMB", Modifiers: []string{"NPU"}}))
		q := domain.Quantity(5000)
		blood := must[domain.Sample](t)(e.store.CreateSample(ctx, domain.Sample{BiobankID: b.ID, DonorID: d.ID, ExternalID: fmt.Sprintf("B%04d", i), MaterialType: "MIABIS:WHOLE_BLOOD", InitialQuantity: &q, QuantityUnit: "mL"}))
		dna := must[domain.Sample](t)(e.store.CreateSample(ctx, domain.Sample{BiobankID: b.ID, DonorID: d.ID, ExternalID: fmt.Sprintf("N%04d", i), ParentID: blood.ID, MaterialType: "MIABIS:DNA"}))
		must[domain.DataFile](t)(e.store.RegisterDataFile(ctx, domain.DataFile{ExternalID: fmt.Sprintf("EGAF%011d", i), Format: "CRAM", Assay: "WGS", Assembly: "hg38",
			Location: fmt.Sprintf("s3://dnb/%d.cram", i), Samples: []domain.FileSample{{SampleID: dna.ID, Alias: fmt.Sprintf("N%04d", i)}}}))
	}
	return b
}

// sentTogether makes the statement containing waiter hold back, up to 3
// seconds, until one containing starter has started, and reports whether
// it saw that happen: true only if both were sent at once (one level of
// prefetch), not one a round trip after the other. Call stop once the
// request is answered.
func (e *env) sentTogether(starter, waiter string) (together *atomic.Bool, stop func()) {
	started := make(chan struct{})
	var once sync.Once
	together = &atomic.Bool{}
	starting := func(sql string) {
		switch {
		case strings.Contains(sql, starter):
			once.Do(func() { close(started) })
		case strings.Contains(sql, waiter):
			select {
			case <-started:
				together.Store(true)
			case <-time.After(3 * time.Second):
			}
		}
	}
	e.queries.starting.Store(&starting)
	return together, func() { e.queries.starting.Store(nil) }
}
