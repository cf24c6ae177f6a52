package ontology

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const tableCSV = "\ufeff# title: Test vocabulary\n" +
	"# source: unit test\n" +
	"# version: 3\n" +
	"\n" +
	"Code,Label,Parent,Synonyms,Status,Replaced_By,Comment\n" +
	"A,\"Alpha, first\",,\"a1; alpha\",,,ignored\n" +
	"# a comment between rows\n" +
	"B,Beta,A,,active,,\n" +
	"C,\"Gamma \"\"quoted\"\"\",A;t:B,,obsolete,B,\n"

const tableTSV = "# title: Test vocabulary\r\n" +
	"# source: unit test\r\n" +
	"# version: 3\r\n" +
	"code\tlabel\tparent\tsynonyms\tstatus\treplaced_by\tcomment\r\n" +
	"A\tAlpha, first\t\ta1; alpha\t\t\tignored\r\n" +
	"\r\n" +
	"B\tBeta\tA\t\tactive\r\n" +
	"T:C\tGamma \"quoted\"\tA;t:B\t\tobsolete\tB\t\r\n"

func TestParseTable(t *testing.T) {
	want := []Term{
		{System: "T", Code: "A", CURIE: "T:A", Label: "Alpha, first", Synonyms: []string{"a1", "alpha"}, Status: StatusActive},
		{System: "T", Code: "B", CURIE: "T:B", Label: "Beta", Parents: []string{"T:A"}, Status: StatusActive},
		{System: "T", Code: "C", CURIE: "T:C", Label: `Gamma "quoted"`, Parents: []string{"T:A", "T:B"},
			Status: StatusObsolete, ReplacedBy: "T:B"},
	}
	for _, tt := range []struct{ name, text string }{{"csv", tableCSV}, {"tsv", tableTSV}} {
		sys, terms, err := ParseTable(strings.NewReader(tt.text), "t")
		if !assert.NoError(t, err, tt.name) {
			continue
		}
		assert.Equal(t, System{Name: "T", Prefix: "T", Title: "Test vocabulary", Source: "unit test", Version: "3"}, sys, tt.name)
		assert.Equal(t, want, terms, tt.name)
	}
}

func TestParseTableMinimalColumns(t *testing.T) {
	_, terms, err := ParseTable(strings.NewReader("label,code\nOne,1\n"), "N")
	require.NoError(t, err)
	assert.Equal(t, []Term{{System: "N", Code: "1", CURIE: "N:1", Label: "One", Status: StatusActive}}, terms)
}

func TestParseTableErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"empty", "", "ontology: line 0: no header line"},
		{"only comments", "# title: x\n\n", "ontology: line 2: no header line"},
		{"no label column", "# c\ncode\tparent\nA\t\n", "ontology: line 2: header: columns code and label are required"},
		{"no delimiter", "code\n", "ontology: line 1: header: columns code and label are required"},
		{"column twice", "code,label,id\n", `ontology: line 1: header: column "id" given twice`},
		{"tsv empty code", "code\tlabel\nA\ta\n\t b\n", "ontology: line 3: empty code"},
		{"tsv duplicate", "code\tlabel\nA\ta\n# x\na\tb\nA\tc\n", "ontology: line 5: duplicate code T:A (first on line 2)"},
		{"tsv too many fields", "code\tlabel\nA\ta\tx\n", "ontology: line 2: 3 fields, but the header has 2"},
		{"tsv bad status", "code\tlabel\tstatus\nA\ta\tgone\n", `ontology: line 2: T:A: unknown status "gone"`},
		{"tsv bad parent", "code\tlabel\tparent\nA\ta\tB;x y\n", "ontology: line 2: T:A: parent"},
		{"tsv other system", "code\tlabel\nDUO:0000001\ta\n", "ontology: line 2: DUO:0000001 is not in system T"},
		{"tsv empty label", "code\tlabel\nA\t \n", "ontology: line 2: T:A: empty label"},
		{"tsv bad code", "code\tlabel\nA B\ta\n", "ontology: line 2: bad code"},
		{"tsv bad replacement", "code\tlabel\treplaced_by\nA\ta\t::\n", "ontology: line 2: T:A: replaced_by"},
		{"csv bare quote", "code,label\nA,a\nB,b\"x\n", "ontology: line 3: bare \" in non-quoted-field"},
		{"csv duplicate after multi-line field", "code,label\nA,\"two\nlines\"\nA,b\n", "ontology: line 4: duplicate code T:A (first on line 2)"},
		{"csv header quote", "code,\"label\n", "ontology: line 1: header: "},
		{"csv long line", "code,label\nA," + strings.Repeat("x", maxLineLen+1) + "\n", "ontology: line 2: line longer than"},
		{"tsv long line", "code\tlabel\nA\t" + strings.Repeat("x", maxLineLen+1) + "\n", "ontology: line 2: line longer than"},
	}
	for _, tt := range tests {
		_, _, err := ParseTable(strings.NewReader(tt.text), "T")
		if assert.Error(t, err, tt.name) {
			assert.Contains(t, err.Error(), tt.want, tt.name)
		}
	}
	_, _, err := ParseTable(strings.NewReader("code,label\n"), " ")
	assert.EqualError(t, err, "ontology: ParseTable needs a system name")
}
