package ontology

import (
	"embed"
	"fmt"
	"sync"
)

//go:embed data/*.tsv
var dataFiles embed.FS

// builtinFiles lists the embedded releases in load order.
var builtinFiles = []struct{ system, file string }{
	{DUO, "data/duo.tsv"},
	{ICD10, "data/icd10.tsv"},
	{Material, "data/miabis.tsv"},
	{Temperature, "data/temp.tsv"},
	{Anatomy, "data/uberon.tsv"},
	{Assay, "data/assay.tsv"},
	{Format, "data/format.tsv"},
	{Assembly, "data/assembly.tsv"},
}

var (
	defaultOnce     sync.Once
	defaultRegistry *Registry
)

// Default returns the registry of all built-in systems, built once from
// the embedded data files. It is shared by every caller: load operator
// releases into NewBuiltin's registry instead unless every user of Default
// should see them. Default panics if the embedded data is invalid, which
// the package's tests rule out.
func Default() *Registry {
	defaultOnce.Do(func() {
		r, err := NewBuiltin()
		if err != nil {
			panic(err)
		}
		defaultRegistry = r
	})
	return defaultRegistry
}

// NewBuiltin returns a new registry holding the built-in systems,
// independent of Default and of every other registry.
func NewBuiltin() (*Registry, error) {
	r := NewRegistry()
	for _, bf := range builtinFiles {
		f, err := dataFiles.Open(bf.file)
		if err != nil {
			return nil, fmt.Errorf("ontology: built-in %s: %w", bf.system, err)
		}
		sys, terms, err := ParseTable(f, bf.system)
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("ontology: built-in %s (%s): %w", bf.system, bf.file, err)
		}
		if _, err := r.Load(sys, terms); err != nil {
			return nil, fmt.Errorf("ontology: built-in %s: %w", bf.system, err)
		}
	}
	return r, nil
}
