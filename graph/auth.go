package graph

import (
	"context"
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

// Bearer checks one kind of bearer token: the tokens file (TokenAuth),
// API tokens (APITokenAuth) or OIDC JWTs (OIDCAuth). It returns ok=false
// for a token that is not of its kind, so that the next one is tried, and
// an error for a token of its kind that it refuses.
type Bearer interface {
	Bearer(ctx context.Context, token string) (a domain.Actor, ok bool, err error)
}

// Chain authenticates "Authorization: Bearer TOKEN" with each Bearer in
// turn; the first that recognises the token decides. A token nobody
// recognises is refused.
type Chain []Bearer

// Authenticate implements Authenticator.
func (c Chain) Authenticate(r *http.Request) (domain.Actor, bool, error) {
	tok, present, err := bearerToken(r)
	if !present || err != nil {
		return domain.Actor{}, false, err
	}
	for _, b := range c {
		a, ok, err := b.Bearer(r.Context(), tok)
		if err != nil {
			return domain.Actor{}, false, err
		}
		if ok {
			return a, true, nil
		}
	}
	if isJWT(tok) {
		return domain.Actor{}, false, domain.Errorf(domain.EUNAUTHORIZED, "JWT bearer tokens are not accepted: no OIDC issuer is configured")
	}
	return domain.Actor{}, false, domain.Errorf(domain.EUNAUTHORIZED, "unknown token")
}

// bearerToken returns the token of the request's Authorization header;
// present is false without one.
func bearerToken(r *http.Request) (tok string, present bool, err error) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", false, nil
	}
	tok, found := strings.CutPrefix(h, "Bearer ")
	tok = strings.TrimSpace(tok)
	if !found || tok == "" {
		return "", true, domain.Errorf(domain.EUNAUTHORIZED, "the Authorization header must be \"Bearer <token>\"")
	}
	return tok, true, nil
}

// isJWT reports whether tok has the shape of a compact JWS: three
// dot-separated parts.
func isJWT(tok string) bool {
	return strings.Count(tok, ".") == 2
}

// TokenAuth authenticates bearer tokens against a fixed table (the tokens
// file). Only SHA-256 digests of the tokens are kept in memory.
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

// Authenticate implements Authenticator with this table alone.
func (t *TokenAuth) Authenticate(r *http.Request) (domain.Actor, bool, error) {
	return Chain{t}.Authenticate(r)
}

// Bearer implements Bearer; comparisons take constant time, and every
// entry is compared whether or not one matched.
func (t *TokenAuth) Bearer(_ context.Context, tok string) (domain.Actor, bool, error) {
	d := sha256.Sum256([]byte(tok))
	var match domain.Actor
	hit := 0
	for _, e := range t.tokens {
		if subtle.ConstantTimeCompare(d[:], e.digest[:]) == 1 {
			match, hit = e.actor, 1
		}
	}
	if hit == 0 {
		return domain.Actor{}, false, nil
	}
	if match.Via == "" {
		match.Via = domain.ViaTokensFile
	}
	return match, true, nil
}

// WithAuth puts the request's actor into its context. Requests with bad
// credentials are refused outright (401 with WWW-Authenticate; 503 with
// Retry-After when the credentials could not be checked because a
// database or identity provider is unreachable); requests without any go
// on with no actor, and every resolver then denies them (introspection
// aside).
func WithAuth(auth Authenticator, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok, err := auth.Authenticate(r)
		if err != nil {
			switch domain.ErrorCode(err) {
			case domain.EUNAVAILABLE, domain.ETIMEOUT:
				w.Header().Set("Retry-After", "5")
				writeError(w, http.StatusServiceUnavailable, err)
			case domain.EINTERNAL:
				writeError(w, http.StatusInternalServerError, err)
			default:
				w.Header().Set("WWW-Authenticate", `Bearer realm="databank", error="invalid_token"`)
				writeError(w, http.StatusUnauthorized, domain.Errorf(domain.EUNAUTHORIZED, "%s", domain.ErrorMessage(err)))
			}
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
