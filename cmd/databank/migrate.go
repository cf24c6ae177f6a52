package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newMigrateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply pending database migrations (serve does this at start too)",
		Long: `Apply pending database migrations as the schema's owner (DATABANK_OWNER_URL),
then grant the application's role (the user of DATABASE_URL) the privileges it
needs and no more: it cannot alter, drop or disable the triggers of any table,
nor update or delete the change log and the audit (docs/audit.md). Without
DATABANK_OWNER_URL, the role of DATABASE_URL migrates if it owns the schema,
with a warning. The private cluster (no DATABASE_URL) makes both roles itself.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := commandConfig(cmd)
			if err != nil {
				return err
			}
			log := cfg.logger()
			db, closeDB, err := openDatabase(cmd.Context(), cfg, log)
			if err != nil {
				return err
			}
			defer closeDB()
			v, err := db.schemaVersion(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "database schema at version %d\n", v)
			return nil
		},
	}
}
