package ontology

import (
	"fmt"
	"strings"
	"testing"
)

// benchOBO generates an OBO release of n terms: a DAG of depth 8 (levels
// 0 to 7, each about four times the one above), where every fifth term has
// a second parent and every hundredth term is obsolete. It returns the
// text and the CURIEs by level.
func benchOBO(n int) (string, [][]string) {
	sizes := []int{1, 4, 16, 64, 256, 1024, 4096}
	rest := n
	for _, s := range sizes {
		rest -= s
	}
	sizes = append(sizes, rest)
	var b strings.Builder
	b.WriteString("format-version: 1.2\ndata-version: bench/1\nontology: ben\n\n")
	levels := make([][]string, len(sizes))
	id := 0
	for level, size := range sizes {
		for i := range size {
			id++
			curie := fmt.Sprintf("BEN:%07d", id)
			levels[level] = append(levels[level], curie)
			fmt.Fprintf(&b, "[Term]\nid: %s\nname: term %d of level %d\n", curie, i, level)
			if id%3 == 0 {
				fmt.Fprintf(&b, "synonym: \"synonym %d\" EXACT []\n", id)
			}
			if id%100 == 0 {
				fmt.Fprintf(&b, "is_obsolete: true\nreplaced_by: %s\n\n", levels[level][0])
				continue
			}
			if level > 0 {
				up := levels[level-1]
				fmt.Fprintf(&b, "is_a: %s ! parent\n", up[i%len(up)])
				if i%5 == 0 && len(up) > 1 {
					fmt.Fprintf(&b, "is_a: %s\n", up[(i+1)%len(up)])
				}
			}
			b.WriteString("\n")
		}
	}
	return b.String(), levels
}

func benchRegistry(b *testing.B) (*Registry, [][]string) {
	b.Helper()
	text, levels := benchOBO(25000)
	sys, terms, err := ParseOBO(strings.NewReader(text), "BEN")
	if err != nil {
		b.Fatal(err)
	}
	r := NewRegistry()
	if _, err := r.Load(sys, terms); err != nil {
		b.Fatal(err)
	}
	return r, levels
}

func BenchmarkLoadOBO25k(b *testing.B) {
	text, _ := benchOBO(25000)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		sys, terms, err := ParseOBO(strings.NewReader(text), "BEN")
		if err != nil {
			b.Fatal(err)
		}
		r := NewRegistry()
		rep, err := r.Load(sys, terms)
		if err != nil {
			b.Fatal(err)
		}
		if rep.Added != 25000 {
			b.Fatalf("added %d", rep.Added)
		}
	}
}

func BenchmarkIsA(b *testing.B) {
	r, levels := benchRegistry(b)
	leaves, mids := levels[7], levels[3]
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		r.IsA(leaves[i%len(leaves)], mids[i%len(mids)])
		i++
	}
}

func BenchmarkDescendants(b *testing.B) {
	r, levels := benchRegistry(b)
	for _, bc := range []struct {
		name  string
		terms []string
	}{{"level3", levels[3]}, {"root", levels[0]}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			i, total := 0, 0
			for b.Loop() {
				total += len(r.Descendants(bc.terms[i%len(bc.terms)]))
				i++
			}
			b.ReportMetric(float64(total)/float64(i), "terms/op")
		})
	}
}
