package ontology

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		input, def, want string
	}{
		{"DUO:0000007", "", "DUO:0000007"},
		{"duo:0000007", "", "DUO:0000007"},
		{"DUO_0000007", "", "DUO:0000007"},
		{"duo_0000007", "", "DUO:0000007"},
		{"http://purl.obolibrary.org/obo/DUO_0000007", "", "DUO:0000007"},
		{"https://purl.obolibrary.org/obo/DUO_0000007", "", "DUO:0000007"},
		{"<http://purl.obolibrary.org/obo/UBERON_0000178>", "", "UBERON:0000178"},
		{"https://identifiers.org/DUO:0000007", "", "DUO:0000007"},
		{"  DUO:0000007\t", "", "DUO:0000007"},
		{"DUO : 0000007", "", "DUO:0000007"},
		{"0000007", DUO, "DUO:0000007"},
		{"DUO_0000007", DUO, "DUO:0000007"},
		{"DUO_0000007", ICD10, "DUO:0000007"}, // a known OBO prefix wins over the default
		{"E11.9", ICD10, "ICD10:E11.9"},
		{"E119", ICD10, "ICD10:E11.9"},
		{"e11.9", "icd10", "ICD10:E11.9"},
		{"ICD-10:E11.9", "", "ICD10:E11.9"},
		{"icd10:e11.9", "", "ICD10:E11.9"},
		{"ICD10:E11.-", "", "ICD10:E11"},
		{"ICD10:E11.9†", "", "ICD10:E11.9"},
		{"ICD10:G63.2*", "", "ICD10:G63.2"},
		{"ICD10:e10–e14", "", "ICD10:E10-E14"},
		{"iv", ICD10, "ICD10:IV"},
		{"C50", ICD10, "ICD10:C50"},
		{"E11.9", "ICD-10", "ICD10:E11.9"},
		{"WHOLE_BLOOD", Material, "MIABIS:WHOLE_BLOOD"},
		{"miabis:whole_blood", "", "MIABIS:whole_blood"}, // codes keep their case; lookups fold it
		{"GRCh38", Assembly, "ASSEMBLY:GRCh38"},
		{"T2T-CHM13v2.0", Assembly, "ASSEMBLY:T2T-CHM13v2.0"},
		{"2TO10", Temperature, "TEMP:2TO10"},
		{"HP_0001250", "", "HP:0001250"},
		{"ABC_123", "XYZ", "XYZ:ABC_123"}, // unknown OBO-like prefix: a bare code of the default system
	}
	for _, tt := range tests {
		got, err := Normalize(tt.input, tt.def)
		if assert.NoError(t, err, "Normalize(%q, %q)", tt.input, tt.def) {
			assert.Equal(t, tt.want, got, "Normalize(%q, %q)", tt.input, tt.def)
		}
	}
}

func TestNormalizeErrors(t *testing.T) {
	tests := []struct {
		input, def string
	}{
		{"", ""},
		{"   ", DUO},
		{"E11.9", ""},     // no prefix, no default
		{":0000007", ""},  // empty prefix
		{"DUO:", ""},      // empty code
		{"DUO:00 07", ""}, // space in code
		{"DUO:000/7", ""}, // slash in code
		{"12:34", ""},     // prefix must start with a letter
		{"D U O:1", ""},   // space in prefix
		{"DUO:1:2", ""},   // second colon
		{"diabetes mellitus", ICD10},
		{"http://example.org/", ""},
		{"http://example.org/thing", ""},
		{"x", "bad prefix"},
		{"ICD10:†", ""},
		{"DUO:0000007\x00", ""},
		{"DUO:" + string(make([]byte, 600)), ""},
	}
	for _, tt := range tests {
		got, err := Normalize(tt.input, tt.def)
		if assert.Error(t, err, "Normalize(%q, %q) = %q", tt.input, tt.def, got) {
			assert.Contains(t, err.Error(), "ontology: ")
		}
	}
}

func TestSplitCURIE(t *testing.T) {
	p, c, ok := SplitCURIE("ICD10:E11.9")
	assert.True(t, ok)
	assert.Equal(t, "ICD10", p)
	assert.Equal(t, "E11.9", c)
	_, _, ok = SplitCURIE("E11.9")
	assert.False(t, ok)
}
