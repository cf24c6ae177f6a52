package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

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
