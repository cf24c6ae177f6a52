package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A file written whole keeps the mode of the one it replaces, a new one
// is private, and a path that is no regular file is written in place.
func TestOutFile(t *testing.T) {
	dir := t.TempDir()
	write := func(path, text string) {
		t.Helper()
		o, err := createOut(path)
		require.NoError(t, err)
		_, err = o.WriteString(text)
		require.NoError(t, err)
		require.NoError(t, o.commit())
	}
	fresh := filepath.Join(dir, "new.csv")
	write(fresh, "a\n")
	fi, err := os.Stat(fresh)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm(), "personal data: private by default")

	kept := filepath.Join(dir, "kept.csv")
	require.NoError(t, os.WriteFile(kept, []byte("old\n"), 0o640))
	require.NoError(t, os.Chmod(kept, 0o640))
	write(kept, "new\n")
	fi, err = os.Stat(kept)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o640), fi.Mode().Perm(), "the replaced file's mode")
	got, err := os.ReadFile(kept)
	require.NoError(t, err)
	assert.Equal(t, "new\n", string(got))

	// aborted: the earlier content stays, no partial file is left
	o, err := createOut(kept)
	require.NoError(t, err)
	_, _ = o.WriteString("half")
	o.abort()
	got, err = os.ReadFile(kept)
	require.NoError(t, err)
	assert.Equal(t, "new\n", string(got))
	left, err := filepath.Glob(filepath.Join(dir, ".*.partial"))
	require.NoError(t, err)
	assert.Empty(t, left)

	// not a regular file: written in place, nothing created beside it
	o, err = createOut(os.DevNull)
	require.NoError(t, err)
	assert.False(t, o.temp)
	_, err = o.WriteString("discarded")
	require.NoError(t, err)
	require.NoError(t, o.commit())
	left, err = filepath.Glob(filepath.Join(filepath.Dir(os.DevNull), "."+filepath.Base(os.DevNull)+".*"))
	require.NoError(t, err)
	assert.Empty(t, left)
}
