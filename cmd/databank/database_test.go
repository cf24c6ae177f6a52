package main

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/store"
	"databank/store/storetest"
)

// emptySchema gives databases without any table, for a first migration.
type emptySchema struct{}

func (emptySchema) Hash() string                             { return "databank-cmd-empty" }
func (emptySchema) Migrate(context.Context, *pgx.Conn) error { return nil }

// Migrations run as the schema's owner when DATABANK_OWNER_URL names it,
// as the application's role (with a warning) when that role owns the
// schema, and not at all for a role that owns nothing.
func TestMigrateDatabaseRoles(t *testing.T) {
	for _, tc := range []struct {
		name     string
		urls     func(t *testing.T) (app, owner string)
		wantWarn bool
		wantOwns bool // the application's role owns the schema afterwards
	}{
		{name: "owner migrates an empty database, the application's role is granted", urls: func(t *testing.T) (string, string) {
			owner := storetest.New(t, emptySchema{})
			return storetest.AppURL(t, owner), owner
		}},
		{name: "one role: it migrates, with a warning", urls: func(t *testing.T) (string, string) {
			return storetest.New(t, emptySchema{}), ""
		}, wantWarn: true, wantOwns: true},
		{name: "the application's role alone: the schema is current", urls: func(t *testing.T) (string, string) {
			return storetest.New(t, store.Migrator{}), ""
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			app, owner := tc.urls(t)
			st, err := store.Open(ctx, app, store.Options{})
			require.NoError(t, err)
			defer st.Close()
			var logs bytes.Buffer
			require.NoError(t, migrateDatabase(ctx, st, app, owner, slog.New(slog.NewTextHandler(&logs, nil))))
			assert.Equal(t, tc.wantWarn, bytes.Contains(logs.Bytes(), []byte("DATABANK_OWNER_URL")), logs.String())
			v, err := st.SchemaVersion(ctx)
			require.NoError(t, err)
			assert.Equal(t, store.LatestVersion(), v)
			owns, err := st.OwnsSchema(ctx)
			require.NoError(t, err)
			assert.Equal(t, tc.wantOwns, owns)
			// The application works either way.
			_, err = st.ChangeLog(ctx, "0190f0c4-0000-7000-8000-000000000001")
			require.NoError(t, err)
		})
	}
}

// The owner's URL serves migrations of the application's database: alone,
// it is refused.
func TestOwnerURLNeedsDatabaseURL(t *testing.T) {
	for _, tc := range []struct {
		name, app, owner string
		wantErr          bool
	}{
		{name: "neither: the private cluster"},
		{name: "the application's alone", app: "postgres://databank_app@db/databank"},
		{name: "both", app: "postgres://databank_app@db/databank", owner: "postgres://databank_owner@db/databank"},
		{name: "the owner's alone", owner: "postgres://databank_owner@db/databank", wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("DATABASE_URL", tc.app)
			t.Setenv("DATABANK_OWNER_URL", tc.owner)
			_, err := loadConfig()
			if tc.wantErr {
				assert.ErrorContains(t, err, "DATABANK_OWNER_URL needs DATABASE_URL")
				return
			}
			assert.NoError(t, err)
		})
	}
}
