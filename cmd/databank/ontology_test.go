package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/ontology"
	"databank/store"
	"databank/store/storetest"
)

const oboRelease1 = `format-version: 1.2
data-version: t/2026-01-01
ontology: t

[Term]
id: TST:0000001
name: disease

[Term]
id: TST:0000002
name: diabetes
synonym: "sugar disease" EXACT []
is_a: TST:0000001

[Term]
id: TST:0000003
name: type 2 diabetes
is_a: TST:0000002
`

// Loading a release, loading a newer one without a term, and showing the
// terms: the missing term becomes obsolete, never deleted.
func TestOntologyLoadCommand(t *testing.T) {
	url := storetest.New(t, store.Migrator{})
	dir := t.TempDir()
	v1 := filepath.Join(dir, "t1.obo")
	require.NoError(t, os.WriteFile(v1, []byte(oboRelease1), 0o644))
	out, _, err := runCLI(t, url, "ontology", "load", "--system", "TST", v1)
	require.NoError(t, err)
	assert.Contains(t, out, "3 added, 0 updated, 0 obsoleted")

	out, _, err = runCLI(t, url, "ontology", "load", "--system", "TST", v1)
	require.NoError(t, err)
	assert.Contains(t, out, "0 added, 0 updated, 0 obsoleted, 3 unchanged")

	v2 := filepath.Join(dir, "t2.obo")
	release2 := oboRelease1[:len(oboRelease1)-len("[Term]\nid: TST:0000003\nname: type 2 diabetes\nis_a: TST:0000002\n")]
	require.NoError(t, os.WriteFile(v2, []byte(release2), 0o644))
	out, _, err = runCLI(t, url, "ontology", "load", "--system", "TST", v2)
	require.NoError(t, err)
	assert.Contains(t, out, "1 obsoleted")

	out, _, err = runCLI(t, url, "ontology", "show", "tst_0000003")
	require.NoError(t, err)
	assert.Contains(t, out, "TST:0000003\ttype 2 diabetes")
	assert.Contains(t, out, "status:\tobsolete")

	out, _, err = runCLI(t, url, "ontology", "list")
	require.NoError(t, err)
	assert.Contains(t, out, "TST")
	assert.Contains(t, out, "DUO")

	_, _, err = runCLI(t, url, "ontology", "load", "--system", "TST", filepath.Join(dir, "missing.obo"))
	require.Error(t, err)
}

// Two running servers on one database: a release an operator loads with
// `databank ontology load`, and one stored through the first server, are
// used by both without a restart.
func TestOntologyReleaseReachesRunningServers(t *testing.T) {
	url := storetest.New(t, store.Migrator{})
	t.Setenv("DATABASE_URL", url)
	t.Setenv("DATABANK_LOG_LEVEL", "warn")
	cfg, err := loadConfig()
	require.NoError(t, err)
	log := slog.New(slog.DiscardHandler)
	tokens := map[string]domain.Actor{"rt": {Name: "rita", Role: domain.RoleResearcher}}
	type server struct {
		db  *backend
		mux http.Handler
	}
	start := func() server {
		db, closeDB, err := openDatabase(t.Context(), cfg, log)
		require.NoError(t, err)
		stop := db.followVocabulary(t.Context())
		t.Cleanup(func() { stop(); closeDB() })
		return server{db: db, mux: newMux(cfg, db, tokens, nil, log)}
	}
	// query returns the response to q (it may run outside the test's
	// goroutine, in require.Eventually, so it does not fail the test).
	query := func(s server, q string) string {
		body, _ := json.Marshal(map[string]string{"query": q})
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer rt")
		rec := httptest.NewRecorder()
		s.mux.ServeHTTP(rec, req)
		return fmt.Sprintf("%d %s", rec.Code, rec.Body)
	}
	a, b := start(), start()

	const term = `{ ontologyTerm(curie: "TST:0000003") { label } }`
	require.Contains(t, query(b, term), "200 ")
	require.NotContains(t, query(b, term), "type 2 diabetes")
	v1 := filepath.Join(t.TempDir(), "t1.obo")
	require.NoError(t, os.WriteFile(v1, []byte(oboRelease1), 0o644))
	_, _, err = runCLI(t, url, "ontology", "load", "--system", "TST", v1)
	require.NoError(t, err)
	for name, s := range map[string]server{"a": a, "b": b} {
		require.Eventually(t, func() bool { return strings.Contains(query(s, term), `"label":"type 2 diabetes"`) },
			10*time.Second, 20*time.Millisecond, "server %s uses the operator's release", name)
	}

	const match = `{ matchConsent(consent: {permission: "GRU", modifiers: ["DUO:9000001"]}, purpose: {category: "HMB"}) { outcome } }`
	require.Contains(t, query(b, match), "INVALID", "an unknown modifier before the release")
	next := a.db.vocab.Clone()
	sys, _ := next.System(ontology.DUO)
	sys.Version = "t1"
	_, err = next.Load(sys, append(next.Terms(ontology.DUO), ontology.Term{Code: "9000001", Label: "test modifier", Parents: []string{domain.DUOModifierRoot}}))
	require.NoError(t, err)
	require.NoError(t, a.db.svc.SaveOntology(domain.WithActor(t.Context(), domain.Actor{Name: "ada", Role: domain.RoleAdmin}), next, ontology.DUO))
	require.Eventually(t, func() bool { return strings.Contains(query(b, match), `"outcome"`) },
		10*time.Second, 20*time.Millisecond, "the other server decides consents with the release stored through the first")
}
