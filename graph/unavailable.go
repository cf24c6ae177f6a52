package graph

import (
	"context"
	"net/http"
	"sync/atomic"
)

// A request whose answer holds an UNAVAILABLE error (the database is
// down or restarting) is answered with HTTP 503 and Retry-After, so that
// clients and load balancers retry it instead of taking the error for
// the answer.

// retryAfterSeconds is what Retry-After says when the database is away.
const retryAfterSeconds = "5"

type unavailableKey struct{}

// markUnavailable records that the request's answer holds an
// UNAVAILABLE error; errorPresenter calls it.
func markUnavailable(ctx context.Context) {
	if flag, ok := ctx.Value(unavailableKey{}).(*atomic.Bool); ok {
		flag.Store(true)
	}
}

// withUnavailableStatus turns the status of an answer holding an
// UNAVAILABLE error into 503. gqlgen presents every error before it
// writes the answer, so the flag is set by the first write.
func withUnavailableStatus(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		flag := &atomic.Bool{}
		ctx := context.WithValue(r.Context(), unavailableKey{}, flag)
		next.ServeHTTP(&statusOnFlag{ResponseWriter: w, flag: flag}, r.WithContext(ctx))
	})
}

type statusOnFlag struct {
	http.ResponseWriter
	flag    *atomic.Bool
	written bool
}

func (s *statusOnFlag) WriteHeader(code int) {
	if !s.written {
		s.written = true
		if s.flag.Load() && code == http.StatusOK {
			s.Header().Set("Retry-After", retryAfterSeconds)
			code = http.StatusServiceUnavailable
		}
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusOnFlag) Write(b []byte) (int, error) {
	if !s.written {
		s.WriteHeader(http.StatusOK)
	}
	return s.ResponseWriter.Write(b)
}
