package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/store"
	"databank/store/storetest"
)

// create, use, list, revoke: the secret is printed once and never again,
// and the server started by the commands' wiring accepts it until revoked.
func TestTokenCommands(t *testing.T) {
	url := storetest.New(t, store.Migrator{})
	_, _, err := runCLI(t, url, "import", "biobanks", "../../testdata/import/biobanks.csv")
	require.NoError(t, err)

	out, errOut, err := runCLI(t, url, "token", "create", "--role", "staff", "--biobank", "DNB", "--name", "lims-sync", "--expires", "90d")
	require.NoError(t, err)
	secret := strings.TrimSpace(out)
	require.True(t, domain.IsAPITokenSecret(secret), "stdout is the secret alone: %q", out)
	assert.Contains(t, errOut, "token lims-sync (staff for DNB) expires")
	assert.Contains(t, errOut, "only time it is shown")

	tests := []struct {
		name string
		args []string
		want string // part of the error
	}{
		{"staff without biobank", []string{"token", "create", "--role", "staff", "--name", "x1"}, "biobanks: a staff token acts for named biobanks"},
		{"unknown biobank", []string{"token", "create", "--role", "staff", "--biobank", "NOPE", "--name", "x2"}, "no such biobank"},
		{"bad lifetime", []string{"token", "create", "--role", "researcher", "--name", "x3", "--expires", "ninety"}, "--expires"},
		{"too long", []string{"token", "create", "--role", "researcher", "--name", "x4", "--expires", "400d"}, "must be within 366 days"},
		{"name taken", []string{"token", "create", "--role", "researcher", "--name", "lims-sync"}, "already exists"},
		{"revoke unknown", []string{"token", "revoke", "nope"}, "not found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := runCLI(t, url, tt.args...)
			require.Error(t, err)
			assert.Contains(t, userMessage(err), tt.want)
		})
	}

	// The server's wiring (tokens file, API tokens, OIDC) accepts it.
	query := func() int {
		t.Helper()
		cfg, err := loadConfig()
		require.NoError(t, err)
		log := slog.New(slog.DiscardHandler)
		db, closeDB, err := openDatabase(context.Background(), cfg, log)
		require.NoError(t, err)
		defer closeDB()
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ biobanks { nodes { code } } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+secret)
		newMux(cfg, db, nil, nil, log).ServeHTTP(rec, req)
		return rec.Code
	}
	assert.Equal(t, http.StatusOK, query())

	out, _, err = runCLI(t, url, "token", "list")
	require.NoError(t, err)
	assert.Contains(t, out, "lims-sync")
	assert.Regexp(t, `lims-sync\s+staff\s+DNB\s+\S+ \S+\s+cli\S*\s+\S+ \S+\s+\d{4}-\d\d-\d\d \d\d:\d\d\s+active`, out, "last use recorded")
	assert.NotContains(t, out, secret[len(domain.APITokenPrefix):len(domain.APITokenPrefix)+12], "a listing never shows a secret")

	out, _, err = runCLI(t, url, "token", "revoke", "lims-sync")
	require.NoError(t, err)
	assert.Contains(t, out, "token lims-sync revoked at")
	assert.Equal(t, http.StatusUnauthorized, query())

	out, _, err = runCLI(t, url, "token", "list")
	require.NoError(t, err)
	assert.NotContains(t, out, "lims-sync")
	out, _, err = runCLI(t, url, "token", "list", "--all")
	require.NoError(t, err)
	assert.Contains(t, out, "lims-sync")
	assert.Contains(t, out, "revoked")
}

func TestParseLifetime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{"90d", 90 * 24 * time.Hour, false},
		{"12h", 12 * time.Hour, false},
		{"1h30m", 90 * time.Minute, false},
		{"0d", 0, true},
		{"-5d", 0, true},
		{"d", 0, true},
		{"soon", 0, true},
	}
	for _, tt := range tests {
		got, err := parseLifetime(tt.in)
		assert.Equal(t, tt.err, err != nil, "%q: %v", tt.in, err)
		assert.Equal(t, tt.want, got, tt.in)
	}
}

func TestOIDCConfiguration(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		on   bool
		want string // part of the error
	}{
		{"none", nil, false, ""},
		{"issuer and audience", map[string]string{"DATABANK_OIDC_ISSUERS": "https://login.aai.lifescience-ri.eu/oidc/", "DATABANK_OIDC_AUDIENCE": "databank"}, true, ""},
		{"with visas", map[string]string{"DATABANK_OIDC_ISSUERS": "https://a.example/, https://b.example/", "DATABANK_OIDC_AUDIENCE": "databank",
			"DATABANK_PASSPORT_TRUSTED_ISSUERS": "https://rems.example.org/=https://rems.example.org/api/jwk"}, true, ""},
		{"no audience", map[string]string{"DATABANK_OIDC_ISSUERS": "https://a.example/"}, false, "needs DATABANK_OIDC_AUDIENCE"},
		{"visas without issuer", map[string]string{"DATABANK_PASSPORT_TRUSTED_ISSUERS": "https://rems.example.org/=https://rems.example.org/api/jwk"}, false, "need DATABANK_OIDC_ISSUERS"},
		{"bad pair", map[string]string{"DATABANK_OIDC_ISSUERS": "https://a.example/", "DATABANK_OIDC_AUDIENCE": "x",
			"DATABANK_PASSPORT_TRUSTED_ISSUERS": "https://rems.example.org/"}, false, "is not ISSUER=JKU"},
		{"issuer not a URL", map[string]string{"DATABANK_OIDC_ISSUERS": "login.example", "DATABANK_OIDC_AUDIENCE": "x"}, false, "not an http(s) URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			cfg, err := loadConfig()
			if tt.want != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.want)
				return
			}
			require.NoError(t, err)
			oc, on, err := cfg.oidc(nil)
			require.NoError(t, err)
			assert.Equal(t, tt.on, on)
			if tt.name == "with visas" {
				assert.Equal(t, []string{"https://a.example/", "https://b.example/"}, oc.Issuers)
				require.Len(t, oc.TrustedVisaIssuers, 1)
				assert.Equal(t, "https://rems.example.org/api/jwk", oc.TrustedVisaIssuers[0].JKU)
			}
		})
	}
}

// The tokens file keeps its format; an optional fourth column binds a
// staff token to biobanks, and without it staff act for every one.
func TestTokensFileScope(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tokens")
	require.NoError(t, os.WriteFile(path, []byte("# demo\nresearcher-token-0123456789 researcher rita\nstaff-token-0123456789ab staff sam\nscoped-token-0123456789ab staff lab dnb,FIN\n"), 0o600))
	tokens, err := readTokens(path)
	require.NoError(t, err)
	assert.Equal(t, domain.Actor{Name: "rita", Role: domain.RoleResearcher, Via: domain.ViaTokensFile}, tokens["researcher-token-0123456789"])
	assert.Equal(t, []string{domain.AllBiobanks}, tokens["staff-token-0123456789ab"].Biobanks)
	assert.Equal(t, []string{"DNB", "FIN"}, tokens["scoped-token-0123456789ab"].Biobanks)
}
