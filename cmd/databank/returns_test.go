package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/store"
	"databank/store/storetest"
)

func TestReturnsOverdueCommand(t *testing.T) {
	url := storetest.New(t, store.Migrator{})
	_, _, err := runCLI(t, url, "import", "bundle", "--actor", "curator", "../../testdata/import")
	require.NoError(t, err)
	// W0001 and W0003 require a return; files holding their sample were
	// registered since, so nothing is overdue.
	out, _, err := runCLI(t, url, "returns", "overdue", "--biobank", "DNB")
	require.NoError(t, err)
	assert.Equal(t, "no data return is overdue\n", out)
	out, _, err = runCLI(t, url, "returns", "overdue", "--biobank", "DNB", "--json")
	require.NoError(t, err)
	assert.Empty(t, out)

	_, _, err = runCLI(t, url, "returns", "overdue", "--biobank", "XXX")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no biobank has this code")
	_, _, err = runCLI(t, url, "returns", "overdue", "--biobank", "DNB", "--as-of", "31/12/2026")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "want a date")

	// each listing is audited, the failed one too
	audit, _, err := runCLI(t, url, "audit", "export", "--since", "2020-01-01")
	require.NoError(t, err)
	assert.Equal(t, 3, strings.Count(audit, "returns overdue  allowed")+strings.Count(audit, "returns overdue  failed"), audit)
	assert.Equal(t, 1, strings.Count(audit, "returns overdue  failed"), audit)
}
