package graph

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// recorderFunc records audit events with a function.
type recorderFunc func(domain.AuditEvent) error

func (f recorderFunc) RecordAudit(_ context.Context, ev domain.AuditEvent) error { return f(ev) }

// An answer is sent only once its audit event is stored: when the audit
// cannot be written, a request that would return data gets 503 and none
// of the data; a refusal, which carries none, is still answered.
func TestAuditFailsClosed(t *testing.T) {
	data := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"data":{"donor":{"donorId":"D0001"}}}`))
	})
	refusal := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusUnauthorized, domain.Errorf(domain.EUNAUTHORIZED, "unknown token"))
	})
	partial := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { // one field failed, the other answered
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"errors":[{"message":"database away","extensions":{"code":"UNAVAILABLE"}}],"data":{"donor":{"donorId":"D0001"},"counts":null}}`))
	})
	var stored []domain.AuditEvent
	tests := []struct {
		name   string
		next   http.Handler
		err    error
		status int
		body   string
	}{
		{"stored: answered", data, nil, http.StatusOK, "D0001"},
		{"not stored: no data", data, errors.New("disk full"), http.StatusServiceUnavailable, "could not be audited"},
		{"not stored: a refusal still answered", refusal, errors.New("disk full"), http.StatusUnauthorized, "unknown token"},
		{"not stored: an error status with data is no refusal", partial, errors.New("disk full"), http.StatusServiceUnavailable, "could not be audited"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := recorderFunc(func(ev domain.AuditEvent) error {
				if tt.err == nil {
					stored = append(stored, ev)
				}
				return tt.err
			})
			h := withAudit(rec, slog.New(slog.DiscardHandler), Limits{MaxBodyBytes: 1 << 20}, tt.next)
			req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ donor(id: \"x\") { donorId } }","variables":{"id":"D0001"}}`))
			req.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			assert.Equal(t, tt.status, w.Code)
			assert.Contains(t, w.Body.String(), tt.body)
			if tt.err != nil {
				assert.NotContains(t, w.Body.String(), `"donorId":"D0001"`)
			}
		})
	}
	require.Len(t, stored, 1)
	assert.Equal(t, "donor", stored[0].Operation)
	assert.NotContains(t, stored[0].Variables, "D0001")
}

// A request is described alike whether the limits read it (and the audit
// takes what they read) or it was refused before they did (and the audit
// reads the body itself): its operation, the hash of its text and its
// variables, hashed.
func TestAuditDescribesRequestsRefusedBeforeTheLimits(t *testing.T) {
	const query = `query Q($d: ID) { donor(id: $d) { donorId } }`
	body := `{"query":"query Q($d: ID) { donor(id: $d) { donorId } }","operationName":"Q","variables":{"d":"D-secret-0001"}}`
	var stored []domain.AuditEvent
	rec := recorderFunc(func(ev domain.AuditEvent) error { stored = append(stored, ev); return nil })
	refused := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTooManyRequests) })
	answered := withLimits(Limits{}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	for name, next := range map[string]http.Handler{"refused before the limits": refused, "through the limits": answered} {
		r := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		withAudit(rec, slog.New(slog.DiscardHandler), Limits{MaxBodyBytes: 1 << 20}, next).ServeHTTP(httptest.NewRecorder(), r)
		require.NotEmpty(t, stored, name)
		ev := stored[len(stored)-1]
		assert.Equal(t, "Q", ev.Operation, name)
		sum := sha256.Sum256([]byte(query))
		assert.Equal(t, hex.EncodeToString(sum[:]), ev.QueryHash, name)
		assert.NotContains(t, ev.Variables, "D-secret-0001", name)
		assert.Contains(t, ev.Variables, `"d":"sha256:`, name)
	}
	require.Len(t, stored, 2)
	assert.Equal(t, stored[0].Variables, stored[1].Variables, "the same value hashes alike")
}

// What the audit records of a request is what the request sent, never
// what a sender placed where the limits stopped reading: a body over the
// limit without a Content-Length, ending in an innocent-looking request,
// is recorded without one; a GET that claims to be an upload is described
// by its query.
func TestAuditDescribesOnlyWhatWasSent(t *testing.T) {
	var stored []domain.AuditEvent
	rec := recorderFunc(func(ev domain.AuditEvent) error { stored = append(stored, ev); return nil })
	limits := Limits{MaxBodyBytes: 1 << 10}
	h := withAudit(rec, slog.New(slog.DiscardHandler), limits, withLimits(limits, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})))

	padded := strings.Repeat(" ", 1<<10+512) + `{"query":"query Innocent { biobanks { code } }","operationName":"Innocent"}`
	r := httptest.NewRequest(http.MethodPost, "/graphql", io.MultiReader(strings.NewReader(padded))) // no Content-Length
	r.ContentLength = -1
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code)
	require.Len(t, stored, 1)
	assert.NotEqual(t, "Innocent", stored[0].Operation)

	const query = `query Q { biobanks { code } }`
	r = httptest.NewRequest(http.MethodGet, "/graphql?query="+url.QueryEscape(query), nil)
	r.Header.Set("Content-Type", "multipart/form-data; boundary=x")
	h.ServeHTTP(httptest.NewRecorder(), r)
	require.Len(t, stored, 2)
	assert.Equal(t, "Q", stored[1].Operation)
	sum := sha256.Sum256([]byte(query))
	assert.Equal(t, hex.EncodeToString(sum[:]), stored[1].QueryHash)
}
