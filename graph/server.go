package graph

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/ast"

	"databank/domain"
	"databank/graph/generated"
	"databank/ontology"
)

// Config holds what the GraphQL handler needs.
type Config struct {
	// Services are what every resolver calls; they apply the access policy.
	Services domain.Services
	// Vocabulary labels the codes of results (nil: ontology.Builtin()):
	// the registry the services keep current, so that labels follow the
	// releases operators load.
	Vocabulary *ontology.Registry
	Auth       Authenticator
	// MaxUploadSize bounds an uploaded import file (default 1 GiB).
	MaxUploadSize int64
	Logger        *slog.Logger
	// MaxComplexity bounds the cost of one operation (default 200000);
	// MaxDepth its nesting (default 12); Timeout its run time (default 30s).
	MaxComplexity int
	MaxDepth      int
	Timeout       time.Duration
	// Limits bound a request before it is validated (DefaultLimits for
	// each one not set).
	Limits Limits
	// MaxInFlight bounds the requests one identity may have in flight
	// (default 8; negative: no bound).
	MaxInFlight int
	// RatePerSecond and RateBurst bound the requests one identity may
	// make: on average, and at once (defaults 20 and 60; a negative rate:
	// no bound).
	RatePerSecond float64
	RateBurst     int
}

// NewHandler returns the /graphql endpoint: POST and GET, with
// authentication, the audit of every request, per-request loaders, and
// limits on depth, complexity, page size and time.
func NewHandler(cfg Config) http.Handler { return newHandler(cfg, withAudit) }

// auditLayer wraps the handler below authentication with the audit
// (withAudit). Only the audit's benchmark passes another, to measure the
// same server without it (audit_export_test.go).
type auditLayer func(rec auditRecorder, log *slog.Logger, limits Limits, next http.Handler) http.Handler

// newHandler is NewHandler with audit as its audit layer.
func newHandler(cfg Config, audit auditLayer) http.Handler {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.MaxComplexity == 0 {
		cfg.MaxComplexity = 200000
	}
	if cfg.MaxDepth == 0 {
		cfg.MaxDepth = 12
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 30 * time.Second
	}
	if cfg.MaxInFlight == 0 {
		cfg.MaxInFlight = 8
	}
	if cfg.RatePerSecond == 0 {
		cfg.RatePerSecond = 20
	}
	if cfg.RateBurst == 0 {
		cfg.RateBurst = 60
	}
	if cfg.MaxUploadSize == 0 {
		cfg.MaxUploadSize = 1 << 30
	}
	if cfg.Vocabulary == nil {
		cfg.Vocabulary = ontology.Builtin()
	}
	gc := generated.Config{Resolvers: &Resolver{svc: cfg.Services, vocab: cfg.Vocabulary, log: cfg.Logger}}
	gc.Directives.StaffOnly = staffOnly
	srv := handler.New(generated.NewExecutableSchema(gc))
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(postJSON{})
	srv.AddTransport(transport.MultipartForm{MaxUploadSize: cfg.MaxUploadSize, MaxMemory: 32 << 20})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(cfg.Limits.withDefaults().MaxTokens) // uploads' operations, which withLimits does not read
	// first: a mutation refused by a limit below is audited as one
	use(srv, auditOperation{})
	use(srv, introspectionForMembers{})
	use(srv, extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	use(srv, costLimit{max: cfg.MaxComplexity})
	use(srv, depthLimit{max: cfg.MaxDepth})
	use(srv, prefetchMutations{})
	srv.SetErrorPresenter(errorPresenter(cfg.Logger))
	srv.SetRecoverFunc(recoverFunc(cfg.Logger))
	srv.AroundResponses(withWarnings)

	var h http.Handler = srv
	h = WithLoaders(cfg.Services, h)
	h = withAnswerStatus(h)
	h = withTimeout(cfg.Logger, cfg.Timeout, h)
	h = withLimits(cfg.Limits, h)
	h = withFairShare(cfg.MaxInFlight, h)
	h = withRateLimit(cfg.RatePerSecond, cfg.RateBurst, h)
	h = guardUploads(h)
	h = audit(cfg.Services, cfg.Logger, cfg.Limits, h)
	if cfg.Auth != nil {
		h = WithAuth(cfg.Auth, h)
	}
	return h
}

// use adds the extension ext to srv, refusing one that intercepts fields:
// the generated code resolves the fields of non-root objects without the
// field middleware (graph/internal/gqlgen), so such an extension would
// miss them. Wrapping the middleware of root fields only, as
// prefetchMutations does, is fine.
func use(srv *handler.Server, ext graphql.HandlerExtension) {
	if _, ok := ext.(graphql.FieldInterceptor); ok {
		panic(fmt.Sprintf("graph: extension %s intercepts fields, which the fields of objects skip (graph/internal/gqlgen)", ext.ExtensionName()))
	}
	srv.Use(ext)
}

// guardUploads refuses a multipart request (a file upload) before its body
// is parsed unless the policy lets its actor import files (ImportFile, the
// only operation that takes an upload) and it states its length: nobody
// may make the server buffer a body it will refuse, or an unbounded one.
func guardUploads(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "multipart/") {
			err := domain.AuthorizeCtx(r.Context(), "ImportFile")
			if err == nil && r.ContentLength < 0 {
				err = domain.Errorf(domain.EINVALID, "an upload must state its Content-Length")
			}
			if err != nil {
				status := map[string]int{domain.EUNAUTHORIZED: http.StatusUnauthorized, domain.EFORBIDDEN: http.StatusForbidden}[domain.ErrorCode(err)]
				if status == 0 {
					status = http.StatusLengthRequired
				}
				writeError(w, status, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// withWarnings collects the request's validation warnings (an obsolete
// code accepted, naming its replacement) into extensions.warnings.
func withWarnings(ctx context.Context, next graphql.ResponseHandler) *graphql.Response {
	w := &domain.Warnings{}
	res := next(domain.WithWarnings(ctx, w))
	if res == nil {
		return nil
	}
	if list := w.List(); len(list) > 0 {
		out := make([]map[string]any, len(list))
		for i, f := range list {
			out[i] = map[string]any{"field": f.Field, "value": f.Value, "message": f.Message}
		}
		if res.Extensions == nil {
			res.Extensions = map[string]any{}
		}
		res.Extensions["warnings"] = out
	}
	return res
}

// withTimeout gives a request its time limit; the request's database
// work ends with it (and when the client goes away). An ended request is
// logged once here; its fields' errors are not logged one by one.
func withTimeout(log *slog.Logger, d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		start := time.Now()
		next.ServeHTTP(w, r.WithContext(ctx))
		switch ctx.Err() {
		case context.DeadlineExceeded:
			log.WarnContext(ctx, "request ran out of time", "limit", d, "actor", domain.ActorFrom(ctx).Name)
		case context.Canceled:
			log.InfoContext(ctx, "request cancelled by the client", "after", time.Since(start), "actor", domain.ActorFrom(ctx).Name)
		}
	})
}
