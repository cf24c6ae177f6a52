package main

import (
	"fmt"

	"github.com/spf13/cobra"
)

func newMigrateCmd() *cobra.Command {
	var pgDir string
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Apply pending database migrations (serve does this at start too)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig()
			if err != nil {
				return err
			}
			if pgDir != "" {
				cfg.PGDir = pgDir
			}
			log := cfg.logger()
			st, closeDB, err := openDatabase(cmd.Context(), cfg, log)
			if err != nil {
				return err
			}
			defer closeDB()
			v, err := st.SchemaVersion(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "database schema at version %d\n", v)
			return nil
		},
	}
	cmd.Flags().StringVar(&pgDir, "pg-dir", "", "data directory of the private PostgreSQL cluster (env DATABANK_PG_DIR; used when DATABASE_URL is unset)")
	return cmd
}
