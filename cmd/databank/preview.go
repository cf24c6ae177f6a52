package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"databank/domain"
)

// previewFlags are the flags of `databank preview`.
type previewFlags struct {
	biobank, samples                  string
	assay, assembly, format           string
	purpose, disease, quantity, out   string
	commercial, forProfit, methods    bool
	ancestry, phenotypeOnly, clinical bool
	asJSON, noProgress, samplesAreIDs bool
}

func newPreviewCmd() *cobra.Command {
	var fl previewFlags
	cmd := &cobra.Command{
		Use:   "preview --biobank B --samples FILE --assay WGS --purpose HMB [flags]",
		Short: "Which requested samples already have data the purpose may use, before any withdrawal",
		Long: `Preview answers, for each sample of a list (one barcode per line of FILE,
or "-" for standard input; blank lines and lines starting with # are
skipped), whether data of the wanted kind already exists and the donor's
consent permits the purpose (DATA_AVAILABLE, DATA_NEEDS_REVIEW,
DATA_NOT_PERMITTED), or material must be withdrawn (WITHDRAWAL_NEEDED,
INSUFFICIENT_MATERIAL), or the sample cannot be served (CONSENT_DENIED,
CONSENT_WITHDRAWN, NO_CONSENT, SAMPLE_RETIRED, UNKNOWN_SAMPLE, DUPLICATE).
Where a sample has no such data, the answer names the donor's closest
sample that has it, or the one with the most material left.

The answer is CSV with one header row (requested, status, sample_id,
biobank, donor_id, files, alternative_sample_id, alternative_files,
conditions, reasons), one row per requested sample in input order, or JSON
with --json; the summary line goes to standard error. Up to 100,000
samples, decided a thousand at a time (memory stays bounded). The answer
goes out only once the command's audit event is stored: --out is written
aside and renamed at the end; the standard output (or a pipe) receives it
whole at the end, held meanwhile in an unnamed file in $TMPDIR.`,
		Example: `  databank preview --biobank DNB --samples ids.txt --assay WGS --assembly GRCh38 --purpose HMB --quantity 2ug --out preview.csv
  databank preview --biobank DNB --samples - --assay WES --purpose DS --disease E11 --commercial --json < ids.txt`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return fl.run(cmd) },
	}
	f := cmd.Flags()
	f.StringVar(&fl.biobank, "biobank", "", "code of the biobank whose barcodes the list holds")
	f.StringVar(&fl.samples, "samples", "", "file of barcodes, one per line (\"-\": standard input)")
	f.BoolVar(&fl.samplesAreIDs, "ids", false, "the file holds sample ids (UUIDs) instead of barcodes")
	f.StringVar(&fl.assay, "assay", "", "the kind of data wanted, e.g. WGS (required)")
	f.StringVar(&fl.assembly, "assembly", "", "the reference assembly wanted, e.g. GRCh38")
	f.StringVar(&fl.format, "format", "", "the file format wanted, e.g. CRAM")
	f.StringVar(&fl.purpose, "purpose", "", "the research purpose: GRU, HMB, DS (with --disease) or POA (required)")
	f.StringVar(&fl.disease, "disease", "", "the ICD-10 disease of a DS purpose, e.g. E11")
	f.BoolVar(&fl.commercial, "commercial", false, "the purpose is commercial")
	f.BoolVar(&fl.forProfit, "for-profit", false, "the purpose is for profit")
	f.BoolVar(&fl.methods, "methods", false, "the purpose develops methods")
	f.BoolVar(&fl.ancestry, "ancestry", false, "the purpose includes population origins or ancestry research")
	f.BoolVar(&fl.phenotypeOnly, "phenotype-only", false, "the purpose does no genetic analysis")
	f.BoolVar(&fl.clinical, "clinical-care", false, "the purpose includes clinical care")
	f.StringVar(&fl.quantity, "quantity", "", "material needed per sample, e.g. 2ug or 0.5mL")
	f.StringVar(&fl.out, "out", "", "write the answer to this file instead of standard output")
	f.BoolVar(&fl.asJSON, "json", false, "write JSON ({\"samples\": [...], \"summary\": {...}}) instead of CSV")
	f.BoolVar(&fl.noProgress, "no-progress", false, "no progress line, even on a terminal")
	return cmd
}

func (fl *previewFlags) run(cmd *cobra.Command) error {
	req, err := fl.request(cmd.InOrStdin())
	if err != nil {
		return err
	}
	cfg, err := commandConfig(cmd)
	if err != nil {
		return err
	}
	ctx := domain.WithActor(cmd.Context(), domain.Actor{Name: localUser(), Role: domain.RoleStaff, Biobanks: []string{domain.AllBiobanks}})
	tuneGC(cfg.logger())
	db, closeDB, err := openDatabase(ctx, cfg, cfg.logger())
	if err != nil {
		return err
	}
	defer closeDB()
	// The answer goes out only once its audit event is stored: a file
	// replaced whole is written aside until then, anything else (the
	// standard output, a pipe) is held in a spool.
	dest := cmd.OutOrStdout()
	var file *outFile
	if fl.out != "" {
		if file, err = createOut(fl.out); err != nil {
			return fmt.Errorf("preview: %w", err)
		}
		defer file.abort()
		dest = file
	}
	out, held := dest, (*spool)(nil)
	if file == nil || !file.temp {
		if held, err = newSpool(dest); err != nil {
			return fmt.Errorf("preview: %w", err)
		}
		defer held.Close()
		out = held
	}
	bw := bufio.NewWriter(out)
	w := newPreviewWriter(bw, fl.asJSON)
	stderr := cmd.ErrOrStderr()
	progress := !fl.noProgress && isTerminal(stderr)
	n, total := 0, len(req.SampleIDs)+len(req.IDs)
	audit := startCLIAudit(ctx, "preview")
	sum, err := db.svc.WithdrawalPreview(audit.ctx, req, func(it domain.PreviewItem) error {
		n++
		if progress && n%1000 == 0 {
			fmt.Fprintf(stderr, "\rpreview: %d of %d samples decided", n, total)
		}
		return w.item(it)
	})
	if progress && n >= 1000 {
		fmt.Fprintln(stderr)
	}
	if err := audit.record(db.svc, err); err != nil {
		return err
	}
	if err := w.finish(sum); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("preview: %w", err)
	}
	if held != nil {
		if err := held.release(); err != nil {
			return fmt.Errorf("preview: %w", err)
		}
	}
	if file != nil {
		if err := file.commit(); err != nil {
			return fmt.Errorf("preview: %w", err)
		}
	}
	fmt.Fprintln(stderr, sum.Line())
	return nil
}

// request builds the preview request from the flags and the list.
func (fl *previewFlags) request(stdin io.Reader) (domain.PreviewRequest, error) {
	req := domain.PreviewRequest{BiobankCode: fl.biobank,
		Data: domain.DataFileFilter{Assay: fl.assay, Assembly: fl.assembly, Format: fl.format},
		Purpose: domain.ResearchPurpose{Category: fl.purpose, Disease: fl.disease, Commercial: fl.commercial, ForProfit: fl.forProfit,
			MethodsDevelopment: fl.methods, Ancestry: fl.ancestry, PhenotypeOnly: fl.phenotypeOnly, ClinicalCare: fl.clinical}}
	switch {
	case fl.samples == "":
		return req, fmt.Errorf("preview: --samples is required (a file of barcodes, or - for standard input)")
	case fl.assay == "":
		return req, fmt.Errorf("preview: --assay is required (the kind of data wanted, e.g. WGS)")
	case fl.purpose == "":
		return req, fmt.Errorf("preview: --purpose is required (GRU, HMB, DS or POA)")
	}
	if fl.quantity != "" {
		q, err := parseAmount(fl.quantity)
		if err != nil {
			return req, err
		}
		req.Quantity = q
	}
	in := stdin
	if fl.samples != "-" {
		f, err := os.Open(fl.samples)
		if err != nil {
			return req, fmt.Errorf("preview: %w", err)
		}
		defer f.Close()
		in = f
	}
	list, err := readList(in, fl.samples)
	if err != nil {
		return req, err
	}
	if fl.samplesAreIDs {
		req.IDs = list
	} else {
		req.SampleIDs = list
	}
	return req, nil
}

// readList reads one value per line, skipping blank lines and # comments.
func readList(r io.Reader, name string) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		v := strings.TrimSpace(sc.Text())
		if v == "" || strings.HasPrefix(v, "#") {
			continue
		}
		if len(out) == domain.MaxPreviewSamples {
			return nil, fmt.Errorf("preview: %s:%d: more than %d samples; split the list", name, line, domain.MaxPreviewSamples)
		}
		out = append(out, v)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("preview: %s:%d: %w", name, line, err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("preview: %s holds no sample", name)
	}
	return out, nil
}

// parseAmount reads an amount with its unit, such as 2ug, 0.5 mL or 1000ng.
func parseAmount(s string) (*domain.QuantityFilter, error) {
	s = strings.TrimSpace(s)
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i <= 0 {
		return nil, fmt.Errorf("preview: --quantity %q: want an amount and a unit, e.g. 2ug", s)
	}
	q, err := domain.ParseQuantity(s[:i])
	if err != nil {
		return nil, fmt.Errorf("preview: --quantity %q: %w", s, err)
	}
	unit, ok := domain.NormalizeUnit(s[i:])
	if !ok {
		return nil, fmt.Errorf("preview: --quantity %q: unknown unit %q (ng, ug, mg, g, uL, mL, L, cells, aliquots, slides, blocks)", s, strings.TrimSpace(s[i:]))
	}
	return &domain.QuantityFilter{Amount: q, Unit: unit}, nil
}

// previewWriter writes a preview's items as they come, as CSV or JSON.
type previewWriter struct {
	w     io.Writer
	csv   *csv.Writer
	json  bool
	first bool
	err   error
}

func newPreviewWriter(w io.Writer, asJSON bool) *previewWriter {
	p := &previewWriter{w: w, json: asJSON, first: true}
	if asJSON {
		_, p.err = io.WriteString(w, "{\"samples\": [\n")
	} else {
		p.csv = csv.NewWriter(w)
		p.err = p.csv.Write(domain.PreviewCSVHeader)
	}
	return p
}

// previewJSON is one item as JSON: the CSV's columns, lists as arrays.
type previewJSON struct {
	Requested        string   `json:"requested"`
	Status           string   `json:"status"`
	SampleID         string   `json:"sampleId,omitempty"`
	Biobank          string   `json:"biobank,omitempty"`
	DonorID          string   `json:"donorId,omitempty"`
	Files            []string `json:"files"`
	Alternative      string   `json:"alternativeSampleId,omitempty"`
	AlternativeFiles []string `json:"alternativeFiles"`
	Conditions       []string `json:"conditions"`
	Reasons          []string `json:"reasons"`
}

func (p *previewWriter) item(it domain.PreviewItem) error {
	if p.err != nil {
		return p.err
	}
	if !p.json {
		p.err = p.csv.Write(it.CSVRecord())
		return p.err
	}
	rec := it.CSVRecord()
	split := func(s string) []string {
		if s == "" {
			return []string{}
		}
		return strings.Split(s, ";")
	}
	b, err := json.Marshal(previewJSON{Requested: rec[0], Status: rec[1], SampleID: rec[2], Biobank: rec[3], DonorID: rec[4],
		Files: split(rec[5]), Alternative: rec[6], AlternativeFiles: split(rec[7]), Conditions: split(rec[8]), Reasons: append([]string{}, it.Reasons...)})
	if err != nil {
		p.err = err
		return err
	}
	sep := ",\n"
	if p.first {
		sep, p.first = "", false
	}
	_, p.err = fmt.Fprintf(p.w, "%s  %s", sep, b)
	return p.err
}

func (p *previewWriter) finish(sum domain.PreviewSummary) error {
	if p.err != nil {
		return p.err
	}
	if !p.json {
		p.csv.Flush()
		return p.csv.Error()
	}
	counts := map[string]int{}
	for _, s := range domain.PreviewStatuses {
		counts[string(s)] = sum.Counts[s]
	}
	b, err := json.Marshal(map[string]any{"counts": counts, "total": sum.Total, "servedAsData": sum.AsData(), "servedByAlternative": sum.ByAlternative, "line": sum.Line()})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(p.w, "\n], \"summary\": %s}\n", b)
	return err
}
