package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRemoveUploadOrphans(t *testing.T) {
	dir := t.TempDir()
	now := time.Now()
	write := func(name string, age time.Duration) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte("x"), 0o600))
		require.NoError(t, os.Chtimes(p, now.Add(-age), now.Add(-age)))
		return p
	}
	old := write("gqlgen-123", time.Hour)
	fresh := write("gqlgen-456", time.Minute) // an upload in progress
	other := write("notours-789", time.Hour)
	assert.Equal(t, 1, removeUploadOrphans(dir, now, slog.New(slog.DiscardHandler)))
	assert.NoFileExists(t, old)
	assert.FileExists(t, fresh)
	assert.FileExists(t, other)
}
