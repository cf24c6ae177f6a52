package graph

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
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
			h := withAudit(rec, slog.New(slog.DiscardHandler), 1<<20, tt.next)
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
