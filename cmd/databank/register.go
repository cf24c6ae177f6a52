package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"databank/domain"
	"databank/importers/genomic"
)

// registerOptions are the flags of `databank import files`.
type registerOptions struct {
	biobank, study, withdrawal, assay, sampleMap string
	strict, dryRun                               bool
	bars                                         bool // a progress bar on stderr
}

func newImportFilesCmd() *cobra.Command {
	var o registerOptions
	cmd := &cobra.Command{
		Use:   "files [flags] PATH...",
		Short: "Register local VCF/BCF/BAM/CRAM files: read headers, checksum, link to samples",
		Long: `Register genomic files found at the given paths (folders are walked).
Each file's format is detected from its content; its header gives the sample
names, assembly and programs; md5 and sha256 are computed in one streaming
pass. In-file sample names are linked to samples of --biobank by barcode, or
through --sample-map (CSV: file_sample_name,sample_id). Unmatched names are
reported (an error with --strict). The same content registered again (same
sha256) updates its location instead of adding a duplicate. All or nothing.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := commandConfig(cmd)
			if err != nil {
				return err
			}
			// --dry-run is the import command's own flag.
			if o.dryRun, err = cmd.Flags().GetBool("dry-run"); err != nil {
				return err
			}
			noProgress, _ := cmd.Flags().GetBool("no-progress")
			o.bars = !noProgress && isTerminal(cmd.ErrOrStderr())
			log := cfg.logger()
			ctx := domain.WithActor(cmd.Context(), domain.Actor{Name: localUser(), Role: domain.RoleStaff, Biobanks: []string{domain.AllBiobanks}})
			db, closeDB, err := openDatabase(ctx, cfg, log)
			if err != nil {
				return err
			}
			defer closeDB()
			return registerFiles(ctx, db.svc, o, args, cmd.OutOrStdout(), log)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.biobank, "biobank", "", "biobank code whose samples the files hold")
	f.StringVar(&o.study, "study", "", "producing study (study id or EGAS accession)")
	f.StringVar(&o.withdrawal, "withdrawal", "", "withdrawal the files were returned for (needs --biobank)")
	f.StringVar(&o.assay, "assay", "", "assay, e.g. WGS, WES, RNA-seq (default: other)")
	f.StringVar(&o.sampleMap, "sample-map", "", "CSV file_sample_name,sample_id mapping in-file names to barcodes")
	f.BoolVar(&o.strict, "strict", false, "fail when an in-file sample name matches no sample")
	return cmd
}

// findFiles walks paths and returns the regular files that are not index
// files, sorted, and which of them were named explicitly (the others were
// found in folders).
func findFiles(paths []string) ([]string, map[string]bool, error) {
	var out []string
	explicit := map[string]bool{}
	for _, p := range paths {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			explicit[p] = true
		}
		err := filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() && !isIndexFile(path) {
				out = append(out, path)
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	sort.Strings(out)
	return out, explicit, nil
}

func isIndexFile(path string) bool {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".bai", ".crai", ".tbi", ".csi", ".fai", ".md5":
		return true
	}
	return false
}

// inspected is one file read and checksummed.
type inspected struct {
	path   string
	header *genomic.Header
	sums   genomic.Checksums
}

func registerFiles(ctx context.Context, svc domain.Services, o registerOptions, paths []string, out io.Writer, log *slog.Logger) error {
	files, explicit, err := findFiles(paths)
	if err != nil {
		return err
	}
	aliases, err := readSampleMap(o.sampleMap)
	if err != nil {
		return err
	}
	start := time.Now()
	var progress *mpb.Progress
	if o.bars {
		progress = mpb.NewWithContext(ctx, mpb.WithOutput(os.Stderr), mpb.WithWidth(32))
		defer progress.Wait()
	}
	var done []inspected
	var problems []string
	warnings := 0
	for _, path := range files {
		// InspectFile also refuses a file cut short after its header (no
		// BGZF or CRAM end-of-file marker): it would register as good.
		h, err := genomic.InspectFile(path)
		if err != nil {
			if errors.Is(err, genomic.ErrUnknownFormat) && !explicit[path] {
				fmt.Fprintln(out, "skipped (not a VCF, BCF, BAM or CRAM file):", path)
				continue
			}
			problems = append(problems, err.Error())
			continue
		}
		for _, w := range h.Warnings {
			fmt.Fprintf(out, "warning: %s: %s\n", path, w)
			warnings++
		}
		sums, err := checksumFile(path, progress, log)
		if err != nil {
			problems = append(problems, err.Error())
			continue
		}
		done = append(done, inspected{path: path, header: h, sums: sums})
	}
	if len(problems) > 0 {
		for _, p := range problems {
			fmt.Fprintln(out, p)
		}
		return fmt.Errorf("%d of %d files could not be read; nothing registered", len(problems), len(files))
	}
	dataFiles, unmatched, err := toDataFiles(ctx, svc, o, done, aliases)
	if err != nil {
		return err
	}
	for _, u := range unmatched {
		fmt.Fprintln(out, "unmatched:", u)
	}
	if len(unmatched) > 0 && o.strict {
		return fmt.Errorf("%d in-file sample names match no sample (--strict); nothing registered", len(unmatched))
	}
	var bytes int64
	for _, d := range done {
		bytes += d.sums.Size
	}
	if o.dryRun {
		fmt.Fprintf(out, "dry run: %d files (%d bytes, %s) would be registered\n", len(dataFiles), bytes, plural(warnings, "warning"))
		return nil
	}
	if _, err := svc.RegisterDataFiles(ctx, dataFiles); err != nil {
		return err
	}
	linked := 0
	for _, f := range dataFiles {
		linked += len(f.Samples)
	}
	elapsed := time.Since(start)
	fmt.Fprintf(out, "registered %d files (%d sample links, %d unmatched names, %s), %d bytes in %s (%.0f MB/s)\n",
		len(dataFiles), linked, len(unmatched), plural(warnings, "warning"), bytes, elapsed.Round(time.Millisecond), float64(bytes)/1e6/elapsed.Seconds())
	return nil
}

// toDataFiles links each file's in-file sample names to samples and turns
// it into a data file record.
func toDataFiles(ctx context.Context, svc domain.Services, o registerOptions, files []inspected, aliases map[string]string) ([]domain.DataFile, []string, error) {
	var names []string
	for _, f := range files {
		for _, s := range f.header.Samples {
			names = append(names, s)
			if a, ok := aliases[s]; ok {
				names = append(names, a)
			}
		}
	}
	samples := map[string]domain.Sample{}
	if o.biobank != "" && len(names) > 0 {
		var err error
		if samples, err = svc.SamplesByExternalIDs(ctx, o.biobank, names); err != nil {
			return nil, nil, err
		}
	}
	var studyID, withdrawalID string
	if o.study != "" {
		s, err := svc.StudyByExternalID(ctx, o.study)
		if err != nil {
			return nil, nil, fmt.Errorf("--study: %w", err)
		}
		studyID = s.ID
	}
	if o.withdrawal != "" {
		w, err := svc.WithdrawalByExternalID(ctx, o.biobank, o.withdrawal)
		if err != nil {
			return nil, nil, fmt.Errorf("--withdrawal: %w", err)
		}
		withdrawalID = w.ID
	}
	var out []domain.DataFile
	var unmatched []string
	for _, f := range files {
		abs, err := filepath.Abs(f.path)
		if err != nil {
			return nil, nil, err
		}
		size := f.sums.Size
		d := domain.DataFile{ExternalID: "sha256:" + f.sums.SHA256[:32], Format: "FORMAT:" + f.header.Format, Assay: o.assay,
			Assembly: f.header.Assembly, Size: &size, MD5: f.sums.MD5, SHA256: f.sums.SHA256, Location: abs,
			StudyID: studyID, WithdrawalID: withdrawalID, Software: software(f.header)}
		links, missing := domain.MatchFileSamples(f.header.Samples, samples, aliases)
		d.Samples = links
		for _, name := range missing {
			unmatched = append(unmatched, fmt.Sprintf("%s: sample %q", f.path, name))
		}
		out = append(out, d)
	}
	return out, unmatched, nil
}

// software names the programs of a header, e.g. "bwa 0.7.17; samtools 1.16".
func software(h *genomic.Header) string {
	var parts []string
	for _, p := range h.Programs {
		name := p.Name
		if name == "" {
			name = p.ID
		}
		if p.Version != "" {
			name += " " + p.Version
		}
		if name != "" && len(parts) < 10 {
			parts = append(parts, name)
		}
	}
	return strings.Join(parts, "; ")
}

// checksumFile computes md5 and sha256 of a file in one pass, showing a
// bar with bytes/s on a terminal, else logging the throughput of large
// files every few seconds.
func checksumFile(path string, progress *mpb.Progress, log *slog.Logger) (genomic.Checksums, error) {
	f, err := os.Open(path)
	if err != nil {
		return genomic.Checksums{}, err
	}
	defer f.Close()
	var bar *mpb.Bar
	if progress != nil {
		if fi, err := f.Stat(); err == nil {
			bar = progress.AddBar(fi.Size(),
				mpb.PrependDecorators(decor.Name(filepath.Base(path), decor.WCSyncSpaceR), decor.CountersKibiByte("% .1f / % .1f", decor.WCSyncSpace)),
				mpb.AppendDecorators(decor.AverageSpeed(decor.SizeB1024(0), "% .1f", decor.WCSyncSpace), decor.Percentage(decor.WCSyncSpace)))
			defer bar.Abort(false)
		}
	}
	start, last := time.Now(), time.Now()
	return genomic.Checksum(f, func(n int64) {
		if bar != nil {
			bar.SetCurrent(n)
			return
		}
		if time.Since(last) > 5*time.Second {
			last = time.Now()
			log.Info("checksumming", "file", path, "bytes", n, "MB/s", float64(n)/1e6/time.Since(start).Seconds())
		}
	})
}

// readSampleMap reads file_sample_name,sample_id rows.
func readSampleMap(path string) (map[string]string, error) {
	out := map[string]string{}
	if path == "" {
		return out, nil
	}
	f, err := os.Open(filepath.Clean(path))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = 2
	for line := 1; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if line == 1 && strings.EqualFold(rec[0], "file_sample_name") {
			continue
		}
		out[strings.TrimSpace(rec[0])] = strings.TrimSpace(rec[1])
	}
}
