package ontology

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// oboRelease1 has multiple parents, synonyms of several scopes, comments,
// qualifiers, an obsolete term with replaced_by, an imported term of
// another prefix and a [Typedef].
const oboRelease1 = `format-version: 1.2
data-version: releases/2026-01-15
date: 15:01:2026 10:00
ontology: dis
property_value: http://purl.org/dc/elements/1.1/title "Disease test ontology" xsd:string
! a comment line

[Term]
id: DIS:0000001
name: disease
synonym: "illness" EXACT []

[Term]
id: DIS:0000002
name: metabolic disease ! trailing comment
is_a: DIS:0000001 ! disease
is_a: BFO:0000001 ! imported parent, dropped

[Term]
id: DIS:0000003
name: diabetes mellitus
def: "A metabolic disease: high blood sugar." [PMID:1]
synonym: "diabetes" EXACT []
synonym: "DM" RELATED [PMID:1]
is_a: DIS:0000002 {source="PMID:2"}
xref: ICD10:E10-E14

[Term]
id: DIS:0000004
name: type 2 diabetes mellitus
synonym: "T2D" EXACT ABBREVIATION []
synonym: "adult-onset \"diabetes\"" NARROW []
is_a: DIS:0000003 ! diabetes mellitus
is_a: DIS:0000005 ! insulin resistance disorder

[Term]
id: DIS:0000005
name: insulin resistance disorder
is_a: DIS:0000002
alt_id: DIS:0000099

[Term]
id: DIS:0000006
name: obsolete sugar disease
is_obsolete: true
replaced_by: DIS:0000003
replaced_by: DIS:0000004

[Term]
id: BFO:0000001
name: entity

[Typedef]
id: part_of
name: part of
is_transitive: true
`

// oboRelease2 drops DIS:0000005 (and T2D's link to it), renames
// DIS:0000002 and adds DIS:0000007.
const oboRelease2 = `format-version: 1.2
data-version: releases/2026-06-01

[Term]
id: DIS:0000001
name: disease
synonym: "illness" EXACT []

[Term]
id: DIS:0000002
name: disease of metabolism
is_a: DIS:0000001

[Term]
id: DIS:0000003
name: diabetes mellitus
synonym: "diabetes" EXACT []
synonym: "DM" RELATED [PMID:1]
is_a: DIS:0000002

[Term]
id: DIS:0000004
name: type 2 diabetes mellitus
synonym: "T2D" EXACT ABBREVIATION []
synonym: "adult-onset \"diabetes\"" NARROW []
is_a: DIS:0000003

[Term]
id: DIS:0000006
name: obsolete sugar disease
is_obsolete: true
replaced_by: DIS:0000003

[Term]
id: DIS:0000007
name: type 1 diabetes mellitus
is_a: DIS:0000003
`

func TestParseOBO(t *testing.T) {
	sys, terms, err := ParseOBO(strings.NewReader(oboRelease1), "dis")
	require.NoError(t, err)
	assert.Equal(t, System{Name: "DIS", Prefix: "DIS", Title: "Disease test ontology", Version: "releases/2026-01-15"}, sys)
	want := []Term{
		{System: "DIS", Code: "0000001", CURIE: "DIS:0000001", Label: "disease", Synonyms: []string{"illness"}, Status: StatusActive},
		{System: "DIS", Code: "0000002", CURIE: "DIS:0000002", Label: "metabolic disease", Parents: []string{"DIS:0000001"}, Status: StatusActive},
		{System: "DIS", Code: "0000003", CURIE: "DIS:0000003", Label: "diabetes mellitus", Synonyms: []string{"diabetes", "DM"},
			Parents: []string{"DIS:0000002"}, Status: StatusActive},
		{System: "DIS", Code: "0000004", CURIE: "DIS:0000004", Label: "type 2 diabetes mellitus", Synonyms: []string{"T2D", `adult-onset "diabetes"`},
			Parents: []string{"DIS:0000003", "DIS:0000005"}, Status: StatusActive},
		{System: "DIS", Code: "0000005", CURIE: "DIS:0000005", Label: "insulin resistance disorder", Parents: []string{"DIS:0000002"}, Status: StatusActive},
		{System: "DIS", Code: "0000006", CURIE: "DIS:0000006", Label: "obsolete sugar disease", Status: StatusObsolete, ReplacedBy: "DIS:0000003"},
	}
	assert.Equal(t, want, terms)

	// Without a system name, the prefix of the first id is used; the
	// version falls back to the date.
	sys, terms, err = ParseOBO(strings.NewReader("date: 01:02:2026 10:00\n[Term]\nid: ABC:1\nname: one\n"), "")
	require.NoError(t, err)
	assert.Equal(t, "ABC", sys.Name)
	assert.Equal(t, "01:02:2026 10:00", sys.Version)
	assert.Len(t, terms, 1)
}

func TestParseOBOErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"no id", "[Term]\nname: x\n", "ontology: line 2: [Term] of line 1 has no id"},
		{"no id before next stanza", "[Term]\nname: x\n\n[Term]\nid: X:2\n", "ontology: line 4: [Term] of line 1 has no id"},
		{"second id", "[Term]\nid: X:1\nid: X:2\n", "ontology: line 3: second id"},
		{"duplicate id", "[Term]\nid: X:1\n\n[Term]\nid: x:1\n", "ontology: line 5: duplicate id X:1 (first on line 1)"},
		{"open quote", "[Term]\nid: X:1\nsynonym: \"open\n", "ontology: line 3: synonym: missing closing quote"},
		{"unquoted synonym", "[Term]\nid: X:1\nsynonym: open\n", "ontology: line 3: synonym: missing opening quote"},
		{"bad obsolete flag", "[Term]\nid: X:1\nis_obsolete: maybe\n", "ontology: line 3: is_obsolete"},
		{"bad stanza", "format-version: 1.2\n[Term\n", "ontology: line 2: unterminated stanza"},
		{"not a tag", "format-version: 1.2\n\nthis is not a tag line\n", "ontology: line 3: expected \"tag: value\""},
		{"bad id", "[Term]\nid: ::\n", "ontology: line 2: "},
		{"bad is_a", "[Term]\nid: X:1\nis_a: :: ! bad\n", "ontology: line 3: is_a: "},
		{"bad replaced_by", "[Term]\nid: X:1\nreplaced_by: ::\n", "ontology: line 3: replaced_by: "},
		{"bad system", "", "ontology: system: bad prefix"},
	}
	for _, tt := range tests {
		system := "X"
		if tt.name == "bad system" {
			system = "1x"
		}
		_, _, err := ParseOBO(strings.NewReader(tt.text), system)
		if assert.Error(t, err, tt.name) {
			assert.Contains(t, err.Error(), tt.want, tt.name)
		}
	}
}

func TestParseOBOLongLine(t *testing.T) {
	text := "[Term]\nid: X:1\nname: " + strings.Repeat("a", maxLineLen+1) + "\n"
	_, _, err := ParseOBO(strings.NewReader(text), "X")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "ontology: line 3: line longer than")
}
