package service

import (
	"context"
	"sync"
	"time"

	"databank/domain"
)

type tokenStore interface {
	CreateAPIToken(ctx context.Context, t domain.APIToken, digest []byte) (domain.APIToken, error)
	APITokenByDigest(ctx context.Context, digest []byte) (domain.APIToken, error)
	APITokens(ctx context.Context, includeInactive bool) ([]domain.APIToken, error)
	RevokeAPIToken(ctx context.Context, name string) (domain.APIToken, error)
	TouchAPIToken(ctx context.Context, id string) error
	ListenTokens(ctx context.Context, listening func(), revoked func(id string)) error
}

// DefaultTokenCacheTTL is how long a looked-up API token is trusted
// without asking the database again. A token revoked by another process
// (the command line) is refused as soon as the revocation's announcement
// arrives (WatchTokens), and at most this long after where announcements
// do not get through.
const DefaultTokenCacheTTL = 5 * time.Second

// lastUsedResolution is how stale an API token's last_used_at may be
// before a request records it again (one write a minute, not one a
// request).
const lastUsedResolution = time.Minute

// tokenCache keeps recently found API tokens by the digest of their
// secret. Only tokens found in the database are kept; each entry is
// checked for expiry on every use.
type tokenCache struct {
	ttl time.Duration // <= 0: no cache
	mu  sync.Mutex
	m   map[string]tokenCacheEntry
}

type tokenCacheEntry struct {
	token  domain.APIToken
	stored time.Time
}

func newTokenCache(ttl time.Duration) *tokenCache {
	return &tokenCache{ttl: ttl, m: map[string]tokenCacheEntry{}}
}

func (c *tokenCache) get(digest string, now time.Time) (domain.APIToken, bool) {
	if c.ttl <= 0 {
		return domain.APIToken{}, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[digest]
	if !ok || now.Sub(e.stored) >= c.ttl {
		delete(c.m, digest)
		return domain.APIToken{}, false
	}
	return e.token, true
}

func (c *tokenCache) put(digest string, t domain.APIToken, now time.Time) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= 10000 { // bounded: drop everything rather than grow
		clear(c.m)
	}
	c.m[digest] = tokenCacheEntry{token: t, stored: now}
}

// forget drops the token with id (revoked in this process: refused at
// once, not after the cache's lifetime).
func (c *tokenCache) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, e := range c.m {
		if e.token.ID == id {
			delete(c.m, k)
		}
	}
}

// clear drops every token: revocations may have been missed.
func (c *tokenCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.m)
}

// WatchTokens drops a revoked API token from the cache as soon as its
// revocation is announced (store.TokenChannel), by whatever process
// revoked it, until ctx ends; at each (re)connection it drops them all,
// since a revocation announced while it was not listening is lost. The
// cache's lifetime still bounds a token's trust where announcements do
// not get through (a connection pooler in transaction mode). Failures
// are logged and the connection made again.
func (s *Service) WatchTokens(ctx context.Context) {
	s.keepListening(ctx, "API tokens: not listening for revocations; trying again", func(listening func()) error {
		return s.store.ListenTokens(ctx,
			func() {
				listening()
				s.tokens.clear()
			},
			s.tokens.forget)
	})
}

// CreateAPIToken makes a token with a new secret and returns both; the
// store keeps only the secret's digest.
func (s *Service) CreateAPIToken(ctx context.Context, t domain.APIToken) (domain.APIToken, string, error) {
	type made struct {
		t      domain.APIToken
		secret string
	}
	m, err := run(ctx, s, "CreateAPIToken", func() (made, error) {
		secret := domain.NewAPITokenSecret()
		t.Biobanks = append([]string(nil), t.Biobanks...)
		out, err := s.store.CreateAPIToken(ctx, t, domain.APITokenDigest(secret))
		if err != nil {
			return made{}, err
		}
		s.log.InfoContext(ctx, "API token created", "name", out.Name, "role", out.Role, "by", domain.ActorFrom(ctx).Name)
		return made{out, secret}, nil
	})
	return m.t, m.secret, err
}

// APITokens lists the tokens without their secrets (the store has none).
func (s *Service) APITokens(ctx context.Context, includeInactive bool) ([]domain.APIToken, error) {
	return run(ctx, s, "APITokens", func() ([]domain.APIToken, error) { return s.store.APITokens(ctx, includeInactive) })
}

// RevokeAPIToken revokes the token called name; this process refuses it
// at once, others as soon as the announcement reaches them (WatchTokens),
// within their cache's lifetime at most.
func (s *Service) RevokeAPIToken(ctx context.Context, name string) (domain.APIToken, error) {
	return run(ctx, s, "RevokeAPIToken", func() (domain.APIToken, error) {
		if name == "" {
			return domain.APIToken{}, domain.Errorf(domain.EINVALID, "the name of the token to revoke is required")
		}
		t, err := s.store.RevokeAPIToken(ctx, name)
		if t.ID != "" {
			s.tokens.forget(t.ID)
		}
		if err == nil {
			s.log.InfoContext(ctx, "API token revoked", "name", t.Name, "by", domain.ActorFrom(ctx).Name)
		}
		return t, err
	})
}

// AuthenticateAPIToken finds the token of secret (one indexed lookup, or
// the short cache) and returns its actor; an unknown, revoked or expired
// token is EUNAUTHORIZED with a message saying which. The secret itself
// is never logged.
func (s *Service) AuthenticateAPIToken(ctx context.Context, secret string) (domain.Actor, error) {
	return run(ctx, s, "AuthenticateAPIToken", func() (domain.Actor, error) {
		if !domain.IsAPITokenSecret(secret) {
			return domain.Actor{}, domain.Errorf(domain.EINVALID, "not an API token (they start with %q)", domain.APITokenPrefix)
		}
		digest := domain.APITokenDigest(secret)
		now := time.Now()
		t, ok := s.tokens.get(string(digest), now)
		if !ok {
			var err error
			t, err = s.store.APITokenByDigest(ctx, digest)
			if domain.ErrorCode(err) == domain.ENOTFOUND {
				return domain.Actor{}, domain.Errorf(domain.EUNAUTHORIZED, "unknown API token")
			}
			if err != nil {
				return domain.Actor{}, err
			}
			s.tokens.put(string(digest), t, now)
		}
		if err := t.Check(now); err != nil {
			return domain.Actor{}, err
		}
		if now.Sub(t.LastUsedAt) > lastUsedResolution {
			if err := s.store.TouchAPIToken(ctx, t.ID); err != nil {
				s.log.WarnContext(ctx, "recording an API token's use", "name", t.Name, "err", err)
			}
			t.LastUsedAt = now
			s.tokens.put(string(digest), t, now)
		}
		return t.Actor(), nil
	})
}
