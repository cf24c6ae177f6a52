package graph_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/graph"
)

const testAudience = "databank-test"

// signingKey is an RSA key with its key id.
type signingKey struct {
	kid  string
	priv *rsa.PrivateKey
}

func newSigningKey(t *testing.T, kid string) signingKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	return signingKey{kid: kid, priv: k}
}

// sign makes a compact JWS of claims with k, the given header fields added.
func (k signingKey) sign(t *testing.T, claims map[string]any, header map[string]any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT")
	for name, v := range header {
		opts = opts.WithHeader(jose.HeaderKey(name), v)
	}
	s, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: k.priv, KeyID: k.kid}}, opts)
	require.NoError(t, err)
	payload, err := json.Marshal(claims)
	require.NoError(t, err)
	jws, err := s.Sign(payload)
	require.NoError(t, err)
	out, err := jws.CompactSerialize()
	require.NoError(t, err)
	return out
}

// unsigned makes a JWT with alg "none" and an empty signature.
func unsigned(claims map[string]any, header map[string]any) string {
	h := map[string]any{"alg": "none", "typ": "JWT"}
	for k, v := range header {
		h[k] = v
	}
	hb, _ := json.Marshal(h)
	cb, _ := json.Marshal(claims)
	return base64.RawURLEncoding.EncodeToString(hb) + "." + base64.RawURLEncoding.EncodeToString(cb) + "."
}

// issuer is a local OpenID Connect provider: discovery, a JWK set that
// tests change (key rotation), and a userinfo endpoint.
type issuer struct {
	srv        *httptest.Server
	mu         sync.Mutex
	keys       []signingKey
	jwksGets   atomic.Int64
	userinfo   map[string]map[string]any // bearer token → answer
	jwksPath   string
	extraPaths map[string][]signingKey // more JWK sets (visa issuers' jku)
}

func newIssuer(t *testing.T, keys ...signingKey) *issuer {
	t.Helper()
	is := &issuer{keys: keys, userinfo: map[string]map[string]any{}, jwksPath: "/jwks", extraPaths: map[string][]signingKey{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{"issuer": is.srv.URL, "jwks_uri": is.srv.URL + "/jwks",
			"userinfo_endpoint": is.srv.URL + "/userinfo", "id_token_signing_alg_values_supported": []string{"RS256"}})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, _ *http.Request) {
		is.jwksGets.Add(1)
		is.mu.Lock()
		defer is.mu.Unlock()
		writeJWKS(w, is.keys)
	})
	mux.HandleFunc("GET /visa-jwks/{name}", func(w http.ResponseWriter, r *http.Request) {
		is.mu.Lock()
		defer is.mu.Unlock()
		writeJWKS(w, is.extraPaths[r.PathValue("name")])
	})
	mux.HandleFunc("GET /userinfo", func(w http.ResponseWriter, r *http.Request) {
		is.mu.Lock()
		defer is.mu.Unlock()
		info, ok := is.userinfo[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
		if !ok {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		_ = json.NewEncoder(w).Encode(info)
	})
	is.srv = httptest.NewServer(mux)
	t.Cleanup(is.srv.Close)
	return is
}

func writeJWKS(w http.ResponseWriter, keys []signingKey) {
	var set jose.JSONWebKeySet
	for _, k := range keys {
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: &k.priv.PublicKey, KeyID: k.kid, Algorithm: "RS256", Use: "sig"})
	}
	_ = json.NewEncoder(w).Encode(set)
}

func (is *issuer) setKeys(keys ...signingKey) {
	is.mu.Lock()
	defer is.mu.Unlock()
	is.keys = keys
}

// claims are an access token's usual claims, valid for an hour.
func (is *issuer) claims(sub string) map[string]any {
	now := time.Now()
	return map[string]any{"iss": is.srv.URL, "sub": sub, "aud": testAudience, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix()}
}

func newOIDC(t *testing.T, is *issuer, trusted []graph.TrustedVisaIssuer, userinfo bool) *graph.OIDCAuth {
	t.Helper()
	return newOIDCAt(t, is, trusted, userinfo, time.Now)
}

// newOIDCAt is newOIDC with the clock now, which decides when the keys
// are refreshed (every 300 ms of it) and whether tokens are current.
func newOIDCAt(t *testing.T, is *issuer, trusted []graph.TrustedVisaIssuer, userinfo bool, now func() time.Time) *graph.OIDCAuth {
	t.Helper()
	a, err := graph.NewOIDCAuth(graph.OIDCConfig{Issuers: []string{is.srv.URL}, Audience: testAudience, Userinfo: userinfo, TrustedVisaIssuers: trusted,
		KeyRefresh: 300 * time.Millisecond, Now: now})
	require.NoError(t, err)
	return a
}

// testClock is a clock only the test moves, from the real time it was
// made at.
type testClock struct {
	start  time.Time
	offset atomic.Int64
}

func newTestClock() *testClock               { return &testClock{start: time.Now()} }
func (c *testClock) now() time.Time          { return c.start.Add(time.Duration(c.offset.Load())) }
func (c *testClock) advance(d time.Duration) { c.offset.Add(int64(d)) }

func with(m map[string]any, kv ...any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
			continue
		}
		out[kv[i].(string)] = kv[i+1]
	}
	return out
}

func TestOIDCBearerJWTs(t *testing.T) {
	key := newSigningKey(t, "k1")
	stranger := newSigningKey(t, "k1") // same key id, other key
	is := newIssuer(t, key)
	other := newIssuer(t, key) // a real issuer, but not configured
	auth := newOIDC(t, is, nil, false)
	c := is.claims("alice@lifescience-ri.eu")
	now := time.Now()

	tests := []struct {
		name  string
		token string
		want  string // part of the refusal, "" when accepted
	}{
		{"valid", key.sign(t, c, nil), ""},
		{"expired", key.sign(t, with(c, "exp", now.Add(-time.Minute).Unix()), nil), "invalid token: the token expired at"},
		{"not yet valid", key.sign(t, with(c, "nbf", now.Add(time.Hour).Unix()), nil), "invalid token: the token is not valid yet"},
		{"untrusted issuer", key.sign(t, with(c, "iss", other.srv.URL), nil), "issuer \"" + other.srv.URL + "\" is not trusted"},
		{"wrong audience", key.sign(t, with(c, "aud", "another-client"), nil), "invalid token: the token is not meant for this service"},
		{"bad signature", stranger.sign(t, c, nil), "invalid token: the signature does not verify"},
		{"alg none", unsigned(c, nil), "invalid token: malformed JWT, or one not signed with an accepted algorithm"},
		{"tampered payload", tamper(key.sign(t, c, nil), with(c, "sub", "mallory")), "invalid token: the signature does not verify"},
		{"no subject", key.sign(t, with(c, "sub", nil), nil), "no subject"},
		{"no expiry", key.sign(t, with(c, "exp", nil), nil), "expired"},
		{"not JSON", "a.b.c", "malformed JWT"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, ok, err := auth.Bearer(context.Background(), tt.token)
			if tt.want == "" {
				require.NoError(t, err)
				assert.True(t, ok)
				assert.Equal(t, domain.Actor{Name: "alice@lifescience-ri.eu", Role: domain.RoleResearcher, Via: domain.ViaOIDC,
					Subject: "alice@lifescience-ri.eu", Issuer: is.srv.URL, ExpiresAt: time.Unix(c["exp"].(int64), 0)}, a)
				return
			}
			require.Error(t, err)
			assert.False(t, ok)
			assert.Equal(t, domain.EUNAUTHORIZED, domain.ErrorCode(err))
			assert.Contains(t, domain.ErrorMessage(err), tt.want)
		})
	}
	_, ok, err := auth.Bearer(context.Background(), "dbk_notajwt")
	assert.False(t, ok, "not a JWT: the next authenticator's")
	assert.NoError(t, err)
}

// tamper replaces a JWS's payload, keeping its header and signature.
func tamper(jws string, claims map[string]any) string {
	parts := strings.Split(jws, ".")
	b, _ := json.Marshal(claims)
	return parts[0] + "." + base64.RawURLEncoding.EncodeToString(b) + "." + parts[2]
}

// An issuer rotates its keys: a token signed with a key id the cached set
// lacks makes the verifier fetch the set again, once.
func TestOIDCKeyRotation(t *testing.T) {
	old, next := newSigningKey(t, "2026-01"), newSigningKey(t, "2026-07")
	is := newIssuer(t, old)
	// the cached keys grow old when the test says so (advance), however
	// slow the machine
	clock := newTestClock()
	auth := newOIDCAt(t, is, nil, false, clock.now)
	c := is.claims("bob")
	for range 3 {
		_, ok, err := auth.Bearer(context.Background(), old.sign(t, c, nil))
		require.NoError(t, err)
		require.True(t, ok)
	}
	assert.Equal(t, int64(1), is.jwksGets.Load(), "keys are cached")
	is.setKeys(old, next)
	_, ok, err := auth.Bearer(context.Background(), next.sign(t, c, nil))
	require.NoError(t, err)
	assert.True(t, ok)
	assert.Equal(t, int64(2), is.jwksGets.Load(), "an unknown key id fetches the set again")
	is.setKeys(next)
	_, _, err = auth.Bearer(context.Background(), old.sign(t, c, nil))
	assert.NoError(t, err, "a retired key is trusted until the keys are refreshed")
	clock.advance(350 * time.Millisecond)
	_, _, err = auth.Bearer(context.Background(), old.sign(t, c, nil))
	assert.Equal(t, domain.EUNAUTHORIZED, domain.ErrorCode(err), "a retired key is refused once the keys are refreshed")
}

// An issuer that cannot be reached is a temporary failure (503), not a
// bad token, and later tokens are answered at once; an issuer that goes
// away after its keys were fetched goes on being served from them.
func TestOIDCIssuerUnreachable(t *testing.T) {
	key := newSigningKey(t, "k1")
	is := newIssuer(t, key)
	auth := newOIDC(t, is, nil, false)
	tok := key.sign(t, is.claims("carol"), nil)
	is.srv.Close()
	_, _, err := auth.Bearer(context.Background(), tok)
	assert.Equal(t, domain.EUNAVAILABLE, domain.ErrorCode(err), "%v", err)
	start := time.Now()
	_, _, err = auth.Bearer(context.Background(), tok)
	assert.Equal(t, domain.EUNAVAILABLE, domain.ErrorCode(err), "%v", err)
	assert.Less(t, time.Since(start), 100*time.Millisecond, "a failed discovery is not retried for every token")

	up := newIssuer(t, key)
	clock := newTestClock()
	auth = newOIDCAt(t, up, nil, false, clock.now)
	tok = key.sign(t, up.claims("carol"), nil)
	_, ok, err := auth.Bearer(context.Background(), tok)
	require.NoError(t, err)
	require.True(t, ok)
	up.srv.Close()
	clock.advance(350 * time.Millisecond) // past KeyRefresh: rediscovery fails
	_, ok, err = auth.Bearer(context.Background(), tok)
	assert.NoError(t, err, "the keys fetched before still serve")
	assert.True(t, ok)
}
