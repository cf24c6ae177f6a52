package graph

import (
	"context"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"

	"databank/domain"
)

// lookupByID is lookup for a root field that names its object by id. The
// relations selected below the object that are keyed by its own id (a
// sample's children and files, a donor's samples and consents) need
// nothing of the object but that id, so they are fetched while the
// object is, not a round trip after it. stub is an object of the type
// with only its id set, to read those keys from.
//
// What they read counts in the request's audit trail only once the
// object is found: they run with a trail of their own, joined to the
// request's when the object is there to return, dropped when it is not
// (not found, or not the reader's to see), so the audit records no row
// the answer does not hold. The services apply the access policy to
// them as to any fetch, and prefetch then finds them in the caches.
func lookupByID[T any](ctx context.Context, typ, id string, stub *T, fetch func() (T, error)) (*T, error) {
	// an id written otherwise than the stored one (upper case) would
	// key the caches apart from the object's own id: no use ahead
	if !domain.IsID(id) || id != strings.ToLower(id) {
		return lookup(ctx, typ, fetch)
	}
	l := loaders(ctx)
	aheadCtx, trail := domain.WithTrail(ctx)
	var wg sync.WaitGroup
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), graphql.GetFieldContext(ctx).Field.Selections, []string{typ, "Node"}) {
		rel, ok := relations[typ][f.Name]
		if !ok || rel.keyOf(stub) == "" {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			// an error stays in the cache, for the field to report
			// when the object is found; none is this lookup's own
			_, _ = rel.prefetch(aheadCtx, l, []any{stub}, f)
		}()
	}
	v, err := fetch()
	wg.Wait()
	if err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return nil, nil
		}
		return nil, err
	}
	domain.TrailFrom(ctx).Join(trail)
	return &v, prefetchOne(ctx, typ, &v)
}
