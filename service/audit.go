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
// event is committed (fail closed), but the requests arriving meanwhile
// share one INSERT, so that auditing costs one round trip per batch, not
// per request.
const (
	auditBatchMax  = 256
	auditBatchWait = 2 * time.Millisecond
)

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

// loop gathers events for up to auditBatchWait (or auditBatchMax of
// them) after the first, inserts them in one statement, and answers each.
func (b *auditBatcher) loop() {
	for first := range b.ch {
		batch := []auditReq{first}
		timer := time.NewTimer(auditBatchWait)
	gather:
		for len(batch) < auditBatchMax {
			select {
			case r := <-b.ch:
				batch = append(batch, r)
			case <-timer.C:
				break gather
			}
		}
		timer.Stop()
		evs := make([]domain.AuditEvent, len(batch))
		for i, r := range batch {
			evs[i] = r.ev
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		err := b.store.InsertAuditEvents(ctx, evs)
		cancel()
		for _, r := range batch {
			r.done <- err
		}
	}
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
