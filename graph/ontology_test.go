package graph_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestOntologyTerms(t *testing.T) {
	e := newEnv(t)
	var out struct {
		OntologyTerms struct {
			TotalCount int
			Nodes      []struct {
				Curie     string
				Ancestors []struct{ Curie string }
			}
		}
		OntologyTerm struct {
			Label    string
			Children []struct{ Curie string }
		}
	}
	e.ok(readerToken, `{
		ontologyTerms(system: "ICD10", search: "E11.9", under: "ICD10:IV") { totalCount nodes { curie ancestors { curie } } }
		ontologyTerm(curie: "http://purl.obolibrary.org/obo/DUO_0000006") { label children { curie } }
	}`, nil, &out)
	assert.Equal(t, 1, out.OntologyTerms.TotalCount)
	assert.Equal(t, "ICD10:E11.9", out.OntologyTerms.Nodes[0].Curie)
	var anc []string
	for _, a := range out.OntologyTerms.Nodes[0].Ancestors {
		anc = append(anc, a.Curie)
	}
	assert.Subset(t, anc, []string{"ICD10:E11", "ICD10:E10-E14", "ICD10:IV"})
	assert.Equal(t, "health or medical or biomedical research", out.OntologyTerm.Label)
	assert.Equal(t, []struct{ Curie string }{{"DUO:0000007"}}, out.OntologyTerm.Children)

	var blood struct {
		OntologyTerms struct{ Nodes []struct{ Curie string } }
	}
	e.ok(readerToken, `{ ontologyTerms(under: "MIABIS:BLOOD", search: "pla") { nodes { curie } } }`, nil, &blood)
	assert.Equal(t, []struct{ Curie string }{{"MIABIS:PLASMA"}}, blood.OntologyTerms.Nodes)
}
