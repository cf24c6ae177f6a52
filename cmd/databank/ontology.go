package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"databank/domain"
	"databank/ontology"
)

func newOntologyCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "ontology",
		Short: "List, show and load coded vocabularies (DUO, ICD-10, MONDO, HPO, ...)",
	}
	cmd.AddCommand(newOntologyLoadCmd(), newOntologyListCmd(), newOntologyShowCmd())
	return cmd
}

func newOntologyLoadCmd() *cobra.Command {
	var system, format string
	cmd := &cobra.Command{
		Use:   "load --system NAME FILE",
		Short: "Load or update a whole system from its release (OBO 1.4, or CSV/TSV: code,label,parent[,synonyms])",
		Long: `Load or update a whole coding system from its standard distribution:
OBO 1.4 (DUO, MONDO, UBERON, HPO and NCIT ship one) or a CSV/TSV table with the
columns code,label,parent[,synonyms] (e.g. a national ICD-10 release).
Loading is idempotent; a term missing from the new release becomes obsolete,
never deleted, because records may use it. Prints the counts added, updated
and obsoleted. Running servers are notified and use the release at once.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if system == "" {
				return fmt.Errorf("--system is required")
			}
			path := args[0]
			f, err := os.Open(filepath.Clean(path))
			if err != nil {
				return err
			}
			defer f.Close()
			if format == "" {
				format = strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
			}
			var sys ontology.System
			var terms []ontology.Term
			switch format {
			case "obo":
				sys, terms, err = ontology.ParseOBO(f, system)
			case "csv", "tsv", "txt":
				sys, terms, err = ontology.ParseTable(f, system)
			default:
				return fmt.Errorf("%s: unknown format %q (want obo, csv or tsv; use --format)", path, format)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			cfg, err := commandConfig(cmd)
			if err != nil {
				return err
			}
			log := cfg.logger()
			ctx := domain.WithActor(cmd.Context(), domain.Actor{Name: localUser(), Role: domain.RoleAdmin})
			db, closeDB, err := openDatabase(ctx, cfg, log)
			if err != nil {
				return err
			}
			defer closeDB()
			// The release is loaded into a copy of the vocabulary in force
			// (which checks it against the other systems), then stored;
			// running servers are told and load it from the database.
			reg := db.vocab.Clone()
			report, err := reg.Load(sys, terms)
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			if err := db.svc.SaveOntology(ctx, reg, sys.Name); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s %s: %d added, %d updated, %d obsoleted, %d unchanged\n",
				report.System, report.Version, report.Added, report.Updated, report.Obsoleted, report.Unchanged)
			return nil
		},
	}
	cmd.Flags().StringVar(&system, "system", "", "system name, also the CURIE prefix (e.g. MONDO, ICD10)")
	cmd.Flags().StringVar(&format, "format", "", "obo, csv or tsv (default: from the file extension)")
	return cmd
}

func newOntologyListCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "list",
		Short: "List the coding systems (built in and loaded) with their source and version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			vocab, closeDB, err := openForOntologies(cmd)
			if err != nil {
				return err
			}
			defer closeDB()
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "SYSTEM\tTERMS\tVERSION\tTITLE")
			for _, s := range vocab.Systems() {
				fmt.Fprintf(w, "%s\t%d\t%s\t%s\n", s.Name, len(vocab.Terms(s.Name)), s.Version, s.Title)
			}
			return w.Flush()
		},
	}
}

func newOntologyShowCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "show CURIE",
		Short: "Show a term: label, synonyms, status, parents and children",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			reg, closeDB, err := openForOntologies(cmd)
			if err != nil {
				return err
			}
			defer closeDB()
			t, err := reg.Resolve(args[0])
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			fmt.Fprintf(out, "%s\t%s\n", t.CURIE, t.Label)
			if len(t.Synonyms) > 0 {
				fmt.Fprintf(out, "synonyms:\t%s\n", strings.Join(t.Synonyms, "; "))
			}
			fmt.Fprintf(out, "status:\t%s", t.Status)
			if t.ReplacedBy != "" {
				fmt.Fprintf(out, " (replaced by %s)", t.ReplacedBy)
			}
			fmt.Fprintln(out)
			for _, p := range t.Parents {
				pt, _ := reg.Term(p)
				fmt.Fprintf(out, "parent:\t%s\t%s\n", p, pt.Label)
			}
			for _, c := range reg.Children(t.CURIE) {
				ct, _ := reg.Term(c)
				fmt.Fprintf(out, "child:\t%s\t%s\n", c, ct.Label)
			}
			return nil
		},
	}
}

// openForOntologies opens the database and returns the vocabulary in
// force: the built-in systems with those operators loaded, as in a
// running server.
func openForOntologies(cmd *cobra.Command) (*ontology.Registry, func(), error) {
	cfg, err := commandConfig(cmd)
	if err != nil {
		return nil, nil, err
	}
	db, closeDB, err := openDatabase(cmd.Context(), cfg, cfg.logger())
	if err != nil {
		return nil, nil, err
	}
	return db.vocab, closeDB, nil
}

// localUser names the operator running a command, for the audit columns.
func localUser() string {
	if u := os.Getenv("USER"); u != "" {
		return "cli:" + u
	}
	return "cli"
}
