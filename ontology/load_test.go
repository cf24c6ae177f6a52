package ontology

import (
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func loadOBO(t *testing.T, r *Registry, text string) LoadReport {
	t.Helper()
	sys, terms, err := ParseOBO(strings.NewReader(text), "DIS")
	require.NoError(t, err)
	rep, err := r.Load(sys, terms)
	require.NoError(t, err)
	return rep
}

func TestLoadReleases(t *testing.T) {
	r := NewRegistry()

	rep := loadOBO(t, r, oboRelease1)
	assert.Equal(t, LoadReport{System: "DIS", Version: "releases/2026-01-15", Added: 6}, rep)
	assert.True(t, r.IsA("DIS:0000004", "DIS:0000005"), "second parent")
	assert.True(t, r.IsA("DIS:0000004", "DIS:0000001"))
	assert.Equal(t, []string{"DIS:0000003", "DIS:0000005", "DIS:0000002", "DIS:0000001"}, r.Ancestors("DIS:0000004"))
	term, err := r.Resolve("T2D", "dis")
	require.NoError(t, err)
	assert.Equal(t, "DIS:0000004", term.CURIE)
	obsolete, err := r.Resolve("DIS:0000006")
	require.NoError(t, err)
	assert.Equal(t, StatusObsolete, obsolete.Status)
	assert.Equal(t, "DIS:0000003", obsolete.ReplacedBy)
	sys, ok := r.System("dis")
	require.True(t, ok)
	assert.Equal(t, "Disease test ontology", sys.Title)

	// Second release: DIS:0000005 is gone, DIS:0000002 renamed, DIS:0000004
	// lost a parent, DIS:0000007 is new.
	rep = loadOBO(t, r, oboRelease2)
	assert.Equal(t, LoadReport{
		System: "DIS", Version: "releases/2026-06-01",
		Added: 1, Updated: 2, Obsoleted: 1, Unchanged: 3,
		ObsoletedCURIEs: []string{"DIS:0000005"},
	}, rep)
	gone, ok := r.Term("DIS:0000005")
	require.True(t, ok, "terms missing from a release are kept")
	assert.Equal(t, StatusObsolete, gone.Status)
	assert.Equal(t, []string{"DIS:0000002"}, gone.Parents, "and keep their parents")
	assert.True(t, r.IsA("DIS:0000005", "DIS:0000001"))
	assert.False(t, r.IsA("DIS:0000004", "DIS:0000005"))
	renamed, _ := r.Term("DIS:0000002")
	assert.Equal(t, "disease of metabolism", renamed.Label)
	sys, _ = r.System("DIS")
	assert.Equal(t, "Disease test ontology", sys.Title, "a release without a title keeps the old one")
	assert.Equal(t, "releases/2026-06-01", sys.Version)
	assert.Equal(t, []string{"DIS:0000001", "DIS:0000002", "DIS:0000003", "DIS:0000004", "DIS:0000006", "DIS:0000007", "DIS:0000005"},
		curiesOf(r.Terms("DIS")), "release order, then terms missing from it")

	// The same release again changes nothing.
	rep = loadOBO(t, r, oboRelease2)
	assert.Equal(t, LoadReport{System: "DIS", Version: "releases/2026-06-01", Unchanged: 7}, rep)

	// A term coming back is an update; one withdrawn explicitly is obsoleted.
	_, err = r.Load(System{Name: "DIS"}, []Term{
		{Code: "0000001", Label: "disease", Synonyms: []string{"illness"}},
		{Code: "0000005", Label: "insulin resistance disorder", Parents: []string{"DIS:0000001"}},
		{Code: "0000007", Label: "type 1 diabetes mellitus", Status: StatusObsolete},
	})
	require.NoError(t, err)
	back, _ := r.Term("DIS:0000005")
	assert.Equal(t, StatusActive, back.Status)
}

func TestLoadCounts(t *testing.T) {
	r := NewRegistry()
	base := []Term{{Code: "A", Label: "a"}, {Code: "B", Label: "b", Parents: []string{"A"}}, {Code: "C", Label: "c"}}
	_, err := r.Load(System{Name: "T"}, base)
	require.NoError(t, err)
	rep, err := r.Load(System{Name: "T"}, []Term{
		{Code: "A", Label: "a"}, // unchanged
		{Code: "B", Label: "b", Parents: []string{"A"}, Status: StatusObsolete},           // obsoleted explicitly
		{Code: "D", Label: "d", Synonyms: []string{"delta", " delta ", ""}, CURIE: "t:D"}, // added
	})
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Added)
	assert.Equal(t, 0, rep.Updated)
	assert.Equal(t, 2, rep.Obsoleted, "B withdrawn, C missing")
	assert.Equal(t, 1, rep.Unchanged)
	assert.Equal(t, []string{"T:B", "T:C"}, rep.ObsoletedCURIEs)
	d, _ := r.Term("T:D")
	assert.Equal(t, []string{"delta"}, d.Synonyms, "trimmed, deduplicated")
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name  string
		sys   System
		terms []Term
		want  string
	}{
		{"cycle", System{Name: "T"}, []Term{
			{Code: "A", Label: "a", Parents: []string{"C"}},
			{Code: "B", Label: "b", Parents: []string{"A"}},
			{Code: "C", Label: "c", Parents: []string{"B"}},
		}, "cycle in hierarchy: T:"},
		{"self parent", System{Name: "T"}, []Term{{Code: "A", Label: "a", Parents: []string{"T:A"}}}, "its own parent"},
		{"missing parent", System{Name: "T"}, []Term{{Code: "A", Label: "a", Parents: []string{"B"}}}, "parent T:B is not in the release"},
		{"parent of unknown system", System{Name: "T"}, []Term{{Code: "A", Label: "a", Parents: []string{"NOPE:1"}}}, "parent NOPE:1 is not loaded"},
		{"duplicate", System{Name: "T"}, []Term{{Code: "A", Label: "a"}, {Code: "a", CURIE: "T:a"}, {CURIE: "t:A"}}, "term 3: T:A duplicates term 1"},
		{"no code", System{Name: "T"}, []Term{{Label: "a"}}, "term 1: no code"},
		{"other prefix", System{Name: "T"}, []Term{{Code: "U:1"}}, "U:1 is not in system T"},
		{"curie mismatch", System{Name: "T"}, []Term{{Code: "A", CURIE: "T:B"}}, "does not match"},
		{"system mismatch", System{Name: "T"}, []Term{{Code: "A", System: "U"}}, `system "U" is not T`},
		{"bad status", System{Name: "T"}, []Term{{Code: "A", Status: "gone"}}, `unknown status "gone"`},
		{"bad parent", System{Name: "T"}, []Term{{Code: "A", Parents: []string{"a b"}}}, "parent"},
		{"bad replacement", System{Name: "T"}, []Term{{Code: "A", ReplacedBy: "::"}}, "replaced by"},
		{"empty release", System{Name: "T"}, nil, "release has no terms"},
		{"no name", System{}, []Term{{Code: "A"}}, "ontology: system prefix"},
		{"bad prefix", System{Name: "T", Prefix: "1T"}, []Term{{Code: "A"}}, "ontology: system prefix"},
		{"prefix taken", System{Name: "OTHER", Prefix: DUO}, []Term{{Code: "A"}}, "already used"},
	}
	r, err := NewBuiltin()
	require.NoError(t, err)
	for _, tt := range tests {
		before := r.snapshot()
		_, err := r.Load(tt.sys, tt.terms)
		if assert.Error(t, err, tt.name) {
			assert.Contains(t, err.Error(), tt.want, tt.name)
			assert.True(t, strings.HasPrefix(err.Error(), "ontology: "), err.Error())
		}
		assert.Same(t, before, r.snapshot(), "%s: registry unchanged", tt.name)
	}
}

func TestLoadCycleThroughExistingSystem(t *testing.T) {
	r := NewRegistry()
	_, err := r.Load(System{Name: "T"}, []Term{{Code: "A", Label: "a"}})
	require.NoError(t, err)
	_, err = r.Load(System{Name: "U"}, []Term{{Code: "B", Label: "b", Parents: []string{"t:a"}}})
	require.NoError(t, err)
	b, _ := r.Term("U:B")
	assert.Equal(t, []string{"T:A"}, b.Parents, "a parent in another system is found in any letter case")
	assert.True(t, r.IsA("U:B", "T:A"), "parents may live in another system")
	assert.Equal(t, []Edge{{"U:B", "U:B", 0}, {"U:B", "T:A", 1}}, r.Closure("U"))

	_, err = r.Load(System{Name: "T"}, []Term{{Code: "A", Label: "a", Parents: []string{"U:B"}}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "cycle")
	a, _ := r.Term("T:A")
	assert.Empty(t, a.Parents, "failed load left the registry as it was")
}

func TestRegistryConcurrentReadsDuringLoad(t *testing.T) {
	r, err := NewBuiltin()
	require.NoError(t, err)
	releases := [][]Term{
		{{Code: "WGS", Label: "whole genome sequencing"}, {Code: "LONG_READ_WGS", Label: "long-read WGS", Parents: []string{"WGS"}}},
		{{Code: "WGS", Label: "whole genome sequencing v2"}, {Code: "LONG_READ_WGS", Label: "long-read WGS", Parents: []string{"WGS"}}},
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	failures := make(chan string, 100)
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				if !r.IsA("ASSAY:LONG_READ_WGS", "ASSAY:WGS") || !r.IsA("ICD10:E11.9", "ICD10:IV") {
					failures <- "IsA"
					return
				}
				if _, err := r.Resolve("hg38"); err != nil {
					failures <- err.Error()
					return
				}
				r.Search(Assay, "seq", 5)
			}
		})
	}
	for i := range 20 {
		_, err := r.Load(System{Name: Assay}, releases[i%2])
		require.NoError(t, err)
	}
	close(stop)
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
}
