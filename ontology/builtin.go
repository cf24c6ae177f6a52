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

// builtinSnapshot is the built-in release, parsed once. A snapshot never
// changes, so every registry Builtin returns may start from it.
var builtinSnapshot = sync.OnceValues(func() (*snapshot, error) {
	r, err := NewBuiltin()
	if err != nil {
		return nil, err
	}
	return r.snapshot(), nil
})

// Builtin returns a new registry holding the built-in systems. The
// embedded data files are parsed once; each registry Builtin returns is
// independent: loading a release into one leaves the others as they are.
// Builtin panics if the embedded data is invalid, which the package's
// tests rule out.
func Builtin() *Registry {
	s, err := builtinSnapshot()
	if err != nil {
		panic(err)
	}
	r := NewRegistry()
	r.snap.Store(s)
	return r
}

// NewBuiltin returns a new registry holding the built-in systems, parsed
// from the embedded data files; unlike Builtin it reports invalid data as
// an error.
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
