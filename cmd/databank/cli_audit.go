package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"databank/domain"
)

// auditRecorder is what records a command's audit event
// (service.Service).
type auditRecorder interface {
	RecordAudit(ctx context.Context, ev domain.AuditEvent) error
}

// cliAudit gathers, while a command reads personal data, what its audit
// event records, as the server does for every request: the command line
// reads the same data with the database's credentials, so "who looked
// at donor D?" must find it too. Start it before the reads (their
// context is ctx), record it when they are done and before their output
// is committed: an event that cannot be stored fails the command.
type cliAudit struct {
	ctx   context.Context // the reads' context, carrying the trail
	ev    domain.AuditEvent
	trail *domain.Trail
	start time.Time
}

// startCLIAudit starts the audit of the command named operation, run by
// the actor of ctx.
func startCLIAudit(ctx context.Context, operation string) *cliAudit {
	a := domain.ActorFrom(ctx)
	host, _ := os.Hostname()
	c := &cliAudit{start: time.Now()}
	c.ev = domain.AuditEvent{At: c.start, Actor: a.Name, Via: a.Via, Role: a.Role, Operation: operation, Client: "command line on " + host}
	c.ctx, c.trail = domain.WithTrail(ctx)
	return c
}

// record stores the event, with err the reads' outcome, and returns err
// joined with the audit's own error, if any.
func (c *cliAudit) record(rec auditRecorder, err error) error {
	c.ev.Duration = time.Since(c.start)
	if err != nil {
		c.ev.Decision = domain.AuditFailed
	}
	c.trail.Fill(&c.ev)
	if aerr := rec.RecordAudit(context.WithoutCancel(c.ctx), c.ev); aerr != nil {
		return errors.Join(err, fmt.Errorf("audit: the command's reads could not be recorded, so its output is not kept: %w", aerr))
	}
	return err
}
