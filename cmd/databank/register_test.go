package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/service"
	"databank/store"
	"databank/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func copyFile(t *testing.T, src, dst string) {
	t.Helper()
	b, err := os.ReadFile(src)
	require.NoError(t, err)
	require.NoError(t, os.MkdirAll(filepath.Dir(dst), 0o755))
	require.NoError(t, os.WriteFile(dst, b, 0o644))
}

func TestRegisterFilesLinksSamplesAndIsIdempotent(t *testing.T) {
	ctx := domain.WithActor(context.Background(), domain.Actor{Name: "tester", Role: domain.RoleStaff, Biobanks: []string{domain.AllBiobanks}})
	st, err := store.Open(ctx, storetest.New(t, store.Migrator{}), store.Options{})
	require.NoError(t, err)
	defer st.Close()
	svc := service.New(st, service.Options{})
	b, err := st.CreateBiobank(ctx, domain.Biobank{Code: "GIAB", Name: "Genome in a bottle", Country: "US"})
	require.NoError(t, err)
	d, err := st.CreateDonor(ctx, domain.Donor{BiobankID: b.ID, ExternalID: "D1"})
	require.NoError(t, err)
	for _, id := range []string{"HG002", "NA12878", "S-HG3"} {
		_, err := st.CreateSample(ctx, domain.Sample{BiobankID: b.ID, DonorID: d.ID, ExternalID: id, MaterialType: "DNA"})
		require.NoError(t, err)
	}
	dir := t.TempDir()
	copyFile(t, "../../testdata/genomic/grch38.vcf", filepath.Join(dir, "calls/grch38.vcf"))
	copyFile(t, "../../testdata/genomic/multi_rg.bam", filepath.Join(dir, "reads/multi_rg.bam"))
	copyFile(t, "../../testdata/genomic/multi_rg.bam.csi", filepath.Join(dir, "reads/multi_rg.bam.csi"))
	sampleMap := filepath.Join(dir, "map.csv")
	require.NoError(t, os.WriteFile(sampleMap, []byte("file_sample_name,sample_id\nHG003,S-HG3\n"), 0o644))
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	opts := registerOptions{biobank: "GIAB", assay: "WGS", sampleMap: sampleMap}

	// --strict refuses unmatched names and writes nothing.
	var out bytes.Buffer
	strict := opts
	strict.strict = true
	err = registerFiles(ctx, svc, strict, []string{dir}, &out, log)
	require.Error(t, err)
	page, err := st.DataFiles(ctx, domain.DataFileFilter{}, domain.PageRequest{WantTotal: true})
	require.NoError(t, err)
	assert.Equal(t, 0, page.Total)

	for range 2 { // registering twice changes nothing
		out.Reset()
		require.NoError(t, registerFiles(ctx, svc, opts, []string{dir}, &out, log))
		assert.Contains(t, out.String(), `unmatched: `+filepath.Join(dir, "calls/grch38.vcf")+`: sample "NA12891"`)
		assert.Contains(t, out.String(), "registered 2 files")
	}
	page, err = st.DataFiles(ctx, domain.DataFileFilter{}, domain.PageRequest{WantTotal: true})
	require.NoError(t, err)
	require.Equal(t, 2, page.Total)

	hg3, err := st.SampleByExternalID(ctx, "GIAB", "S-HG3")
	require.NoError(t, err)
	files, err := st.DataFilesBySampleIDs(ctx, []string{hg3.ID})
	require.NoError(t, err)
	require.Len(t, files[hg3.ID], 1)
	bam := files[hg3.ID][0]
	assert.Equal(t, "FORMAT:BAM", bam.Format)
	assert.Equal(t, "ASSAY:WGS", bam.Assay)
	assert.Len(t, bam.SHA256, 64)

	// Moving a file and registering it again updates its location.
	moved := filepath.Join(dir, "archive/multi_rg.bam")
	require.NoError(t, os.MkdirAll(filepath.Dir(moved), 0o755))
	require.NoError(t, os.Rename(filepath.Join(dir, "reads/multi_rg.bam"), moved))
	require.NoError(t, registerFiles(ctx, svc, opts, []string{filepath.Dir(moved)}, &out, log))
	again, err := st.DataFile(ctx, bam.ID)
	require.NoError(t, err)
	assert.Equal(t, moved, again.Location)
	page, err = st.DataFiles(ctx, domain.DataFileFilter{}, domain.PageRequest{WantTotal: true})
	require.NoError(t, err)
	assert.Equal(t, 2, page.Total)
}

// TestRegisterFilesRefusesFilesCutShort: a BAM or a CRAM cut short after its
// header (testdata/genomic/make.sh, head -c; samtools quickcheck 1.16 fails
// on both) stops the registration, which writes nothing; a VCF in plain gzip
// registers, with a warning in the output.
func TestRegisterFilesRefusesFilesCutShort(t *testing.T) {
	ctx := domain.WithActor(context.Background(), domain.Actor{Name: "tester", Role: domain.RoleStaff, Biobanks: []string{domain.AllBiobanks}})
	st, err := store.Open(ctx, storetest.New(t, store.Migrator{}), store.Options{})
	require.NoError(t, err)
	defer st.Close()
	svc := service.New(st, service.Options{})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	dir := t.TempDir()
	copyFile(t, "../../testdata/genomic/grch38.bam", filepath.Join(dir, "good/grch38.bam"))
	copyFile(t, "../../testdata/genomic/bad_no_eof.bam", filepath.Join(dir, "cut/x.bam"))
	copyFile(t, "../../testdata/genomic/bad_no_eof_v30.cram", filepath.Join(dir, "cut/y.cram"))
	copyFile(t, "../../testdata/genomic/plain_gzip.vcf.gz", filepath.Join(dir, "warn/calls.vcf.gz"))

	var out bytes.Buffer
	err = registerFiles(ctx, svc, registerOptions{}, []string{dir}, &out, log)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "2 of 4 files could not be read; nothing registered")
	assert.Contains(t, out.String(), "genomic: "+filepath.Join(dir, "cut/x.bam")+": the BGZF end-of-file marker is missing")
	assert.Contains(t, out.String(), "genomic: "+filepath.Join(dir, "cut/y.cram")+": the CRAM end-of-file container is missing")
	page, err := st.DataFiles(ctx, domain.DataFileFilter{}, domain.PageRequest{WantTotal: true})
	require.NoError(t, err)
	assert.Equal(t, 0, page.Total)

	out.Reset()
	require.NoError(t, registerFiles(ctx, svc, registerOptions{}, []string{filepath.Join(dir, "good"), filepath.Join(dir, "warn")}, &out, log))
	assert.Contains(t, out.String(), "warning: "+filepath.Join(dir, "warn/calls.vcf.gz")+": compressed with plain gzip, not BGZF: cannot be indexed")
	assert.Contains(t, out.String(), "registered 2 files (0 sample links, 4 unmatched names, 1 warning)")
}
