package domain

import "databank/ontology"

// Vocabulary is what the business rules ask of the coded vocabularies:
// the canonical term of a code, and the hierarchy. An *ontology.Registry
// implements it. The rules are handed the vocabulary in force rather than
// reaching for one of their own, so that a release loaded while a server
// runs reaches every rule at once.
type Vocabulary interface {
	// ResolveCode finds the term a code in any accepted spelling names,
	// among systems (every system when none is given).
	ResolveCode(input string, systems ...string) (ontology.Resolution, error)
	// IsA reports whether curie is ancestor or lies below it.
	IsA(curie, ancestor string) bool
}

var _ Vocabulary = (*ontology.Registry)(nil)
