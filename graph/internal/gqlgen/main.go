// Command gqlgen generates graph/generated from gqlgen.yml, as
// `gqlgen generate` does, with these changes:
//   - the fields of an object other than Query and Mutation are resolved
//     one after another on the goroutine that marshals the object, not
//     each on a goroutine of its own. The relations' lookahead
//     (graph/relation.go) has loaded what those fields read before they
//     run, so they never wait and running them at once would only add
//     goroutines (and the growth of their stacks);
//   - an object's marshaller does not build the group of its deferred
//     fragments (see noDeferredGroups);
//   - the elements of a list are marshalled one after another too, not
//     each on a goroutine of its own (see serialSlices);
//   - a plain leaf field, one that reads a struct field of its object and
//     marshals it as a scalar that is never null, is marshalled directly,
//     without the machinery of a resolved field, and every other field of
//     a non-root object without directives resolved in line, not through
//     closures and the field middleware (see rewriteFields);
//   - a non-root object gathers its fields' values in a plain list, not in
//     a field set built for concurrent resolution (see plainObjects).
package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen"
	"github.com/99designs/gqlgen/codegen/config"
	"golang.org/x/tools/imports"
)

func main() {
	cfg, err := config.LoadConfig("gqlgen.yml")
	if err == nil {
		err = api.Generate(cfg, api.AddPlugin(serialFields{}))
	}
	if err == nil {
		err = noDeferredGroups(cfg.Exec.Dir())
	}
	if err == nil {
		err = serialSlices(cfg.Exec.Dir())
	}
	if err == nil {
		err = rewriteFields(cfg.Exec.Dir())
	}
	if err == nil {
		err = plainObjects(cfg.Exec.Dir())
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gqlgen:", err)
		os.Exit(1)
	}
}

// serialFields turns off the concurrent resolution of non-root objects'
// fields before the executable code is generated.
type serialFields struct{}

func (serialFields) Name() string { return "serialfields" }

// GenerateCode runs after the data is built and before the executable
// code is written from it.
func (serialFields) GenerateCode(data *codegen.Data) error {
	for _, o := range data.Objects {
		if !o.Root {
			o.DisableConcurrency = true
		}
	}
	return nil
}

// newDeferredGroup is how gqlgen's marshaller of every object starts the
// group of its @defer fragments, and zeroDeferredGroup what it becomes.
var (
	newDeferredGroup  = []byte("deferred := graphql.NewDeferredGroup(ctx)")
	zeroDeferredGroup = []byte("var deferred graphql.DeferredGroup // stays empty: see graph/internal/gqlgen")
	usesDeferred      = regexp.MustCompile(`\bdeferred\b`)
)

// noDeferredGroups rewrites the generated marshallers in dir so that they
// do not build a group for deferred fragments. gqlgen fills the group only
// through fields resolved concurrently; with every non-root field resolved
// serially (serialFields), a fragment marked @defer is answered inline,
// in the one response, and the group stays empty. Building it anyway
// computed the object's whole path and allocated a field set and a map
// for every object of every answer: a fifth of the allocations of a page
// of 100 samples. The zero group reads as empty where the code asks
// (len(deferred.Defers)). Should the generated code ever use the group
// otherwise, generation fails here instead of writing a nil map.
func noDeferredGroups(dir string) error {
	return editGenerated(dir, newDeferredGroup, func(src []byte) ([]byte, error) {
		// the only uses allowed: the len check and the call it guards
		rest := bytes.ReplaceAll(src, newDeferredGroup, nil)
		for _, use := range []string{"len(deferred.Defers)", "ec.ProcessDeferredGroup(deferred)"} {
			rest = bytes.ReplaceAll(rest, []byte(use), nil)
		}
		if usesDeferred.Match(rest) {
			return nil, errors.New("uses the group of deferred fragments beyond its emptiness check: are fields resolved concurrently again?")
		}
		return bytes.ReplaceAll(src, newDeferredGroup, zeroDeferredGroup), nil
	})
}

// editGenerated passes each generated file in dir that holds what to
// edit, and writes back what edit returns, formatted and with its imports
// mended.
func editGenerated(dir string, what []byte, edit func(src []byte) ([]byte, error)) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return err
	}
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		if !bytes.Contains(src, what) {
			continue
		}
		out, err := edit(src)
		if err == nil {
			// formatted, and without the imports the edit left unused
			out, err = imports.Process(name, out, nil)
		}
		if err == nil {
			err = os.WriteFile(name, out, 0o644)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// concurrentSlice is how gqlgen marshals the elements of a list of
// objects, each on a goroutine of its own, and serialSlice the function
// serialSlices calls instead.
var (
	concurrentSlice = []byte("graphql.MarshalSliceConcurrently(")
	serialSlice     = []byte("marshalSliceSerially(")
)

// serialSlices makes the generated code marshal the elements of lists one
// after another, as serialFields does the fields of an object: what they
// read has been loaded by the relations' lookahead before they run, so a
// goroutine per element (a page of 100 samples started some 200, each
// growing its stack) only costs. It writes marshalSliceSerially, which
// does what graphql.MarshalSliceConcurrently does for each element (its
// field context with the index, a panic turned into an error and a null)
// on the calling goroutine, and calls it instead.
func serialSlices(dir string) error {
	err := editGenerated(dir, concurrentSlice, func(src []byte) ([]byte, error) {
		return bytes.ReplaceAll(src, concurrentSlice, serialSlice), nil
	})
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "slice.generated.go"), []byte(sliceSource), 0o644)
}

// sliceSource is the file serialSlices adds to the generated package.
const sliceSource = `// Code generated by graph/internal/gqlgen. DO NOT EDIT.

package generated

import (
	"context"

	"github.com/99designs/gqlgen/graphql"
)

// marshalSliceSerially marshals the elements of a list one after another:
// graphql.MarshalSliceConcurrently without its goroutines (the worker
// limit has nothing to bound). The elements' field contexts, which give
// their errors' paths an index, are allocated together.
func marshalSliceSerially(ctx context.Context, length int, _ int64, omitPanicHandler bool,
	marshalElement func(ctx context.Context, i int) graphql.Marshaler) graphql.Array {
	ret := make(graphql.Array, length)
	indices := make([]int, length)
	contexts := make([]graphql.FieldContext, length)
	for i := range length {
		indices[i] = i
		contexts[i].Index = &indices[i]
		childCtx := graphql.WithFieldContext(ctx, &contexts[i])
		if omitPanicHandler {
			ret[i] = marshalElement(childCtx, i)
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					graphql.AddError(childCtx, graphql.Recover(childCtx, r))
					ret[i] = graphql.Null
				}
			}()
			ret[i] = marshalElement(childCtx, i)
		}()
	}
	return ret
}
`
