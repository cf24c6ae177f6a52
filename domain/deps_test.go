package domain_test

import (
	"go/parser"
	"go/token"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Dependencies point inward: domain and ontology know nothing of SQL,
// GraphQL or files; only store speaks SQL; only cmd wires everything.
// The rule is checked with `go list -deps`, not hoped for.
func TestDependencyRules(t *testing.T) {
	tests := []struct {
		pkg       string
		forbidden []string // import path prefixes
		onlyStd   []string // when set, non-std imports must start with one of these
	}{
		{pkg: "databank/ontology", onlyStd: []string{"databank/ontology"}},
		{pkg: "databank/domain", onlyStd: []string{"databank/domain", "databank/ontology"}},
		{pkg: "databank/importers/...", forbidden: []string{"databank/store", "databank/graph", "github.com/jackc/", "github.com/99designs/"}},
		{pkg: "databank/graph/...", forbidden: []string{"databank/store", "databank/importers", "github.com/jackc/"}},
		{pkg: "databank/store", forbidden: []string{"databank/graph", "databank/importers", "databank/service", "github.com/99designs/"}},
		{pkg: "databank/service", forbidden: []string{"databank/store", "databank/graph", "github.com/jackc/", "github.com/99designs/"}},
	}
	for _, tt := range tests {
		t.Run(tt.pkg, func(t *testing.T) {
			out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", tt.pkg).CombinedOutput()
			require.NoError(t, err, string(out))
			deps := strings.Fields(string(out))
			require.NotEmpty(t, deps)
			for _, dep := range deps {
				for _, f := range tt.forbidden {
					assert.False(t, strings.HasPrefix(dep, f), "%s depends on %s", tt.pkg, dep)
				}
				if tt.onlyStd != nil {
					ok := false
					for _, p := range tt.onlyStd {
						ok = ok || strings.HasPrefix(dep, p)
					}
					assert.True(t, ok, "%s may import only the standard library and %v, but depends on %s", tt.pkg, tt.onlyStd, dep)
				}
			}
		})
	}
}

// cmd reaches the registry only through the services: one file wires the
// PostgreSQL store into them, and no other file of cmd imports the store.
func TestCommandsReachTheStoreOnlyThroughTheServices(t *testing.T) {
	files, err := filepath.Glob("../cmd/databank/*.go")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || filepath.Base(f) == "database.go" {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		require.NoError(t, err)
		for _, imp := range file.Imports {
			path := strings.Trim(imp.Path.Value, `"`)
			assert.False(t, path == "databank/store", "%s imports the store; go through the services (domain.Services)", f)
		}
	}
}
