package main

import (
	"bufio"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
	"github.com/spf13/cobra"

	"databank/domain"
	"databank/graph"
)

// config is read from the environment; flags override it.
type config struct {
	DatabaseURL string `env:"DATABASE_URL"`
	// OwnerURL is the schema owner's connection, for migrations; the
	// application connects with DatabaseURL as a role that owns nothing.
	OwnerURL       string        `env:"DATABANK_OWNER_URL"`
	Addr           string        `env:"DATABANK_ADDR" envDefault:":8080"`
	PGDir          string        `env:"DATABANK_PG_DIR" envDefault:".databank/pg"`
	TokensFile     string        `env:"DATABANK_TOKENS_FILE"`
	LogFormat      string        `env:"DATABANK_LOG_FORMAT" envDefault:"text"`
	LogLevel       string        `env:"DATABANK_LOG_LEVEL" envDefault:"info"`
	MaxConns       int32         `env:"DATABANK_DB_MAX_CONNS" envDefault:"10"`
	RequestTimeout time.Duration `env:"DATABANK_REQUEST_TIMEOUT" envDefault:"30s"`
	MaxComplexity  int           `env:"DATABANK_MAX_COMPLEXITY" envDefault:"200000"`
	MaxDepth       int           `env:"DATABANK_MAX_DEPTH" envDefault:"12"`
	// limits checked before a query is validated (0: the default)
	MaxTokens        int     `env:"DATABANK_MAX_TOKENS"`
	MaxQueryBytes    int     `env:"DATABANK_MAX_QUERY_BYTES"`
	MaxFields        int     `env:"DATABANK_MAX_FIELDS"`
	MaxAliases       int     `env:"DATABANK_MAX_ALIASES"`
	MaxRootFields    int     `env:"DATABANK_MAX_ROOT_FIELDS"`
	MaxBodyBytes     int64   `env:"DATABANK_MAX_BODY_BYTES"`
	MaxSignedInBody  int64   `env:"DATABANK_MAX_SIGNED_IN_BODY_BYTES"`
	MaxInFlight      int     `env:"DATABANK_MAX_IN_FLIGHT" envDefault:"8"`
	RatePerSecond    float64 `env:"DATABANK_RATE" envDefault:"20"`
	RateBurst        int     `env:"DATABANK_RATE_BURST" envDefault:"60"`
	MaxConnsPerActor int     `env:"DATABANK_MAX_CONNS_PER_ACTOR"`
	// MinCount is the small-count threshold k (docs/access.md)
	MinCount int `env:"DATABANK_MIN_COUNT" envDefault:"5"`
	// CountIndex keeps discovery's counts in memory in serve (docs/discovery.md)
	CountIndex bool `env:"DATABANK_COUNT_INDEX" envDefault:"true"`
	// CountIndexInterval is the shortest time between two reads of the
	// registry into the count index
	CountIndexInterval time.Duration `env:"DATABANK_COUNT_INDEX_INTERVAL" envDefault:"10s"`
	// identities beyond the tokens file (docs/identity.md)
	OIDCIssuers            []string      `env:"DATABANK_OIDC_ISSUERS" envSeparator:","`
	OIDCAudience           string        `env:"DATABANK_OIDC_AUDIENCE"`
	OIDCUserinfo           bool          `env:"DATABANK_OIDC_USERINFO"`
	OIDCKeyRefresh         time.Duration `env:"DATABANK_OIDC_KEY_REFRESH" envDefault:"1h"`
	PassportTrustedIssuers []string      `env:"DATABANK_PASSPORT_TRUSTED_ISSUERS" envSeparator:","`
}

// commandConfig is the configuration of a command: the environment, then
// the command line (--pg-dir, a flag of every command, and --addr where
// the command has it).
func commandConfig(cmd *cobra.Command) (config, error) {
	cfg, err := loadConfig()
	if err != nil {
		return cfg, err
	}
	if f := cmd.Flags().Lookup("pg-dir"); f != nil && f.Changed {
		cfg.PGDir = f.Value.String()
	}
	if f := cmd.Flags().Lookup("addr"); f != nil && f.Changed {
		cfg.Addr = f.Value.String()
	}
	return cfg, nil
}

func loadConfig() (config, error) {
	var c config
	if err := env.Parse(&c); err != nil {
		return c, envError(err)
	}
	if _, _, err := c.oidc(nil); err != nil {
		return c, err
	}
	if c.MinCount < 2 {
		return c, fmt.Errorf("configuration: DATABANK_MIN_COUNT=%d: must be at least 2 (counts below it are suppressed; 5 by default)", c.MinCount)
	}
	if c.OwnerURL != "" && c.DatabaseURL == "" {
		return c, fmt.Errorf("configuration: DATABANK_OWNER_URL needs DATABASE_URL, the application's connection (the private cluster makes both roles itself)")
	}
	return c, nil
}

// oidc is the configuration of OIDC bearer JWTs and GA4GH passports; on is
// false when no issuer is configured (JWTs are then refused).
func (c config) oidc(log *slog.Logger) (cfg graph.OIDCConfig, on bool, err error) {
	var issuers []string
	for _, iss := range c.OIDCIssuers {
		if iss = strings.TrimSpace(iss); iss != "" {
			issuers = append(issuers, iss)
		}
	}
	var trusted []graph.TrustedVisaIssuer
	for _, pair := range c.PassportTrustedIssuers {
		if pair = strings.TrimSpace(pair); pair == "" {
			continue
		}
		iss, jku, ok := strings.Cut(pair, "=")
		iss, jku = strings.TrimSpace(iss), strings.TrimSpace(jku)
		if !ok || !isHTTPURL(iss) || !isHTTPURL(jku) {
			return cfg, false, fmt.Errorf("configuration: DATABANK_PASSPORT_TRUSTED_ISSUERS: %q is not ISSUER=JKU (two URLs)", pair)
		}
		trusted = append(trusted, graph.TrustedVisaIssuer{Issuer: iss, JKU: jku})
	}
	switch {
	case len(issuers) == 0 && (c.OIDCAudience != "" || len(trusted) > 0 || c.OIDCUserinfo):
		return cfg, false, fmt.Errorf("configuration: DATABANK_OIDC_AUDIENCE, DATABANK_OIDC_USERINFO and DATABANK_PASSPORT_TRUSTED_ISSUERS need DATABANK_OIDC_ISSUERS")
	case len(issuers) == 0:
		return cfg, false, nil
	case c.OIDCAudience == "":
		return cfg, false, fmt.Errorf("configuration: DATABANK_OIDC_ISSUERS needs DATABANK_OIDC_AUDIENCE (the client id tokens must name in aud)")
	}
	for _, iss := range issuers {
		if !isHTTPURL(iss) {
			return cfg, false, fmt.Errorf("configuration: DATABANK_OIDC_ISSUERS: %q is not an http(s) URL", iss)
		}
	}
	return graph.OIDCConfig{Issuers: issuers, Audience: c.OIDCAudience, Userinfo: c.OIDCUserinfo, TrustedVisaIssuers: trusted,
		KeyRefresh: c.OIDCKeyRefresh, Logger: log}, true, nil
}

func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

func (c config) logger() *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

// readTokens reads a tokens file: one "TOKEN ROLE NAME [BIOBANKS]" per
// line, blank lines and # comments ignored. Roles: researcher, staff,
// admin. BIOBANKS, comma-separated codes, binds a staff token to those
// biobanks; without it staff act for every biobank (the demo's).
func readTokens(path string) (map[string]domain.Actor, error) {
	f, err := os.Open(filepath.Clean(path))
	if err != nil {
		return nil, fmt.Errorf("tokens file: %w", err)
	}
	defer f.Close()
	out := map[string]domain.Actor{}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		parts := strings.Fields(text)
		if len(parts) != 3 && len(parts) != 4 {
			return nil, fmt.Errorf("tokens file %s:%d: want \"TOKEN ROLE NAME [BIOBANKS]\"", path, line)
		}
		if !slices.Contains(domain.Roles, parts[1]) {
			return nil, fmt.Errorf("tokens file %s:%d: role %q is not one of %s", path, line, parts[1], strings.Join(domain.Roles, ", "))
		}
		if len(parts[0]) < 16 {
			return nil, fmt.Errorf("tokens file %s:%d: token is shorter than 16 characters", path, line)
		}
		a := domain.Actor{Role: parts[1], Name: parts[2], Via: domain.ViaTokensFile}
		if a.Role == domain.RoleStaff {
			a.Biobanks = []string{domain.AllBiobanks}
			if len(parts) == 4 {
				a.Biobanks = strings.Split(strings.ToUpper(parts[3]), ",")
			}
		}
		out[parts[0]] = a
	}
	return out, sc.Err()
}

// envError names the environment variable a value of which could not be
// parsed (the library names the Go field), with the value's problem.
func envError(err error) error {
	var agg env.AggregateError
	if !errors.As(err, &agg) {
		return fmt.Errorf("configuration: %w", err)
	}
	msgs := make([]string, 0, len(agg.Errors))
	for _, e := range agg.Errors {
		var pe env.ParseError
		if errors.As(e, &pe) {
			f, _ := reflect.TypeFor[config]().FieldByName(pe.Name)
			msgs = append(msgs, fmt.Sprintf("%s: %s is not a valid %s", f.Tag.Get("env"), cause(pe.Err), pe.Type))
			continue
		}
		msgs = append(msgs, e.Error())
	}
	return fmt.Errorf("configuration: %s", strings.Join(msgs, "; "))
}

// cause is the innermost error's message (strconv's names the value).
func cause(err error) string {
	var ne *strconv.NumError
	if errors.As(err, &ne) {
		return strconv.Quote(ne.Num)
	}
	return err.Error()
}
