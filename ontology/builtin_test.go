package ontology

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBuiltinSystems(t *testing.T) {
	names := []string{}
	for _, s := range Builtin().Systems() {
		names = append(names, s.Name)
		assert.Equal(t, s.Name, s.Prefix, "built-in prefix equals name")
		assert.NotEmpty(t, s.Title, s.Name)
		assert.NotEmpty(t, s.Source, s.Name)
		assert.NotEmpty(t, s.Version, s.Name)
	}
	assert.Equal(t, []string{DUO, ICD10, Material, Temperature, Anatomy, Assay, Format, Assembly}, names)
}

func TestBuiltinRequiredCodes(t *testing.T) {
	required := []string{
		"MIABIS:WHOLE_BLOOD", "MIABIS:PLASMA", "MIABIS:SERUM", "MIABIS:BUFFY_COAT", "MIABIS:DNA",
		"MIABIS:RNA", "MIABIS:TISSUE_FROZEN", "MIABIS:TISSUE_PARAFFIN_EMBEDDED", "MIABIS:SALIVA",
		"MIABIS:URINE", "MIABIS:FECES", "MIABIS:BLOOD", "MIABIS:NUCLEIC_ACID", "MIABIS:TISSUE",
		"MIABIS:BODY_FLUID", "MIABIS:PERIPHERAL_BLOOD_CELLS", "MIABIS:CEREBROSPINAL_FLUID",
		"MIABIS:CELL_LINES", "MIABIS:PATHOGEN", "MIABIS:OTHER",
		"TEMP:RT", "TEMP:2TO10", "TEMP:MINUS18TO35", "TEMP:MINUS60TO85", "TEMP:LN", "TEMP:OTHER",
		"ASSEMBLY:GRCh37", "ASSEMBLY:GRCh38", "ASSEMBLY:T2T-CHM13v2.0",
		"ASSAY:WGS", "ASSAY:WES", "ASSAY:TARGETED_PANEL", "ASSAY:RNA_SEQ", "ASSAY:GENOTYPING_ARRAY",
		"ASSAY:METHYLATION_ARRAY", "ASSAY:LONG_READ_WGS", "ASSAY:OTHER",
		"FORMAT:VCF", "FORMAT:GVCF", "FORMAT:BCF", "FORMAT:BAM", "FORMAT:CRAM", "FORMAT:FASTQ", "FORMAT:OTHER",
		"UBERON:0001062", "UBERON:0000178", "UBERON:0001836", "UBERON:0001088", "UBERON:0001988",
		"UBERON:0001359", "UBERON:0000955", "UBERON:0002107", "UBERON:0002048", "UBERON:0000310",
		"UBERON:0001155", "UBERON:0002113", "UBERON:0002367", "UBERON:0000948", "UBERON:0002097",
		"UBERON:0000945", "UBERON:0001264",
		"ICD10:IV", "ICD10:E10-E14", "ICD10:E11", "ICD10:E11.9", "ICD10:C50.1", "ICD10:I21.4",
		"ICD10:F32.0", "ICD10:J45.8", "ICD10:C18.7", "ICD10:G30.1", "ICD10:E10.9",
	}
	for _, c := range required {
		term, ok := Builtin().Term(c)
		if assert.True(t, ok, c) {
			assert.Equal(t, c, term.CURIE)
			assert.NotEmpty(t, term.Label, c)
			assert.Equal(t, StatusActive, term.Status, c)
		}
	}
}

func TestBuiltinDUO(t *testing.T) {
	terms := Builtin().Terms(DUO)
	require.Len(t, terms, 27, "every row of duo-terms.tsv")
	byCURIE := map[string]Term{}
	for _, term := range terms {
		byCURIE[term.CURIE] = term
	}
	assert.Empty(t, byCURIE["DUO:0000001"].Parents)
	assert.Empty(t, byCURIE["DUO:0000017"].Parents)
	assert.Equal(t, []string{"DS"}, byCURIE["DUO:0000007"].Synonyms)
	assert.Equal(t, "disease specific research", byCURIE["DUO:0000007"].Label)
	for _, c := range []string{"DUO:0000005", "DUO:0000014"} {
		assert.Equal(t, StatusObsolete, byCURIE[c].Status, c)
	}
	for c, term := range byCURIE {
		if c != "DUO:0000005" && c != "DUO:0000014" {
			assert.Equal(t, StatusActive, term.Status, c)
		}
	}
}

func TestBuiltinICD10Shape(t *testing.T) {
	r := Builtin()
	chapters := 0
	for _, term := range r.Terms(ICD10) {
		if len(term.Parents) == 0 {
			chapters++
			assert.Contains(t, term.Synonyms, "Chapter "+term.Code)
		}
	}
	assert.Equal(t, 22, chapters, "22 chapters, nothing else at the top")
	assert.Equal(t, []string{"ICD10:E11", "ICD10:E10-E14", "ICD10:IV"}, r.Ancestors("ICD10:E11.9"))
	// Every three-character category of the covered chapters sits under a block.
	for _, ch := range []string{"II", "IV", "V", "VI", "IX", "X"} {
		children := r.Children("ICD10:" + ch)
		assert.NotEmpty(t, children, ch)
	}
	assert.Len(t, r.Children("ICD10:E11"), 10, "E11.0 to E11.9")
	assert.Len(t, r.Children("ICD10:C50"), 9, "C50.0 to C50.6, C50.8, C50.9")
	_, ok := r.Term("ICD10:I84")
	assert.False(t, ok, "I84 left ICD-10 in the 2010 update")
	_, ok = r.Term("ICD10:K55-K64")
	assert.True(t, ok)
}

// Every registry Builtin and NewBuiltin return, and every clone, is
// independent: a release loaded into one is seen by that one alone.
func TestBuiltinRegistriesAreIndependent(t *testing.T) {
	fresh, err := NewBuiltin()
	require.NoError(t, err)
	shared := Builtin()
	tests := []struct {
		name string
		reg  *Registry
	}{
		{"NewBuiltin", fresh},
		{"Builtin", Builtin()},
		{"Clone", shared.Clone()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.reg.Load(System{Name: Assay}, []Term{{Code: "WGS", Label: "whole genome sequencing"}})
			require.NoError(t, err)
			term, _ := tt.reg.Term("ASSAY:WES")
			assert.Equal(t, StatusObsolete, term.Status)
			term, _ = shared.Term("ASSAY:WES")
			assert.Equal(t, StatusActive, term.Status, "the other registries are untouched")
			term, _ = Builtin().Term("ASSAY:WES")
			assert.Equal(t, StatusActive, term.Status, "the built-in release is untouched")
		})
	}
}

// Replace publishes a release built aside: the target sees all of it at
// once, and later loads into the source stay there.
func TestReplace(t *testing.T) {
	live := Builtin()
	next := live.Clone()
	_, err := next.Load(System{Name: "TST"}, []Term{{Code: "1", Label: "one"}, {Code: "2", Label: "two", Parents: []string{"1"}}})
	require.NoError(t, err)
	_, ok := live.Term("TST:2")
	require.False(t, ok, "nothing is published before Replace")

	live.Replace(next)
	assert.True(t, live.IsA("TST:2", "TST:1"))
	assert.Len(t, live.Systems(), len(Builtin().Systems())+1)

	_, err = next.Load(System{Name: "TST"}, []Term{{Code: "1", Label: "one"}})
	require.NoError(t, err)
	term, _ := live.Term("TST:2")
	assert.Equal(t, StatusActive, term.Status, "a load after Replace stays in its registry")
}
