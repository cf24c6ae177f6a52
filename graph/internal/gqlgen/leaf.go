package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
)

// resolvedLeaf is gqlgen's code for a field of a non-root object that
// reads a struct field of its object: no resolver, no arguments, no
// directives (those are generated otherwise). Its groups: the function's
// name, the object's type, the field context's function, the struct field
// read, and the function that marshals the value.
var resolvedLeaf = regexp.MustCompile(`(?m)^func \(ec \*executionContext\) (\w+)\(ctx context\.Context, field graphql\.CollectedField, obj (\*[\w.]+)\) \(ret graphql\.Marshaler\) \{
	return graphql\.ResolveField\(
		ctx,
		ec\.OperationContext,
		field,
		func\(ctx context\.Context, field graphql\.CollectedField\) \(\*graphql\.FieldContext, error\) \{
			return ec\.(fieldContext_\w+)\(ctx, field\)
		\},
		func\(ctx context\.Context\) \(any, error\) \{
			return (obj\.\w+), nil
		\},
		nil,
		func\(ctx context\.Context, selections ast\.SelectionSet, v [^)\n]+\) graphql\.Marshaler \{
			return ec\.(\w+)\(ctx, selections, v\)
		\},
		true,
		(?:true|false),
	\)
}
`)

// valueMarshaller is a generated function that marshals one value of a
// scalar; its groups: its name and its body.
var valueMarshaller = regexp.MustCompile(`(?ms)^func \(ec \*executionContext\) (marshal\w+)\(ctx context\.Context, sel ast\.SelectionSet, v [^)\n]+\) graphql\.Marshaler \{\n(.*?)\n\}\n`)

// neverNull are the scalars' marshallers that write every value they are
// given: none returns graphql.Null (gqlgen's MarshalTime does, for the
// zero time, and an enum's does for a value outside the enum), and none
// is a ContextMarshaler that may fail when written.
var neverNull = regexp.MustCompile(`\bres := (graphql\.MarshalString|graphql\.MarshalID|graphql\.MarshalInt|graphql\.MarshalBoolean|scalar\.MarshalLong|scalar\.MarshalLongInt|scalar\.MarshalDate|scalar\.MarshalQuantity)\(\*?v\)\n`)

// plainLeaves rewrites the generated code of every plain leaf field: a
// field of a non-root object that reads a struct field of its object and
// marshals it with a marshaller that never writes null (neverNull, so the
// field can report no error). gqlgen builds a field context for it, puts
// that in a new context, and passes the read through four closures and
// the operation's field middleware; a page of 100 samples has about a
// thousand such fields, each allocating seven times. The rewritten field
// marshals its value directly, which gives the same answer as long as no
// field middleware is installed (graph/server.go refuses one).
// Generation fails if no field is rewritten: gqlgen's code has changed
// shape, and this step must follow it.
func plainLeaves(dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return err
	}
	srcs := map[string][]byte{}
	safe := map[string]bool{}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		srcs[name] = src
		for _, m := range valueMarshaller.FindAllSubmatch(src, -1) {
			body := m[2]
			safe[string(m[1])] = len(neverNull.FindAll(body, -1)) == 1 && !bytes.Contains(body, []byte("Context"))
		}
	}
	rewritten := 0
	for _, name := range files {
		src := srcs[name]
		out := resolvedLeaf.ReplaceAllFunc(src, func(fn []byte) []byte {
			m := resolvedLeaf.FindSubmatch(fn)
			if !safe[string(m[5])] {
				return fn
			}
			rewritten++
			return fmt.Appendf(nil, "func (ec *executionContext) %s(ctx context.Context, field graphql.CollectedField, obj %s) (ret graphql.Marshaler) {\n"+
				"\treturn ec.%s(ctx, field.Selections, %s) // a plain leaf: see graph/internal/gqlgen\n}\n", m[1], m[2], m[5], m[4])
		})
		if bytes.Equal(out, src) {
			continue
		}
		if err := os.WriteFile(name, out, 0o644); err != nil {
			return err
		}
	}
	if rewritten == 0 {
		return fmt.Errorf("%s: no plain leaf field found: has the code gqlgen generates for a field changed?", dir)
	}
	return nil
}
