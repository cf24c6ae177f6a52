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

	listenCtx, stop := context.WithCancel(ctx)
	listening := make(chan struct{})
	saved := make(chan string, 4)
	done := make(chan error, 1)
	go func() {
		done <- st.ListenOntologies(listenCtx, func() { close(listening) }, func(system string) { saved <- system })
	}()
	<-listening

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
	require.NoError(t, <-done, "ListenOntologies ends without error when its context does")
	assert.Empty(t, saved, "an unchanged release is not announced")
}
