package main

import (
	"bufio"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
	"github.com/spf13/cobra"

	"databank/domain"
)

// config is read from the environment; flags override it.
type config struct {
	DatabaseURL    string        `env:"DATABASE_URL"`
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
	MaxTokens        int   `env:"DATABANK_MAX_TOKENS"`
	MaxQueryBytes    int   `env:"DATABANK_MAX_QUERY_BYTES"`
	MaxFields        int   `env:"DATABANK_MAX_FIELDS"`
	MaxAliases       int   `env:"DATABANK_MAX_ALIASES"`
	MaxRootFields    int   `env:"DATABANK_MAX_ROOT_FIELDS"`
	MaxBodyBytes     int64 `env:"DATABANK_MAX_BODY_BYTES"`
	MaxInFlight      int   `env:"DATABANK_MAX_IN_FLIGHT" envDefault:"8"`
	MaxConnsPerActor int   `env:"DATABANK_MAX_CONNS_PER_ACTOR"`
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
		return c, fmt.Errorf("configuration: %w", err)
	}
	return c, nil
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

// readTokens reads a tokens file: one "TOKEN ROLE NAME" per line, blank
// lines and # comments ignored. Roles: researcher, staff, admin.
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
		if len(parts) != 3 {
			return nil, fmt.Errorf("tokens file %s:%d: want \"TOKEN ROLE NAME\"", path, line)
		}
		switch parts[1] {
		case domain.RoleResearcher, domain.RoleStaff, domain.RoleAdmin:
		default:
			return nil, fmt.Errorf("tokens file %s:%d: role %q is not researcher, staff or admin", path, line, parts[1])
		}
		if len(parts[0]) < 16 {
			return nil, fmt.Errorf("tokens file %s:%d: token is shorter than 16 characters", path, line)
		}
		out[parts[0]] = domain.Actor{Role: parts[1], Name: parts[2]}
	}
	return out, sc.Err()
}
