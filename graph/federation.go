package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"databank/domain"
)

// Entity resolution for a federation gateway (docs/federation.md): the
// gateway sends the representations of one request's entities of a type
// together ({__typename: "Dataset", accession: "EGAD..."}), and gets them
// back in the same order. A representation's key is checked on its own: a
// malformed one is an INVALID error at its index, an unknown one is null,
// and neither stops the others. The well-formed keys of a type are looked
// up in one statement, then the relations selected below the entities are
// prefetched level by level, as below any root field.

// The resolvers tell a representation's key by the fields it has (id
// first, as gqlgen matches keys), not by its MatchedKey: with
// omit_slice_element_pointers, gqlgen v0.17.98's per-entity batch code
// sets MatchedKey on copies of the representations, so a resolver always
// sees the zero value (TestEntitiesResolveMixedKeysInOrder catches it).

// entityKey is the key a representation names: "id", or the type's other
// key field ("accession", "code"), and its value.
type entityKey struct{ field, value string }

// findEntities resolves one type's representations, given as their keys
// and the errors of malformed ones (same order). fetch looks up ids and
// the other keys at once; keysOf lists the keys an entity answers to.
func findEntities[T any](ctx context.Context, typ string, keys []entityKey, errs []error,
	fetch func(ids, others []string) ([]T, error), keysOf func(*T) []entityKey) ([]*T, error) {
	var ids, others []string
	for i, k := range keys {
		switch {
		case errs[i] != nil:
		case k.field == "id":
			ids = append(ids, k.value)
		default:
			others = append(others, k.value)
		}
	}
	// fetched even with no well-formed key: the services decide who may
	// ask before anybody learns what is malformed
	found, err := fetch(ids, others)
	if err != nil {
		return nil, err
	}
	byKey := make(map[entityKey]*T, len(found))
	objs := make([]any, len(found))
	for i := range found {
		objs[i] = &found[i]
		for _, k := range keysOf(&found[i]) {
			byKey[k] = &found[i]
		}
	}
	out := make([]*T, len(keys))
	failed := false
	for i, k := range keys {
		if errs[i] != nil {
			failed = true
			continue
		}
		out[i] = byKey[k]
	}
	oc := graphql.GetOperationContext(ctx)
	fields := graphql.CollectFields(oc, graphql.GetFieldContext(ctx).Field.Selections, []string{typ, "Node", "_Entity"})
	if err := prefetch(ctx, typ, objs, fields); err != nil {
		return nil, err
	}
	if failed {
		return out, graphql.BatchErrorList(errs)
	}
	return out, nil
}

// idKey is the key of a representation by id: a malformed id is INVALID.
func idKey(id *string) (entityKey, error) {
	v := strings.ToLower(str(id)) // ids are stored, and compared, in lower case
	return entityKey{"id", v}, domain.CheckID("id", v)
}

// accessionKey is the key of a representation by EGA accession of the
// type prefix (EGAD, EGAF, EGAS): another form is INVALID, naming it.
func accessionKey(prefix string, acc *string) (entityKey, error) {
	v := str(acc)
	return entityKey{"accession", v}, domain.CheckAccession("accession", prefix, v)
}

// keysAndErrors splits the keys of representations from their errors.
func keysAndErrors[R any](reps []R, key func(R) (entityKey, error)) ([]entityKey, []error) {
	keys := make([]entityKey, len(reps))
	errs := make([]error, len(reps))
	for i, r := range reps {
		keys[i], errs[i] = key(r)
	}
	return keys, errs
}

// keyed turns a fetch of one value per key into a cache fetch; a key
// without a value gets the zero value.
func keyed[T any](fetch func(context.Context, []string) (map[string]T, error)) func(context.Context, []string) ([]T, []error) {
	return func(ctx context.Context, keys []string) ([]T, []error) {
		m, err := fetch(ctx, keys)
		out := make([]T, len(keys))
		errs := make([]error, len(keys))
		for i, k := range keys {
			out[i], errs[i] = m[k], err
		}
		return out, errs
	}
}

// datasetSummary is Dataset.sampleSummary: one statement for the datasets
// of a level.
var datasetSummary = toOne[domain.Dataset, domain.SampleSummary]{"SampleSummary", func(x *domain.Dataset) string { return x.ID },
	func(l *Loaders) *cache[domain.SampleSummary] { return l.summaryOf }}

// summaryBiobanks is SampleSummary.byBiobank: the biobanks its counts
// name, loaded for every summary of a level at once.
type summaryBiobanks struct{}

func (summaryBiobanks) target() string { return "" }

func (summaryBiobanks) keyOf(any) string { return "" }

func (summaryBiobanks) adopt(_, _ *Loaders) {}

func (summaryBiobanks) below(context.Context, graphql.CollectedField) []graphql.CollectedField {
	return nil
}

func (summaryBiobanks) prefetch(ctx context.Context, l *Loaders, parents []any, _ graphql.CollectedField) ([]any, error) {
	var ids []string
	for _, p := range parents {
		for _, c := range p.(*domain.SampleSummary).ByBiobank {
			ids = append(ids, c.Key)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	_, err := l.biobank.loadMany(ctx, ids)
	return nil, err
}
