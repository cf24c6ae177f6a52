package graph

import (
	"context"
	"fmt"
	"sync"

	"databank/domain"
)

// cache holds, for one request, the values of one kind of lookup by key:
// what prefetching loaded for a whole level of the result at once, and
// whatever a resolver asked for outside it (a mutation's result, say),
// fetched at once with no waiting window. Concurrent askers of a key
// being fetched wait for that one fetch.
type cache[V any] struct {
	fetch func(ctx context.Context, keys []string) ([]V, []error)

	mu      sync.Mutex
	entries map[string]*cached[V]
}

type cached[V any] struct {
	done chan struct{}
	val  V
	err  error
}

func newCache[V any](fetch func(context.Context, []string) ([]V, []error)) *cache[V] {
	return &cache[V]{fetch: fetch, entries: map[string]*cached[V]{}}
}

// loadMany returns the values of keys in order, fetching every key not
// yet cached in one call.
func (c *cache[V]) loadMany(ctx context.Context, keys []string) ([]V, error) {
	c.mu.Lock()
	var missing []string
	var pending []*cached[V]
	want := make([]*cached[V], len(keys))
	for i, k := range keys {
		e, ok := c.entries[k]
		if !ok {
			e = &cached[V]{done: make(chan struct{})}
			c.entries[k] = e
			missing = append(missing, k)
			pending = append(pending, e)
		}
		want[i] = e
	}
	c.mu.Unlock()
	if len(missing) > 0 {
		c.run(ctx, missing, pending)
	}
	out := make([]V, len(keys))
	for i, e := range want {
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		if e.err != nil {
			return nil, e.err
		}
		out[i] = e.val
	}
	return out, nil
}

// prime caches a value already known (fetched by some other lookup), so
// a later request for its key costs nothing; a key already there is kept.
func (c *cache[V]) prime(key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; !ok {
		e := &cached[V]{done: make(chan struct{}), val: v}
		close(e.done)
		c.entries[key] = e
	}
}

// adopt copies the values from holds into c, as prime does: only keys
// fetched without an error, and only those c does not hold yet. from
// must be done fetching.
func (c *cache[V]) adopt(from *cache[V]) {
	from.mu.Lock()
	defer from.mu.Unlock()
	for k, e := range from.entries {
		select {
		case <-e.done:
			if e.err == nil {
				c.prime(k, e.val)
			}
		default: // still being fetched: left to the request's own fetch
		}
	}
}

// load returns the value of one key.
func (c *cache[V]) load(ctx context.Context, key string) (V, error) {
	vs, err := c.loadMany(ctx, []string{key})
	if err != nil {
		var zero V
		return zero, err
	}
	return vs[0], nil
}

// run fetches keys and completes their entries, also when the fetch
// panics (the panic becomes an internal error of each key).
func (c *cache[V]) run(ctx context.Context, keys []string, entries []*cached[V]) {
	vals, errs := c.safeFetch(ctx, keys)
	for i, e := range entries {
		if i < len(vals) {
			e.val = vals[i]
		}
		if i < len(errs) {
			e.err = errs[i]
		}
		close(e.done)
	}
}

func (c *cache[V]) safeFetch(ctx context.Context, keys []string) (vals []V, errs []error) {
	defer func() {
		if p := recover(); p != nil {
			err := domain.Internal(fmt.Errorf("panic: %v", p), "graph: load")
			vals, errs = nil, make([]error, len(keys))
			for i := range errs {
				errs[i] = err
			}
		}
	}()
	return c.fetch(ctx, keys)
}

// byID turns a fetch of entities by ids into a cache fetch; a missing id
// is an error for that key only: not found, or, for a reader confined to
// part of the registry (approved researchers, staff of some biobanks),
// whose lookups leave out what lies outside it, forbidden (the ids come
// from records' links, so the record most likely exists).
func byID[T any](fetch func(context.Context, []string) ([]T, error), id func(T) string) func(context.Context, []string) ([]T, []error) {
	return func(ctx context.Context, keys []string) ([]T, []error) {
		out := make([]T, len(keys))
		errs := make([]error, len(keys))
		xs, err := fetch(ctx, keys)
		found := make(map[string]T, len(xs))
		for _, x := range xs {
			found[id(x)] = x
		}
		for i, k := range keys {
			x, ok := found[k]
			switch {
			case err != nil:
				errs[i] = err
			case !ok && domain.ActorFrom(ctx).Confined():
				errs[i] = domain.NotVisible(domain.ActorFrom(ctx), k)
			case !ok:
				errs[i] = domain.Errorf(domain.ENOTFOUND, "%s not found", k)
			default:
				out[i] = x
			}
		}
		return out, errs
	}
}

// grouped turns a fetch of one-to-many lists into a cache fetch where a
// key with nothing is an empty list, not an error.
func grouped[T any](fetch func(context.Context, []string) (map[string][]T, error)) func(context.Context, []string) ([][]T, []error) {
	return func(ctx context.Context, keys []string) ([][]T, []error) {
		m, err := fetch(ctx, keys)
		out := make([][]T, len(keys))
		errs := make([]error, len(keys))
		for i, k := range keys {
			if err != nil {
				errs[i] = err
				continue
			}
			out[i] = m[k]
		}
		return out, errs
	}
}
