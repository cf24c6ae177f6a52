package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// The registry listener checks its connection at every heartbeat, saying
// up to when every committed write has been announced, and still passes
// on the writes committed between its checks.
func TestListenRegistryHeartbeat(t *testing.T) {
	t.Parallel()
	st, ctx := newStore(t)
	changed := make(chan struct{}, 16)
	alive := make(chan time.Time, 64)
	const heartbeat = 50 * time.Millisecond
	stop := listenInBackground(t, ctx, func(ctx context.Context, listening func()) error {
		return st.ListenRegistry(ctx, heartbeat, listening,
			func() { changed <- struct{}{} },
			func(upTo time.Time) {
				select {
				case alive <- upTo:
				default:
				}
			})
	})
	var last time.Time
	for range 3 {
		select {
		case upTo := <-alive:
			assert.True(t, upTo.After(last), "each check says a later time")
			last = upTo
		case <-time.After(10 * time.Second):
			t.Fatal("no heartbeat")
		}
	}
	_, err := st.CreateBiobank(ctx, domain.Biobank{Code: "HBB", Name: "Heartbeat Biobank", Country: "SE"})
	require.NoError(t, err)
	committed := time.Now()
	select {
	case <-changed:
	case <-time.After(10 * time.Second):
		t.Fatal("a write committed between heartbeats was not announced")
	}
	for checked := false; !checked; {
		select {
		case upTo := <-alive:
			checked = upTo.After(committed) // checked again after the write
		case <-time.After(10 * time.Second):
			t.Fatal("no heartbeat after the write")
		}
	}
	stop()
}
