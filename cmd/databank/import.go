package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/user"
	"strings"

	"github.com/spf13/cobra"

	"databank/domain"
	"databank/importers/registry"
)

// importFlags are the options shared by the import subcommands.
type importFlags struct {
	format        string
	ignoreUnknown bool
	dryRun        bool
	report        string
	actor         string
	maxErrors     int
	noProgress    bool
}

// newImportCmd returns "import": one subcommand per kind of registry
// file, "bundle" for a folder of them and "template" for an example.
func newImportCmd() *cobra.Command {
	var fl importFlags
	cmd := &cobra.Command{
		Use:   "import KIND FILE... | import bundle DIR | import template KIND",
		Short: "Import registry files (CSV or TSV exports of LIMS and spreadsheets)",
		Long: `Import registry files: biobanks, studies, datasets, donors, consents,
diagnoses, samples, withdrawals and file manifests, as CSV or TSV, optionally
gzip-compressed. Records are matched by their external ids: new ones are
created, changed ones updated (the change log keeps the old values),
unchanged ones left alone, and none is ever deleted. Every row is validated
and every reference resolved before anything is written; any error rejects
the whole import and lists every problem with its file, line and column.

"import bundle DIR" imports a folder of files named after their kind
(donors.csv, samples.tsv, files.csv.gz…) in one transaction.
"import template KIND" prints the columns and an example row.
The columns are described in docs/import.md.`,
		Example: `  databank import donors donors.csv
  databank import samples --dry-run --report problems.csv samples-2024.tsv.gz
  databank import bundle ./registry-export
  databank import template samples > samples.csv`,
	}
	pf := cmd.PersistentFlags()
	pf.StringVar(&fl.format, "format", "", "csv or tsv (default: by file extension)")
	pf.BoolVar(&fl.ignoreUnknown, "ignore-unknown-columns", false, "skip undocumented columns instead of rejecting the file")
	pf.BoolVar(&fl.dryRun, "dry-run", false, "validate and report what would change, writing nothing")
	pf.StringVar(&fl.report, "report", "", "also write the errors and warnings to this file (.csv, or .json for the whole report)")
	pf.StringVar(&fl.actor, "actor", "", "name recorded as the author of the changes (default: import:$USER)")
	pf.IntVar(&fl.maxErrors, "max-errors", domain.DefaultImportMaxErrors, "errors listed at most (all are counted, up to where reading a file stops: see docs/import.md, Limits)")
	pf.BoolVar(&fl.noProgress, "no-progress", false, "no progress bar, even on a terminal")

	for _, kind := range domain.ImportKinds {
		cmd.AddCommand(&cobra.Command{
			Use:   string(kind) + " FILE...",
			Short: "Import " + string(kind) + " (columns: " + strings.Join(registry.Columns(kind), ", ") + ")",
			Args:  cobra.MinimumNArgs(1),
			RunE: func(cmd *cobra.Command, args []string) error {
				return fl.run(cmd, func(opts registry.Options) ([]*registry.File, error) {
					var files []*registry.File
					for _, path := range args {
						f, err := registry.Open(path, kind, opts)
						if err != nil {
							registry.CloseAll(files)
							return nil, err
						}
						files = append(files, f)
					}
					return files, nil
				})
			},
		})
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "bundle DIR",
		Short: "Import a folder of registry files named after their kind, in one transaction",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return fl.run(cmd, func(opts registry.Options) ([]*registry.File, error) {
				return registry.OpenBundle(args[0], opts)
			})
		},
	})
	cmd.AddCommand(&cobra.Command{
		Use:       "template KIND",
		Short:     "Print the header and an example row of a kind of registry file",
		Args:      cobra.ExactArgs(1),
		ValidArgs: kindNames(),
		RunE: func(cmd *cobra.Command, args []string) error {
			kind, ok := domain.ParseImportKind(args[0])
			if !ok {
				return fmt.Errorf("unknown kind %q: one of %s", args[0], strings.Join(kindNames(), ", "))
			}
			format, err := registry.ParseFormat(fl.format)
			if err != nil {
				return err
			}
			return registry.WriteTemplate(cmd.OutOrStdout(), kind, format)
		},
	})
	return cmd
}

func kindNames() []string {
	out := make([]string, len(domain.ImportKinds))
	for i, k := range domain.ImportKinds {
		out[i] = string(k)
	}
	return out
}

// run opens the database and the files and imports them.
func (fl *importFlags) run(cmd *cobra.Command, open func(registry.Options) ([]*registry.File, error)) error {
	format, err := registry.ParseFormat(fl.format)
	if err != nil {
		return err
	}
	cfg, err := commandConfig(cmd)
	if err != nil {
		return err
	}
	log := cfg.logger()
	ctx := domain.WithActor(cmd.Context(), domain.Actor{Name: fl.actorName(), Role: domain.RoleStaff, Biobanks: []string{domain.AllBiobanks}})
	db, closeDB, err := openDatabase(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDB()
	// The rows' codes are checked against the releases stored in the
	// database, so the files are opened once it is.
	files, err := open(registry.Options{Format: format, IgnoreUnknownColumns: fl.ignoreUnknown, Vocabulary: db.vocab})
	if err != nil {
		return err
	}
	defer registry.CloseAll(files)

	req := domain.ImportRequest{Sources: registry.Sources(files), DryRun: fl.dryRun, MaxErrors: fl.maxErrors}
	stderr := cmd.ErrOrStderr()
	prog := newImportProgress(ctx, files, stderr, log, !fl.noProgress && cfg.LogFormat != "json" && isTerminal(stderr))
	req.Progress = prog.update
	rep, err := db.svc.Import(ctx, req)
	prog.finish()
	if rep != nil {
		registry.PrintProblems(stderr, rep)
		if fl.report != "" {
			if werr := writeReportFile(fl.report, rep); werr != nil {
				return werr
			}
		}
		registry.PrintSummary(cmd.OutOrStdout(), rep)
	}
	if err != nil {
		if rep != nil && rep.ErrorCount > 0 {
			return errSilent // every problem is printed above
		}
		return err
	}
	return nil
}

// actorName is the name recorded in created_by and updated_by.
func (fl *importFlags) actorName() string {
	if fl.actor != "" {
		return fl.actor
	}
	name := os.Getenv("USER")
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	if name == "" {
		name = "unknown"
	}
	return "import:" + name
}

// writeReportFile writes the report as CSV or JSON, by extension.
func writeReportFile(path string, rep *domain.ImportReport) error {
	f, err := createOut(path)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	defer f.abort()
	if err := registry.WriteReport(f, rep, registry.ReportFormat(path)); err != nil {
		return err
	}
	if err := f.commit(); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return nil
}

// runBundleImport imports the registry files in dir (named after their
// kind) in one transaction, acting as the actor in ctx, and prints a short
// summary, and any problems, to out.
func runBundleImport(ctx context.Context, svc domain.ImportService, dir string, out io.Writer) error {
	files, err := registry.OpenBundle(dir, registry.Options{})
	if err != nil {
		return err
	}
	defer registry.CloseAll(files)
	rep, err := svc.Import(ctx, domain.ImportRequest{Sources: registry.Sources(files)})
	if rep != nil {
		registry.PrintProblems(out, rep)
		registry.PrintSummary(out, rep)
	}
	if err != nil {
		var de *domain.Error
		if errors.As(err, &de) && de.Code == domain.EINVALID {
			return fmt.Errorf("import of %s rejected: %d error(s)", dir, rep.ErrorCount)
		}
		return err
	}
	return nil
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
