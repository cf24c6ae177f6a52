package graph

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// What the audit writes of a request's variables is bounded, whatever
// their shape: a long list, lists of lists, an object of many members
// and long keys each become one hash.
func TestAuditVariablesAreBounded(t *testing.T) {
	nest := func(depth, n int) any {
		var v any = 0.0
		for range depth {
			l := make([]any, n)
			for i := range l {
				l[i] = v
			}
			v = l
		}
		return v
	}
	members := map[string]any{}
	for i := range 5000 {
		members[fmt.Sprintf("key-%d", i)] = "v"
	}
	tests := []struct {
		name  string
		value any
		want  string
	}{
		{"a preview's barcodes", []any{strings.Repeat("b", 12), "c"}, `["sha256:`},
		{"100,000 barcodes", make([]any, 100000), "of 100000 items"},
		{"lists of lists", nest(3, 100), "of 100 items"},
		{"many members", members, "members"},
		{"a long key", map[string]any{strings.Repeat("k", 100): "v"}, `{"sha256:`},
	}
	// beyond the budget, the same request is written alike every time
	lists := map[string]any{}
	for i := range 11 {
		lists[fmt.Sprintf("l%d", i)] = nest(1, 100)
	}
	first, err := json.Marshal(hashValues(lists))
	require.NoError(t, err)
	for range 20 {
		again, err := json.Marshal(hashValues(lists))
		require.NoError(t, err)
		require.JSONEq(t, string(first), string(again))
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(hashValues(map[string]any{"v": tt.value}))
			require.NoError(t, err)
			assert.Less(t, len(b), 64<<10, "written: %d bytes", len(b))
			assert.Contains(t, string(b), tt.want)
			assert.NotContains(t, string(b), strings.Repeat("k", 100))
		})
	}
}

// A request refused before the limits read its body (here with 429, as
// the rate and in-flight limits do) has at most an anonymous client's
// body limit read and described by the audit, whoever sent it.
func TestAuditReadsLittleOfARefusedRequest(t *testing.T) {
	var stored []domain.AuditEvent
	rec := recorderFunc(func(ev domain.AuditEvent) error { stored = append(stored, ev); return nil })
	refuse := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusTooManyRequests) })
	h := withAudit(rec, slog.New(slog.DiscardHandler), Limits{MaxBodyBytes: 1 << 10, MaxSignedInBodyBytes: 1 << 20}, refuse)
	for _, size := range []int{20, 4 << 10} {
		list := make([]string, size)
		for i := range list {
			list[i] = "DNB-000001"
		}
		body, err := json.Marshal(map[string]any{"query": "query Q($l: [String!]) { biobanks { code } }", "operationName": "Q", "variables": map[string]any{"l": list}})
		require.NoError(t, err)
		r := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r = r.WithContext(domain.WithActor(r.Context(), domain.Actor{Name: "rita", Role: domain.RoleResearcher}))
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	require.Len(t, stored, 2)
	assert.Equal(t, "Q", stored[0].Operation, "within an anonymous client's limit: described")
	assert.Contains(t, stored[0].Variables, `"l":["sha256:`)
	assert.Equal(t, "anonymous", stored[1].Operation, "beyond it: not read")
	assert.Empty(t, stored[1].Variables)
}
