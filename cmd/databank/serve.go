package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"databank/domain"
	"databank/graph"
	"databank/graph/explorer"
)

func newServeCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the GraphQL API and the explorer",
		Long: `Serve the GraphQL API at /graphql and the GraphiQL explorer at /.
Uses DATABASE_URL, or a private PostgreSQL cluster in --pg-dir when it is unset.
Bearer tokens: those of DATABANK_TOKENS_FILE, API tokens made with
"databank token create", and JWTs of the OpenID Connect issuers of
DATABANK_OIDC_ISSUERS (docs/identity.md); anything else is refused.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := commandConfig(cmd)
			if err != nil {
				return err
			}
			log := cfg.logger()
			tokens := map[string]domain.Actor{}
			if cfg.TokensFile != "" {
				if tokens, err = readTokens(cfg.TokensFile); err != nil {
					return err
				}
				if fi, err := os.Stat(cfg.TokensFile); err == nil && fi.Mode().Perm()&0o077 != 0 {
					log.Warn("the tokens file is readable by other users; chmod 600 it", "file", cfg.TokensFile, "mode", fi.Mode().Perm().String())
				}
			} else if len(cfg.OIDCIssuers) == 0 {
				log.Warn("neither DATABANK_TOKENS_FILE nor DATABANK_OIDC_ISSUERS is set: only API tokens (databank token create) are accepted")
			}
			db, closeDB, err := openDatabase(cmd.Context(), cfg, log)
			if err != nil {
				return err
			}
			defer closeDB()
			return serve(cmd.Context(), cfg, db, tokens, nil, log)
		},
	}
	addAddrFlag(cmd)
	return cmd
}

func addAddrFlag(cmd *cobra.Command) {
	cmd.Flags().String("addr", "", "listen address (env DATABANK_ADDR, default :8080)")
}

// serve runs the HTTP server until ctx is cancelled (SIGINT/SIGTERM), then
// drains in-flight requests for up to 15 seconds. Meanwhile the services
// follow the vocabulary releases stored by other servers and commands
// and the API tokens they revoke, and keep discovery's counts in memory
// (unless DATABANK_COUNT_INDEX is false).
func serve(ctx context.Context, cfg config, db *backend, tokens map[string]domain.Actor, examples []explorer.Example, log *slog.Logger) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	defer db.followVocabulary(ctx)()
	defer db.followTokens(ctx)()
	if cfg.CountIndex {
		defer db.followCountIndex(ctx)()
	}
	tuneGC(log)
	removeUploadOrphans(os.TempDir(), time.Now(), log)
	srv := &http.Server{
		Handler:           newMux(cfg, db, tokens, examples, log),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		WriteTimeout:      cfg.RequestTimeout + 10*time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	log.Info("serving", "url", "http://"+displayAddr(ln.Addr()), "graphql", "/graphql")
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// displayAddr turns a wildcard listen address into one a browser can open.
func displayAddr(a net.Addr) string {
	if tcp, ok := a.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		return fmt.Sprintf("localhost:%d", tcp.Port)
	}
	return a.String()
}

// newMux wires the endpoints: explorer, GraphQL, health and readiness.
func newMux(cfg config, db *backend, tokens map[string]domain.Actor, examples []explorer.Example, log *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	gql := graph.NewHandler(graph.Config{
		Services: db.svc, Vocabulary: db.vocab, Auth: newAuthenticator(cfg, db, tokens, log), Logger: log,
		MaxComplexity: cfg.MaxComplexity, MaxDepth: cfg.MaxDepth, Timeout: cfg.RequestTimeout, MaxInFlight: cfg.MaxInFlight,
		RatePerSecond: cfg.RatePerSecond, RateBurst: cfg.RateBurst,
		Limits: graph.Limits{MaxBodyBytes: cfg.MaxBodyBytes, MaxSignedInBodyBytes: cfg.MaxSignedInBody, MaxQueryBytes: cfg.MaxQueryBytes, MaxTokens: cfg.MaxTokens, MaxFields: cfg.MaxFields,
			MaxAliases: cfg.MaxAliases, MaxRootFields: cfg.MaxRootFields},
	})
	mux.Handle("/graphql", limitBody(max(8<<20, cfg.MaxBodyBytes, cfg.MaxSignedInBody), gql))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := db.ready(ctx); err != nil {
			http.Error(w, domain.ErrorMessage(err), http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ready\n"))
	})
	if examples == nil {
		examples = defaultExamples
	}
	ex := explorer.Handler(explorer.Options{Title: "Databank explorer", Endpoint: "/graphql", Examples: examples})
	mux.Handle("/", ex)
	return logRequests(log, mux)
}

// newAuthenticator tries a bearer token against the tokens file, then the
// API tokens, then the configured OIDC issuers (config validated it).
func newAuthenticator(cfg config, db *backend, tokens map[string]domain.Actor, log *slog.Logger) graph.Authenticator {
	chain := graph.Chain{graph.NewTokenAuth(tokens)}
	if db.svc != nil {
		chain = append(chain, graph.APITokenAuth{Tokens: db.svc})
	}
	oc, on, err := cfg.oidc(log)
	if on && err == nil {
		var o *graph.OIDCAuth
		if o, err = graph.NewOIDCAuth(oc); err == nil {
			chain = append(chain, o)
			log.Info("OIDC bearer tokens accepted", "issuers", oc.Issuers, "audience", oc.Audience,
				"userinfo", oc.Userinfo, "trusted_visa_issuers", len(oc.TrustedVisaIssuers))
		}
	}
	if err != nil {
		log.Error("OIDC configuration refused; JWTs will be refused", "err", err)
	}
	return chain
}

// limitBody bounds request bodies before anybody is known: maxBody (at
// least the largest body the GraphQL handler takes of anybody, which
// bounds each actor's tighter) for anything but file uploads, 1 GiB for uploads
// (multipart requests, in any letter case); a body stated larger is
// refused with 413 before it is read.
func limitBody(maxBody int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		limit := maxBody
		if strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "multipart/") {
			limit = 1<<30 + 1<<20
		}
		if r.ContentLength > limit {
			http.Error(w, fmt.Sprintf("request body of %d bytes is larger than the limit of %d", r.ContentLength, limit), http.StatusRequestEntityTooLarge)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// logRequests writes one structured log line per request: method, path,
// status, duration and actor — never the query text or variables, which
// may contain personal data.
func logRequests(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		log.Debug("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration", time.Since(start))
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}
