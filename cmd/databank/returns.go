package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"databank/domain"
)

// newReturnsCmd returns `databank returns`, the data-return follow-up.
func newReturnsCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "returns", Short: "Follow up the data withdrawals owe the biobank"}
	var biobank, asOf string
	var asJSON bool
	overdue := &cobra.Command{
		Use:   "overdue --biobank B [--as-of DATE] [--json]",
		Short: "List withdrawals whose data return is overdue, most overdue first",
		Long: `Overdue lists the biobank's withdrawals whose derived data should have come
back by the day given (default today) and has not: a return is required by
the withdrawal's terms or by the donor's consent (DUO RTN) in force on the
withdrawal's day, and is due on the recorded day or a year after the
withdrawal. Data counts as returned once a file is registered with the
withdrawal (databank import files --withdrawal W, or a manifest row naming
it) or holds the withdrawn sample or a sample derived from it.`,
		Example: `  databank returns overdue --biobank DNB
  databank returns overdue --biobank DNB --as-of 2026-12-31 --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var day time.Time
			if asOf != "" {
				d, err := domain.ParseDate(asOf)
				if err != nil {
					return fmt.Errorf("returns: --as-of %q: want a date such as 2026-12-31", asOf)
				}
				day = d
			}
			cfg, err := commandConfig(cmd)
			if err != nil {
				return err
			}
			ctx := domain.WithActor(cmd.Context(), domain.Actor{Name: localUser(), Role: domain.RoleStaff, Biobanks: []string{domain.AllBiobanks}})
			db, closeDB, err := openDatabase(ctx, cfg, cfg.logger())
			if err != nil {
				return err
			}
			defer closeDB()
			audit := startCLIAudit(ctx, "returns overdue")
			rs, err := db.svc.OverdueDataReturns(audit.ctx, biobank, day)
			if err := audit.record(db.svc, err); err != nil {
				return err
			}
			return printOverdue(cmd, rs, asJSON)
		},
	}
	overdue.Flags().StringVar(&biobank, "biobank", "", "the biobank's code (required)")
	overdue.Flags().StringVar(&asOf, "as-of", "", "the day to judge on (default today); data registered after it does not count as returned")
	overdue.Flags().BoolVar(&asJSON, "json", false, "one JSON object per withdrawal, one per line")
	_ = overdue.MarkFlagRequired("biobank")
	cmd.AddCommand(overdue)
	return cmd
}

// overdueLine is one overdue withdrawal as JSON.
type overdueLine struct {
	Withdrawal  string `json:"withdrawalId"`
	Recipient   string `json:"recipient"`
	WithdrawnOn string `json:"withdrawnOn"`
	Due         string `json:"due"`
	DaysOverdue int    `json:"daysOverdue"`
	Quantity    string `json:"quantity"`
	Reason      string `json:"reason"`
}

func printOverdue(cmd *cobra.Command, rs []domain.OverdueReturn, asJSON bool) error {
	out := cmd.OutOrStdout()
	lines := make([]overdueLine, len(rs))
	for i, r := range rs {
		w := r.Withdrawal
		lines[i] = overdueLine{Withdrawal: w.ExternalID, Recipient: w.Recipient, WithdrawnOn: domain.FormatDate(&w.WithdrawnOn),
			Due: domain.FormatDate(r.Return.Due), DaysOverdue: r.Return.DaysOverdue, Quantity: w.Quantity.String() + " " + w.QuantityUnit,
			Reason: r.Return.Reasons[0]}
	}
	if asJSON {
		enc := json.NewEncoder(out)
		for _, l := range lines {
			if err := enc.Encode(l); err != nil {
				return err
			}
		}
		return nil
	}
	if len(lines) == 0 {
		_, err := fmt.Fprintln(out, "no data return is overdue")
		return err
	}
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "WITHDRAWAL\tRECIPIENT\tWITHDRAWN\tDUE\tDAYS OVERDUE\tQUANTITY\tWHY REQUIRED")
	for _, l := range lines {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%s\t%s\n", l.Withdrawal, l.Recipient, l.WithdrawnOn, l.Due, l.DaysOverdue, l.Quantity, l.Reason)
	}
	return tw.Flush()
}
