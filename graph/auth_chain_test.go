package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/graph"
	"databank/service"
	"databank/store"
	"databank/store/storetest"
)

// The server tries the tokens file, then API tokens, then OIDC JWTs, as a
// client (curl, or the explorer with a pasted "Authorization: Bearer"
// header) sends them; each refusal is a 401 saying what was wrong.
func TestAuthenticatorChain(t *testing.T) {
	ctx := domain.WithActor(context.Background(), domain.Actor{Name: "ada", Role: domain.RoleAdmin})
	st, err := store.Open(ctx, storetest.New(t, store.Migrator{}), store.Options{})
	require.NoError(t, err)
	t.Cleanup(st.Close)
	svc := service.New(st, service.Options{TokenCacheTTL: -1})
	_, err = svc.CreateBiobank(ctx, domain.Biobank{Code: "DNB", Name: "Danish National Biobank", Country: "DK"})
	require.NoError(t, err)
	_, apiToken, err := svc.CreateAPIToken(ctx, domain.APIToken{Name: "lims-sync", Role: domain.RoleStaff, Biobanks: []string{"DNB"}, ExpiresAt: time.Now().Add(time.Hour)})
	require.NoError(t, err)
	_, revokedToken, err := svc.CreateAPIToken(ctx, domain.APIToken{Name: "old-script", Role: domain.RoleStaff, Biobanks: []string{"DNB"}, ExpiresAt: time.Now().Add(time.Hour)})
	require.NoError(t, err)
	_, err = svc.RevokeAPIToken(ctx, "old-script")
	require.NoError(t, err)

	key := newSigningKey(t, "k1")
	is := newIssuer(t, key)
	jwt := key.sign(t, is.claims("alice"), nil)
	expired := key.sign(t, with(is.claims("alice"), "exp", time.Now().Add(-time.Hour).Unix()), nil)
	oidcAuth := newOIDC(t, is, nil, false)

	chain := graph.Chain{graph.NewTokenAuth(map[string]domain.Actor{readerToken: {Name: "rita", Role: domain.RoleResearcher}}),
		graph.APITokenAuth{Tokens: svc}, oidcAuth}
	srv := httptest.NewServer(graph.NewHandler(graph.Config{Services: svc, Auth: chain}))
	t.Cleanup(srv.Close)
	noOIDC := httptest.NewServer(graph.NewHandler(graph.Config{Services: svc, Auth: chain[:2]}))
	t.Cleanup(noOIDC.Close)

	const query = `{ biobanks(first: 5) { nodes { code } } }`
	tests := []struct {
		name, url, token string
		status           int
		message          string // of the refusal
	}{
		{"tokens file", srv.URL, readerToken, http.StatusOK, ""},
		{"API token", srv.URL, apiToken, http.StatusOK, ""},
		{"OIDC JWT", srv.URL, jwt, http.StatusOK, ""},
		{"revoked API token", srv.URL, revokedToken, http.StatusUnauthorized, `API token "old-script" was revoked on`},
		{"unknown API token", srv.URL, domain.NewAPITokenSecret(), http.StatusUnauthorized, "unknown API token"},
		{"expired JWT", srv.URL, expired, http.StatusUnauthorized, "invalid token: the token expired at"},
		{"JWT without OIDC", noOIDC.URL, jwt, http.StatusUnauthorized, "no OIDC issuer is configured"},
		{"unknown token", srv.URL, "0123456789abcdef0123", http.StatusUnauthorized, "unknown token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]any{"query": query})
			req, err := http.NewRequest(http.MethodPost, tt.url, bytes.NewReader(body))
			require.NoError(t, err)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tt.token)
			res, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			defer res.Body.Close()
			var out response
			require.NoError(t, json.NewDecoder(res.Body).Decode(&out))
			assert.Equal(t, tt.status, res.StatusCode)
			if tt.message == "" {
				require.Empty(t, out.Errors)
				assert.JSONEq(t, `{"biobanks":{"nodes":[{"code":"DNB"}]}}`, string(out.Data))
				return
			}
			require.Len(t, out.Errors, 1)
			assert.Contains(t, out.Errors[0].Message, tt.message)
			assert.Equal(t, "UNAUTHORIZED", out.Errors[0].Extensions["code"])
			assert.Contains(t, res.Header.Get("WWW-Authenticate"), `Bearer realm="databank"`)
		})
	}
}
