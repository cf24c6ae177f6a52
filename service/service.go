// Package service is the one implementation of the domain services that
// every entry point calls: the GraphQL resolvers and their batch loaders,
// the command line, the registry and file imports. It owns the access
// policy's enforcement (domain.Authorize, deny by default, before any
// store call), the normalisation and validation of filters and ids, and
// the place where access is recorded; the store only persists.
//
// It is a package of its own, not part of domain (which may import only
// the standard library and the ontology) nor of store (persistence only),
// because it joins the two: it calls the store through the small Store
// interface declared here, and cmd wires the PostgreSQL store into it.
package service

import (
	"context"
	"io"
	"log/slog"
	"time"

	"databank/domain"
	"databank/importers/registry"
	"databank/ontology"
)

// Service implements domain.Services over a Store.
type Service struct {
	store Store
	vocab *ontology.Registry // the vocabulary in force; watch keeps it current
	log   *slog.Logger
	share *connShare
	// tokens caches API tokens found by their secrets' digests.
	tokens *tokenCache
	// audit writes audit events in batches.
	audit *auditBatcher
	// suppress is the rule of small counts for aggregates-only readers.
	suppress domain.Suppression
	// scopes caches confined readers' row scopes.
	scopes rowScopeCache
	watch  vocabularyWatch
	// countIndex holds discovery's counts in memory (WatchCountIndex).
	countIndex countIndexWatch
}

var _ domain.Services = (*Service)(nil)

// Options configure a Service.
type Options struct {
	// Vocabulary resolves the codes given in filters and decides consents
	// (nil: ontology.Builtin()). The services keep it current with the
	// releases stored in the database (RefreshVocabulary,
	// WatchVocabulary); pass the same registry to the store and the
	// GraphQL layer so that they see the same releases.
	Vocabulary *ontology.Registry
	// VocabularyPoll is how often WatchVocabulary asks the database
	// whether a release was stored, in case a notification was lost (0:
	// DefaultVocabularyPoll; negative: never).
	VocabularyPoll time.Duration
	// Logger receives denied requests (default: discarded).
	Logger *slog.Logger
	// MaxConnsPerActor bounds the store calls one actor may have running
	// at once, so that nobody holds the whole connection pool (0: no
	// bound). Set it below the pool's size.
	MaxConnsPerActor int
	// MinCount is the smallest count shown to readers who see aggregates
	// only (DATABANK_MIN_COUNT; 0: domain.DefaultMinCount).
	MinCount int
	// TokenCacheTTL is how long a found API token is trusted before the
	// database is asked again (0: DefaultTokenCacheTTL; negative: never).
	// A revocation by another process takes effect within it.
	TokenCacheTTL time.Duration
	// CountIndexInterval is the shortest time between two reads of the
	// registry into the count index (WatchCountIndex; 0:
	// DefaultCountIndexInterval).
	CountIndexInterval time.Duration
}

// New returns the services backed by st.
func New(st Store, opt Options) *Service {
	if opt.Vocabulary == nil {
		opt.Vocabulary = ontology.Builtin()
	}
	if opt.VocabularyPoll == 0 {
		opt.VocabularyPoll = DefaultVocabularyPoll
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.TokenCacheTTL == 0 {
		opt.TokenCacheTTL = DefaultTokenCacheTTL
	}
	if opt.CountIndexInterval <= 0 {
		opt.CountIndexInterval = DefaultCountIndexInterval
	}
	s := &Service{store: st, vocab: opt.Vocabulary, log: opt.Logger, share: newConnShare(opt.MaxConnsPerActor),
		tokens: newTokenCache(opt.TokenCacheTTL), suppress: domain.Suppression{MinCount: opt.MinCount},
		watch: vocabularyWatch{base: opt.Vocabulary.Clone(), poll: opt.VocabularyPoll}}
	s.audit = newAuditBatcher(st)
	s.countIndex = countIndexWatch{interval: opt.CountIndexInterval, kick: make(chan struct{}, 1)}
	return s
}

// allow applies the access policy to op for the actor of ctx. Every
// service method calls it first; a denial is logged with who tried what.
func (s *Service) allow(ctx context.Context, op domain.Operation) error {
	err := domain.AuthorizeCtx(ctx, op)
	if err != nil {
		a := domain.ActorFrom(ctx)
		s.log.InfoContext(ctx, "access denied", "op", string(op), "actor", a.Name, "role", a.Role, "code", domain.ErrorCode(err))
	}
	return err
}

// run performs op for the actor of ctx: fn runs only when the policy
// allows it, and with one of the actor's shares of the connections
// (compute, without the share, for operations that read nothing).
// The request's audit trail (domain.Trail) records the operation, its
// outcome and the rows and donors it returned.
func run[T any](ctx context.Context, s *Service, op domain.Operation, fn func() (T, error)) (T, error) {
	return compute(ctx, s, op, func() (T, error) {
		release, err := s.share.acquire(ctx)
		if err != nil {
			var zero T
			return zero, err
		}
		defer release()
		return fn()
	})
}

// compute performs op, which reads nothing from the database (a consent
// decision, say): the policy and the trail as run has them, without
// taking a share of the connections, since a page of 100 samples runs
// such an operation for each.
func compute[T any](ctx context.Context, s *Service, op domain.Operation, fn func() (T, error)) (T, error) {
	trail := domain.TrailFrom(ctx)
	if err := s.allow(ctx, op); err != nil {
		trail.Record(op, nil, err)
		var zero T
		return zero, err
	}
	v, err := fn()
	if registryWrites[op] {
		s.countIndex.wrote() // committed, or perhaps: counts come from SQL until the index is read again
	}
	trail.Record(op, v, err)
	return v, err
}

// byID performs op on the record with the caller-given id: after the
// policy, a malformed id is EINVALID naming arg, before the store is asked.
func byID[T any](ctx context.Context, s *Service, op domain.Operation, arg, id string, fn func(context.Context, string) (T, error)) (T, error) {
	return run(ctx, s, op, func() (T, error) {
		if err := domain.CheckID(arg, id); err != nil {
			var zero T
			return zero, err
		}
		return fn(ctx, id)
	})
}

// byIDs performs op on records named by a list of ids (batch loaders).
func byIDs[T any](ctx context.Context, s *Service, op domain.Operation, ids []string, fn func(context.Context, []string) (T, error)) (T, error) {
	return run(ctx, s, op, func() (T, error) {
		if err := domain.CheckIDs("ids", ids); err != nil {
			var zero T
			return zero, err
		}
		return fn(ctx, ids)
	})
}

// Health reports whether the database answers; it needs no credentials.
func (s *Service) Health(ctx context.Context) error {
	_, err := run(ctx, s, "Health", func() (struct{}, error) { return struct{}{}, s.store.Ping(ctx) })
	return err
}

// EntityType names the GraphQL type of the record with id.
func (s *Service) EntityType(ctx context.Context, id string) (string, error) {
	return byID(ctx, s, "EntityType", "id", id, s.readableRecord)
}

// History lists the recorded changes of the record with id.
func (s *Service) History(ctx context.Context, id string) ([]domain.Change, error) {
	return byID(ctx, s, "History", "id", id, func(ctx context.Context, id string) ([]domain.Change, error) {
		if _, err := s.readableRecord(ctx, id); err != nil {
			return nil, err
		}
		return s.store.ChangeLog(ctx, id)
	})
}

// Import runs an all-or-nothing import of registry files.
func (s *Service) Import(ctx context.Context, req domain.ImportRequest) (*domain.ImportReport, error) {
	return run(ctx, s, "Import", func() (*domain.ImportReport, error) {
		req.Biobanks = importScope(ctx)
		return s.store.Import(ctx, req)
	})
}

// ImportFile imports one uploaded registry file with the same reader and
// checks as `databank import`.
func (s *Service) ImportFile(ctx context.Context, kind domain.ImportKind, name string, r io.Reader, dryRun bool) (*domain.ImportReport, error) {
	return run(ctx, s, "ImportFile", func() (*domain.ImportReport, error) {
		rd, err := registry.NewReader(r, name, kind, registry.Options{Vocabulary: s.vocab})
		if err != nil {
			return nil, err
		}
		return s.store.Import(ctx, domain.ImportRequest{Sources: []domain.ImportSource{rd}, DryRun: dryRun, Biobanks: importScope(ctx)})
	})
}

// SaveOntology stores an operator's release of one vocabulary.
func (s *Service) SaveOntology(ctx context.Context, reg *ontology.Registry, system string) error {
	_, err := run(ctx, s, "SaveOntology", func() (struct{}, error) { return struct{}{}, s.store.SaveOntology(ctx, reg, system, false) })
	return err
}

// LoadedOntologies returns the vocabulary releases stored in the database.
func (s *Service) LoadedOntologies(ctx context.Context) (map[ontology.System][]ontology.Term, error) {
	return run(ctx, s, "LoadedOntologies", func() (map[ontology.System][]ontology.Term, error) { return s.store.LoadedOntologies(ctx) })
}

// Vocabulary returns the coded vocabularies the services use.
func (s *Service) Vocabulary(ctx context.Context) (*ontology.Registry, error) {
	return run(ctx, s, "Vocabulary", func() (*ontology.Registry, error) { return s.vocab, nil })
}
