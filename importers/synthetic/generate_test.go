package synthetic

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readAll returns the contents of every generated file.
func readAll(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, name := range FileNames {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		out[name] = b
	}
	return out
}

func TestGenerateIsDeterministic(t *testing.T) {
	gen := func(seed uint64) map[string][]byte {
		dir := t.TempDir()
		_, err := Generate(context.Background(), Config{Donors: 1500, Seed: seed}, dir)
		require.NoError(t, err)
		return readAll(t, dir)
	}
	a, b, c := gen(42), gen(42), gen(43)
	for _, name := range FileNames {
		assert.True(t, bytes.Equal(a[name], b[name]), "%s differs between runs with the same seed", name)
	}
	for _, name := range []string{StudiesFile, DonorsFile, ConsentsFile, DiagnosesFile, SamplesFile, WithdrawalsFile, DatasetsFile, FilesFile} {
		assert.False(t, bytes.Equal(a[name], c[name]), "%s is the same for different seeds", name)
	}
}

func TestGenerateSeedZeroIsDefault(t *testing.T) {
	d0, d1 := t.TempDir(), t.TempDir()
	_, err := Generate(context.Background(), Config{Donors: 100}, d0)
	require.NoError(t, err)
	_, err = Generate(context.Background(), Config{Donors: 100, Seed: DefaultSeed}, d1)
	require.NoError(t, err)
	assert.Equal(t, readAll(t, d0), readAll(t, d1))
}

func TestGenerateFileFormat(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "out") // created by Generate
	_, err := Generate(context.Background(), Config{Donors: 300}, dir)
	require.NoError(t, err)
	for name, content := range readAll(t, dir) {
		header, _, ok := bytes.Cut(content, []byte("\n"))
		require.True(t, ok, name)
		assert.Equal(t, strings.Join(Headers[name], ","), string(header), name)
		assert.NotContains(t, string(content), "\r", "%s must use LF line ends", name)
		assert.False(t, bytes.HasPrefix(content, []byte{0xEF, 0xBB, 0xBF}), "%s must not start with a BOM", name)
		assert.True(t, bytes.HasSuffix(content, []byte("\n")), name)
	}
}

func TestGenerateVolumes(t *testing.T) {
	tests := []struct {
		name       string
		cfg        Config
		minSamples int
		maxSamples int
		studies    int
		datasets   int
	}{
		{"demo", Config{Donors: 2000, Seed: 1}, 10_000, 10_020, 5, 3},
		{"other seed", Config{Donors: 2000, Seed: 99}, 10_000, 10_020, 5, 3},
		{"ten samples per donor", Config{Donors: 4000, SamplesPerDonor: 10}, 40_000, 40_020, 10, 5},
		{"fractional", Config{Donors: 1000, SamplesPerDonor: 2.5}, 2_500, 2_510, 5, 3},
		{"many biobanks", Config{Donors: 3000, Biobanks: 12}, 15_000, 15_020, 7, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := generateBundle(t, tt.cfg)
			for name, rows := range b.files {
				assert.Equal(t, len(rows), b.summary.Files[name], "summary of %s", name)
			}
			biobanks := max(tt.cfg.Biobanks, DefaultBiobanks)
			assert.Len(t, b.files[BiobanksFile], biobanks)
			assert.Len(t, b.files[DonorsFile], tt.cfg.Donors)
			assert.Len(t, b.files[StudiesFile], tt.studies)
			assert.Len(t, b.files[DatasetsFile], tt.datasets)
			samples := len(b.files[SamplesFile])
			assert.GreaterOrEqual(t, samples, tt.minSamples)
			assert.LessOrEqual(t, samples, tt.maxSamples)
			// Every biobank holds donors.
			per := map[string]int{}
			for _, d := range b.files[DonorsFile] {
				per[d["biobank"]]++
			}
			assert.Len(t, per, biobanks)

			consents := len(b.files[ConsentsFile])
			assert.InDelta(t, 1.10, float64(consents)/float64(tt.cfg.Donors), 0.03, "consents per donor")
			assert.NotEmpty(t, b.files[DiagnosesFile])
			assert.NotEmpty(t, b.files[WithdrawalsFile])
			assert.NotEmpty(t, b.files[FilesFile])
		})
	}
}

func TestGenerateStudyCount(t *testing.T) {
	tests := []struct{ donors, studies, datasets int }{
		{1, 5, 3}, {2000, 5, 3}, {2400, 6, 3}, {4000, 10, 5}, {100_000, 250, 125}, {1_000_000, 500, 250},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.studies, studyCount(tt.donors), "studies for %d donors", tt.donors)
		assert.Equal(t, tt.datasets, datasetCount(tt.studies), "datasets for %d studies", tt.studies)
	}
}

func TestGenerateRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"no donors", Config{}, "synthetic: donors must be > 0"},
		{"negative donors", Config{Donors: -1}, "synthetic: donors must be > 0"},
		{"negative biobanks", Config{Donors: 1, Biobanks: -1}, "synthetic: biobanks must be between 1 and 99"},
		{"too many biobanks", Config{Donors: 1, Biobanks: 100}, "synthetic: biobanks must be between 1 and 99"},
		{"negative samples", Config{Donors: 1, SamplesPerDonor: -1}, "synthetic: samples per donor must be between 0 and 100"},
		{"too many samples", Config{Donors: 1, SamplesPerDonor: 101}, "synthetic: samples per donor must be between 0 and 100"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			_, err := Generate(context.Background(), tt.cfg, dir)
			require.EqualError(t, err, tt.want)
			assert.NoDirExists(t, dir, "nothing is written for a bad config")
		})
	}
}

func TestGenerateHonoursCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var calls []int
	cfg := Config{Donors: 1_000_000, Progress: func(done int) {
		calls = append(calls, done)
		cancel()
	}}
	_, err := Generate(ctx, cfg, t.TempDir())
	require.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "synthetic: ")
	assert.Equal(t, []int{ProgressInterval}, calls)
}

func TestGenerateReportsProgress(t *testing.T) {
	var calls []int
	_, err := Generate(context.Background(), Config{Donors: 25_000, SamplesPerDonor: 1,
		Progress: func(done int) { calls = append(calls, done) }}, t.TempDir())
	require.NoError(t, err)
	assert.Equal(t, []int{10_000, 20_000}, calls)
}

func TestGenerateFailsOnUnwritableDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	_, err := Generate(context.Background(), Config{Donors: 1}, filepath.Join(file, "out"))
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "synthetic: "), err.Error())
}

func BenchmarkGenerate(b *testing.B) {
	dir := b.TempDir()
	const donors = 2000
	for b.Loop() {
		if _, err := Generate(context.Background(), Config{Donors: donors}, dir); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(donors*b.N)/b.Elapsed().Seconds(), "donors/s")
}
