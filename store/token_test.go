package store_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// A token's biobanks are kept by id: a renamed biobank keeps its tokens,
// and the lookup by digest reads the current codes in one statement.
func TestAPITokenBiobanksFollowRenames(t *testing.T) {
	st, ctx := newStore(t)
	f := newFixture(t, ctx, st)
	secret := domain.NewAPITokenSecret()
	tok, err := st.CreateAPIToken(ctx, domain.APIToken{Name: "lims", Role: domain.RoleStaff, Biobanks: []string{"DNB", "*"}, ExpiresAt: time.Now().Add(time.Hour)}, domain.APITokenDigest(secret))
	require.NoError(t, err)
	assert.Equal(t, []string{"*", "DNB"}, tok.Biobanks)
	assert.Equal(t, "tester", tok.CreatedBy)

	_, err = st.UpdateBiobank(ctx, f.biobank.ID, func(b *domain.Biobank) error { b.Code = "DNB2"; return nil })
	require.NoError(t, err)
	got, err := st.APITokenByDigest(ctx, domain.APITokenDigest(secret))
	require.NoError(t, err)
	assert.Equal(t, []string{"*", "DNB2"}, got.Biobanks)
	assert.Equal(t, tok.ID, got.ID)

	_, err = st.APITokenByDigest(ctx, domain.APITokenDigest(domain.NewAPITokenSecret()))
	assert.Equal(t, domain.ENOTFOUND, domain.ErrorCode(err))
	_, err = st.CreateAPIToken(ctx, domain.APIToken{Name: "other", Role: domain.RoleResearcher, ExpiresAt: time.Now().Add(time.Hour)}, domain.APITokenDigest(secret))
	assert.Equal(t, domain.ECONFLICT, domain.ErrorCode(err), "one secret, one token")
}
