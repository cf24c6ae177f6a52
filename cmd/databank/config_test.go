package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// The command line wins over the environment, for every command.
func TestCommandConfigPrecedence(t *testing.T) {
	tests := []struct {
		name  string
		env   string
		args  []string
		pgDir string
		addr  string
	}{
		{"defaults", "", []string{"migrate"}, ".databank/pg", ":8080"},
		{"environment", "/env/pg", []string{"migrate"}, "/env/pg", ":8080"},
		{"flag beats environment", "/env/pg", []string{"ontology", "list", "--pg-dir", "/flag/pg"}, "/flag/pg", ":8080"},
		{"addr where the command has it", "", []string{"serve", "--addr", "127.0.0.1:9"}, ".databank/pg", "127.0.0.1:9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("DATABANK_PG_DIR", tt.env)
			if tt.env == "" {
				t.Setenv("DATABANK_PG_DIR", ".databank/pg")
			}
			t.Setenv("DATABANK_ADDR", ":8080")
			root := newRootCmd()
			cmd, rest, err := root.Find(tt.args)
			require.NoError(t, err)
			require.NoError(t, cmd.ParseFlags(rest))
			cfg, err := commandConfig(cmd)
			require.NoError(t, err)
			assert.Equal(t, tt.pgDir, cfg.PGDir)
			assert.Equal(t, tt.addr, cfg.Addr)
		})
	}
}

func TestTokensFileTakesEveryRole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tokens")
	require.NoError(t, os.WriteFile(path, []byte("federation-token-0123456789 federation lega\nadmin-token-0123456789ab admin ada\n"), 0o600))
	tokens, err := readTokens(path)
	require.NoError(t, err)
	assert.Equal(t, domain.RoleFederation, tokens["federation-token-0123456789"].Role)
	require.NoError(t, os.WriteFile(path, []byte("some-token-0123456789ab curator cora\n"), 0o600))
	_, err = readTokens(path)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `role "curator" is not one of researcher, staff, admin, federation`)
}

// DATABANK_MIN_COUNT sets the small-count threshold; below 2 nothing
// would be suppressed, so it is refused naming the variable.
func TestMinCountConfig(t *testing.T) {
	tests := []struct {
		value   string
		want    int
		wantErr string
	}{
		{"", 5, ""},
		{"10", 10, ""},
		{"2", 2, ""},
		{"1", 0, "DATABANK_MIN_COUNT=1: must be at least 2"},
		{"ten", 0, "DATABANK_MIN_COUNT"},
	}
	for _, tt := range tests {
		t.Run(tt.value, func(t *testing.T) {
			t.Setenv("DATABANK_MIN_COUNT", tt.value)
			if tt.value == "" {
				os.Unsetenv("DATABANK_MIN_COUNT")
			}
			cfg, err := loadConfig()
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, cfg.MinCount)
		})
	}
}
