package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/store"
	"databank/store/storetest"
)

func TestAuditExportCommand(t *testing.T) {
	url := storetest.New(t, store.Migrator{})
	secret, _, err := runCLI(t, url, "token", "create", "--role", "researcher", "--name", "auditor-test")
	require.NoError(t, err)
	cfg, err := loadConfig()
	require.NoError(t, err)
	log := slog.New(slog.DiscardHandler)
	db, closeDB, err := openDatabase(context.Background(), cfg, log)
	require.NoError(t, err)
	defer closeDB()
	for range 3 {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(`{"query":"{ biobanks { nodes { code } } }"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+strings.TrimSpace(secret))
		newMux(cfg, db, nil, nil, log).ServeHTTP(rec, req)
		require.Equal(t, http.StatusOK, rec.Code)
	}
	out, _, err := runCLI(t, url, "audit", "export", "--json", "--since", "2020-01-01")
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3)
	var ev map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &ev))
	assert.Equal(t, "biobanks", ev["operation"])
	assert.Equal(t, "allowed", ev["decision"])

	out, _, err = runCLI(t, url, "audit", "export", "--since", "2999-01-01")
	require.NoError(t, err)
	assert.Equal(t, 1, strings.Count(out, "\n"), "the header only")
	_, _, err = runCLI(t, url, "audit", "export", "--since", "yesterday")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--since")
}
