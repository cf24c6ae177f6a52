package graph

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/url"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	jose "github.com/go-jose/go-jose/v4"
)

// TrustedVisaIssuer is one (iss, jku) pair whose GA4GH visas are
// believed: a visa must name both, and verify with a key of the JWK set
// at JKU.
type TrustedVisaIssuer struct {
	Issuer string
	JKU    string
}

// BonaFide is the value of the AcceptedTermsAndPolicies and
// ResearcherStatus visas of a registered researcher (Dyke et al. 2018).
const BonaFide = "https://doi.org/10.1038/s41431-018-0219-y"

// Visa types Databank reads (GA4GH Passport v1.2).
const (
	visaControlledAccessGrants   = "ControlledAccessGrants"
	visaAcceptedTermsAndPolicies = "AcceptedTermsAndPolicies"
	visaResearcherStatus         = "ResearcherStatus"
)

// passportVerifier checks the visas of a GA4GH passport one by one: a
// visa must be signed (never alg none) by a key of its jku, and (iss, jku)
// must be allowlisted before any key is fetched. An unverifiable, expired
// or conditional visa is ignored and logged; it never spoils the others.
type passportVerifier struct {
	ctx     context.Context // long-lived, carries the HTTP client
	refresh time.Duration
	log     *slog.Logger
	now     func() time.Time
	mu      sync.Mutex
	trusted map[TrustedVisaIssuer]*visaKeys
}

// visaKeys is the verifier of one trusted (iss, jku) pair, made afresh
// after the refresh period so that retired keys are dropped.
type visaKeys struct {
	verifier *oidc.IDTokenVerifier
	at       time.Time
}

func newPassportVerifier(ctx context.Context, trusted []TrustedVisaIssuer, refresh time.Duration, log *slog.Logger, now func() time.Time) *passportVerifier {
	p := &passportVerifier{ctx: ctx, refresh: refresh, log: log, now: now, trusted: map[TrustedVisaIssuer]*visaKeys{}}
	for _, t := range trusted {
		p.trusted[t] = nil // made on first use
	}
	return p
}

// verifier returns the verifier of a trusted pair; ok is false for a
// pair not on the allowlist (whose jku is never fetched).
func (p *passportVerifier) verifier(t TrustedVisaIssuer) (*oidc.IDTokenVerifier, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	k, ok := p.trusted[t]
	if !ok {
		return nil, false
	}
	if k == nil || time.Since(k.at) >= p.refresh {
		// A visa has no audience; its key set is the jku's, cached and
		// fetched again when a visa names an unknown key id.
		k = &visaKeys{at: time.Now(), verifier: oidc.NewVerifier(t.Issuer, oidc.NewRemoteKeySet(p.ctx, t.JKU),
			&oidc.Config{SkipClientIDCheck: true, SupportedSigningAlgs: SigningAlgorithms, Now: p.now})}
		p.trusted[t] = k
	}
	return k.verifier, true
}

// visaClaims is a visa's payload.
type visaClaims struct {
	IssuedAt int64 `json:"iat"`
	Visa     *struct {
		Type       string          `json:"type"`
		Asserted   int64           `json:"asserted"`
		Value      string          `json:"value"`
		Source     string          `json:"source"`
		By         string          `json:"by"`
		Conditions json.RawMessage `json:"conditions"`
	} `json:"ga4gh_visa_v1"`
}

// verify returns the datasets the passport's verified visas grant and
// whether they make a registered researcher.
func (p *passportVerifier) verify(ctx context.Context, visas []string) (grants []string, registered bool) {
	var terms, status bool
	for i, raw := range visas {
		c, ok := p.visa(ctx, i, raw)
		if !ok {
			continue
		}
		switch c.Visa.Type {
		case visaControlledAccessGrants:
			if d := grantedDataset(c.Visa.Value); d != "" && !slices.Contains(grants, d) {
				grants = append(grants, d)
			}
		case visaAcceptedTermsAndPolicies:
			terms = terms || c.Visa.Value == BonaFide
		case visaResearcherStatus:
			status = status || c.Visa.Value == BonaFide
		}
	}
	slices.Sort(grants)
	return grants, terms && status
}

// visa verifies the i-th visa and returns its claims; ok is false (and
// the reason logged, never the visa) when it must be ignored.
func (p *passportVerifier) visa(ctx context.Context, i int, raw string) (c visaClaims, ok bool) {
	ignore := func(reason string, args ...any) (visaClaims, bool) {
		p.log.InfoContext(ctx, "visa ignored", append([]any{"visa", i, "reason", reason}, args...)...)
		return visaClaims{}, false
	}
	algs := make([]jose.SignatureAlgorithm, len(SigningAlgorithms))
	for j, a := range SigningAlgorithms {
		algs[j] = jose.SignatureAlgorithm(a)
	}
	jws, err := jose.ParseSigned(raw, algs)
	if err != nil || len(jws.Signatures) != 1 {
		return ignore("unsigned, malformed, or signed with an algorithm not accepted")
	}
	jku, _ := jws.Signatures[0].Header.ExtraHeaders["jku"].(string)
	var unverified struct {
		Issuer string `json:"iss"`
	}
	if json.Unmarshal(jws.UnsafePayloadWithoutVerification(), &unverified) != nil {
		return ignore("payload is not JSON")
	}
	key := TrustedVisaIssuer{Issuer: unverified.Issuer, JKU: jku}
	v, trusted := p.verifier(key)
	if !trusted {
		return ignore("(iss, jku) not trusted", "iss", key.Issuer, "jku", key.JKU)
	}
	tok, err := v.Verify(ctx, raw)
	if err != nil {
		return ignore(jwtError(err).Error(), "iss", key.Issuer)
	}
	if err := tok.Claims(&c); err != nil || c.Visa == nil {
		return ignore("no ga4gh_visa_v1 claim", "iss", key.Issuer)
	}
	if c.IssuedAt > p.now().Add(time.Minute).Unix() {
		return ignore("issued in the future (iat)", "iss", key.Issuer)
	}
	if len(c.Visa.Conditions) > 0 && string(c.Visa.Conditions) != "null" {
		return ignore("has conditions, which Databank does not evaluate", "iss", key.Issuer, "type", c.Visa.Type)
	}
	return c, true
}

// grantedDataset is the dataset a ControlledAccessGrants value names: the
// value itself, or the last segment of a URL's path (REMS writes
// https://rems.example.org/catalogue-item/EGAD…).
func grantedDataset(value string) string {
	value = strings.TrimSpace(value)
	u, err := url.Parse(value)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return value
	}
	seg := path.Base(strings.TrimRight(u.Path, "/"))
	if seg == "." || seg == "/" {
		return ""
	}
	return seg
}
