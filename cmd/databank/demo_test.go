package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/graph/explorer"
	"databank/service"
	"databank/store"
	"databank/store/storetest"
)

// The demo serves only a database it loaded itself, unless told to; it
// tells a new user where to go.
func TestDemoRefusesSomeoneElsesData(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(ctx, storetest.New(t, store.Migrator{}), store.Options{})
	require.NoError(t, err)
	defer st.Close()
	svc := service.New(st, service.Options{})
	staff := domain.WithActor(ctx, domain.Actor{Name: "sam", Role: domain.RoleStaff, Biobanks: []string{domain.AllBiobanks}})
	_, err = svc.CreateBiobank(staff, domain.Biobank{Code: "REAL", Name: "A real biobank", Country: "SE"})
	require.NoError(t, err)
	log := slog.New(slog.DiscardHandler)
	var out bytes.Buffer
	err = loadDemo(ctx, svc, 10, 1, false, &out, log)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "biobank REAL, created by sam")
	assert.Contains(t, err.Error(), "--serve-existing")
	require.NoError(t, loadDemo(ctx, svc, 10, 1, true, &out, log))

	out.Reset()
	printNextSteps(&out, demoAddr, "tok123")
	assert.Contains(t, out.String(), "http://127.0.0.1:8080/import")
	assert.Contains(t, out.String(), "Authorization: Bearer tok123")
	assert.Contains(t, out.String(), "this machine only")
}

// serve never puts a token in a page; the demo's explorer does, and only
// the demo's.
func TestServeEmbedsNoToken(t *testing.T) {
	tokens := map[string]domain.Actor{"researcher-token-0123456789": {Name: "rita", Role: domain.RoleResearcher}}
	log := slog.New(slog.DiscardHandler)
	page := func(examples []explorer.Example) string {
		rec := httptest.NewRecorder()
		newMux(config{}, &backend{}, tokens, examples, log).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
		require.Equal(t, http.StatusOK, rec.Code)
		return rec.Body.String()
	}
	assert.NotContains(t, page(nil), "researcher-token-0123456789", "serve's explorer")
	demo := page(withHeader(defaultExamples, map[string]string{domain.RoleResearcher: "researcher-token-0123456789", domain.RoleStaff: "staff-token-0123456789"}))
	assert.Contains(t, demo, "researcher-token-0123456789", "the demo's explorer: aggregate tabs")
	assert.Contains(t, demo, "staff-token-0123456789", "the demo's explorer: tabs of records")
}
