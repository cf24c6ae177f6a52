package service

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/store"
	"databank/store/storetest"
)

// batchStore records the batches written and holds each write until
// release lets it go.
type batchStore struct {
	mu      sync.Mutex
	batches [][]string // the actors of each batch
	started chan struct{}
	release chan error
}

func (s *batchStore) InsertAuditEvents(_ context.Context, evs []domain.AuditEvent) error {
	actors := make([]string, len(evs))
	for i, e := range evs {
		actors[i] = e.Actor
	}
	s.mu.Lock()
	s.batches = append(s.batches, actors)
	s.mu.Unlock()
	s.started <- struct{}{}
	return <-s.release
}

func (*batchStore) AuditEvents(context.Context, domain.AuditFilter, domain.PageRequest) (domain.Page[domain.AuditEvent], error) {
	return domain.Page[domain.AuditEvent]{}, nil
}

// The first event is written at once, alone; those arriving during that
// write share the next batch; each call returns the result of its own
// batch, and only once it is written.
func TestRecordAuditBatchesWhatArrivesDuringAWrite(t *testing.T) {
	st := &batchStore{started: make(chan struct{}), release: make(chan error)}
	s := &Service{audit: newAuditBatcher(st)}
	ctx := context.Background()
	record := func(actor string) <-chan error {
		done := make(chan error, 1)
		go func() { done <- s.RecordAudit(ctx, domain.AuditEvent{Actor: actor}) }()
		return done
	}

	first := record("first")
	<-st.started // written at once, no window to wait for
	var later []<-chan error
	for i := range 5 {
		later = append(later, record(fmt.Sprint("later", i)))
	}
	require.Eventually(t, func() bool { return len(s.audit.ch) == 5 }, 5*time.Second, time.Millisecond, "the others wait for the write")
	select {
	case <-first:
		t.Fatal("answered before its event was written")
	default:
	}
	st.release <- nil
	require.NoError(t, <-first)

	<-st.started
	away := domain.Errorf(domain.EUNAVAILABLE, "database away") // as the store reports it
	st.release <- away
	for _, done := range later {
		assert.Equal(t, away, <-done, "each call gets its batch's result")
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	require.Len(t, st.batches, 2)
	assert.Equal(t, []string{"first"}, st.batches[0])
	assert.Len(t, st.batches[1], 5, "one batch for the events that arrived meanwhile")
}

// An event the database refuses fails alone: the other events of its
// batch are committed, and their requests answered.
func TestAuditBatchIsolatesARefusedEvent(t *testing.T) {
	st := newTestStore(t)
	b := newAuditBatcher(st)
	events := []domain.AuditEvent{
		{Actor: "rita", Operation: "Samples", QueryHash: "h", Decision: domain.AuditAllowed},
		{Actor: "mallory", Operation: "Samples", QueryHash: "h", Decision: domain.AuditAllowed, Rows: -1}, // refused by a CHECK
		{Actor: "sam", Operation: "Samples", QueryHash: "h", Decision: domain.AuditAllowed},
	}
	reqs := make([]auditReq, len(events))
	for i, ev := range events {
		reqs[i] = auditReq{ev: ev, done: make(chan error, 1)}
		b.ch <- reqs[i] // all waiting before the loop starts: one batch
	}
	go b.loop()
	require.NoError(t, <-reqs[0].done)
	assert.Error(t, <-reqs[1].done)
	require.NoError(t, <-reqs[2].done)
	p, err := st.AuditEvents(context.Background(), domain.AuditFilter{}, domain.PageRequest{})
	require.NoError(t, err)
	var actors []string
	for _, ev := range p.Items {
		actors = append(actors, ev.Actor)
	}
	assert.ElementsMatch(t, []string{"rita", "sam"}, actors)
}

// newTestStore opens a fresh, migrated database.
func newTestStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), storetest.New(t, store.Migrator{}), store.Options{})
	require.NoError(t, err)
	t.Cleanup(st.Close)
	return st
}
