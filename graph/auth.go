package graph

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strings"

	"databank/domain"
)

// Authenticator finds the actor of a request. It returns ok=false when
// the request carries no credentials, and an error when they are wrong.
type Authenticator interface {
	Authenticate(r *http.Request) (a domain.Actor, ok bool, err error)
}

// TokenAuth authenticates bearer tokens against a fixed table. Only
// SHA-256 digests of the tokens are kept in memory.
type TokenAuth struct {
	tokens []tokenEntry
}

type tokenEntry struct {
	digest [32]byte
	actor  domain.Actor
}

// NewTokenAuth returns an authenticator for the given token → actor table.
func NewTokenAuth(tokens map[string]domain.Actor) *TokenAuth {
	t := &TokenAuth{}
	for tok, a := range tokens {
		t.tokens = append(t.tokens, tokenEntry{digest: sha256.Sum256([]byte(tok)), actor: a})
	}
	return t
}

// Authenticate implements Authenticator; comparisons take constant time.
func (t *TokenAuth) Authenticate(r *http.Request) (domain.Actor, bool, error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return domain.Actor{}, false, nil
	}
	tok, found := strings.CutPrefix(h, "Bearer ")
	if !found || tok == "" {
		return domain.Actor{}, false, domain.Errorf(domain.EUNAUTHORIZED, "the Authorization header must be \"Bearer <token>\"")
	}
	d := sha256.Sum256([]byte(strings.TrimSpace(tok)))
	var match domain.Actor
	hit := 0
	for _, e := range t.tokens {
		if subtle.ConstantTimeCompare(d[:], e.digest[:]) == 1 {
			match, hit = e.actor, 1
		}
	}
	if hit == 0 {
		return domain.Actor{}, false, domain.Errorf(domain.EUNAUTHORIZED, "unknown token")
	}
	return match, true, nil
}

// WithAuth puts the request's actor into its context. Requests with bad
// credentials are refused outright; requests without any go on with no
// actor, and every resolver then denies them (introspection aside).
func WithAuth(auth Authenticator, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok, err := auth.Authenticate(r)
		if err != nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="databank"`)
			writeError(w, http.StatusUnauthorized, err)
			return
		}
		if ok {
			r = r.WithContext(domain.WithActor(r.Context(), a))
		}
		next.ServeHTTP(w, r)
	})
}

// writeError answers a request refused before GraphQL execution with a
// GraphQL-shaped error body.
func writeError(w http.ResponseWriter, status int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"errors": []any{map[string]any{
		"message": domain.ErrorMessage(err), "extensions": map[string]any{"code": domain.ErrorCode(err)}}}})
}
