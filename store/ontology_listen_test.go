package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/ontology"
)

// A saved release is announced to listeners once its transaction commits
// and changes OntologyVersion; saving it unchanged does neither.
func TestSaveOntologyAnnouncesRelease(t *testing.T) {
	t.Parallel()
	st, ctx := newStore(t)
	v0, err := st.OntologyVersion(ctx)
	require.NoError(t, err)
	assert.Empty(t, v0, "no operator release yet")

	saved := make(chan string, 4)
	stop := listenInBackground(t, ctx, func(ctx context.Context, listening func()) error {
		return st.ListenOntologies(ctx, listening, func(system string) { saved <- system })
	})

	reg := ontology.NewRegistry()
	_, err = reg.Load(ontology.System{Name: "TEST", Version: "1"}, []ontology.Term{{Code: "1", Label: "root"}})
	require.NoError(t, err)
	require.NoError(t, st.SaveOntology(ctx, reg, "TEST", false))
	select {
	case system := <-saved:
		assert.Equal(t, "TEST", system)
	case <-time.After(10 * time.Second):
		t.Fatal("no announcement")
	}
	v1, err := st.OntologyVersion(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, v0, v1)

	require.NoError(t, st.SaveOntology(ctx, reg, "TEST", false))
	v2, err := st.OntologyVersion(ctx)
	require.NoError(t, err)
	assert.Equal(t, v1, v2, "an unchanged release")

	stop()
	assert.Empty(t, saved, "an unchanged release is not announced")
}

// listenInBackground runs listen (a store listener) on a goroutine until
// stop is called, and returns once it listens; stop requires that the
// listener ends without error when its context does.
func listenInBackground(t *testing.T, ctx context.Context, listen func(ctx context.Context, listening func()) error) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	listening := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- listen(ctx, func() { close(listening) }) }()
	select {
	case <-listening:
	case err := <-done:
		cancel()
		t.Fatalf("the listener ended before it listened: %v", err)
	}
	return func() {
		t.Helper()
		cancel()
		require.NoError(t, <-done, "a listener ends without error when its context does")
	}
}
