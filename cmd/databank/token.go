package main

import (
	"fmt"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"databank/domain"
)

func newTokenCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "Make, list and revoke API tokens for scripts, the command line and federation clients",
		Long: `API tokens are bearer tokens kept in the database: only the SHA-256 of each
secret is stored, every token expires, and a revoked one is refused within
seconds by every server. These commands act with admin authority (they
need access to the database, as every databank command does).`,
	}
	cmd.AddCommand(newTokenCreateCmd(), newTokenListCmd(), newTokenRevokeCmd())
	return cmd
}

// tokenAdmin is the actor of the token commands: the operator, as admin.
func tokenAdmin() domain.Actor { return domain.Actor{Name: localUser(), Role: domain.RoleAdmin} }

func newTokenCreateCmd() *cobra.Command {
	var name, role, expires string
	var biobanks []string
	cmd := &cobra.Command{
		Use:   "create --name NAME --role ROLE [--biobank CODE]... [--expires 90d]",
		Short: "Make a token and print it once (only its hash is stored)",
		Long: `Make an API token and print its secret on standard output, once: it cannot
be shown again (store it in the script's secret store now). Roles:
researcher, staff (bound to --biobank codes, or '*' for every biobank),
admin, federation (a LocalEGA node). --expires takes days (90d), hours
(12h) or any Go duration; at most 366 days.

  databank token create --role staff --biobank DNB --name lims-sync --expires 90d`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			life, err := parseLifetime(expires)
			if err != nil {
				return err
			}
			ctx := domain.WithActor(cmd.Context(), tokenAdmin())
			cfg, err := commandConfig(cmd)
			if err != nil {
				return err
			}
			db, closeDB, err := openDatabase(ctx, cfg, cfg.logger())
			if err != nil {
				return err
			}
			defer closeDB()
			t, secret, err := db.svc.CreateAPIToken(ctx, domain.APIToken{Name: name, Role: role, Biobanks: biobanks, ExpiresAt: time.Now().Add(life)})
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), secret)
			fmt.Fprintf(cmd.ErrOrStderr(), "token %s (%s%s) expires %s; this is the only time it is shown\n",
				t.Name, t.Role, scope(t.Biobanks), t.ExpiresAt.UTC().Format(time.RFC3339))
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "unique name of the token, e.g. lims-sync (required)")
	cmd.Flags().StringVar(&role, "role", "", "researcher, staff, admin or federation (required)")
	cmd.Flags().StringSliceVar(&biobanks, "biobank", nil, "biobank code a staff token acts for (repeat, or comma-separate; '*' for every one)")
	cmd.Flags().StringVar(&expires, "expires", "90d", "lifetime: days (90d), hours (12h) or a Go duration; at most 366d")
	return cmd
}

func newTokenListCmd() *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "list [--all]",
		Short: "List the tokens (never their secrets); --all adds revoked and expired ones",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := domain.WithActor(cmd.Context(), tokenAdmin())
			cfg, err := commandConfig(cmd)
			if err != nil {
				return err
			}
			db, closeDB, err := openDatabase(ctx, cfg, cfg.logger())
			if err != nil {
				return err
			}
			defer closeDB()
			tokens, err := db.svc.APITokens(ctx, all)
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "NAME\tROLE\tBIOBANKS\tCREATED\tBY\tEXPIRES\tLAST USED\tSTATUS")
			now := time.Now()
			for _, t := range tokens {
				status := "active"
				switch {
				case !t.RevokedAt.IsZero():
					status = "revoked " + day(t.RevokedAt) + " by " + t.RevokedBy
				case !now.Before(t.ExpiresAt):
					status = "expired"
				}
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.Name, t.Role, dash(strings.Join(t.Biobanks, ",")),
					day(t.CreatedAt), t.CreatedBy, day(t.ExpiresAt), day(t.LastUsedAt), status)
			}
			return w.Flush()
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "also list revoked and expired tokens")
	return cmd
}

func newTokenRevokeCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "revoke NAME",
		Short: "Revoke a token: servers refuse it within seconds",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := domain.WithActor(cmd.Context(), tokenAdmin())
			cfg, err := commandConfig(cmd)
			if err != nil {
				return err
			}
			db, closeDB, err := openDatabase(ctx, cfg, cfg.logger())
			if err != nil {
				return err
			}
			defer closeDB()
			t, err := db.svc.RevokeAPIToken(ctx, args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "token %s revoked at %s\n", t.Name, t.RevokedAt.UTC().Format(time.RFC3339))
			return nil
		},
	}
}

// parseLifetime reads "90d", "12h" or any Go duration.
func parseLifetime(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n <= 0 {
			return 0, fmt.Errorf("--expires %q: want a positive number of days, e.g. 90d", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("--expires %q: want days (90d), hours (12h) or a Go duration", s)
	}
	return d, nil
}

func scope(biobanks []string) string {
	if len(biobanks) == 0 {
		return ""
	}
	return " for " + strings.Join(biobanks, ",")
}

func day(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04")
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
