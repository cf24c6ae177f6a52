package ontology

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func curiesOf(terms []Term) []string {
	out := make([]string, len(terms))
	for i, t := range terms {
		out[i] = t.CURIE
	}
	return out
}

func TestSearch(t *testing.T) {
	r := Builtin()
	tests := []struct {
		name          string
		system, query string
		limit         int
		want          []string
	}{
		// BLOOD is exact; PLASMA and SERUM have the synonyms "blood plasma" and
		// "blood serum"; the other two only contain "blood".
		{"exact, then prefix, then substring", Material, "blood", 0, []string{
			"MIABIS:BLOOD", "MIABIS:PLASMA", "MIABIS:SERUM", "MIABIS:WHOLE_BLOOD", "MIABIS:PERIPHERAL_BLOOD_CELLS"}},
		{"code prefix", ICD10, "e11", 3, []string{"ICD10:E11", "ICD10:E11.0", "ICD10:E11.1"}},
		{"synonym", Assembly, "HG3", 0, []string{"ASSEMBLY:GRCh38"}},
		{"curie prefix", DUO, "duo:000004", 0, []string{"DUO:0000042", "DUO:0000045", "DUO:0000046", "DUO:0000043", "DUO:0000044"}},
		{"active before obsolete", DUO, "general research use", 0, []string{"DUO:0000042", "DUO:0000005"}},
		{"limit", Temperature, "", 2, []string{"TEMP:RT", "TEMP:2TO10"}},
		{"unknown system", "NOPE", "x", 0, nil},
		{"no match", Format, "xyz", 0, []string{}},
	}
	for _, tt := range tests {
		got := r.Search(tt.system, tt.query, tt.limit)
		if tt.want == nil {
			assert.Nil(t, got, tt.name)
			continue
		}
		assert.Equal(t, tt.want, curiesOf(got), tt.name)
	}

	all := r.Search("", "plasma", 0)
	// C90 is "Multiple myeloma and malignant plasma cell neoplasms".
	assert.Equal(t, []string{"MIABIS:PLASMA", "UBERON:0001969", "ICD10:C90"}, curiesOf(all), "every system")
}
