package graph

import (
	"context"
	"net/http"
	"sync/atomic"

	"databank/domain"
)

// Some errors decide the HTTP status of the whole answer, so that clients
// and load balancers act on them without reading the body: UNAVAILABLE
// (the database is down or restarting) is 503 with Retry-After, to be
// retried; UNAUTHORIZED (no credentials where they are needed) is 401
// with WWW-Authenticate, like wrong credentials; an operation refused for
// its cost or depth is 400, like a request refused by the other limits.

// retryAfterSeconds is what Retry-After says when the database is away.
const retryAfterSeconds = "5"

// answerStatus orders the statuses an answer can take: a higher one wins.
var answerStatus = map[string]int{
	domain.EUNAVAILABLE:         http.StatusServiceUnavailable,
	domain.EUNAUTHORIZED:        http.StatusUnauthorized,
	"COMPLEXITY_LIMIT_EXCEEDED": http.StatusBadRequest, // refused before it ran, like the other limits
	"DEPTH_LIMIT_EXCEEDED":      http.StatusBadRequest,
}

type statusKey struct{}

// markStatus records that the request's answer holds an error with code;
// errorPresenter calls it for every error it presents.
func markStatus(ctx context.Context, code string) {
	flag, ok := ctx.Value(statusKey{}).(*atomic.Int32)
	if !ok {
		return
	}
	s := int32(answerStatus[code])
	for {
		old := flag.Load()
		if s <= old || flag.CompareAndSwap(old, s) {
			return
		}
	}
}

// withAnswerStatus gives an answer the status its errors call for.
// gqlgen presents every error before it writes the answer, so the status
// is known by the first write.
func withAnswerStatus(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		flag := &atomic.Int32{}
		ctx := context.WithValue(r.Context(), statusKey{}, flag)
		next.ServeHTTP(&statusOnFlag{ResponseWriter: w, flag: flag}, r.WithContext(ctx))
	})
}

type statusOnFlag struct {
	http.ResponseWriter
	flag    *atomic.Int32
	written bool
}

func (s *statusOnFlag) WriteHeader(code int) {
	if !s.written {
		s.written = true
		if want := int(s.flag.Load()); want != 0 && code == http.StatusOK {
			switch want {
			case http.StatusServiceUnavailable:
				s.Header().Set("Retry-After", retryAfterSeconds)
			case http.StatusUnauthorized:
				s.Header().Set("WWW-Authenticate", `Bearer realm="databank"`)
			}
			code = want
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
