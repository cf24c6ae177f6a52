package domain

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"regexp"
	"slices"
	"strings"
	"time"
)

// APITokenPrefix starts every API token, so that a leaked one is
// recognisable (secret scanners) and the server knows which check to run.
const APITokenPrefix = "dbk_"

// MaxAPITokenLifetime bounds how long an API token may live; every token
// expires.
const MaxAPITokenLifetime = 366 * 24 * time.Hour

// APIToken is a bearer credential for a script, the command line or a
// federation client, made by an admin. Only the SHA-256 digest of its
// secret is stored; the secret is shown once, when the token is made.
type APIToken struct {
	ID       string
	Name     string // unique, e.g. "lims-sync"; the actor is "token:<name>"
	Role     string
	Biobanks []string // codes of the biobanks it acts for; AllBiobanks: every one
	// CreatedBy is the admin who made it; RevokedBy who revoked it.
	CreatedBy  string
	CreatedAt  time.Time
	ExpiresAt  time.Time
	RevokedAt  time.Time // zero: not revoked
	RevokedBy  string
	LastUsedAt time.Time // zero: never used (updated at most once a minute)
}

var apiTokenNamePattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,62}$`)

// Validate normalises t (trimmed name, upper-case biobank codes, sorted
// without duplicates) and records every field error in v. A staff token
// needs at least one biobank; researchers' and admins' tokens take none.
func (t *APIToken) Validate(v *Validation) {
	t.Name = strings.TrimSpace(t.Name)
	t.Role = strings.TrimSpace(t.Role)
	for i, b := range t.Biobanks {
		t.Biobanks[i] = strings.ToUpper(strings.TrimSpace(b))
	}
	slices.Sort(t.Biobanks)
	t.Biobanks = slices.Compact(t.Biobanks)
	if v.Required("name", t.Name) && !apiTokenNamePattern.MatchString(t.Name) {
		v.Fail("name", t.Name, "must be 2-63 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")
	}
	if v.Required("role", t.Role) && !slices.Contains(Roles, t.Role) {
		v.Fail("role", t.Role, "must be one of %s", strings.Join(Roles, ", "))
	}
	switch {
	case t.Role == RoleStaff && len(t.Biobanks) == 0:
		v.Fail("biobanks", "", "a staff token acts for named biobanks (or %q for every one)", AllBiobanks)
	case (t.Role == RoleResearcher || t.Role == RoleAdmin) && len(t.Biobanks) > 0:
		v.Fail("biobanks", strings.Join(t.Biobanks, ","), "only staff and federation tokens are bound to biobanks")
	}
	for _, b := range t.Biobanks {
		if b != AllBiobanks && !biobankCodePattern.MatchString(b) {
			v.Fail("biobanks", b, "is not a biobank code")
		}
	}
	now := v.Now()
	switch {
	case t.ExpiresAt.IsZero():
		v.Fail("expiresAt", "", "is required: every token expires")
	case !t.ExpiresAt.After(now):
		v.Fail("expiresAt", t.ExpiresAt.Format(time.RFC3339), "must be in the future")
	case t.ExpiresAt.Sub(now) > MaxAPITokenLifetime+time.Minute:
		v.Fail("expiresAt", t.ExpiresAt.Format(time.RFC3339), "must be within %d days", int(MaxAPITokenLifetime.Hours()/24))
	}
}

// Check refuses a revoked or expired token with EUNAUTHORIZED, naming it
// and when it stopped working.
func (t APIToken) Check(now time.Time) error {
	switch {
	case !t.RevokedAt.IsZero():
		return Errorf(EUNAUTHORIZED, "API token %q was revoked on %s", t.Name, t.RevokedAt.UTC().Format(time.RFC3339))
	case !now.Before(t.ExpiresAt):
		return Errorf(EUNAUTHORIZED, "API token %q expired on %s", t.Name, t.ExpiresAt.UTC().Format(time.RFC3339))
	}
	return nil
}

// Actor is the identity a request made with t acts as.
func (t APIToken) Actor() Actor {
	return Actor{Name: "token:" + t.Name, Role: t.Role, Via: ViaAPIToken, Subject: t.ID,
		Biobanks: slices.Clone(t.Biobanks), ExpiresAt: t.ExpiresAt}
}

// NewAPITokenSecret returns a new secret: the prefix and 32 random bytes
// (base64url), so that a single SHA-256 digest of it is safe to store.
func NewAPITokenSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return APITokenPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// IsAPITokenSecret reports whether s has the shape of an API token secret.
func IsAPITokenSecret(s string) bool {
	rest, ok := strings.CutPrefix(s, APITokenPrefix)
	if !ok || len(rest) != 43 {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(rest)
	return err == nil
}

// APITokenDigest is what the store keeps of a secret: its SHA-256.
func APITokenDigest(secret string) []byte {
	d := sha256.Sum256([]byte(secret))
	return d[:]
}
