package graph_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/vektah/gqlparser/v2/ast"

	"databank/domain"
	"databank/graph/generated"
)

// sampleValue writes a literal of type t that passes GraphQL validation:
// every argument the test sends is well typed, so what refuses the call
// is the access policy, not the parser.
func sampleValue(s *ast.Schema, t *ast.Type, depth int) string {
	if t.Elem != nil {
		return "[" + sampleValue(s, t.Elem, depth) + "]"
	}
	def := s.Types[t.NamedType]
	switch {
	case def.Kind == ast.Enum:
		return def.EnumValues[0].Name
	case def.Kind == ast.InputObject:
		var parts []string
		for _, f := range def.Fields {
			if f.Type.NonNull || depth == 0 {
				parts = append(parts, f.Name+": "+sampleValue(s, f.Type, depth+1))
			}
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	switch t.NamedType {
	case "Int", "Long":
		return "1"
	case "Float":
		return "1.5"
	case "Boolean":
		return "false"
	case "Date":
		return `"2020-01-01"`
	case "DateTime":
		return `"2020-01-01T00:00:00Z"`
	case "Quantity":
		return `"1"`
	case "ID":
		return `"0190a5c4-5b1e-7c3a-9f00-2d1e4b6a8c01"`
	case "_Any": // a federation representation
		return `{__typename: "Sample", id: "0190a5c4-5b1e-7c3a-9f00-2d1e4b6a8c01"}`
	}
	return `"x"`
}

// rootCalls returns one call of every root field of op, with every
// argument given a well-typed value, selecting only __typename.
func rootCalls(s *ast.Schema, op *ast.Definition) map[string]string {
	out := map[string]string{}
	for _, f := range op.Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		upload := false
		var args []string
		for _, a := range f.Arguments {
			upload = upload || a.Type.Name() == "Upload"
			args = append(args, a.Name+": "+sampleValue(s, a.Type, 0))
		}
		if upload {
			continue // uploads are refused before parsing (guardUploads, tested in import_test.go)
		}
		call := f.Name
		if len(args) > 0 {
			call += "(" + strings.Join(args, ", ") + ")"
		}
		switch s.Types[f.Type.Name()].Kind {
		case ast.Object, ast.Interface, ast.Union:
			call += " { __typename }"
		}
		out[f.Name] = call
	}
	return out
}

// Every root field of the schema is refused to a request without
// credentials, and every mutation to a researcher — read from the schema
// itself, so a new field that skips the services' policy fails here.
func TestEveryRootFieldIsAuthorised(t *testing.T) {
	e := newEnv(t)
	schema := generated.NewExecutableSchema(generated.Config{}).Schema()
	cases := []struct {
		kind, token, want string
		op                *ast.Definition
	}{
		{"query", "", domain.EUNAUTHORIZED, schema.Query},
		{"mutation", "", domain.EUNAUTHORIZED, schema.Mutation},
		{"mutation", researcherToken, domain.EFORBIDDEN, schema.Mutation},
	}
	for _, c := range cases {
		calls := rootCalls(schema, c.op)
		assert.NotEmpty(t, calls)
		for name, call := range calls {
			t.Run(fmt.Sprintf("%s/%s/%q", c.kind, name, c.token), func(t *testing.T) {
				res := e.do(c.token, c.kind+" { "+call+" }", nil)
				if !assert.NotEmpty(t, res.Errors, "%s answered without credentials: %s", call, res.Data) {
					return
				}
				assert.Equal(t, c.want, res.Errors[0].Extensions["code"], "%s: %s", call, res.Errors[0].Message)
			})
		}
	}
}
