package ontology

import (
	"fmt"
	"strings"
)

// UnknownCodeError is returned by Registry.Resolve when no term matches.
type UnknownCodeError struct {
	Input       string   // what the caller gave
	Systems     []string // the systems that were searched; empty means all
	Suggestions []string // up to three CURIEs of close matches, best first
	Labels      []string // labels of Suggestions, in the same order
}

// Error names the input, the allowed systems and the suggestions.
func (e *UnknownCodeError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "ontology: unknown code %q", e.Input)
	if len(e.Systems) > 0 {
		fmt.Fprintf(&b, " (allowed: %s)", strings.Join(e.Systems, ", "))
	}
	for i, s := range e.Suggestions {
		if i == 0 {
			b.WriteString("; did you mean ")
		} else {
			b.WriteString(", ")
		}
		b.WriteString(s)
		if i < len(e.Labels) && e.Labels[i] != "" {
			fmt.Fprintf(&b, " (%s)", e.Labels[i])
		}
	}
	if len(e.Suggestions) > 0 {
		b.WriteString("?")
	}
	return b.String()
}

// AmbiguousCodeError is returned by Registry.Resolve when the input
// matches several terms equally well, such as "OTHER" across systems.
type AmbiguousCodeError struct {
	Input   string   // what the caller gave
	Matches []string // CURIEs of the matching terms
}

// Error names the input and every matching term.
func (e *AmbiguousCodeError) Error() string {
	return fmt.Sprintf("ontology: ambiguous code %q matches %s; give a CURIE or fewer systems",
		e.Input, strings.Join(e.Matches, ", "))
}
