package service

import (
	"slices"
	"strings"
	"sync"
	"time"

	"databank/domain"
)

// rowScopeTTL is how long a reader's row scope is reused: a request's
// every row operation asks for it (a listing, then its batch lookups), and
// the approvals behind it change rarely. Approvals recorded or revoked
// through this process take effect at once (the cache is emptied);
// through another server, within rowScopeTTL.
const rowScopeTTL = time.Second

// maxRowScopes bounds the cached scopes; beyond it the cache starts over.
const maxRowScopes = 10000

// rowScopeCache remembers recent readers' row scopes, keyed by
// everything the scope depends on (scopeKey).
type rowScopeCache struct {
	mu      sync.Mutex
	entries map[string]rowScopeEntry
}

type rowScopeEntry struct {
	scope domain.RowScope
	at    time.Time
}

// scopeKey is what a's row scope depends on: who it is, its role, its
// biobanks and its visas' grants.
func scopeKey(a domain.Actor) string {
	bs, gs := slices.Clone(a.Biobanks), slices.Clone(a.DatasetGrants)
	slices.Sort(bs)
	slices.Sort(gs)
	return strings.Join([]string{a.Name, a.Issuer, a.Role, strings.Join(bs, ","), strings.Join(gs, ",")}, "\x00")
}

// get returns the cached scope of key, if fresh.
func (c *rowScopeCache) get(key string, now time.Time) (domain.RowScope, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || now.Sub(e.at) > rowScopeTTL {
		return domain.RowScope{}, false
	}
	return e.scope, true
}

// put remembers the scope of key.
func (c *rowScopeCache) put(key string, sc domain.RowScope, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil || len(c.entries) >= maxRowScopes {
		c.entries = map[string]rowScopeEntry{}
	}
	c.entries[key] = rowScopeEntry{scope: sc, at: now}
}

// reset forgets every scope (an approval was recorded or revoked).
func (c *rowScopeCache) reset() {
	c.mu.Lock()
	c.entries = nil
	c.mu.Unlock()
}
