package graph

import (
	"sync"

	"databank/ontology"
)

// termCache holds the ontology terms a request has looked up, by CURIE.
// The terms it hands out are shared by every field that names them, so
// no resolver may modify one (none does: terms are only marshalled).
type termCache struct {
	mu      sync.Mutex // root fields resolve concurrently
	byCURIE map[string]*ontology.Term
}

// get returns the term of curie, calling lookup the first time.
func (c *termCache) get(curie string, lookup func(string) *ontology.Term) *ontology.Term {
	c.mu.Lock()
	defer c.mu.Unlock()
	if t, ok := c.byCURIE[curie]; ok {
		return t
	}
	if c.byCURIE == nil {
		c.byCURIE = make(map[string]*ontology.Term)
	}
	t := lookup(curie)
	c.byCURIE[curie] = t
	return t
}
