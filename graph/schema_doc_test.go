package graph_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"

	"databank/graph/generated"
)

// Every element of the schema a client generator or a reader of the
// explorer's documentation sees carries a description: types, fields,
// arguments, input fields, enum values, scalars and directives. Built-in
// and introspection types are GraphQL's own.
func TestSchemaIsDescribed(t *testing.T) {
	missing := undescribed(generated.NewExecutableSchema(generated.Config{}).Schema())
	if len(missing) > 0 {
		t.Errorf("%d schema elements have no description (graph/schema/*.graphqls):\n  %s", len(missing), strings.Join(missing, "\n  "))
	}
}

// undescribed names, sorted, each element of the schema without a
// description: Type, Type.field, Type.field(arg), Enum.VALUE, @directive.
func undescribed(s *ast.Schema) []string {
	var out []string
	need := func(desc, name string) {
		if strings.TrimSpace(desc) == "" {
			out = append(out, name)
		}
	}
	args := func(owner string, list ast.ArgumentDefinitionList) {
		for _, a := range list {
			need(a.Description, owner+"("+a.Name+")")
		}
	}
	for name, def := range s.Types {
		if def.BuiltIn || strings.HasPrefix(name, "__") {
			continue
		}
		need(def.Description, name)
		for _, f := range def.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue // __typename, __schema, __type
			}
			if f.Position != nil && f.Position.Src != nil && f.Position.Src.BuiltIn {
				continue // Query._entities and Query._service, the federation spec's own
			}
			need(f.Description, name+"."+f.Name)
			args(name+"."+f.Name, f.Arguments)
		}
		for _, v := range def.EnumValues {
			need(v.Description, name+"."+v.Name)
		}
	}
	for name, d := range s.Directives {
		if d.Position == nil || d.Position.Src == nil || d.Position.Src.BuiltIn {
			continue // @skip, @include, @deprecated, gqlgen's @goField, ...
		}
		need(d.Description, "@"+name)
		args("@"+name, d.Arguments)
	}
	slices.Sort(out)
	return out
}
