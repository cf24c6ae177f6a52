package graph

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"databank/domain"
)

// rateLimits holds a token bucket per identity (the actor's name, or the
// client's address without credentials): golang.org/x/time/rate, the Go
// team's limiter, rather than one of our own. Buckets idle for longer
// than it takes to refill are forgotten.
type rateLimits struct {
	every rate.Limit
	burst int
	mu    sync.Mutex
	byWho map[string]*bucket
	swept time.Time
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// withRateLimit allows each identity perSecond requests a second on
// average and burst at once; beyond, 429 with Retry-After saying when the
// next request will be accepted. perSecond <= 0 disables it.
func withRateLimit(perSecond float64, burst int, next http.Handler) http.Handler {
	if perSecond <= 0 {
		return next
	}
	if burst < 1 {
		burst = int(math.Ceil(perSecond))
	}
	rl := &rateLimits{every: rate.Limit(perSecond), burst: burst, byWho: map[string]*bucket{}}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		res := rl.reserve(identity(r), time.Now())
		if wait := res.Delay(); wait > 0 {
			res.Cancel()
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			writeError(w, http.StatusTooManyRequests, domain.Errorf(domain.ETOOMANY,
				"more than %g requests a second of yours (bursts of %d); retry in %s", perSecond, burst, wait.Round(time.Millisecond)))
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (rl *rateLimits) reserve(who string, now time.Time) *rate.Reservation {
	rl.mu.Lock()
	defer rl.mu.Unlock()
	refill := time.Duration(float64(rl.burst) / float64(rl.every) * float64(time.Second))
	if now.Sub(rl.swept) > refill {
		for k, b := range rl.byWho {
			if now.Sub(b.seen) > refill {
				delete(rl.byWho, k)
			}
		}
		rl.swept = now
	}
	b, ok := rl.byWho[who]
	if !ok {
		b = &bucket{lim: rate.NewLimiter(rl.every, rl.burst)}
		rl.byWho[who] = b
	}
	b.seen = now
	return b.lim.ReserveN(now, 1)
}

// identity names who a request counts against: its actor, or its
// client's address when it has none.
func identity(r *http.Request) string {
	if who := domain.ActorFrom(r.Context()).Name; who != "" {
		return who
	}
	return "addr:" + clientAddress(r)
}
