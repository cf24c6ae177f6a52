package service

import (
	"context"
	"sync"

	"databank/domain"
)

// connShare bounds the store calls each actor has running at once: a
// call over the bound waits (as long as its context allows) for one of
// the actor's own calls to end, never for other actors'.
type connShare struct {
	max int
	mu  sync.Mutex
	sem map[string]chan struct{}
	n   map[string]int // holders and waiters per actor, to drop idle semaphores
}

func newConnShare(max int) *connShare {
	return &connShare{max: max, sem: map[string]chan struct{}{}, n: map[string]int{}}
}

// acquire takes one of the actor's slots; release gives it back.
func (c *connShare) acquire(ctx context.Context) (release func(), err error) {
	if c.max <= 0 {
		return func() {}, nil
	}
	sem, done := c.slots(ctx)
	select {
	case sem <- struct{}{}:
		return func() { <-sem; done() }, nil
	case <-ctx.Done():
		done()
		return nil, ctx.Err()
	}
}

// tryAcquire takes one of the actor's slots if one is free now, without
// waiting: for work that may run on more connections than one but need
// not (a preview reading ahead). ok is false when none was free.
func (c *connShare) tryAcquire(ctx context.Context) (release func(), ok bool) {
	if c.max <= 0 {
		return func() {}, true
	}
	sem, done := c.slots(ctx)
	select {
	case sem <- struct{}{}:
		return func() { <-sem; done() }, true
	default:
		done()
		return nil, false
	}
}

// slots is the actor's semaphore of a bounded share, and done, to call
// once the slot taken from it is given back, or was never taken.
func (c *connShare) slots(ctx context.Context) (sem chan struct{}, done func()) {
	who := domain.ActorFrom(ctx).Name
	c.mu.Lock()
	sem, ok := c.sem[who]
	if !ok {
		sem = make(chan struct{}, c.max)
		c.sem[who] = sem
	}
	c.n[who]++
	c.mu.Unlock()
	return sem, func() {
		c.mu.Lock()
		if c.n[who]--; c.n[who] == 0 {
			delete(c.n, who)
			delete(c.sem, who)
		}
		c.mu.Unlock()
	}
}
