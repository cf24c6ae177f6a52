package graph_test

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/graph"
	"databank/service"
	"databank/store"
)

// With the database out of reach, a request is answered 503 with
// Retry-After and the code UNAVAILABLE, not 200 and INTERNAL.
func TestDatabaseUnavailable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0") // a port that refuses connections once closed
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	st, err := store.Open(context.Background(), "postgres://nobody@"+addr+"/none?sslmode=disable&connect_timeout=2", store.Options{})
	require.NoError(t, err)
	t.Cleanup(st.Close)
	h := graph.NewHandler(graph.Config{Services: service.New(st, service.Options{}), Auth: graph.NewTokenAuth(map[string]domain.Actor{
		readerToken: {Name: "rita", Role: domain.RoleResearcher},
	})})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	e := &env{t: t, server: srv}
	status, res := e.post(readerToken, "application/json", queryBody(`{ biobanks { nodes { code } } }`, nil))
	assert.Equal(t, http.StatusServiceUnavailable, status)
	require.NotEmpty(t, res.Errors)
	assert.Equal(t, "UNAVAILABLE", res.Errors[0].Extensions["code"])
	// the error names no internals
	assert.NotContains(t, res.Errors[0].Message, addr)
}

// Missing credentials are answered 401 with WWW-Authenticate, like wrong
// ones; the schema stays open to the explorer without them.
func TestMissingCredentialsAre401(t *testing.T) {
	e := newEnv(t)
	for _, tt := range []struct {
		query  string
		status int
	}{
		{`{ samples { totalCount } }`, http.StatusUnauthorized},
		{`{ __schema { queryType { name } } }`, http.StatusOK},
	} {
		req, err := http.NewRequest(http.MethodPost, e.server.URL, bytes.NewReader(queryBody(tt.query, nil)))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		assert.Equal(t, tt.status, res.StatusCode, tt.query)
		if tt.status == http.StatusUnauthorized {
			assert.Equal(t, `Bearer realm="databank"`, res.Header.Get("WWW-Authenticate"))
		}
	}
}

// countingBody counts the bytes a handler reads of a request body.
type countingBody struct{ n int }

func (c *countingBody) Read(p []byte) (int, error) {
	c.n += len(p)
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

// An upload without credentials is refused before its body is read,
// whatever the letter case of its content type.
func TestUploadRefusedUnread(t *testing.T) {
	st, err := store.Open(context.Background(), "postgres://nobody@127.0.0.1:1/none?sslmode=disable", store.Options{})
	require.NoError(t, err)
	t.Cleanup(st.Close)
	h := graph.NewHandler(graph.Config{Services: service.New(st, service.Options{}), Auth: graph.NewTokenAuth(map[string]domain.Actor{
		readerToken: {Name: "rita", Role: domain.RoleResearcher},
	})})
	for _, ct := range []string{"multipart/form-data; boundary=x", "Multipart/Form-Data; boundary=x", "MULTIPART/FORM-DATA; boundary=x"} {
		for _, token := range []string{"", readerToken} {
			body := &countingBody{}
			req := httptest.NewRequest(http.MethodPost, "/graphql", body)
			req.ContentLength = 1 << 30
			req.Header.Set("Content-Type", ct)
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			want := map[string]int{"": http.StatusUnauthorized, readerToken: http.StatusForbidden}[token]
			assert.Equal(t, want, rec.Code, "%s %q", ct, token)
			assert.Zero(t, body.n, "%s: the body was read", ct)
		}
	}
}
