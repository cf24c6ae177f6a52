package main

import (
	"strings"

	"github.com/spf13/cobra"
)

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "databank",
		Short:         "Databank: what genomic data already exists for biobank samples, and may it be used?",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.PersistentFlags().String("pg-dir", "", "data directory of the private PostgreSQL cluster, used when DATABASE_URL is unset (env DATABANK_PG_DIR, default .databank/pg)")
	root.AddCommand(newServeCmd(), newDemoCmd(), newMigrateCmd(), newGenerateCmd(), newInspectCmd(), newOntologyCmd(), newTokenCmd(), importCmd(), newPreviewCmd(), newReturnsCmd(), newAuditCmd())
	return root
}

// importCmd is "import" with the registry kinds, plus "files", which scans
// genomic files; the manifest of files that live elsewhere is imported
// with "file-manifest" (files.csv in a bundle).
func importCmd() *cobra.Command {
	imp := newImportCmd()
	for _, c := range imp.Commands() {
		if c.Name() == "files" {
			c.Use = "file-manifest FILE..."
			c.Short = strings.Replace(c.Short, "Import files", "Register files that live elsewhere (LocalEGA, object storage) from a manifest", 1)
		}
	}
	imp.AddCommand(newImportFilesCmd())
	return imp
}
