package ontology

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestIsA(t *testing.T) {
	tests := []struct {
		curie, ancestor string
		want            bool
	}{
		{"DUO:0000007", "DUO:0000006", true},  // DS is HMB
		{"DUO:0000007", "DUO:0000042", true},  // DS is GRU
		{"DUO:0000007", "DUO:0000001", true},  // DS is a permission
		{"DUO:0000006", "DUO:0000007", false}, // HMB is not DS
		{"DUO:0000045", "DUO:0000018", true},  // NPU is NPUNCU
		{"DUO:0000046", "DUO:0000018", true},  // NCU is NPUNCU
		{"DUO:0000045", "DUO:0000001", false}, // a modifier is no permission
		{"MIABIS:PLASMA", "MIABIS:BLOOD", true},
		{"MIABIS:SERUM", "MIABIS:BLOOD", true},
		{"MIABIS:DNA", "MIABIS:NUCLEIC_ACID", true},
		{"MIABIS:DNA", "MIABIS:BLOOD", false},
		{"MIABIS:MICRO_RNA", "MIABIS:NUCLEIC_ACID", true},
		{"MIABIS:TISSUE_PARAFFIN_EMBEDDED", "MIABIS:TISSUE", true},
		{"MIABIS:SALIVA", "MIABIS:BODY_FLUID", true},
		{"ICD10:E11.9", "ICD10:E11", true},
		{"ICD10:E11.9", "ICD10:E10-E14", true},
		{"ICD10:E11.9", "ICD10:IV", true},
		{"ICD10:E11.9", "ICD10:E10", false},
		{"ICD10:E11", "ICD10:E11.9", false},
		{"ICD10:C50.1", "ICD10:C50", true},
		{"ICD10:C50.1", "ICD10:C00-C97", true},
		{"ICD10:C50.1", "ICD10:II", true},
		{"ICD10:C50.1", "ICD10:IV", false},
		{"ASSAY:LONG_READ_WGS", "ASSAY:WGS", true},
		{"ASSAY:WGS", "ASSAY:LONG_READ_WGS", false},
		{"FORMAT:GVCF", "FORMAT:VCF", true},
		{"FORMAT:BCF", "FORMAT:VCF", false},
		{"UBERON:0001969", "UBERON:0000178", true},
		{"DUO:0000007", "DUO:0000007", true}, // reflexive
		{"duo:0000007", "DUO_0000006", true}, // any CURIE form
		{"icd10:e119", "ICD-10:IV", true},
		{"ICD10:E11.9", "ICD10:NOPE", false},
		{"NOPE:1", "NOPE:1", false},
		{"", "", false},
	}
	r := Builtin()
	for _, tt := range tests {
		assert.Equal(t, tt.want, r.IsA(tt.curie, tt.ancestor), "IsA(%s, %s)", tt.curie, tt.ancestor)
	}
}

func TestAncestorsDescendantsChildren(t *testing.T) {
	r := Builtin()
	tests := []struct {
		name string
		got  []string
		want []string
	}{
		{"ancestors of DS", r.Ancestors("DUO:0000007"), []string{"DUO:0000006", "DUO:0000042", "DUO:0000001"}},
		{"ancestors of E11.9", r.Ancestors("ICD10:E11.9"), []string{"ICD10:E11", "ICD10:E10-E14", "ICD10:IV"}},
		{"ancestors of C50.1", r.Ancestors("ICD10:C50.1"),
			[]string{"ICD10:C50", "ICD10:C50-C50", "ICD10:C00-C75", "ICD10:C00-C97", "ICD10:II"}},
		{"ancestors of a root", r.Ancestors("DUO:0000001"), nil},
		{"ancestors of unknown", r.Ancestors("DUO:9999999"), nil},
		{"children of NPUNCU", r.Children("DUO:0000018"), []string{"DUO:0000045", "DUO:0000046"}},
		{"children of BLOOD", r.Children("MIABIS:BLOOD"),
			[]string{"MIABIS:WHOLE_BLOOD", "MIABIS:PLASMA", "MIABIS:SERUM", "MIABIS:BUFFY_COAT", "MIABIS:PERIPHERAL_BLOOD_CELLS"}},
		{"children of a leaf", r.Children("MIABIS:PLASMA"), nil},
		{"descendants of HMB", r.Descendants("DUO:0000006"), []string{"DUO:0000007"}},
		{"descendants of GRU", r.Descendants("DUO:0000042"), []string{"DUO:0000006", "DUO:0000007"}},
		{"descendants of NUCLEIC_ACID", r.Descendants("MIABIS:NUCLEIC_ACID"),
			[]string{"MIABIS:DNA", "MIABIS:RNA", "MIABIS:CDNA", "MIABIS:MICRO_RNA"}},
		{"descendants of a leaf", r.Descendants("ICD10:E11.9"), nil},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.got, tt.name)
	}

	e11 := r.Descendants("ICD10:E11")
	assert.Contains(t, e11, "ICD10:E11.9")
	assert.Len(t, e11, 10)
	iv := r.Descendants("ICD10:IV")
	assert.Contains(t, iv, "ICD10:E11.9")
	assert.Contains(t, iv, "ICD10:E10-E14")
	assert.NotContains(t, iv, "ICD10:C50")
	for _, d := range iv {
		assert.True(t, r.IsA(d, "ICD10:IV"), d)
	}
}

func TestClosure(t *testing.T) {
	r := Builtin()
	edges := r.Closure(ICD10)
	byPair := map[[2]string]int{}
	selfs := 0
	for _, e := range edges {
		_, dup := byPair[[2]string{e.Descendant, e.Ancestor}]
		assert.False(t, dup, "one edge per pair: %v", e)
		byPair[[2]string{e.Descendant, e.Ancestor}] = e.Depth
		if e.Descendant == e.Ancestor {
			selfs++
			assert.Equal(t, 0, e.Depth)
		} else {
			assert.True(t, r.IsA(e.Descendant, e.Ancestor), "%v", e)
			assert.Positive(t, e.Depth)
		}
	}
	assert.Equal(t, len(r.Terms(ICD10)), selfs, "one self pair per term")
	tests := []struct {
		desc, anc string
		depth     int
	}{
		{"ICD10:E11.9", "ICD10:E11.9", 0},
		{"ICD10:E11.9", "ICD10:E11", 1},
		{"ICD10:E11.9", "ICD10:E10-E14", 2},
		{"ICD10:E11.9", "ICD10:IV", 3},
		{"ICD10:C50.1", "ICD10:II", 5},
	}
	for _, tt := range tests {
		depth, ok := byPair[[2]string{tt.desc, tt.anc}]
		if assert.True(t, ok, "%s under %s", tt.desc, tt.anc) {
			assert.Equal(t, tt.depth, depth, "%s under %s", tt.desc, tt.anc)
		}
	}
	_, ok := byPair[[2]string{"ICD10:E11", "ICD10:E11.9"}]
	assert.False(t, ok, "no upward edge")
	assert.Nil(t, r.Closure("NOPE"))
}

func TestShortestDepthWithMultipleParents(t *testing.T) {
	// D has parents B (depth 2 from A via B) and A directly: depth to A is 1.
	r := NewRegistry()
	_, err := r.Load(System{Name: "T"}, []Term{
		{Code: "A", Label: "a"},
		{Code: "B", Label: "b", Parents: []string{"A"}},
		{Code: "C", Label: "c", Parents: []string{"B"}},
		{Code: "D", Label: "d", Parents: []string{"C", "A"}},
		{Code: "X", Label: "x"},
		{Code: "Y", Label: "y", Parents: []string{"X"}},
		{Code: "E", Label: "e", Parents: []string{"A", "Y"}},
	})
	assert.NoError(t, err)
	assert.True(t, r.IsA("T:E", "T:X"), "through the second parent")
	assert.Equal(t, []string{"T:A", "T:Y", "T:X"}, r.Ancestors("T:E"))
	assert.Equal(t, []string{"T:C", "T:A", "T:B"}, r.Ancestors("T:D"), "nearest first")
	var depth = -1
	for _, e := range r.Closure("T") {
		if e.Descendant == "T:D" && e.Ancestor == "T:A" {
			depth = e.Depth
		}
	}
	assert.Equal(t, 1, depth)
	assert.Equal(t, []string{"T:B", "T:D", "T:E", "T:C"}, r.Descendants("T:A"), "breadth first")
}
