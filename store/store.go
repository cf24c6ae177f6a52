// Package store is Databank's only package that speaks SQL: PostgreSQL
// through pgx/v5, with embedded migrations. It returns domain values built
// from private row structs and turns database errors into domain errors.
package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"databank/domain"
	"databank/ontology"
)

// Store is the registry backed by a PostgreSQL connection pool.
type Store struct {
	pool  *pgxpool.Pool
	vocab domain.Vocabulary // checks the codes of the records written
	// audit is the audit's connection (InsertAuditEvents), so that a
	// batch of audit events, which the answers of its requests wait for,
	// never queues behind the requests for one of the pool's.
	audit *pgxpool.Pool
	// lookup is the pool of lookups by key (byKeys), whose connections
	// keep one generic plan per statement.
	lookup *pgxpool.Pool
}

// Options tune the pool.
type Options struct {
	MaxConns int32
	// StatementTimeout bounds every statement (0: the server's default).
	StatementTimeout time.Duration
	// Tracer sees every query (tests count statements with it).
	Tracer interface {
		pgx.QueryTracer
	}
	// Vocabulary checks the codes of the records written (nil: the
	// built-in release, ontology.Builtin). A server passes the vocabulary
	// its services use, which follows the releases operators load.
	Vocabulary domain.Vocabulary
}

// Open connects to the database at url. It does not migrate; call Migrate.
func Open(ctx context.Context, url string, opt Options) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("store: parse database url: %w", err)
	}
	if opt.MaxConns > 0 {
		cfg.MaxConns = opt.MaxConns
	}
	if opt.StatementTimeout > 0 {
		cfg.ConnConfig.RuntimeParams["statement_timeout"] = fmt.Sprint(opt.StatementTimeout.Milliseconds())
	}
	cfg.ConnConfig.RuntimeParams["application_name"] = "databank"
	// JIT compilation of a discovery query's plan took 1.2-1.6 s at 100k
	// samples, more than running it (BENCHMARKS.md, "Discovery"); the
	// API's statements are short, so JIT is off, as in imports, unless
	// the URL asks for it.
	if _, set := cfg.ConnConfig.RuntimeParams["jit"]; !set {
		cfg.ConnConfig.RuntimeParams["jit"] = "off"
	}
	if opt.Tracer != nil {
		cfg.ConnConfig.Tracer = opt.Tracer
	}
	cfg.AfterConnect = func(_ context.Context, conn *pgx.Conn) error {
		registerTypes(conn)
		return nil
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	auditCfg := cfg.Copy()
	auditCfg.MaxConns, auditCfg.MinConns = 1, 0 // service's audit batcher writes one batch at a time
	audit, err := pgxpool.NewWithConfig(ctx, auditCfg)
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	lookupCfg := cfg.Copy()
	lookupCfg.MinConns = 0
	if _, set := lookupCfg.ConnConfig.RuntimeParams["plan_cache_mode"]; !set {
		lookupCfg.ConnConfig.RuntimeParams["plan_cache_mode"] = "force_generic_plan"
	}
	lookup, err := pgxpool.NewWithConfig(ctx, lookupCfg)
	if err != nil {
		pool.Close()
		audit.Close()
		return nil, fmt.Errorf("store: connect: %w", err)
	}
	if opt.Vocabulary == nil {
		opt.Vocabulary = ontology.Builtin()
	}
	return &Store{pool: pool, vocab: opt.Vocabulary, audit: audit, lookup: lookup}, nil
}

// Close releases every connection.
func (s *Store) Close() { s.pool.Close(); s.audit.Close(); s.lookup.Close() }

// maxKeyedLookup is the most keys a lookup sends to the lookup pool
// (byKeys): the records of one page at most. A longer list is planned for
// its own length on the main pool: a withdrawal preview's chunks of 1,000
// samples (service.previewChunk) read 19-26 % slower with generic plans
// (bench/preview.sh, BENCHMARKS.md).
const maxKeyedLookup = domain.MaxPageSize

// byKeys is where a lookup of n keys runs: the rows of records, or of
// their parents, named by a short list of ids (the batch loaders'
// statements). Their best plan never depends on the
// values: an index lookup per key. Yet PostgreSQL planned them again at
// every execution (0.1-0.5 ms each, more than running them): the generic
// plan of an array parameter is estimated for 100 keys, costs more than a
// custom plan for the few actually sent, and so is never chosen. The
// lookup pool's connections keep one generic plan per statement and
// connection (plan_cache_mode force_generic_plan). Listings, counts,
// facets and lookups with a filter of values stay on the main pool,
// planned for their values: how selective a filter is decides their
// plan. A long list goes there too.
func (s *Store) byKeys(n int) querier {
	if n > maxKeyedLookup {
		return s.pool
	}
	return s.lookup
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	for _, p := range []*pgxpool.Pool{s.pool, s.lookup} { // the lookup pool's settings may be refused (a pooler)
		if err := p.Ping(ctx); err != nil {
			return &domain.Error{Code: domain.EUNAVAILABLE, Message: "database unreachable", Err: err}
		}
	}
	return nil
}

// querier is what both a pool and a transaction offer.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// inTx runs fn in a transaction, committing when it returns nil. The
// transaction first names its actor to the change log (setActor).
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := setActor(ctx, tx); err != nil {
			return err
		}
		return fn(tx)
	})
}

// exec runs one writing statement in a transaction of its own (inTx), so
// that the change log records its actor.
func (s *Store) exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	var tag pgconn.CommandTag
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var err error
		tag, err = tx.Exec(ctx, sql, args...)
		return err
	})
	return tag, err
}

// The random bits of new ids are drawn from a pool refilled in blocks
// rather than from the kernel for each id: an import makes millions. The
// pool is set once, before any id is made.
func init() { uuid.EnableRandPool() }

// newID returns a time-ordered UUIDv7.
func newID() uuid.UUID {
	return uuid.Must(uuid.NewV7())
}

// parseID parses an entity id; a malformed id cannot exist, so it is
// reported as not found.
func parseID(entity, id string) (uuid.UUID, error) {
	u, err := uuid.Parse(id)
	if err != nil {
		return uuid.Nil, domain.Errorf(domain.ENOTFOUND, "%s %q not found", entity, id)
	}
	return u, nil
}

// parseIDs parses ids, skipping malformed ones (they match nothing; the
// services refuse malformed ids before they get here). The ids are sent
// as raw 16-byte values: pgx encodes those without the per-id text
// round trip a uuid.UUID (a driver.Valuer) takes.
func parseIDs(ids []string) [][16]byte {
	out := make([][16]byte, 0, len(ids))
	for _, id := range ids {
		if u, err := uuid.Parse(id); err == nil {
			out = append(out, u)
		}
	}
	return out
}

func optIDString(u *uuid.UUID) string {
	if u == nil {
		return ""
	}
	return u.String()
}

func optID(id string) *uuid.UUID {
	if id == "" {
		return nil
	}
	u, err := uuid.Parse(id)
	if err != nil {
		return nil
	}
	return &u
}

func actor(ctx context.Context) string {
	if a := domain.ActorFrom(ctx); a.Name != "" {
		return a.Name
	}
	return "system"
}

// notFound turns pgx.ErrNoRows into ENOTFOUND and translates anything else.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Errorf(domain.ENOTFOUND, format, args...)
	}
	return translate(err, "get")
}

// refID parses the id of a referenced record given in field. An empty id
// is nil (no reference); a malformed one is a field error, never a silent
// NULL.
func refID(v *domain.Validation, field, id string) *uuid.UUID {
	if id == "" {
		return nil
	}
	u, err := uuid.Parse(id)
	if err != nil {
		v.Fail(field, id, "is not an id (a UUID); look the record up by its external id first")
		return nil
	}
	return &u
}
