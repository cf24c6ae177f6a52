package graph

import (
	"net/http"
	"strconv"
	"sync"

	"databank/domain"
)

// fairShare counts the requests each identity has in flight: the actor's
// name, or the client's address for requests without credentials.
type fairShare struct {
	max int
	mu  sync.Mutex
	n   map[string]int
}

// withFairShare lets one identity have at most max requests in flight;
// one more is refused at once with 429 and Retry-After, so that nobody
// can hold every worker and database connection while others wait.
func withFairShare(max int, next http.Handler) http.Handler {
	if max <= 0 {
		return next
	}
	f := &fairShare{max: max, n: map[string]int{}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		who := identity(r)
		if !f.enter(who) {
			w.Header().Set("Retry-After", "1")
			writeError(w, http.StatusTooManyRequests, domain.Errorf(domain.ETOOMANY,
				"more than %s requests of yours are in flight; wait for one to finish", strconv.Itoa(max)))
			return
		}
		defer f.leave(who)
		next.ServeHTTP(w, r)
	})
}

func (f *fairShare) enter(who string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n[who] >= f.max {
		return false
	}
	f.n[who]++
	return true
}

func (f *fairShare) leave(who string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n[who]--; f.n[who] <= 0 {
		delete(f.n, who)
	}
}
