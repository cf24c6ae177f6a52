package graph_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
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

// auditConcurrency is the number of clients BenchmarkAuditOverhead runs
// at once, each a researcher of their own.
const auditConcurrency = 32

// auditChunk is how many requests BenchmarkAuditOverhead sends to one
// server before it turns to the other.
const auditChunk = 300

// BenchmarkAuditOverhead measures what the audit costs: the throughput of
// a researcher's count query at concurrency 32 through the server as
// deployed ("audit": every answer waits until its audit event is
// committed, in batches), and through the same server without the audit
// layer ("reference", graph.NewHandlerWithoutAudit, which exists in tests
// only). Both share one database and a connection pool of the default
// size (10, half of it per actor). b.N requests go to each server, in
// alternating chunks (each chunk's order flipped), so that load from
// elsewhere falls on both alike; "ratio" is the audit's throughput over
// the reference's. The count is the cheapest request there is (about
// 0.3 ms of CPU in all), so the audit weighs most on it. bench/audit.sh
// runs it.
func BenchmarkAuditOverhead(b *testing.B) {
	researcher := func(i int) domain.Actor {
		return domain.Actor{Name: fmt.Sprintf("rita%02d", i), Role: domain.RoleResearcher}
	}
	auditOverhead(b, researcher, `{"query":"{ samples(filter: {materialType: \"MIABIS:DNA\"}) { totalCount donorCount } }"}`, `"totalCount":60`)
}

// BenchmarkAuditOverheadPage is BenchmarkAuditOverhead on a page of 100
// samples with their donors, current consents and files, asked by staff
// (the query (a) of bench/api.sh): a request of the kind a client sends
// most, whose audit event names the page's 60 donors.
func BenchmarkAuditOverheadPage(b *testing.B) {
	staff := func(i int) domain.Actor {
		return domain.Actor{Name: fmt.Sprintf("sam%02d", i), Role: domain.RoleStaff, Biobanks: []string{"DNB"}}
	}
	auditOverhead(b, staff, `{"query":"{ samples(first: 100) { nodes { sampleId donor { donorId currentConsent { consentId givenOn `+
		`permission { curie } modifiers { curie } } } dataFiles { fileId format { curie } assembly { curie } location } } } }"}`, `"sampleId":"N0049"`)
}

// auditOverhead runs one of the benchmarks above: 32 clients, each an
// actor of its own (so that no per-identity bound applies; the rate bound
// is off), send body, whose answer must hold want.
func auditOverhead(b *testing.B, actor func(int) domain.Actor, body, want string) {
	ctx := domain.WithActor(context.Background(), domain.Actor{Name: "fixture", Role: domain.RoleStaff, Biobanks: []string{domain.AllBiobanks}})
	url := storetest.New(b, store.Migrator{})
	st, err := store.Open(ctx, url, store.Options{MaxConns: 10})
	require.NoError(b, err)
	b.Cleanup(st.Close)
	(&env{t: b, store: st, ctx: ctx}).seed(60)

	tokens := make([]string, auditConcurrency)
	actors := map[string]domain.Actor{}
	for i := range tokens {
		tokens[i] = fmt.Sprintf("client-%02d-0123456789abcdef", i)
		actors[tokens[i]] = actor(i)
	}
	cfg := graph.Config{
		Services: service.New(st, service.Options{MaxConnsPerActor: 5}),
		Auth:     graph.NewTokenAuth(actors),
		Logger:   slog.New(slog.DiscardHandler),
		// one identity's 20 a second would measure the rate bound
		RatePerSecond: -1,
	}
	servers := [2]*httptest.Server{httptest.NewServer(graph.NewHandler(cfg)), httptest.NewServer(graph.NewHandlerWithoutAudit(cfg))}
	for _, srv := range servers {
		defer srv.Close()
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: auditConcurrency}}
	defer client.CloseIdleConnections()

	var spent [2]time.Duration
	b.ResetTimer()
	for chunk, done := 0, 0; done < b.N; chunk++ {
		n := min(auditChunk, b.N-done)
		for k := range 2 {
			i := (k + chunk) % 2
			start := time.Now()
			if err := postAll(client, servers[i].URL, tokens, []byte(body), []byte(want), n); err != nil {
				b.Fatal(err)
			}
			spent[i] += time.Since(start)
		}
		done += n
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/spent[0].Seconds(), "audit-req/s")
	b.ReportMetric(float64(b.N)/spent[1].Seconds(), "reference-req/s")
	b.ReportMetric(spent[1].Seconds()/spent[0].Seconds(), "ratio")
	// Each batch of audit events is one transaction.
	conn, err := pgx.Connect(ctx, url)
	require.NoError(b, err)
	defer conn.Close(ctx)
	var events, batches float64
	require.NoError(b, conn.QueryRow(ctx, "SELECT count(*), count(DISTINCT xmin::text) FROM audit_event").Scan(&events, &batches))
	b.ReportMetric(events/batches, "events/batch")
}

// postAll sends n requests of body to url, one client per token at once,
// and checks that each is answered with want.
func postAll(client *http.Client, url string, tokens []string, body, want []byte, n int) error {
	var next atomic.Int64
	var failed atomic.Value
	var wg sync.WaitGroup
	for _, token := range tokens {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				if err := postOne(client, url, token, body, want); err != nil {
					failed.Store(err)
					return
				}
			}
		})
	}
	wg.Wait()
	err, _ := failed.Load().(error)
	return err
}

// postOne sends body and checks that it was answered with want.
func postOne(client *http.Client, url, token string, body, want []byte) error {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != http.StatusOK || !bytes.Contains(out, want) || bytes.Contains(out, []byte(`"errors"`)) {
		return fmt.Errorf("status %d: %.300s", res.StatusCode, out)
	}
	return nil
}
