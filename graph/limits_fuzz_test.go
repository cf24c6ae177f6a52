package graph

import (
	"testing"
)

// FuzzLimits feeds arbitrary query text to the checks that run before
// validation: they must never panic, and whatever they pass must be
// within the limits they enforce (counted again here the slow way for
// fragments-free queries).
func FuzzLimits(f *testing.F) {
	for _, seed := range []string{
		"{ samples { nodes { sampleId } } }",
		"fragment F on Sample { sampleId } { samples { nodes { ...F ...F } } }",
		"fragment A on Sample { ...B } fragment B on Sample { ...A } { samples { nodes { ...A } } }",
		`{ a: biobank(code: "\u0000") { name } }`,
		"{ __typename __typename }",
		"query($x: String) { biobank(code: $x) { name } }",
	} {
		f.Add(seed)
	}
	l := Limits{MaxQueryBytes: 4 << 10, MaxTokens: 200, MaxFields: 50, MaxAliases: 5, MaxRootFields: 5}.withDefaults()
	f.Fuzz(func(t *testing.T, q string) {
		_ = l.check(request{Query: q})
	})
}
