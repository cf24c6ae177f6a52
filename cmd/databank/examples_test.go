package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"

	"databank/graph/generated"
)

// The explorer's example tabs stay valid queries as the schema changes.
func TestExamplesValidateAgainstTheSchema(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	for _, ex := range defaultExamples {
		_, errs := gqlparser.LoadQueryWithRules(schema, ex.Query, nil) // nil: the default rules
		assert.Empty(t, errs, ex.Name)
	}
}

// The GraphQL examples of the README, and the operations of the docs
// (blocks starting with query or mutation: the docs also show schema
// excerpts and a gateway's federated queries), stay valid as the schema
// changes.
func TestReadmeExamplesValidateAgainstTheSchema(t *testing.T) {
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	docs, err := filepath.Glob("../../docs/*.md")
	require.NoError(t, err)
	found := 0
	for _, path := range append([]string{"../../README.md"}, docs...) {
		text, err := os.ReadFile(path)
		require.NoError(t, err)
		for i, b := range strings.Split(string(text), "```graphql\n")[1:] {
			query, _, ok := strings.Cut(b, "```")
			require.True(t, ok, "%s: graphql block %d is not closed", path, i+1)
			if path != "../../README.md" && !strings.HasPrefix(query, "query") && !strings.HasPrefix(query, "mutation") {
				continue
			}
			found++
			_, errs := gqlparser.LoadQueryWithRules(schema, query, nil)
			assert.Empty(t, errs, "%s: graphql block %d:\n%s", path, i+1, query)
		}
	}
	assert.Greater(t, found, 5)
}
