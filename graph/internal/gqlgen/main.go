// Command gqlgen generates graph/generated from gqlgen.yml, as
// `gqlgen generate` does, with one change: the fields of an object other
// than Query and Mutation are resolved one after another on the
// goroutine that marshals the object, not each on a goroutine of its own.
// The relations' lookahead (graph/relation.go) has loaded what those
// fields read before they run, so they never wait and running them at
// once would only add goroutines (and the growth of their stacks).
package main

import (
	"fmt"
	"os"

	"github.com/99designs/gqlgen/api"
	"github.com/99designs/gqlgen/codegen"
	"github.com/99designs/gqlgen/codegen/config"
)

func main() {
	cfg, err := config.LoadConfig("gqlgen.yml")
	if err == nil {
		err = api.Generate(cfg, api.AddPlugin(serialFields{}))
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
