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
	who := domain.ActorFrom(ctx).Name
	c.mu.Lock()
	sem, ok := c.sem[who]
	if !ok {
		sem = make(chan struct{}, c.max)
		c.sem[who] = sem
	}
	c.n[who]++
	c.mu.Unlock()
	done := func() {
		c.mu.Lock()
		if c.n[who]--; c.n[who] == 0 {
			delete(c.n, who)
			delete(c.sem, who)
		}
		c.mu.Unlock()
	}
	select {
	case sem <- struct{}{}:
		return func() { <-sem; done() }, nil
	case <-ctx.Done():
		done()
		return nil, ctx.Err()
	}
}
