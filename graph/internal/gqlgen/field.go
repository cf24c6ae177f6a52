package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// resolvedField is gqlgen's code for a field of a non-root object without
// directives: the closure in the middle resolves it (a resolver's method,
// or a read of the object, after reading the field's arguments from its
// context). Its groups: the function's name, the object's type, the field
// context's function, the resolving lines, the value's type, the function
// that marshals the value, and whether the marshaller is given a non-null
// result (gqlgen's nonNull).
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
// field has no need of (fc is its field context already), the form of the
// last one, and the read of a struct field of the object.
var (
	argsContext   = "\t\t\tfc := graphql.GetFieldContext(ctx)\n"
	resolvingLine = regexp.MustCompile(`^\t\t\treturn (.*?)(, nil)?\n$`)
	structField   = regexp.MustCompile(`^obj\.\w+$`)
)

// valueMarshaller is a generated function that marshals one value of a
// scalar; its groups: its name and its body.
var valueMarshaller = regexp.MustCompile(`(?ms)^func \(ec \*executionContext\) (marshal[^(\s]+)\(ctx context\.Context, sel ast\.SelectionSet, v [^)\n]+\) graphql\.Marshaler \{\n(.*?)\n\}\n`)

// neverNull are the scalars' marshallers that write every value they are
// given: none returns graphql.Null (gqlgen's MarshalTime does, for the
// zero time, and an enum's does for a value outside the enum), and none
// is a ContextMarshaler that may fail when written.
var neverNull = regexp.MustCompile(`\bres := (graphql\.MarshalString|graphql\.MarshalID|graphql\.MarshalInt|graphql\.MarshalBoolean|scalar\.MarshalLong|scalar\.MarshalLongInt|scalar\.MarshalDate|scalar\.MarshalQuantity)\(\*?v\)\n`)

// rewriteFields rewrites the generated code of every field of a non-root
// object without directives. gqlgen resolves each through
// graphql.ResolveField: a field context built and put in a new context,
// five closures and the operation's field middleware, about eight
// allocations a field, and a page of 100 samples has some two thousand
// fields. Two forms replace it:
//
//   - a plain leaf, a field that reads a struct field of its object and
//     marshals it with a marshaller that never writes null (neverNull, and
//     not a non-null field's marshaller given a pointer), can report no
//     error: it calls its marshaller directly;
//   - every other field does what graphql.ResolveField does, in line:
//     build its field context and put it in the context, recover a panic
//     as an error, resolve, report an error at the field's path, marshal.
//
// Left out: the field middleware (graph/server.go refuses extensions that
// intercept fields; prefetchMutations acts on the Mutation's fields
// only), the copy of the result into the field context
// (FieldContext.Result), and the answers that depend on a field middleware
// marking the field non-null (graphql.MarkNonNull), which only a field
// middleware reads or does; the RequiredNull of gqlgen's error path is
// kept as it is, though nothing marks a field so. The rewritten fields
// return concrete types, so the untyped nil gqlgen checks for cannot
// occur (an interface-typed field would go to its marshaller's own nil
// check). Generation fails if either form finds no field: gqlgen's code
// has changed shape, and this step must follow it.
func rewriteFields(dir string) error {
	safe, err := safeMarshallers(dir)
	if err != nil {
		return err
	}
	leaves, inLine := 0, 0
	err = editGenerated(dir, []byte("return graphql.ResolveField("), func(src []byte) ([]byte, error) {
		var failed error
		out := resolvedField.ReplaceAllFunc(src, func(fn []byte) []byte {
			m := resolvedField.FindSubmatch(fn)
			lines := bytes.SplitAfter(m[4], []byte("\n"))
			lines = lines[:len(lines)-1] // after the last newline
			withArgs := len(lines) > 1 && string(lines[0]) == argsContext
			if withArgs {
				lines = lines[1:]
			}
			last := resolvingLine.FindSubmatch(lines[len(lines)-1])
			if last == nil || len(lines) > 1 {
				failed = fmt.Errorf("a field's resolution no longer has the shape rewriteFields rewrites:\n%s", fn)
				return fn
			}
			if !withArgs && last[2] != nil && structField.Match(last[1]) && safe[string(m[6])] {
				leaves++
				return fmt.Appendf(nil, "func (ec *executionContext) %s(ctx context.Context, field graphql.CollectedField, obj %s) (ret graphql.Marshaler) {\n"+
					"\treturn ec.%s(ctx, field.Selections, %s) // a plain leaf: see graph/internal/gqlgen\n}\n", m[1], m[2], m[6], last[1])
			}
			inLine++
			return resolvedInLine(m, last)
		})
		return out, failed
	})
	if err == nil && (leaves == 0 || inLine == 0) {
		err = fmt.Errorf("%s: %d plain leaves and %d other fields of objects found: has the code gqlgen generates for a field changed?", dir, leaves, inLine)
	}
	return err
}

// resolvedInLine is the in-line form of the field m (resolvedField's
// groups) whose last resolving line is last (resolvingLine's groups).
func resolvedInLine(m, last [][]byte) []byte {
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
}

// safeMarshallers finds, among the generated value marshallers in dir,
// those a plain leaf may call: a neverNull marshaller, and not a non-null
// field's marshaller given a pointer, which reports nil as an error at
// the path of the field context it is given.
func safeMarshallers(dir string) (map[string]bool, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	safe := map[string]bool{}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		for _, m := range valueMarshaller.FindAllSubmatch(src, -1) {
			name, body := string(m[1]), m[2]
			reportsNil := strings.HasPrefix(name, "marshalN") && bytes.Contains(body, []byte("v == nil"))
			safe[name] = len(neverNull.FindAll(body, -1)) == 1 && !bytes.Contains(body, []byte("Context")) && !reportsNil
		}
	}
	return safe, nil
}
