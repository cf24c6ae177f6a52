package synthetic

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// newTestGenerator returns a generator with reference tables and open
// output files, but no donors yet.
func newTestGenerator(t *testing.T, biobanks, donors int) (*generator, string) {
	t.Helper()
	dir := t.TempDir()
	out, err := createTables(dir)
	require.NoError(t, err)
	g := &generator{cfg: Config{Donors: donors, Biobanks: biobanks}, src: newSource(1), out: out}
	g.biobanks = makeBiobanks(biobanks)
	g.studies, err = makeStudies(g.src, out.studies, donors)
	require.NoError(t, err)
	g.datasets, err = makeDatasets(g.src, out.datasets, g.studies)
	require.NoError(t, err)
	g.vcfs = newVCFBuffers(biobanks, len(g.studies))
	return g, dir
}

// vcfRows returns the sample count of each VCF row written.
func vcfRows(t *testing.T, g *generator, dir string) []int {
	t.Helper()
	require.NoError(t, g.out.close())
	var counts []int
	for _, r := range readRecords(t, filepath.Join(dir, FilesFile)) {
		require.Equal(t, formatVCF, r["format"])
		counts = append(counts, len(strings.Split(r["sample_ids"], ";")))
	}
	return counts
}

func TestVCFBufferFlushesAtMaxSamples(t *testing.T) {
	g, dir := newTestGenerator(t, 3, 2000)
	for i := range 1234 {
		require.NoError(t, g.vcfs.add(g, 1, 2, uint32(i)))
	}
	require.NoError(t, g.vcfs.add(g, 0, 0, 99_999))
	require.NoError(t, g.vcfs.flushAll(g))
	assert.Equal(t, []int{500, 500, 1, 234}, vcfRows(t, g, dir))
	assert.Zero(t, g.vcfs.total)
}

func TestVCFBuffersStayBounded(t *testing.T) {
	g, dir := newTestGenerator(t, 99, 2000) // 99 biobanks × 5 studies
	limit := g.vcfs.limit
	require.Equal(t, maxVCFSamples*len(g.studies), limit)
	n := 0
	for round := range 20 {
		for k := range 99 * len(g.studies) {
			require.NoError(t, g.vcfs.add(g, k/len(g.studies), k%len(g.studies), uint32(round*100_000+k)))
			n++
			require.Less(t, g.vcfs.total, limit)
		}
	}
	require.NoError(t, g.vcfs.flushAll(g))
	total := 0
	for _, c := range vcfRows(t, g, dir) {
		assert.LessOrEqual(t, c, maxVCFSamples)
		total += c
	}
	assert.Equal(t, n, total, "every queued sample is written once")
}

func TestVCFListsOnlyItsBiobanksSamples(t *testing.T) {
	b := generateBundle(t, Config{Donors: 3000, Biobanks: 5})
	for _, r := range b.files[FilesFile] {
		for _, id := range strings.Split(r["sample_ids"], ";") {
			assert.True(t, strings.HasPrefix(id, r["biobank"]+"-"), "%s in a file of %s", id, r["biobank"])
		}
	}
}
