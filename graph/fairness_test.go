package graph

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"databank/domain"
)

// One identity gets at most max requests in flight; the next is refused
// with 429 and Retry-After while others' requests still pass.
func TestFairShare(t *testing.T) {
	release := make(chan struct{})
	var started sync.WaitGroup
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Slow") != "" {
			started.Done()
			<-release
		}
		w.WriteHeader(http.StatusOK)
	})
	h := withFairShare(2, slow)
	as := func(name string, slow bool) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "/graphql", nil)
		if slow {
			r.Header.Set("X-Slow", "1")
		}
		return r.WithContext(domain.WithActor(r.Context(), domain.Actor{Name: name, Role: domain.RoleResearcher}))
	}
	var done sync.WaitGroup
	started.Add(2)
	for range 2 {
		done.Add(1)
		go func() { defer done.Done(); h.ServeHTTP(httptest.NewRecorder(), as("rita", true)) }()
	}
	started.Wait()
	refused := httptest.NewRecorder()
	h.ServeHTTP(refused, as("rita", false))
	assert.Equal(t, http.StatusTooManyRequests, refused.Code)
	assert.Equal(t, "1", refused.Header().Get("Retry-After"))
	assert.Contains(t, refused.Body.String(), domain.ETOOMANY)
	other := httptest.NewRecorder()
	h.ServeHTTP(other, as("sam", false))
	assert.Equal(t, http.StatusOK, other.Code)
	close(release)
	done.Wait()
	again := httptest.NewRecorder()
	h.ServeHTTP(again, as("rita", false))
	assert.Equal(t, http.StatusOK, again.Code)
}
