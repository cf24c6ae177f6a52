package ontology

import (
	"strings"
	"testing"
)

func FuzzNormalize(f *testing.F) {
	for _, seed := range [][2]string{
		{"DUO:0000007", ""}, {"duo_0000007", ""}, {"http://purl.obolibrary.org/obo/DUO_0000007", ""},
		{"E119", ICD10}, {"ICD-10:e11.9†", ""}, {"ICD10:E11.-", ""}, {"e10–e14", "icd10"},
		{"WHOLE_BLOOD", Material}, {"T2T-CHM13v2.0", Assembly}, {"ABC_123", "XYZ"}, {"<https://x.org/a#B_1>", ""},
		{"", ""}, {"::", "x"}, {"12:34", ""},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, input, def string) {
		out, err := Normalize(input, def)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "ontology: ") {
				t.Fatalf("error without prefix: %v", err)
			}
			return
		}
		prefix, code, ok := SplitCURIE(out)
		if !ok || prefix == "" || code == "" || strings.Contains(code, ":") {
			t.Fatalf("Normalize(%q, %q) = %q: not a CURIE", input, def, out)
		}
		again, err := Normalize(out, "")
		if err != nil || again != out {
			t.Fatalf("Normalize(%q, %q) = %q, but Normalize(%q) = %q, %v", input, def, out, out, again, err)
		}
	})
}

func FuzzParseOBO(f *testing.F) {
	for _, seed := range []string{
		oboRelease1, oboRelease2,
		"[Term]\nid: DIS:1\nname: a\n\n[Term]\nid: DIS:2\nis_a: DIS:1\nis_a: DIS:2\n",
		"[Term]\nid: DIS:1\nis_a: DIS:2\n[Term]\nid: DIS:2\nis_a: DIS:1\n",
		"[Term]\nid: DIS:1\nsynonym: \"a\\\"b\" EXACT []\nis_obsolete: true\nreplaced_by: DIS:2 {x=\"y\"} ! c\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		sys, terms, err := ParseOBO(strings.NewReader(text), "DIS")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "ontology: line ") {
				t.Fatalf("error without line: %v", err)
			}
			return
		}
		checkParsed(t, sys, terms)
	})
}

func FuzzParseTable(f *testing.F) {
	for _, seed := range []string{
		tableCSV, tableTSV,
		"code,label,parent\nA,a,\nB,b,A;C\nC,c,B\n",
		"code\tlabel\tparent\nA\ta\tA\n",
		"code,label\nA,\"multi\nline\"\n",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		sys, terms, err := ParseTable(strings.NewReader(text), "DIS")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "ontology: line ") {
				t.Fatalf("error without line: %v", err)
			}
			return
		}
		checkParsed(t, sys, terms)
	})
}

// checkParsed checks what a parser returned and that loading it either
// fails cleanly or gives a consistent hierarchy.
func checkParsed(t *testing.T, sys System, terms []Term) {
	t.Helper()
	if sys.Name != "DIS" || sys.Prefix != "DIS" {
		t.Fatalf("system %+v", sys)
	}
	for _, term := range terms {
		if term.CURIE != "DIS:"+term.Code {
			t.Fatalf("term %+v: CURIE and code disagree", term)
		}
		if n, err := Normalize(term.CURIE, ""); err != nil || n != term.CURIE {
			t.Fatalf("term %+v: CURIE not canonical", term)
		}
		if term.Status != StatusActive && term.Status != StatusObsolete {
			t.Fatalf("term %+v: status", term)
		}
	}
	r := NewRegistry()
	if _, err := r.Load(sys, terms); err != nil {
		if !strings.HasPrefix(err.Error(), "ontology: ") {
			t.Fatalf("load error without prefix: %v", err)
		}
		return
	}
	for _, term := range r.Terms("DIS") {
		if !r.IsA(term.CURIE, term.CURIE) {
			t.Fatalf("%s is not itself", term.CURIE)
		}
		for _, a := range r.Ancestors(term.CURIE) {
			if !r.IsA(term.CURIE, a) || r.IsA(a, term.CURIE) {
				t.Fatalf("%s and ancestor %s", term.CURIE, a)
			}
		}
		if _, err := r.Resolve(term.CURIE); err != nil {
			t.Fatalf("resolve %s: %v", term.CURIE, err)
		}
	}
	r.Closure("DIS")
	r.Search("DIS", "a", 10)
}
