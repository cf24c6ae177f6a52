package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
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
