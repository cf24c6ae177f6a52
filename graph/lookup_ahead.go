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
// What is fetched ahead is the request's only once the object is found:
// it goes into caches and audit trails of its own, which join the
// request's (relation.adopt, domain.Trail.Join) when the object is there
// to return, and are dropped when it is not (not found, or not the
// reader's to see); a fetch that failed is dropped too, and made again
// by its field. So no other field of the request is answered from
// a read the audit does not name, and the audit names no row the answer
// cannot hold. Nothing is fetched ahead for a reader the policy refuses
// the lookup itself (its operation is named as its type); the services
// apply the policy to each fetch ahead as to any other.
func lookupByID[T any](ctx context.Context, typ, id string, stub *T, fetch func() (T, error)) (*T, error) {
	// an id written otherwise than the stored one (upper case) would
	// key the caches apart from the object's own id: no use ahead
	if !domain.IsID(id) || id != strings.ToLower(id) || domain.AuthorizeCtx(ctx, domain.Operation(typ)) != nil {
		return lookup(ctx, typ, fetch)
	}
	l := loaders(ctx)
	var own *Loaders // made for the first relation fetched ahead
	type job struct {
		rel   relation
		trail *domain.Trail
		err   error
	}
	var jobs []*job
	var wg sync.WaitGroup
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), graphql.GetFieldContext(ctx).Field.Selections, []string{typ, "Node"}) {
		rel, ok := relations[typ][f.Name]
		if !ok || rel.keyOf(stub) == "" {
			continue
		}
		if own == nil {
			own = newLoaders(l.svc)
		}
		jctx, trail := domain.WithTrail(ctx)
		j := &job{rel: rel, trail: trail}
		jobs = append(jobs, j)
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, j.err = rel.prefetch(jctx, own, []any{stub}, f)
		}()
	}
	v, err := func() (T, error) {
		defer wg.Wait() // also when fetch panics: nothing outlives the resolver
		return fetch()
	}()
	if err != nil {
		if domain.ErrorCode(err) == domain.ENOTFOUND {
			return nil, nil
		}
		return nil, err
	}
	for _, j := range jobs {
		if j.err == nil { // a failed one is fetched again, and recorded, by the field
			j.rel.adopt(own, l)
			domain.TrailFrom(ctx).Join(j.trail)
		}
	}
	return &v, prefetchOne(ctx, typ, &v)
}
