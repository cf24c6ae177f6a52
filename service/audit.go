package service

import (
	"context"
	"sync"
	"time"

	"databank/domain"
)

type auditStore interface {
	InsertAuditEvents(ctx context.Context, evs []domain.AuditEvent) error
	AuditEvents(ctx context.Context, f domain.AuditFilter, p domain.PageRequest) (domain.Page[domain.AuditEvent], error)
}

// Audit events are written in batches: each request waits until its
// event is committed (fail closed), but the requests arriving while a
// batch is written share the next one, so that auditing costs one
// statement per batch, not per request, and no event waits for a timer
// (group commit). A batch holds at most auditBatchMax events.
const auditBatchMax = 256

type auditReq struct {
	ev   domain.AuditEvent
	done chan error
}

type auditBatcher struct {
	store auditStore
	once  sync.Once
	ch    chan auditReq
}

func newAuditBatcher(st auditStore) *auditBatcher {
	return &auditBatcher{store: st, ch: make(chan auditReq, auditBatchMax)}
}

// RecordAudit commits a request's audit event, in a batch with others.
// Every request records one, anonymous ones included, so the policy makes
// it public; it returns only once the event is committed.
func (s *Service) RecordAudit(ctx context.Context, ev domain.AuditEvent) error {
	if err := domain.AuthorizeCtx(ctx, "RecordAudit"); err != nil {
		return err
	}
	s.audit.once.Do(func() { go s.audit.loop() })
	req := auditReq{ev: ev, done: make(chan error, 1)}
	select {
	case s.audit.ch <- req:
	case <-ctx.Done():
		return domain.Errorf(domain.EUNAVAILABLE, "audit: %v", ctx.Err())
	}
	select {
	case err := <-req.done:
		return err
	case <-ctx.Done():
		return domain.Errorf(domain.EUNAVAILABLE, "audit: %v", ctx.Err())
	}
}

// loop takes the first event and every other one already waiting (up to
// auditBatchMax), inserts them in one statement and answers each. Events
// arriving meanwhile wait in the channel for the next batch, so batches
// grow with the load (5 to 9 events at concurrency 32 in
// BenchmarkAuditOverhead), and no event waits for a timer: a gathering
// window (2 ms before) adds its length to every answer.
func (b *auditBatcher) loop() {
	for first := range b.ch {
		batch := []auditReq{first}
	gather:
		for len(batch) < auditBatchMax {
			select {
			case r := <-b.ch:
				batch = append(batch, r)
			default:
				break gather
			}
		}
		evs := make([]domain.AuditEvent, len(batch))
		for i, r := range batch {
			evs[i] = r.ev
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := b.store.InsertAuditEvents(ctx, evs)
		if err != nil && len(batch) > 1 && eventError(err) {
			// one event the database refused fails alone, not its batch
			for _, r := range batch {
				r.done <- b.store.InsertAuditEvents(ctx, []domain.AuditEvent{r.ev})
			}
			cancel()
			continue
		}
		cancel()
		for _, r := range batch {
			r.done <- err
		}
	}
}

// eventError tells whether a batch failed for what one of its events
// holds rather than for the database's state (unreachable, too slow).
func eventError(err error) bool {
	switch domain.ErrorCode(err) {
	case domain.EUNAVAILABLE, domain.ETIMEOUT, domain.ECANCELLED:
		return false
	}
	return true
}

// AuditEvents lists audit events, newest first (admins only).
func (s *Service) AuditEvents(ctx context.Context, f domain.AuditFilter, p domain.PageRequest) (domain.Page[domain.AuditEvent], error) {
	return run(ctx, s, "AuditEvents", func() (domain.Page[domain.AuditEvent], error) {
		if err := domain.CheckID("filter.donor", f.DonorID); err != nil {
			return domain.Page[domain.AuditEvent]{}, err
		}
		return s.store.AuditEvents(ctx, f, p)
	})
}
