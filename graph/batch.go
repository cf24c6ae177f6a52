package graph

import (
	"context"
	"fmt"
	"sync"
	"time"

	"databank/domain"
)

// batchLoader collects the keys that a request's resolvers ask for and
// fetches them in one call once no new key has arrived for idle (or max
// has passed since the first key). A fixed window, as in the common
// dataloaders, splits a page's lookups into several batches whenever the
// resolvers of a large page take longer than the window to start — as
// they do on a busy machine; waiting for a quiet moment adapts to load.
// Results are cached for the request.
type batchLoader[K comparable, V any] struct {
	fetch     func(context.Context, []K) ([]V, []error)
	idle, max time.Duration

	mu    sync.Mutex
	cache map[K]*batchResult[V]
	cur   *batch[K, V]
}

type batchResult[V any] struct {
	done chan struct{}
	val  V
	err  error
}

type batch[K comparable, V any] struct {
	keys    []K
	results []*batchResult[V]
	start   time.Time
	last    time.Time
}

func newBatchLoader[K comparable, V any](fetch func(context.Context, []K) ([]V, []error), idle, max time.Duration) *batchLoader[K, V] {
	return &batchLoader[K, V]{fetch: fetch, idle: idle, max: max, cache: map[K]*batchResult[V]{}}
}

// Load returns the value for key, batching it with concurrent loads.
func (l *batchLoader[K, V]) Load(ctx context.Context, key K) (V, error) {
	l.mu.Lock()
	r, ok := l.cache[key]
	if !ok {
		r = &batchResult[V]{done: make(chan struct{})}
		l.cache[key] = r
		now := time.Now()
		if l.cur == nil {
			l.cur = &batch[K, V]{start: now}
			go l.wait(ctx)
		}
		l.cur.keys = append(l.cur.keys, key)
		l.cur.results = append(l.cur.results, r)
		l.cur.last = now
	}
	l.mu.Unlock()
	select {
	case <-r.done:
		return r.val, r.err
	case <-ctx.Done():
		var zero V
		return zero, ctx.Err()
	}
}

func (l *batchLoader[K, V]) safeFetch(ctx context.Context, keys []K) (vals []V, errs []error) {
	defer func() {
		if p := recover(); p != nil {
			err := domain.Internal(fmt.Errorf("panic: %v", p), "graph: batch fetch")
			vals, errs = nil, make([]error, len(keys))
			for i := range errs {
				errs[i] = err
			}
		}
	}()
	return l.fetch(ctx, keys)
}

// wait fires the current batch once it has been quiet for idle.
func (l *batchLoader[K, V]) wait(ctx context.Context) {
	for {
		time.Sleep(l.idle)
		l.mu.Lock()
		b := l.cur
		if time.Since(b.last) < l.idle && time.Since(b.start) < l.max {
			l.mu.Unlock()
			continue
		}
		l.cur = nil
		l.mu.Unlock()
		l.run(ctx, b)
		return
	}
}

// run fetches a batch and completes every pending result, also when the
// fetch panics (the panic becomes an internal error of each key).
func (l *batchLoader[K, V]) run(ctx context.Context, b *batch[K, V]) {
	vals, errs := l.safeFetch(ctx, b.keys)
	for i, r := range b.results {
		if i < len(vals) {
			r.val = vals[i]
		}
		if i < len(errs) {
			r.err = errs[i]
		}
		close(r.done)
	}
}

// LoadMany returns the values of keys, fetching every key not yet cached
// in one call right away. Prefetching uses it: it needs no timing at all.
func (l *batchLoader[K, V]) LoadMany(ctx context.Context, keys []K) ([]V, error) {
	l.mu.Lock()
	var missing []K
	var pending []*batchResult[V]
	seen := map[K]bool{}
	for _, k := range keys {
		if _, ok := l.cache[k]; ok || seen[k] {
			continue
		}
		seen[k] = true
		r := &batchResult[V]{done: make(chan struct{})}
		l.cache[k] = r
		missing = append(missing, k)
		pending = append(pending, r)
	}
	l.mu.Unlock()
	if len(missing) > 0 {
		l.run(ctx, &batch[K, V]{keys: missing, results: pending})
	}
	out := make([]V, 0, len(keys))
	for _, k := range keys {
		v, err := l.Load(ctx, k)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
