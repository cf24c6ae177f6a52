package service

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// An actor waits for its own slots only; others go ahead; a wait ends
// with the caller's context.
func TestConnShare(t *testing.T) {
	c := newConnShare(2)
	rita := domain.WithActor(context.Background(), domain.Actor{Name: "rita"})
	sam := domain.WithActor(context.Background(), domain.Actor{Name: "sam"})
	r1, err := c.acquire(rita)
	require.NoError(t, err)
	r2, err := c.acquire(rita)
	require.NoError(t, err)

	short, cancel := context.WithTimeout(rita, 20*time.Millisecond)
	defer cancel()
	_, err = c.acquire(short)
	assert.ErrorIs(t, err, context.DeadlineExceeded, "a third call of rita's waits for one of hers")

	s1, err := c.acquire(sam)
	require.NoError(t, err, "sam does not wait for rita")
	s1()

	got := make(chan error, 1)
	go func() {
		r, err := c.acquire(rita)
		if err == nil {
			r()
		}
		got <- err
	}()
	r1()
	require.NoError(t, <-got, "a slot given back goes to the waiter")
	r2()
	c.mu.Lock()
	assert.Empty(t, c.sem, "idle actors leave nothing behind")
	c.mu.Unlock()
}

// tryAcquire takes a free slot at once, or none, without waiting.
func TestConnShareTry(t *testing.T) {
	c := newConnShare(1)
	rita := domain.WithActor(context.Background(), domain.Actor{Name: "rita"})
	r1, ok := c.tryAcquire(rita)
	require.True(t, ok)
	_, ok = c.tryAcquire(rita)
	assert.False(t, ok, "rita's one slot is taken")
	sam := domain.WithActor(context.Background(), domain.Actor{Name: "sam"})
	s1, ok := c.tryAcquire(sam)
	require.True(t, ok, "sam's are his own")
	s1()
	r1()
	r2, ok := c.tryAcquire(rita)
	require.True(t, ok, "given back, the slot is free again")
	r2()
	c.mu.Lock()
	assert.Empty(t, c.sem, "idle actors leave nothing behind")
	c.mu.Unlock()

	free, ok := newConnShare(0).tryAcquire(rita)
	assert.True(t, ok, "an unbounded share always has a slot")
	free()
}
