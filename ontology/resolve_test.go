package ontology

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResolve(t *testing.T) {
	tests := []struct {
		input   string
		systems []string
		want    string
	}{
		{"DUO:0000007", nil, "DUO:0000007"},
		{"duo_0000007", nil, "DUO:0000007"},
		{"http://purl.obolibrary.org/obo/DUO_0000007", []string{DUO}, "DUO:0000007"},
		{"0000007", []string{DUO}, "DUO:0000007"},
		{"DS", nil, "DUO:0000007"},
		{"ds", []string{"duo"}, "DUO:0000007"},
		{"NPUNCU", nil, "DUO:0000018"},
		{"disease specific research", nil, "DUO:0000007"},
		{"Disease  Specific RESEARCH", []string{DUO}, "DUO:0000007"},
		{"E11.9", nil, "ICD10:E11.9"},
		{"E119", nil, "ICD10:E11.9"},
		{"e119", []string{ICD10}, "ICD10:E11.9"},
		{"ICD-10:E11.9", nil, "ICD10:E11.9"},
		{"C50.1", []string{ICD10}, "ICD10:C50.1"},
		{"Chapter IV", nil, "ICD10:IV"},
		{"type 2 diabetes", nil, "ICD10:E11"},
		{"Malignant neoplasm of breast", nil, "ICD10:C50"}, // the category, not its one-category block
		{"hg38", nil, "ASSEMBLY:GRCh38"},
		{"HG19", nil, "ASSEMBLY:GRCh37"},
		{"grch38", nil, "ASSEMBLY:GRCh38"},
		{"t2t-chm13v2.0", nil, "ASSEMBLY:T2T-CHM13v2.0"},
		{"CHM13", nil, "ASSEMBLY:T2T-CHM13v2.0"},
		{"plasma", nil, "MIABIS:PLASMA"},
		{"plasma", []string{Anatomy}, "UBERON:0001969"},
		{"blood", []string{Anatomy}, "UBERON:0000178"},
		{"blood", []string{Material, Anatomy}, "MIABIS:BLOOD"}, // a code beats a label
		{"FFPE", nil, "MIABIS:TISSUE_PARAFFIN_EMBEDDED"},
		{"faeces", []string{Material}, "MIABIS:FECES"},
		{"-80 °C", nil, "TEMP:MINUS60TO85"},
		{"LN2", nil, "TEMP:LN"},
		{"2to10", nil, "TEMP:2TO10"},
		{"RNA-seq", nil, "ASSAY:RNA_SEQ"},
		{"exome", nil, "ASSAY:WES"},
		{"gVCF", nil, "FORMAT:GVCF"},
		{"other", []string{Format}, "FORMAT:OTHER"},
		{"skin", nil, "UBERON:0002097"},
	}
	r := Builtin()
	for _, tt := range tests {
		got, err := r.Resolve(tt.input, tt.systems...)
		if assert.NoError(t, err, "Resolve(%q, %v)", tt.input, tt.systems) {
			assert.Equal(t, tt.want, got.CURIE, "Resolve(%q, %v)", tt.input, tt.systems)
		}
	}
}

func TestResolveObsolete(t *testing.T) {
	for _, input := range []string{"DUO:0000005", "GRU-CC", "research use only"} {
		term, err := Builtin().Resolve(input, DUO)
		require.NoError(t, err, input)
		assert.Equal(t, StatusObsolete, term.Status, input)
		assert.True(t, term.IsObsolete(), input)
	}
}

func TestResolveUnknown(t *testing.T) {
	tests := []struct {
		input          string
		systems        []string
		firstSuggested string // "" when no suggestion is expected
		message        string
	}{
		{"DUO:0000070", nil, "DUO:0000007",
			`ontology: unknown code "DUO:0000070"; did you mean DUO:0000007 (disease specific research), `},
		{"DUO:0000070", []string{DUO}, "DUO:0000007",
			`ontology: unknown code "DUO:0000070" (allowed: DUO); did you mean DUO:0000007 (disease specific research), `},
		{"plasm", nil, "MIABIS:PLASMA", `did you mean MIABIS:PLASMA (plasma)`},
		{"plasm", []string{Material}, "MIABIS:PLASMA", `(allowed: MIABIS); did you mean MIABIS:PLASMA (plasma)`},
		{"hg37", []string{Assembly}, "ASSEMBLY:GRCh38", `did you mean ASSEMBLY:GRCh38`},
		{"E11.99", []string{ICD10}, "ICD10:E11.9", `did you mean ICD10:E11.9`},
		{"NRSE", []string{DUO}, "DUO:0000004", `did you mean DUO:0000004 (no restriction)`},
		{"ICD10:E11.9", []string{DUO}, "", `ontology: unknown code "ICD10:E11.9" (allowed: DUO)`},
		{"zzzzzzzzzzzz", nil, "", `ontology: unknown code "zzzzzzzzzzzz"`},
		{"   ", nil, "", `ontology: unknown code ""`},
		{"diabetes mellitus: nonsense", []string{ICD10}, "", `ontology: unknown code "diabetes mellitus: nonsense" (allowed: ICD10)`},
	}
	for _, tt := range tests {
		_, err := Builtin().Resolve(tt.input, tt.systems...)
		var unknown *UnknownCodeError
		if !assert.ErrorAs(t, err, &unknown, "Resolve(%q, %v)", tt.input, tt.systems) {
			continue
		}
		assert.Contains(t, err.Error(), tt.message, tt.input)
		assert.LessOrEqual(t, len(unknown.Suggestions), 3)
		assert.Len(t, unknown.Labels, len(unknown.Suggestions))
		if tt.firstSuggested == "" {
			assert.Empty(t, unknown.Suggestions, tt.input)
			assert.NotContains(t, err.Error(), "did you mean")
		} else if assert.NotEmpty(t, unknown.Suggestions, tt.input) {
			assert.Equal(t, tt.firstSuggested, unknown.Suggestions[0], tt.input)
			assert.Regexp(t, `\?$`, err.Error())
		}
	}
}

func TestResolveAmbiguous(t *testing.T) {
	tests := []struct {
		input   string
		systems []string
		matches []string
	}{
		{"OTHER", nil, []string{"MIABIS:OTHER", "TEMP:OTHER", "ASSAY:OTHER", "FORMAT:OTHER"}},
		{"other", []string{Assay, Format}, []string{"ASSAY:OTHER", "FORMAT:OTHER"}},
		{"CSF", nil, []string{"MIABIS:CEREBROSPINAL_FLUID", "UBERON:0001359"}},
		{"cerebrospinal fluid", nil, []string{"MIABIS:CEREBROSPINAL_FLUID", "UBERON:0001359"}},
	}
	for _, tt := range tests {
		_, err := Builtin().Resolve(tt.input, tt.systems...)
		var amb *AmbiguousCodeError
		if assert.ErrorAs(t, err, &amb, tt.input) {
			assert.Equal(t, tt.matches, amb.Matches, tt.input)
			assert.Contains(t, err.Error(), `ontology: ambiguous code "`+tt.input+`"`)
		}
	}
}

func TestResolvePrefersActiveAndUnknownSystem(t *testing.T) {
	r := NewRegistry()
	_, err := r.Load(System{Name: "T"}, []Term{
		{Code: "OLD", Label: "thing", Status: StatusObsolete, ReplacedBy: "T:NEW"},
		{Code: "NEW", Label: "thing"},
	})
	require.NoError(t, err)
	term, err := r.Resolve("thing")
	require.NoError(t, err)
	assert.Equal(t, "T:NEW", term.CURIE)
	old, err := r.Resolve("T:OLD")
	require.NoError(t, err)
	assert.Equal(t, "T:NEW", old.ReplacedBy)

	_, err = r.Resolve("thing", "NOPE")
	require.Error(t, err)
	var unknown *UnknownCodeError
	assert.False(t, errors.As(err, &unknown), "an unknown system is not an unknown code")
	assert.Contains(t, err.Error(), `ontology: unknown system "NOPE"`)
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"", "", 3, 0},
		{"abc", "abc", 3, 0},
		{"0000070", "0000007", 3, 1}, // one swap
		{"plasm", "plasma", 3, 1},
		{"kitten", "sitting", 3, 3},
		{"kitten", "sitting", 1, 2}, // stops at limit+1
		{"é", "e", 2, 1},            // runes, not bytes
		{"ca", "abc", 3, 3},         // optimal string alignment, not full Damerau
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, editDistance(tt.a, tt.b, tt.limit), "%q %q", tt.a, tt.b)
	}
}
