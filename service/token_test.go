package service_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/service"
	"databank/store"
	"databank/store/storetest"
)

// newTokenService returns services over a fresh database with biobank
// DNB, with the given cache lifetime, and an admin's context.
func newTokenService(t *testing.T, ttl time.Duration) (*service.Service, context.Context) {
	t.Helper()
	st, err := store.Open(context.Background(), storetest.New(t, store.Migrator{}), store.Options{})
	require.NoError(t, err)
	t.Cleanup(st.Close)
	svc := service.New(st, service.Options{TokenCacheTTL: ttl})
	ctx := domain.WithActor(context.Background(), domain.Actor{Name: "ada", Role: domain.RoleAdmin})
	_, err = svc.CreateBiobank(ctx, domain.Biobank{Code: "DNB", Name: "Danish National Biobank", Country: "DK"})
	require.NoError(t, err)
	return svc, ctx
}

func TestAPITokenLifecycle(t *testing.T) {
	svc, ctx := newTokenService(t, -1)
	anon := context.Background()
	tok, secret, err := svc.CreateAPIToken(ctx, domain.APIToken{Name: "lims-sync", Role: domain.RoleStaff, Biobanks: []string{"dnb"},
		ExpiresAt: time.Now().Add(90 * 24 * time.Hour)})
	require.NoError(t, err)
	assert.True(t, domain.IsAPITokenSecret(secret))
	assert.Equal(t, []string{"DNB"}, tok.Biobanks)
	assert.Equal(t, "ada", tok.CreatedBy)
	assert.True(t, tok.LastUsedAt.IsZero())

	a, err := svc.AuthenticateAPIToken(anon, secret)
	require.NoError(t, err)
	assert.Equal(t, domain.Actor{Name: "token:lims-sync", Role: domain.RoleStaff, Via: domain.ViaAPIToken, Subject: tok.ID,
		Biobanks: []string{"DNB"}, ExpiresAt: tok.ExpiresAt}, a)

	list, err := svc.APITokens(ctx, false)
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, "lims-sync", list[0].Name)
	assert.False(t, list[0].LastUsedAt.IsZero(), "the use was recorded")
	assert.NotContains(t, strings.ToLower(strings.Join(strings.Fields(fmtAll(list)), " ")), strings.ToLower(secret[4:]), "a listing never holds a secret")

	_, _, err = svc.CreateAPIToken(ctx, domain.APIToken{Name: "lims-sync", Role: domain.RoleResearcher, ExpiresAt: time.Now().Add(time.Hour)})
	assert.Equal(t, domain.ECONFLICT, domain.ErrorCode(err), "%v", err)

	revoked, err := svc.RevokeAPIToken(ctx, "lims-sync")
	require.NoError(t, err)
	assert.Equal(t, "ada", revoked.RevokedBy)
	_, err = svc.AuthenticateAPIToken(anon, secret)
	assert.Equal(t, domain.EUNAUTHORIZED, domain.ErrorCode(err))
	assert.Contains(t, domain.ErrorMessage(err), `API token "lims-sync" was revoked on`)
	_, err = svc.RevokeAPIToken(ctx, "lims-sync")
	assert.Equal(t, domain.ECONFLICT, domain.ErrorCode(err), "%v", err)
	_, err = svc.RevokeAPIToken(ctx, "no-such-token")
	assert.Equal(t, domain.ENOTFOUND, domain.ErrorCode(err), "%v", err)

	list, err = svc.APITokens(ctx, false)
	require.NoError(t, err)
	assert.Empty(t, list, "revoked tokens are listed only on request")
	list, err = svc.APITokens(ctx, true)
	require.NoError(t, err)
	assert.Len(t, list, 1)
}

// fmtAll renders every field of the tokens, as a listing could show them.
func fmtAll(ts []domain.APIToken) string {
	var b strings.Builder
	for _, t := range ts {
		b.WriteString(strings.Join([]string{t.ID, t.Name, t.Role, strings.Join(t.Biobanks, ","), t.CreatedBy, t.RevokedBy}, " "))
	}
	return b.String()
}

func TestAPITokenRefusals(t *testing.T) {
	svc, ctx := newTokenService(t, -1)
	anon := context.Background()
	_, short, err := svc.CreateAPIToken(ctx, domain.APIToken{Name: "brief", Role: domain.RoleResearcher, ExpiresAt: time.Now().Add(1100 * time.Millisecond)})
	require.NoError(t, err)
	_, err = svc.AuthenticateAPIToken(anon, short)
	require.NoError(t, err)
	time.Sleep(1200 * time.Millisecond)

	tests := []struct {
		name, secret, code, message string
	}{
		{"expired", short, domain.EUNAUTHORIZED, `API token "brief" expired on`},
		{"unknown", domain.NewAPITokenSecret(), domain.EUNAUTHORIZED, "unknown API token"},
		{"not a token", "0123456789abcdef0123456789abcdef", domain.EINVALID, "not an API token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := svc.AuthenticateAPIToken(anon, tt.secret)
			assert.Equal(t, tt.code, domain.ErrorCode(err), "%v", err)
			assert.Contains(t, domain.ErrorMessage(err), tt.message)
		})
	}

	// Creation is checked: unknown biobanks, and only admins make tokens.
	_, _, err = svc.CreateAPIToken(ctx, domain.APIToken{Name: "lims", Role: domain.RoleStaff, Biobanks: []string{"DNB", "FIN"}, ExpiresAt: time.Now().Add(time.Hour)})
	assert.Equal(t, domain.EINVALID, domain.ErrorCode(err))
	assert.Contains(t, err.Error(), "input.biobanks: no such biobank")
	list, err := svc.APITokens(ctx, true)
	require.NoError(t, err)
	assert.Len(t, list, 1, "a refused creation leaves nothing behind")
	staff := domain.WithActor(anon, domain.Actor{Name: "sam", Role: domain.RoleStaff, Biobanks: []string{"*"}})
	_, _, err = svc.CreateAPIToken(staff, domain.APIToken{Name: "mine", Role: domain.RoleAdmin, ExpiresAt: time.Now().Add(time.Hour)})
	assert.Equal(t, domain.EFORBIDDEN, domain.ErrorCode(err))
}

// With the cache on, a revocation in this process is honoured at once.
func TestAPITokenCacheHonoursRevocation(t *testing.T) {
	svc, ctx := newTokenService(t, time.Hour)
	_, secret, err := svc.CreateAPIToken(ctx, domain.APIToken{Name: "cached", Role: domain.RoleStaff, Biobanks: []string{"*"}, ExpiresAt: time.Now().Add(time.Hour)})
	require.NoError(t, err)
	a, err := svc.AuthenticateAPIToken(context.Background(), secret)
	require.NoError(t, err)
	assert.Equal(t, []string{"*"}, a.Biobanks)
	_, err = svc.RevokeAPIToken(ctx, "cached")
	require.NoError(t, err)
	_, err = svc.AuthenticateAPIToken(context.Background(), secret)
	assert.Equal(t, domain.EUNAUTHORIZED, domain.ErrorCode(err))
}

// A token revoked by another process (the command line, another server)
// is refused as soon as the revocation is announced, long before the
// cache's lifetime (an hour here) would end its trust; a revocation
// missed while not listening is covered by the watch dropping the cache
// when it (re)connects.
func TestAPITokenRevokedElsewhereIsRefusedAtOnce(t *testing.T) {
	url := storetest.New(t, store.Migrator{})
	open := func() *service.Service {
		st, err := store.Open(context.Background(), url, store.Options{})
		require.NoError(t, err)
		t.Cleanup(st.Close)
		return service.New(st, service.Options{TokenCacheTTL: time.Hour})
	}
	server, cli := open(), open()
	ctx := domain.WithActor(context.Background(), domain.Actor{Name: "ada", Role: domain.RoleAdmin})
	_, missed, err := cli.CreateAPIToken(ctx, domain.APIToken{Name: "missed", Role: domain.RoleStaff, Biobanks: []string{"*"}, ExpiresAt: time.Now().Add(time.Hour)})
	require.NoError(t, err)
	_, announced, err := cli.CreateAPIToken(ctx, domain.APIToken{Name: "announced", Role: domain.RoleStaff, Biobanks: []string{"*"}, ExpiresAt: time.Now().Add(time.Hour)})
	require.NoError(t, err)
	for _, secret := range []string{missed, announced} {
		_, err = server.AuthenticateAPIToken(context.Background(), secret)
		require.NoError(t, err, "cached by the server")
	}
	// revoked before the server listens: its announcement is lost
	_, err = cli.RevokeAPIToken(ctx, "missed")
	require.NoError(t, err)
	_, err = server.AuthenticateAPIToken(context.Background(), missed)
	require.NoError(t, err, "still trusted from the cache: nothing told the server")

	watch, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); server.WatchTokens(watch) }()
	t.Cleanup(func() { stop(); <-done })
	refused := func(secret string) bool {
		_, err := server.AuthenticateAPIToken(context.Background(), secret)
		return domain.ErrorCode(err) == domain.EUNAUTHORIZED
	}
	require.Eventually(t, func() bool { return refused(missed) }, 10*time.Second, 20*time.Millisecond,
		"the watch drops the cache when it starts listening")
	_, err = server.AuthenticateAPIToken(context.Background(), announced)
	require.NoError(t, err, "cached again")
	_, err = cli.RevokeAPIToken(ctx, "announced")
	require.NoError(t, err)
	assert.Eventually(t, func() bool { return refused(announced) }, 10*time.Second, 20*time.Millisecond,
		"refused once the revocation is announced")
}
