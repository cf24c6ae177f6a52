package ontology_test

import (
	"fmt"
	"strings"

	"databank/ontology"
)

func ExampleNormalize() {
	for _, in := range []string{"duo:0000007", "http://purl.obolibrary.org/obo/DUO_0000007", "ICD-10:e11.9"} {
		curie, _ := ontology.Normalize(in, "")
		fmt.Println(curie)
	}
	curie, _ := ontology.Normalize("E119", ontology.ICD10)
	fmt.Println(curie)
	// Output:
	// DUO:0000007
	// DUO:0000007
	// ICD10:E11.9
	// ICD10:E11.9
}

func ExampleRegistry_Resolve() {
	r := ontology.Builtin()
	for _, in := range []string{"DS", "hg38", "plasma", "E119"} {
		t, _ := r.Resolve(in)
		fmt.Printf("%s → %s (%s)\n", in, t.CURIE, t.Label)
	}
	_, err := r.Resolve("DUO:0000070", ontology.DUO)
	fmt.Println(err)
	_, err = r.Resolve("other")
	fmt.Println(err)
	// Output:
	// DS → DUO:0000007 (disease specific research)
	// hg38 → ASSEMBLY:GRCh38 (Genome Reference Consortium Human Build 38)
	// plasma → MIABIS:PLASMA (plasma)
	// E119 → ICD10:E11.9 (Type 2 diabetes mellitus: Without complications)
	// ontology: unknown code "DUO:0000070" (allowed: DUO); did you mean DUO:0000007 (disease specific research), DUO:0000020 (collaboration required), DUO:0000001 (data use permission)?
	// ontology: ambiguous code "other" matches MIABIS:OTHER, TEMP:OTHER, ASSAY:OTHER, FORMAT:OTHER; give a CURIE or fewer systems
}

func ExampleRegistry_IsA() {
	r := ontology.Builtin()
	// A consent for disease-specific research on diabetes mellitus (E10-E14)
	// covers a study of type 2 diabetes without complications.
	fmt.Println(r.IsA("ICD10:E11.9", "ICD10:E10-E14"))
	fmt.Println(r.IsA("MIABIS:PLASMA", "MIABIS:BLOOD"))
	fmt.Println(r.IsA("MIABIS:DNA", "MIABIS:BLOOD"))
	// Output:
	// true
	// true
	// false
}

func ExampleRegistry_Load() {
	r := ontology.NewRegistry()
	release := `data-version: 2026-01
[Term]
id: DIS:1
name: disease

[Term]
id: DIS:2
name: diabetes
is_a: DIS:1
`
	sys, terms, _ := ontology.ParseOBO(strings.NewReader(release), "DIS")
	rep, _ := r.Load(sys, terms)
	fmt.Println(rep.Added, rep.Obsoleted)

	sys, terms, _ = ontology.ParseOBO(strings.NewReader("data-version: 2026-06\n[Term]\nid: DIS:1\nname: disease\n"), "DIS")
	rep, _ = r.Load(sys, terms)
	fmt.Println(rep.Unchanged, rep.Obsoleted, rep.ObsoletedCURIEs)
	// Output:
	// 2 0
	// 1 1 [DIS:2]
}
