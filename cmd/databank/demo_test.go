package main

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
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
	staff := domain.WithActor(ctx, domain.Actor{Name: "sam", Role: domain.RoleStaff})
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
