package service_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/ontology"
	"databank/service"
	"databank/store"
	"databank/store/storetest"
)

// newServer returns the services over the database at url as a server
// runs them: one vocabulary for the store and the services, kept current
// by WatchVocabulary until the test ends. poll is Options.VocabularyPoll.
func newServer(t *testing.T, url string, poll time.Duration) *service.Service {
	t.Helper()
	vocab := ontology.Builtin()
	st, err := store.Open(context.Background(), url, store.Options{Vocabulary: vocab})
	require.NoError(t, err)
	svc := service.New(st, service.Options{Vocabulary: vocab, VocabularyPoll: poll})
	require.NoError(t, svc.RefreshVocabulary(context.Background()))
	ctx, stop := context.WithCancel(context.Background())
	var watch sync.WaitGroup
	watch.Go(func() { svc.WatchVocabulary(ctx) })
	t.Cleanup(func() {
		stop()
		watch.Wait() // WatchVocabulary returns once ctx ends
		st.Close()
	})
	return svc
}

var (
	admin      = domain.WithActor(context.Background(), domain.Actor{Name: "ada", Role: domain.RoleAdmin})
	researcher = domain.WithActor(context.Background(), domain.Actor{Name: "rita", Role: domain.RoleResearcher})
)

// saveDUORelease stores, through svc, a DUO release with one modifier
// more than svc's vocabulary has: code, under the modifiers' root.
func saveDUORelease(t *testing.T, svc *service.Service, version, code string) {
	t.Helper()
	vocab, err := svc.Vocabulary(admin)
	require.NoError(t, err)
	next := vocab.Clone()
	sys, ok := next.System(ontology.DUO)
	require.True(t, ok)
	sys.Version = version
	terms := append(next.Terms(ontology.DUO), ontology.Term{Code: code, Label: "test modifier " + version, Parents: []string{domain.DUOModifierRoot}})
	_, err = next.Load(sys, terms)
	require.NoError(t, err)
	require.NoError(t, svc.SaveOntology(admin, next, ontology.DUO))
}

// accepts reports whether svc accepts a consent with the modifier code.
func accepts(svc *service.Service, code string) bool {
	_, err := svc.MatchConsent(researcher, "GRU", []string{code}, "", domain.ResearchPurpose{Category: "HMB"})
	return err == nil
}

// Two servers on one database: a release stored through one is used by
// the other, without a restart, and by the first as well.
func TestVocabularyReleaseReachesOtherServers(t *testing.T) {
	url := storetest.New(t, store.Migrator{})
	a := newServer(t, url, -1) // notifications alone
	b := newServer(t, url, -1)
	const code = "DUO:9000001"
	require.False(t, accepts(b, code), "unknown before the release")
	_, err := b.MatchConsent(researcher, "GRU", []string{code}, "", domain.ResearchPurpose{Category: "HMB"})
	assert.Equal(t, domain.EINVALID, domain.ErrorCode(err))

	saveDUORelease(t, a, "t1", code)
	require.Eventually(t, func() bool { return accepts(b, code) }, 10*time.Second, 20*time.Millisecond, "the other server uses the release")
	require.Eventually(t, func() bool { return accepts(a, code) }, 10*time.Second, 20*time.Millisecond, "the server that stored it too")

	vocab, err := b.Vocabulary(researcher)
	require.NoError(t, err)
	sys, _ := vocab.System(ontology.DUO)
	assert.Equal(t, "t1", sys.Version)
	assert.True(t, vocab.IsA(code, domain.DUOModifierRoot), "the hierarchy came with it")
}

// A server started after a release was stored uses it from the start;
// without a listener, RefreshVocabulary (what the periodic check calls)
// brings a later one.
func TestVocabularyRefreshWithoutNotifications(t *testing.T) {
	url := storetest.New(t, store.Migrator{})
	a := newServer(t, url, -1)
	saveDUORelease(t, a, "t1", "DUO:9000001")
	b := newServer(t, url, -1)
	assert.True(t, accepts(b, "DUO:9000001"), "read at start")

	vocab := ontology.Builtin()
	st, err := store.Open(context.Background(), url, store.Options{Vocabulary: vocab})
	require.NoError(t, err)
	defer st.Close()
	c := service.New(st, service.Options{Vocabulary: vocab})
	saveDUORelease(t, a, "t2", "DUO:9000002")
	require.False(t, accepts(c, "DUO:9000002"), "not refreshed yet")
	require.NoError(t, c.RefreshVocabulary(context.Background()))
	assert.True(t, accepts(c, "DUO:9000002"))
	assert.True(t, accepts(c, "DUO:9000001"))
}

// The listener survives its connection being killed: it listens again,
// and a release stored afterwards still arrives by notification.
func TestVocabularyListenerSurvivesDroppedConnection(t *testing.T) {
	url := storetest.New(t, store.Migrator{})
	a := newServer(t, url, -1)
	b := newServer(t, url, -1)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	require.NoError(t, err)
	defer conn.Close(ctx)
	// listeners returns the backends listening for releases (nil on an
	// error: it runs in require.Eventually, outside the test's goroutine).
	listeners := func() []int32 {
		rows, _ := conn.Query(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1
			AND query ILIKE 'LISTEN%' ORDER BY pid`, store.ListenerApplicationName)
		pids, err := pgx.CollectRows(rows, pgx.RowTo[int32])
		if err != nil {
			return nil
		}
		return pids
	}
	var before []int32
	require.Eventually(t, func() bool { before = listeners(); return len(before) == 2 }, 10*time.Second, 20*time.Millisecond, "both servers listen")

	_, err = conn.Exec(ctx, "SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) pid", before)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		now := listeners()
		return len(now) == 2 && now[0] != before[0] && now[0] != before[1] && now[1] != before[0] && now[1] != before[1]
	}, 10*time.Second, 20*time.Millisecond, "both servers listen again, on new connections")

	saveDUORelease(t, a, "t1", "DUO:9000001")
	require.Eventually(t, func() bool { return accepts(b, "DUO:9000001") }, 10*time.Second, 20*time.Millisecond)
}
