package graph

import (
	"slices"
	"strconv"

	"databank/domain"
	"databank/ontology"
)

// termPage is a page of an in-memory term search; cursors are positions.
type termPage struct {
	domain.Page[ontology.Term]
	offset int
}

// searchTerms searches the vocabularies held in memory (built in, plus
// the releases operators loaded, read at start).
func searchTerms(reg *ontology.Registry, system, search, under string, p domain.PageRequest) (termPage, error) {
	if system != "" {
		if _, ok := reg.System(system); !ok {
			return termPage{}, filterErr("system", system, domain.Errorf(domain.EINVALID, "unknown system"))
		}
	}
	hits := reg.Search(system, search, 0)
	if under != "" {
		root, ok := reg.Term(under)
		if !ok {
			return termPage{}, filterErr("under", under, domain.Errorf(domain.EINVALID, "unknown term"))
		}
		below := reg.Descendants(root.CURIE)
		slices.Sort(below)
		hits = slices.DeleteFunc(hits, func(t ontology.Term) bool {
			_, found := slices.BinarySearch(below, t.CURIE)
			return !found
		})
	}
	offset := 0
	if p.After != "" {
		n, err := strconv.Atoi(p.After)
		if err != nil || n < 0 {
			return termPage{}, domain.Errorf(domain.EINVALID, "invalid cursor")
		}
		offset = min(n, len(hits))
	}
	end := min(offset+p.Limit(), len(hits))
	return termPage{Page: domain.Page[ontology.Term]{Items: hits[offset:end], HasNext: end < len(hits), Total: len(hits)}, offset: offset}, nil
}

// filterErr reports an unusable value of a search argument.
func filterErr(field, value string, err error) error {
	return &domain.Error{Code: domain.EINVALID, Message: "invalid filter",
		Fields: []domain.FieldError{{Field: field, Value: domain.Quote(value, domain.QuoteMax), Message: err.Error()}}}
}
