package store_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Lookups of a short list of keys run on connections that keep one
// generic plan per statement; a long list (a withdrawal preview's) and
// everything else are planned for their values.
func TestLookupsByKeyKeepGenericPlans(t *testing.T) {
	st, ctx := newStore(t)
	for _, tt := range []struct {
		keys int
		want string
	}{
		{1, "force_generic_plan"},
		{500, "force_generic_plan"}, // a page's records
		{501, "auto"},
		{1000, "auto"}, // a withdrawal preview's chunk
		{100000, "auto"},
	} {
		t.Run(fmt.Sprint(tt.keys), func(t *testing.T) {
			mode, err := st.PlanCacheModeFor(ctx, tt.keys)
			require.NoError(t, err)
			assert.Equal(t, tt.want, mode)
		})
	}
}
