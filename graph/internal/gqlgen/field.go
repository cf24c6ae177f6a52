package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
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
			return ec\.([^(\s]+)\(ctx, selections, v\)
		\},
		true,
		(?:true|false),
	\)
}
`)

// valueMarshaller is a generated function that marshals one value of a
// scalar; its groups: its name and its body.
var valueMarshaller = regexp.MustCompile(`(?ms)^func \(ec \*executionContext\) (marshal[^(\s]+)\(ctx context\.Context, sel ast\.SelectionSet, v [^)\n]+\) graphql\.Marshaler \{\n(.*?)\n\}\n`)

// neverNull are the scalars' marshallers that write every value they are
// given: none returns graphql.Null (gqlgen's MarshalTime does, for the
// zero time, and an enum's does for a value outside the enum), and none
// is a ContextMarshaler that may fail when written.
var neverNull = regexp.MustCompile(`\bres := (graphql\.MarshalString|graphql\.MarshalID|graphql\.MarshalInt|graphql\.MarshalBoolean|scalar\.MarshalLong|scalar\.MarshalLongInt|scalar\.MarshalDate|scalar\.MarshalQuantity)\(\*?v\)\n`)

// plainLeaves rewrites the generated code of every plain leaf field: a
// field of a non-root object that reads a struct field of its object and
// marshals it with a marshaller that never writes null (neverNull, and
// not a non-null field's marshaller given a pointer, so the field can
// report no error). gqlgen builds a field context for it, puts
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
			name := string(m[1])
			// a non-null field's marshaller given a pointer reports nil as
			// an error, at the path of the field context it is given
			reportsNil := strings.HasPrefix(name, "marshalN") && bytes.Contains(body, []byte("v == nil"))
			safe[name] = len(neverNull.FindAll(body, -1)) == 1 && !bytes.Contains(body, []byte("Context")) && !reportsNil
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

// resolvedField is gqlgen's code for any field of a non-root object
// without directives: the closure in the middle resolves it (a resolver's
// method, or a read of the object, after reading the field's arguments
// from its context). Its groups: the function's name, the object's type,
// the field context's function, the resolving lines, the value's type, the
// function that marshals the value, and whether the marshaller is given a
// non-null result (gqlgen's nonNull).
var resolvedField = regexp.MustCompile(`(?m)^func \(ec \*executionContext\) (\w+)\(ctx context\.Context, field graphql\.CollectedField, obj (\*[\w.]+)\) \(ret graphql\.Marshaler\) \{
	return graphql\.ResolveField\(
		ctx,
		ec\.OperationContext,
		field,
		func\(ctx context\.Context, field graphql\.CollectedField\) \(\*graphql\.FieldContext, error\) \{
			return ec\.(fieldContext_\w+)\(ctx, field\)
		\},
		func\(ctx context\.Context\) \(any, error\) \{
((?:			.*\n)+?)		\},
		nil,
		func\(ctx context\.Context, selections ast\.SelectionSet, v ([^)\n]+)\) graphql\.Marshaler \{
			return ec\.([^(\s]+)\(ctx, selections, v\)
		\},
		true,
		(true|false),
	\)
}
`)

// The first resolving line of a field with arguments, which the rewritten
// field has no need of (fc is its field context already), and the form of
// the last one.
var (
	argsContext   = "\t\t\tfc := graphql.GetFieldContext(ctx)\n"
	resolvingLine = regexp.MustCompile(`^\t\t\treturn (.*?)(, nil)?\n$`)
)

// directFields rewrites the generated code of every other field of a
// non-root object without directives (plainLeaves has taken the plain
// leaves) to do what graphql.ResolveField does for it, in line: build its
// field context and put it in the context, recover a panic as an error,
// resolve, report an error at the field's path, and marshal. gqlgen passes
// the resolution through five closures and the operation's field
// middleware, about eight allocations a field. Left out: the field
// middleware (graph/server.go refuses extensions that intercept fields;
// prefetchMutations acts on the Mutation's fields only), the copy of the
// result into the field context (FieldContext.Result), and the answers
// that depend on a field middleware marking the field non-null
// (graphql.MarkNonNull), which only a field middleware reads or does; the
// RequiredNull of gqlgen's error path is kept as it is, though nothing
// marks a field so. The rewritten fields return concrete types, so the
// untyped nil gqlgen checks for cannot occur (an interface-typed field
// would go to its marshaller's own nil check). Generation fails if no
// field is rewritten.
func directFields(dir string) error {
	rewritten := 0
	err := editGenerated(dir, []byte("return graphql.ResolveField("), func(src []byte) ([]byte, error) {
		var failed error
		out := resolvedField.ReplaceAllFunc(src, func(fn []byte) []byte {
			m := resolvedField.FindSubmatch(fn)
			lines := bytes.SplitAfter(m[4], []byte("\n"))
			lines = lines[:len(lines)-1] // after the last newline
			if len(lines) > 1 && string(lines[0]) == argsContext {
				lines = lines[1:]
			}
			last := resolvingLine.FindSubmatch(lines[len(lines)-1])
			if last == nil || len(lines) > 1 {
				failed = fmt.Errorf("a field's resolution no longer has the shape directFields rewrites:\n%s", fn)
				return fn
			}
			rewritten++
			var b bytes.Buffer
			fmt.Fprintf(&b, "func (ec *executionContext) %s(ctx context.Context, field graphql.CollectedField, obj %s) (ret graphql.Marshaler) {\n", m[1], m[2])
			b.WriteString("\t// graphql.ResolveField in line: see graph/internal/gqlgen\n")
			fmt.Fprintf(&b, "\tfc, err := ec.%s(ctx, field)\n\tif err != nil {\n\t\treturn graphql.Null\n\t}\n", m[3])
			b.WriteString("\tctx = graphql.WithFieldContext(ctx, fc)\n")
			b.WriteString("\tdefer func() {\n\t\tif r := recover(); r != nil {\n\t\t\tec.Error(ctx, ec.Recover(ctx, r))\n\t\t\tret = graphql.Null\n\t\t}\n\t}()\n")
			if last[2] != nil { // a read that cannot fail
				fmt.Fprintf(&b, "\tv := %s\n", last[1])
			} else {
				fmt.Fprintf(&b, "\tv, err := %s\n\tif err != nil {\n\t\tec.Error(ctx, graphql.AddFieldLocationToError(ctx, err))\n", last[1])
				if string(m[7]) == "false" {
					b.WriteString("\t\tif fc.NonNull {\n\t\t\treturn graphql.RequiredNull\n\t\t}\n")
				}
				b.WriteString("\t\treturn graphql.Null\n\t}\n")
			}
			fmt.Fprintf(&b, "\treturn ec.%s(ctx, field.Selections, v)\n}\n", m[6])
			return b.Bytes()
		})
		return out, failed
	})
	if err == nil && rewritten == 0 {
		err = fmt.Errorf("%s: no field of an object found: has the code gqlgen generates for a field changed?", dir)
	}
	return err
}
