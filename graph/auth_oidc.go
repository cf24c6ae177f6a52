package graph

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"

	"databank/domain"
)

// SigningAlgorithms are the JWS algorithms accepted for access tokens and
// visas: asymmetric ones only, so "none" and HMAC (HS256 with a public
// key as the secret) are refused before any key is looked at.
var SigningAlgorithms = []string{
	oidc.RS256, oidc.RS384, oidc.RS512, oidc.ES256, oidc.ES384, oidc.ES512, oidc.PS256, oidc.PS384, oidc.PS512, oidc.EdDSA,
}

// OIDCConfig configures the verification of OpenID Connect bearer JWTs
// (access tokens of e.g. Life Science Login or a hospital's identity
// provider) and of the GA4GH passports they carry.
type OIDCConfig struct {
	// Issuers are the trusted issuers, exactly as their tokens' iss claim
	// spells them; each publishes /.well-known/openid-configuration.
	Issuers []string
	// Audience must be among a token's aud (the client id Databank is
	// registered with at the issuer).
	Audience string
	// Userinfo: when a token carries no ga4gh_passport_v1 claim, fetch the
	// passport from the issuer's userinfo endpoint with the token.
	Userinfo bool
	// TrustedVisaIssuers are the (iss, jku) pairs whose visas are believed.
	TrustedVisaIssuers []TrustedVisaIssuer
	// Client makes the requests to issuers (discovery, keys, userinfo);
	// default: a client with a 10-second timeout.
	Client *http.Client
	Logger *slog.Logger
	// KeyRefresh is how long an issuer's discovery document and keys are
	// kept before they are fetched again (default 1 hour): a key the
	// issuer retired is trusted at most this long. Keys the cache lacks
	// are fetched at once, whatever this says.
	KeyRefresh time.Duration
	// Now is the clock (tests); default time.Now.
	Now func() time.Time
}

// OIDCAuth authenticates bearer JWTs of configured OpenID Connect issuers
// with github.com/coreos/go-oidc: the issuer's keys come from its JWKS
// (found by discovery, cached, and fetched again when a token names a key
// id the cache lacks, which is how issuers rotate keys); signature, iss,
// aud, exp and nbf are checked. Every verified token is a researcher;
// staff and admins use API tokens.
type OIDCAuth struct {
	cfg      OIDCConfig
	ctx      context.Context // long-lived, carries the HTTP client, for key fetches
	mu       sync.Mutex
	issuers  map[string]discovered
	failed   map[string]time.Time // issuer → when its discovery last failed
	passport *passportVerifier
	infos    *userinfoCache
}

// NewOIDCAuth returns the JWT authenticator of cfg. Issuers are
// discovered when their first token arrives (and again after a failed
// attempt), so an identity provider that is down does not stop the
// server from starting.
func NewOIDCAuth(cfg OIDCConfig) (*OIDCAuth, error) {
	if len(cfg.Issuers) == 0 {
		return nil, errors.New("graph: OIDC needs at least one issuer")
	}
	if cfg.Audience == "" {
		return nil, errors.New("graph: OIDC needs the audience (client id) its tokens must name")
	}
	if cfg.Client == nil {
		cfg.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.KeyRefresh <= 0 {
		cfg.KeyRefresh = time.Hour
	}
	ctx := oidc.ClientContext(context.Background(), cfg.Client)
	o := &OIDCAuth{cfg: cfg, ctx: ctx, issuers: map[string]discovered{}, failed: map[string]time.Time{},
		passport: newPassportVerifier(ctx, cfg.TrustedVisaIssuers, cfg.KeyRefresh, cfg.Logger, cfg.Now), infos: newUserinfoCache()}
	return o, nil
}

// Bearer implements Bearer for JWT-shaped tokens (three dot-separated
// parts).
func (o *OIDCAuth) Bearer(ctx context.Context, tok string) (domain.Actor, bool, error) {
	if !isJWT(tok) {
		return domain.Actor{}, false, nil
	}
	a, err := o.verify(ctx, tok)
	return a, err == nil, err
}

// accessClaims are the claims Databank reads from an access token.
type accessClaims struct {
	Subject  string    `json:"sub"`
	Passport *[]string `json:"ga4gh_passport_v1"`
}

func (o *OIDCAuth) verify(ctx context.Context, tok string) (domain.Actor, error) {
	iss, err := unverifiedIssuer(tok)
	if err != nil {
		return domain.Actor{}, err
	}
	if !slices.Contains(o.cfg.Issuers, iss) {
		return domain.Actor{}, domain.Errorf(domain.EUNAUTHORIZED, "invalid token: issuer %q is not trusted", iss)
	}
	v, err := o.verifier(ctx, iss)
	if err != nil {
		return domain.Actor{}, err
	}
	idt, err := v.Verify(ctx, tok)
	if err != nil {
		return domain.Actor{}, jwtError(err)
	}
	var c accessClaims
	if err := idt.Claims(&c); err != nil {
		return domain.Actor{}, domain.Errorf(domain.EUNAUTHORIZED, "invalid token: its claims are not JSON")
	}
	if c.Subject == "" {
		return domain.Actor{}, domain.Errorf(domain.EUNAUTHORIZED, "invalid token: it has no subject (sub)")
	}
	a := domain.Actor{Name: c.Subject, Role: domain.RoleResearcher, Via: domain.ViaOIDC, Subject: c.Subject, Issuer: iss, ExpiresAt: idt.Expiry}
	var visas []string
	switch {
	case c.Passport != nil:
		visas = *c.Passport
	case o.cfg.Userinfo:
		visas, err = o.fetchPassport(ctx, iss, tok, c.Subject, idt.Expiry)
		if err != nil {
			return domain.Actor{}, err
		}
	}
	a.DatasetGrants, a.Registered = o.passport.verify(ctx, visas)
	return a, nil
}

// discovered is what discovery found of an issuer.
type discovered struct {
	verifier *oidc.IDTokenVerifier
	userinfo string // the userinfo endpoint
	at       time.Time
}

// discoveryRetry is how long after a failed discovery tokens of that
// issuer are answered 503 at once, rather than each waiting for the
// provider again.
const discoveryRetry = 5 * time.Second

// verifier returns the verifier of iss, discovering the issuer the first
// time and again after KeyRefresh by the configured clock (a fresh
// verifier has a fresh key set).
// While a refresh fails, the keys found before go on serving.
func (o *OIDCAuth) verifier(ctx context.Context, iss string) (*oidc.IDTokenVerifier, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	d, known := o.issuers[iss]
	if known && o.cfg.Now().Sub(d.at) < o.cfg.KeyRefresh {
		return d.verifier, nil
	}
	unreachable := func(err error) error {
		return &domain.Error{Code: domain.EUNAVAILABLE, Message: fmt.Sprintf("the identity provider %s cannot be reached; retry later", iss), Err: err}
	}
	if t, ok := o.failed[iss]; ok && o.cfg.Now().Sub(t) < discoveryRetry {
		if known {
			return d.verifier, nil
		}
		return nil, unreachable(nil)
	}
	dctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, o.cfg.Client), 10*time.Second)
	defer cancel()
	p, err := oidc.NewProvider(dctx, iss)
	if err != nil {
		o.failed[iss] = o.cfg.Now()
		o.cfg.Logger.Warn("OIDC discovery failed", "issuer", iss, "err", err)
		if known {
			return d.verifier, nil
		}
		return nil, unreachable(err)
	}
	delete(o.failed, iss)
	v := p.VerifierContext(o.ctx, &oidc.Config{ClientID: o.cfg.Audience, SupportedSigningAlgs: SigningAlgorithms, Now: o.cfg.Now})
	o.issuers[iss] = discovered{verifier: v, userinfo: p.UserInfoEndpoint(), at: o.cfg.Now()}
	return v, nil
}

// unverifiedIssuer reads the iss claim of a JWT before it is verified,
// only to choose the issuer whose keys must verify it.
func unverifiedIssuer(tok string) (string, error) {
	parts := strings.Split(tok, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	var c struct {
		Issuer string `json:"iss"`
	}
	if err != nil || json.Unmarshal(payload, &c) != nil {
		return "", domain.Errorf(domain.EUNAUTHORIZED, "invalid token: malformed JWT")
	}
	if c.Issuer == "" {
		return "", domain.Errorf(domain.EUNAUTHORIZED, "invalid token: it names no issuer (iss)")
	}
	return c.Issuer, nil
}

// jwtError turns go-oidc's verification errors into messages a client can
// act on: what was wrong with the token, never a key or the token itself.
func jwtError(err error) error {
	var exp *oidc.TokenExpiredError
	msg := err.Error()
	switch {
	case errors.As(err, &exp):
		msg = "the token expired at " + exp.Expiry.UTC().Format(time.RFC3339)
	case strings.Contains(msg, "fetching keys"):
		return &domain.Error{Code: domain.EUNAVAILABLE, Message: "the identity provider's keys cannot be fetched; retry later", Err: err}
	case strings.Contains(msg, "malformed jwt"):
		msg = "malformed JWT, or one not signed with an accepted algorithm (" + strings.Join(SigningAlgorithms, ", ") + ")"
	case strings.Contains(msg, "failed to verify signature"):
		msg = "the signature does not verify with the issuer's keys"
	case strings.Contains(msg, "expected audience"):
		msg = "the token is not meant for this service (wrong audience)"
	case strings.Contains(msg, "nbf"):
		msg = "the token is not valid yet (nbf)"
	case strings.Contains(msg, "different provider"):
		msg = "the token's issuer does not match"
	default:
		msg = strings.TrimPrefix(msg, "oidc: ")
	}
	return &domain.Error{Code: domain.EUNAUTHORIZED, Message: "invalid token: " + msg, Err: err}
}

// fetchPassport reads the ga4gh_passport_v1 claim from the issuer's
// userinfo endpoint, with the user's token; answers are cached by the
// token's digest until the token expires (at most 5 minutes).
func (o *OIDCAuth) fetchPassport(ctx context.Context, iss, tok, sub string, exp time.Time) ([]string, error) {
	key := sha256.Sum256([]byte(tok))
	now := o.cfg.Now()
	if visas, ok := o.infos.get(key, now); ok {
		return visas, nil
	}
	o.mu.Lock()
	endpoint := o.issuers[iss].userinfo
	o.mu.Unlock()
	if endpoint == "" {
		return nil, nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return nil, domain.Internal(err, "graph: userinfo request")
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Accept", "application/json")
	res, err := o.cfg.Client.Do(req)
	if err != nil {
		return nil, &domain.Error{Code: domain.EUNAVAILABLE, Message: "the identity provider's userinfo endpoint cannot be reached; retry later", Err: err}
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, 1<<20))
	if err != nil {
		return nil, &domain.Error{Code: domain.EUNAVAILABLE, Message: "reading the userinfo answer failed; retry later", Err: err}
	}
	switch {
	case res.StatusCode == http.StatusUnauthorized || res.StatusCode == http.StatusForbidden:
		return nil, domain.Errorf(domain.EUNAUTHORIZED, "invalid token: the identity provider's userinfo endpoint refused it")
	case res.StatusCode != http.StatusOK:
		return nil, &domain.Error{Code: domain.EUNAVAILABLE, Message: fmt.Sprintf("the userinfo endpoint answered %d; retry later", res.StatusCode)}
	}
	var info struct {
		Subject  string   `json:"sub"`
		Passport []string `json:"ga4gh_passport_v1"`
	}
	if err := json.Unmarshal(body, &info); err != nil {
		return nil, domain.Errorf(domain.EUNAUTHORIZED, "invalid token: the userinfo answer is not JSON")
	}
	if info.Subject != sub {
		return nil, domain.Errorf(domain.EUNAUTHORIZED, "invalid token: userinfo is about another subject")
	}
	until := now.Add(5 * time.Minute)
	if exp.Before(until) {
		until = exp
	}
	o.infos.put(key, info.Passport, until)
	return info.Passport, nil
}

// userinfoCache keeps passports fetched from userinfo endpoints by the
// digest of the token they were fetched with.
type userinfoCache struct {
	mu sync.Mutex
	m  map[[32]byte]userinfoEntry
}

type userinfoEntry struct {
	visas []string
	until time.Time
}

func newUserinfoCache() *userinfoCache { return &userinfoCache{m: map[[32]byte]userinfoEntry{}} }

func (c *userinfoCache) get(key [32]byte, now time.Time) ([]string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || !now.Before(e.until) {
		delete(c.m, key)
		return nil, false
	}
	return e.visas, true
}

func (c *userinfoCache) put(key [32]byte, visas []string, until time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= 10000 {
		clear(c.m)
	}
	c.m[key] = userinfoEntry{visas: visas, until: until}
}
