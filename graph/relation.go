package graph

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"databank/domain"
)

// Relations between objects are declared once, in the table below. The
// same entry serves the field's resolver (get) and the lookahead that
// loads the relation for a whole level of a result at once (prefetch):
// a root resolver walks the selection set below its result, level by
// level, so the number of SQL statements of a query depends on its shape
// only, never on page size or timing, and no resolver waits for a batch
// window. A new relation is one entry here plus its resolver's one line.

// Loaders are one request's caches, one per kind of lookup, all reading
// through the services (which apply the access policy).
type Loaders struct {
	biobank        *cache[domain.Biobank]
	donor          *cache[domain.Donor]
	sample         *cache[domain.Sample]
	study          *cache[domain.Study]
	withdrawal     *cache[domain.Withdrawal]
	consentsOf     *cache[[]domain.Consent]
	diagnosesOf    *cache[[]domain.Diagnosis]
	samplesOf      *cache[[]domain.Sample]
	childrenOf     *cache[[]domain.Sample]
	withdrawalsOf  *cache[[]domain.Withdrawal]
	filesOfSample  *cache[[]domain.DataFile]
	filesOfReturn  *cache[[]domain.DataFile]
	filesOfDataset *cache[domain.Page[domain.DataFile]]
	samplesOfFile  *cache[domain.Page[domain.FileSample]]
	datasetsOfFile *cache[[]domain.Dataset]
	dataReturnOf   *cache[domain.DataReturn]
	exchangeOf     *cache[domain.StudyExchange]
	referencesOf   *cache[[]domain.Reference]
	summaryOf      *cache[domain.SampleSummary]
	terms          termCache
	svc            domain.Services // for fresh caches of the same request (lookupByID)
}

func newLoaders(s domain.Services) *Loaders {
	return &Loaders{
		svc:            s,
		biobank:        newCache(byID(s.BiobanksByIDs, func(x domain.Biobank) string { return x.ID })),
		donor:          newCache(byID(s.DonorsByIDs, func(x domain.Donor) string { return x.ID })),
		sample:         newCache(byID(s.SamplesByIDs, func(x domain.Sample) string { return x.ID })),
		study:          newCache(byID(s.StudiesByIDs, func(x domain.Study) string { return x.ID })),
		withdrawal:     newCache(byID(s.WithdrawalsByIDs, func(x domain.Withdrawal) string { return x.ID })),
		consentsOf:     newCache(grouped(s.ConsentsByDonorIDs)),
		diagnosesOf:    newCache(grouped(s.DiagnosesByDonorIDs)),
		samplesOf:      newCache(grouped(s.SamplesByDonorIDs)),
		childrenOf:     newCache(grouped(s.SampleChildren)),
		withdrawalsOf:  newCache(grouped(s.WithdrawalsBySampleIDs)),
		filesOfSample:  newCache(grouped(s.DataFilesBySampleIDs)),
		filesOfReturn:  newCache(grouped(s.DataFilesByWithdrawalIDs)),
		filesOfDataset: newCache(paged(s.DataFilePagesByDatasetIDs)),
		samplesOfFile:  newCache(paged(s.FileSamplePagesByFileIDs)),
		datasetsOfFile: newCache(grouped(s.DatasetsByFileIDs)),
		dataReturnOf:   newCache(byID(s.DataReturnsByIDs, func(x domain.DataReturn) string { return x.WithdrawalID })),
		exchangeOf:     newCache(byID(s.StudyExchangesByIDs, func(x domain.StudyExchange) string { return x.StudyID })),
		referencesOf:   newCache(grouped(s.ReferencesByIDs)),
		summaryOf:      newCache(keyed(s.DatasetSampleSummaries)),
	}
}

// The relations, by the GraphQL type and field they resolve.
var (
	sampleBiobank     = toOne[domain.Sample, domain.Biobank]{"Biobank", func(x *domain.Sample) string { return x.BiobankID }, func(l *Loaders) *cache[domain.Biobank] { return l.biobank }}
	sampleDonor       = toOne[domain.Sample, domain.Donor]{"Donor", func(x *domain.Sample) string { return x.DonorID }, func(l *Loaders) *cache[domain.Donor] { return l.donor }}
	sampleParent      = toOne[domain.Sample, domain.Sample]{"Sample", func(x *domain.Sample) string { return x.ParentID }, func(l *Loaders) *cache[domain.Sample] { return l.sample }}
	sampleChildren    = toMany[domain.Sample, domain.Sample]{"Sample", func(x *domain.Sample) string { return x.ID }, func(l *Loaders) *cache[[]domain.Sample] { return l.childrenOf }}
	sampleFiles       = toMany[domain.Sample, domain.DataFile]{"DataFile", func(x *domain.Sample) string { return x.ID }, func(l *Loaders) *cache[[]domain.DataFile] { return l.filesOfSample }}
	sampleWithdrawals = toMany[domain.Sample, domain.Withdrawal]{"Withdrawal", func(x *domain.Sample) string { return x.ID }, func(l *Loaders) *cache[[]domain.Withdrawal] { return l.withdrawalsOf }}

	donorBiobank   = toOne[domain.Donor, domain.Biobank]{"Biobank", func(x *domain.Donor) string { return x.BiobankID }, func(l *Loaders) *cache[domain.Biobank] { return l.biobank }}
	donorConsents  = toMany[domain.Donor, domain.Consent]{"Consent", func(x *domain.Donor) string { return x.ID }, func(l *Loaders) *cache[[]domain.Consent] { return l.consentsOf }}
	donorDiagnoses = toMany[domain.Donor, domain.Diagnosis]{"Diagnosis", func(x *domain.Donor) string { return x.ID }, func(l *Loaders) *cache[[]domain.Diagnosis] { return l.diagnosesOf }}
	donorSamples   = toMany[domain.Donor, domain.Sample]{"Sample", func(x *domain.Donor) string { return x.ID }, func(l *Loaders) *cache[[]domain.Sample] { return l.samplesOf }}

	fileStudy      = toOne[domain.DataFile, domain.Study]{"Study", func(x *domain.DataFile) string { return x.StudyID }, func(l *Loaders) *cache[domain.Study] { return l.study }}
	fileWithdrawal = toOne[domain.DataFile, domain.Withdrawal]{"Withdrawal", func(x *domain.DataFile) string { return x.WithdrawalID }, func(l *Loaders) *cache[domain.Withdrawal] { return l.withdrawal }}
	fileSamples    = toPage[domain.DataFile, domain.FileSample]{"FileSample", func(x *domain.DataFile) string { return x.ID }, func(l *Loaders) *cache[domain.Page[domain.FileSample]] { return l.samplesOfFile }}
	fileDatasets   = toMany[domain.DataFile, domain.Dataset]{"Dataset", func(x *domain.DataFile) string { return x.ID }, func(l *Loaders) *cache[[]domain.Dataset] { return l.datasetsOfFile }}
	fileSample     = toOne[domain.FileSample, domain.Sample]{"Sample", func(x *domain.FileSample) string { return x.SampleID }, func(l *Loaders) *cache[domain.Sample] { return l.sample }}

	withdrawalSample = toOne[domain.Withdrawal, domain.Sample]{"Sample", func(x *domain.Withdrawal) string { return x.SampleID }, func(l *Loaders) *cache[domain.Sample] { return l.sample }}
	withdrawalStudy  = toOne[domain.Withdrawal, domain.Study]{"Study", func(x *domain.Withdrawal) string { return x.StudyID }, func(l *Loaders) *cache[domain.Study] { return l.study }}
	withdrawalFiles  = toMany[domain.Withdrawal, domain.DataFile]{"DataFile", func(x *domain.Withdrawal) string { return x.ID }, func(l *Loaders) *cache[[]domain.DataFile] { return l.filesOfReturn }}
	withdrawalReturn = toOne[domain.Withdrawal, domain.DataReturn]{"DataReturn", func(x *domain.Withdrawal) string { return x.ID }, func(l *Loaders) *cache[domain.DataReturn] { return l.dataReturnOf }}

	datasetRefs = references[domain.Dataset](func(x *domain.Dataset) string { return x.ID })
	fileRefs    = references[domain.DataFile](func(x *domain.DataFile) string { return x.ID })
	studyRefs   = references[domain.Study](func(x *domain.Study) string { return x.ID })
	sampleRefs  = references[domain.Sample](func(x *domain.Sample) string { return x.ID })

	studyExchange = toOne[domain.Study, domain.StudyExchange]{"StudyExchange", func(x *domain.Study) string { return x.ID }, func(l *Loaders) *cache[domain.StudyExchange] { return l.exchangeOf }}

	datasetFiles = toPage[domain.Dataset, domain.DataFile]{"DataFile", func(x *domain.Dataset) string { return x.ID }, func(l *Loaders) *cache[domain.Page[domain.DataFile]] { return l.filesOfDataset }}
)

// relations maps a GraphQL type and field to its relation, for
// prefetching (pointers, so that a level's jobs can be grouped by relation).
var relations = map[string]map[string]relation{
	"Sample": {"consentDecision": &sampleConsents, "biobank": &sampleBiobank, "donor": &sampleDonor, "parent": &sampleParent, "children": &sampleChildren,
		"dataFiles": &sampleFiles, "withdrawals": &sampleWithdrawals, "references": &sampleRefs},
	"Donor": {"biobank": &donorBiobank, "consents": &donorConsents, "currentConsent": &donorConsents, "consentDecision": &donorConsents,
		"diagnoses": &donorDiagnoses, "samples": &donorSamples},
	"DataFile":   {"study": &fileStudy, "withdrawal": &fileWithdrawal, "samples": &fileSamples, "datasets": &fileDatasets, "references": &fileRefs},
	"FileSample": {"sample": &fileSample},
	"Withdrawal": {"sample": &withdrawalSample, "study": &withdrawalStudy, "returnedFiles": &withdrawalFiles, "dataReturnStatus": &withdrawalReturn,
		"dataReturnRequired": &withdrawalReturn, "dataReturnDue": &withdrawalReturn},
	"Dataset": {"files": &datasetFiles, "sampleSummary": &datasetSummary, "references": &datasetRefs},
	"Study":   {"exchange": &studyExchange, "references": &studyRefs},

	// a dataset's sample summary names biobanks (graph/federation.go)
	"SampleSummary": {"byBiobank": summaryBiobanks{}},
}

// ahead maps a relation (by type and field) and a field selected on its
// objects to a relation of the parents that fills the cache that field
// reads: the consents of a sample's donor are the consents of the
// sample's donor id, so they are fetched with the donor instead of after
// it (prefetch). An entry must key its cache as the relation it stands
// for does.
var ahead = map[string]map[string]map[string]aheadRelation{
	"Sample": {"donor": {"consents": donorConsentsAhead, "currentConsent": donorConsentsAhead, "consentDecision": donorConsentsAhead}},
}

// aheadRelation is an entry of ahead: the relation, and the operations of
// the two relations it stands in for. It is fetched ahead only for an
// actor allowed both, so that it reads nothing the two would not have
// read (the federation client may read consents, not donors).
type aheadRelation struct {
	rel relation
	ops [2]domain.Operation
}

var donorConsentsAhead = aheadRelation{&sampleConsents, [2]domain.Operation{"DonorsByIDs", "ConsentsByDonorIDs"}}

// allowed reports whether the actor of ctx may perform both operations.
func (a aheadRelation) allowed(ctx context.Context) bool {
	return domain.AuthorizeCtx(ctx, a.ops[0]) == nil && domain.AuthorizeCtx(ctx, a.ops[1]) == nil
}

// sampleConsents loads, for Sample.consentDecision, the consents of each
// sample's donor, keyed by the sample's donor id: one hop, and no donor
// record (whose attributes a federation client may not read).
var sampleConsents = toMany[domain.Sample, domain.Consent]{"Consent", func(x *domain.Sample) string { return x.DonorID }, func(l *Loaders) *cache[[]domain.Consent] { return l.consentsOf }}

// relation loads the related objects of many parents at once, and names
// their GraphQL type.
type relation interface {
	target() string
	// prefetch loads the relation, as selected by field f, for parents
	// (pointers to the parent type) and returns the related objects, as
	// pointers, for the next level.
	prefetch(ctx context.Context, l *Loaders, parents []any, f graphql.CollectedField) ([]any, error)
	// below returns the fields selected on the related objects under f.
	below(ctx context.Context, f graphql.CollectedField) []graphql.CollectedField
	// keyOf is the key a parent (a pointer to the parent type) is
	// related by; "" when it has none.
	keyOf(parent any) string
	// adopt copies into to's cache of the relation what from's holds
	// (without the keys that failed).
	adopt(from, to *Loaders)
}

// toOne is a relation to at most one object, found by a key of the parent.
type toOne[P, C any] struct {
	to    string
	key   func(*P) string
	cache func(*Loaders) *cache[C]
}

func (r toOne[P, C]) target() string { return r.to }

func (r toOne[P, C]) keyOf(p any) string { return r.key(p.(*P)) }

func (r toOne[P, C]) adopt(from, to *Loaders) { r.cache(to).adopt(r.cache(from)) }

// get resolves the relation of one parent; nil when the key is empty.
func (r toOne[P, C]) get(ctx context.Context, p *P) (*C, error) {
	k := r.key(p)
	if k == "" {
		return nil, nil
	}
	v, err := r.cache(loaders(ctx)).load(ctx, k)
	if err != nil {
		return nil, err
	}
	return &v, nil
}

func (r toOne[P, C]) below(ctx context.Context, f graphql.CollectedField) []graphql.CollectedField {
	return sub(ctx, f, r.to)
}

func (r toOne[P, C]) prefetch(ctx context.Context, l *Loaders, parents []any, _ graphql.CollectedField) ([]any, error) {
	keys := make([]string, 0, len(parents))
	for _, p := range parents {
		if k := r.key(p.(*P)); k != "" {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil, nil
	}
	vals, err := r.cache(l).loadMany(ctx, keys)
	if c := domain.ErrorCode(err); c == domain.EFORBIDDEN || c == domain.ENOTFOUND {
		// one key's record is missing or outside the reader's access:
		// its field reports that alone (the cache keeps each key's
		// error), the others go on
		vals, err = nil, nil
		for _, k := range keys {
			if v, kerr := r.cache(l).load(ctx, k); kerr == nil {
				vals = append(vals, v)
			}
		}
	}
	if err != nil {
		return nil, err
	}
	out := make([]any, len(vals))
	for i := range vals {
		out[i] = &vals[i]
	}
	return out, nil
}

// toMany is a relation to a list of objects, found by a key of the parent.
type toMany[P, C any] struct {
	to    string
	key   func(*P) string
	cache func(*Loaders) *cache[[]C]
}

func (r toMany[P, C]) target() string { return r.to }

func (r toMany[P, C]) keyOf(p any) string { return r.key(p.(*P)) }

func (r toMany[P, C]) adopt(from, to *Loaders) { r.cache(to).adopt(r.cache(from)) }

// get resolves the relation of one parent.
func (r toMany[P, C]) get(ctx context.Context, p *P) ([]C, error) {
	return r.cache(loaders(ctx)).load(ctx, r.key(p))
}

func (r toMany[P, C]) below(ctx context.Context, f graphql.CollectedField) []graphql.CollectedField {
	return sub(ctx, f, r.to)
}

func (r toMany[P, C]) prefetch(ctx context.Context, l *Loaders, parents []any, _ graphql.CollectedField) ([]any, error) {
	keys := make([]string, len(parents))
	for i, p := range parents {
		keys[i] = r.key(p.(*P))
	}
	lists, err := r.cache(l).loadMany(ctx, keys)
	if err != nil {
		return nil, err
	}
	var out []any
	for _, list := range lists {
		for i := range list {
			out = append(out, &list[i])
		}
	}
	return out, nil
}

// toPage is a relation to a list that can be long, served as a
// connection: every parent gets the same page (first, after) of its list.
type toPage[P, C any] struct {
	to    string
	key   func(*P) string
	cache func(*Loaders) *cache[domain.Page[C]]
}

func (r toPage[P, C]) target() string { return r.to }

func (r toPage[P, C]) keyOf(p any) string { return r.key(p.(*P)) }

func (r toPage[P, C]) adopt(from, to *Loaders) { r.cache(to).adopt(r.cache(from)) }

// get resolves one parent's page.
func (r toPage[P, C]) get(ctx context.Context, p *P, page domain.PageRequest) (domain.Page[C], error) {
	return r.cache(loaders(ctx)).load(ctx, pageKey(r.key(p), page))
}

func (r toPage[P, C]) below(ctx context.Context, f graphql.CollectedField) []graphql.CollectedField {
	return connectionFieldsOf(ctx, f, r.to)
}

func (r toPage[P, C]) prefetch(ctx context.Context, l *Loaders, parents []any, f graphql.CollectedField) ([]any, error) {
	page := fieldPageRequest(ctx, f)
	keys := make([]string, len(parents))
	for i, p := range parents {
		keys[i] = pageKey(r.key(p.(*P)), page)
	}
	pages, err := r.cache(l).loadMany(ctx, keys)
	if err != nil {
		return nil, err
	}
	var out []any
	for _, p := range pages {
		for i := range p.Items {
			out = append(out, &p.Items[i])
		}
	}
	return out, nil
}

// pageKey is the cache key of one parent's page: the parent's id and the
// page asked for, so that selections with other arguments differ.
func pageKey(id string, p domain.PageRequest) string {
	return fmt.Sprintf("%s|%d|%s|%t", id, p.First, p.After, p.WantTotal)
}

// fieldPageRequest is the page a connection field f asks for, as
// pageRequest computes it inside the field's own resolver.
func fieldPageRequest(ctx context.Context, f graphql.CollectedField) domain.PageRequest {
	var p domain.PageRequest
	args := f.ArgumentMap(graphql.GetOperationContext(ctx).Variables)
	switch v := args["first"].(type) {
	case int64:
		p.First = int(v)
	case int:
		p.First = v
	}
	if v, ok := args["after"].(string); ok {
		p.After = v
	}
	for _, g := range graphql.CollectFields(graphql.GetOperationContext(ctx), f.Selections, nil) {
		if g.Name == "totalCount" {
			p.WantTotal = true
		}
	}
	return p
}

// paged turns a fetch of one page per parent into a cache fetch whose
// keys carry the page (pageKey); keys asking for different pages are
// fetched separately.
func paged[T any](fetch func(context.Context, []string, domain.PageRequest) (map[string]domain.Page[T], error)) func(context.Context, []string) ([]domain.Page[T], []error) {
	return func(ctx context.Context, keys []string) ([]domain.Page[T], []error) {
		out := make([]domain.Page[T], len(keys))
		errs := make([]error, len(keys))
		groups := map[string][]int{} // the page part of a key -> positions
		var order []string
		for i, k := range keys {
			_, pg, _ := strings.Cut(k, "|")
			if _, ok := groups[pg]; !ok {
				order = append(order, pg)
			}
			groups[pg] = append(groups[pg], i)
		}
		for _, pg := range order {
			parts := strings.SplitN(pg, "|", 3)
			var req domain.PageRequest
			req.First, _ = strconv.Atoi(parts[0])
			req.After, req.WantTotal = parts[1], parts[2] == "true"
			ids := make([]string, len(groups[pg]))
			for j, i := range groups[pg] {
				ids[j], _, _ = strings.Cut(keys[i], "|")
			}
			m, err := fetch(ctx, ids, req)
			for j, i := range groups[pg] {
				out[i], errs[i] = m[ids[j]], err
			}
		}
		return out, errs
	}
}

// prefetch loads, level by level, every relation selected by fields on
// objs (pointers to objects of GraphQL type typ). At each level, the
// parents of one relation are gathered from every place it is selected
// (a sample's parent's files and its children's files are one
// statement), and the level's relations are fetched concurrently, so a
// query costs one round trip per level of its shape. A relation of the
// next level that the parents' keys already name (ahead) is fetched with
// the level that leads to it.
func prefetch(ctx context.Context, typ string, objs []any, fields []graphql.CollectedField) error {
	l := loaders(ctx)
	type job struct {
		rel     relation
		parents []any
		field   graphql.CollectedField
		ahead   bool // loaded for the next level's sake: nothing below it
	}
	var level []job
	add := func(typ string, objs []any, fields []graphql.CollectedField) {
		if len(objs) == 0 {
			return
		}
		l.prime(objs)
		for _, f := range fields {
			rel, ok := relations[typ][f.Name]
			if !ok {
				continue
			}
			level = append(level, job{rel: rel, parents: objs, field: f})
			for _, g := range rel.below(ctx, f) {
				if a, ok := ahead[typ][f.Name][g.Name]; ok && a.allowed(ctx) {
					level = append(level, job{rel: a.rel, parents: objs, field: g, ahead: true})
				}
			}
		}
	}
	add(typ, objs, fields)
	for len(level) > 0 {
		// one fetch per relation, over the parents of all its jobs
		merged := map[relation][]any{}
		fields := map[relation]graphql.CollectedField{}
		onlyAhead := map[relation]bool{} // every job of it loads ahead
		var order []relation
		for _, j := range level {
			if _, ok := merged[j.rel]; !ok {
				order = append(order, j.rel)
				fields[j.rel] = j.field
				onlyAhead[j.rel] = true
			}
			merged[j.rel] = append(merged[j.rel], j.parents...)
			onlyAhead[j.rel] = onlyAhead[j.rel] && j.ahead
		}
		errs := make([]error, len(order))
		fetch := func(i int) {
			rel := order[i]
			_, errs[i] = rel.prefetch(ctx, l, merged[rel], fields[rel])
			if onlyAhead[rel] {
				// the job it serves asks for the same keys a level
				// later, and reports their errors where they belong
				errs[i] = nil
			}
		}
		// the last in this goroutine: a level of one relation (most
		// levels) starts none
		func() {
			var wg sync.WaitGroup
			defer wg.Wait() // also when the last panics: nothing outlives the resolver
			for i := range len(order) - 1 {
				wg.Go(func() { fetch(i) })
			}
			fetch(len(order) - 1)
		}()
		if err := errors.Join(errs...); err != nil {
			return err
		}
		// the next level: each job's related objects (now cached) with
		// the fields selected below that job's field
		current := level
		level = nil
		for _, j := range current {
			if j.ahead {
				continue // its objects are reached through the job it serves
			}
			next, err := j.rel.prefetch(ctx, l, j.parents, j.field)
			if err != nil {
				return err
			}
			add(j.rel.target(), next, j.rel.below(ctx, j.field))
		}
	}
	return nil
}

// prime caches objects found by lists and lookups under their ids, so a
// relation leading back to one of them (a child's parent) is no query.
func (l *Loaders) prime(objs []any) {
	for _, o := range objs {
		switch x := o.(type) {
		case *domain.Sample:
			l.sample.prime(x.ID, *x)
		case *domain.Donor:
			l.donor.prime(x.ID, *x)
		case *domain.Biobank:
			l.biobank.prime(x.ID, *x)
		case *domain.Study:
			l.study.prime(x.ID, *x)
		case *domain.Withdrawal:
			l.withdrawal.prime(x.ID, *x)
		}
	}
}

// prefetchOne prefetches below a root field that returns one object.
func prefetchOne[T any](ctx context.Context, typ string, obj *T) error {
	if obj == nil {
		return nil
	}
	oc := graphql.GetOperationContext(ctx)
	fields := graphql.CollectFields(oc, graphql.GetFieldContext(ctx).Field.Selections, []string{typ, "Node"})
	return prefetch(ctx, typ, []any{obj}, fields)
}

// prefetchPage prefetches below a root connection's items (through nodes
// and edges.node).
func prefetchPage[T any](ctx context.Context, typ string, items []T) error {
	return prefetch(ctx, typ, pointers(items), connectionFields(ctx, typ))
}

// prefetchList prefetches below the objects of a field that returns a
// list of them.
func prefetchList[T any](ctx context.Context, typ string, items []T) error {
	return prefetch(ctx, typ, pointers(items), sub(ctx, graphql.GetFieldContext(ctx).Field, typ))
}

// prefetchMutations prefetches below the object a mutation returns, as
// the queries' lookups do below theirs (lookup): the result's relations
// are loaded level by level, not object by object as its fields are
// marshalled (the elements of a list one after another,
// graph/internal/gqlgen). It wraps the field middleware of mutation
// operations only (a field middleware of the server would run around
// every field of every query too), and acts on the Mutation's fields
// only: the fields of objects skip the field middleware altogether.
type prefetchMutations struct{}

func (prefetchMutations) ExtensionName() string                   { return "PrefetchMutations" }
func (prefetchMutations) Validate(graphql.ExecutableSchema) error { return nil }

func (prefetchMutations) MutateOperationContext(_ context.Context, oc *graphql.OperationContext) *gqlerror.Error {
	if oc.Operation == nil || oc.Operation.Operation != ast.Mutation {
		return nil
	}
	fields := oc.ResolverMiddleware
	oc.ResolverMiddleware = func(ctx context.Context, next graphql.Resolver) (any, error) {
		res, err := fields(ctx, next)
		if err == nil {
			prefetchResult(ctx, res)
		}
		return res, err
	}
	return nil
}

// prefetchResult prefetches below res when it is a mutation's result: an
// object of a type with relations. A failed prefetch leaves the result
// as it is: the write is done, and a relation that cannot be loaded
// reports its own error when its field asks for it.
func prefetchResult(ctx context.Context, res any) {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Object != "Mutation" || res == nil {
		return
	}
	typ := fc.Field.Definition.Type.Name()
	if _, ok := relations[typ]; !ok {
		return
	}
	if v := reflect.ValueOf(res); v.Kind() != reflect.Pointer || v.IsNil() {
		return
	}
	_ = prefetch(ctx, typ, []any{res}, sub(ctx, fc.Field, typ))
}

// pointers returns a pointer to each item, as prefetch takes objects.
func pointers[T any](items []T) []any {
	objs := make([]any, len(items))
	for i := range items {
		objs[i] = &items[i]
	}
	return objs
}

// sub returns the fields selected under f on objects of type typ.
func sub(ctx context.Context, f graphql.CollectedField, typ string) []graphql.CollectedField {
	return graphql.CollectFields(graphql.GetOperationContext(ctx), f.Selections, []string{typ, "Node"})
}

// connectionFields returns the fields selected on the items of a
// connection, through nodes and through edges.node.
func connectionFields(ctx context.Context, typ string) []graphql.CollectedField {
	return append(childFields(ctx, typ, "nodes"), childFields(ctx, typ, "edges", "node")...)
}

// connectionFieldsOf returns the fields selected on the items of the
// connection field f.
func connectionFieldsOf(ctx context.Context, f graphql.CollectedField, typ string) []graphql.CollectedField {
	oc := graphql.GetOperationContext(ctx)
	var out []graphql.CollectedField
	for _, g := range graphql.CollectFields(oc, f.Selections, nil) {
		switch g.Name {
		case "nodes":
			out = append(out, graphql.CollectFields(oc, g.Selections, []string{typ, "Node"})...)
		case "edges":
			for _, h := range graphql.CollectFields(oc, g.Selections, nil) {
				if h.Name == "node" {
					out = append(out, graphql.CollectFields(oc, h.Selections, []string{typ, "Node"})...)
				}
			}
		}
	}
	return out
}

// childFields returns the fields selected under the named subfields
// (e.g. "nodes", or "edges" then "node") of the current field.
func childFields(ctx context.Context, typ string, path ...string) []graphql.CollectedField {
	oc := graphql.GetOperationContext(ctx)
	var out []graphql.CollectedField
	var walk func(fs []graphql.CollectedField, path []string)
	walk = func(fs []graphql.CollectedField, path []string) {
		for _, f := range fs {
			if f.Name != path[0] {
				continue
			}
			if len(path) == 1 {
				out = append(out, graphql.CollectFields(oc, f.Selections, []string{typ, "Node"})...)
				continue
			}
			walk(graphql.CollectFields(oc, f.Selections, nil), path[1:])
		}
	}
	walk(graphql.CollectFieldsCtx(ctx, nil), path)
	return out
}

type loadersKey struct{}

// WithLoaders installs fresh per-request loaders in every request.
func WithLoaders(s domain.Services, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), loadersKey{}, newLoaders(s))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// loaders returns the request's loaders.
func loaders(ctx context.Context) *Loaders {
	return ctx.Value(loadersKey{}).(*Loaders)
}

// references is the relation of a record to its references, keyed by the
// record's id (ids are unique across kinds, so one cache serves all).
func references[P any](id func(*P) string) toMany[P, domain.Reference] {
	return toMany[P, domain.Reference]{"Reference", id, func(l *Loaders) *cache[[]domain.Reference] { return l.referencesOf }}
}
