package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"databank/domain"
)

// newAuditCmd returns `databank audit`, which reads the audit of requests.
func newAuditCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "audit", Short: "Read the append-only audit of every request"}
	var since, until, actor, donor string
	var asJSON bool
	export := &cobra.Command{
		Use:   "export [--since TIME] [--until TIME] [--actor NAME] [--donor ID] [--json]",
		Short: "Print audit events, newest first",
		Long: `Export prints the audit events that match, newest first: one JSON object per
line with --json (for a SIEM or an archive), or a table. --donor answers
"who looked at donor D?". Times are RFC 3339 (2026-12-01T00:00:00Z) or dates
(2026-12-01).`,
		Example: `  databank audit export --since 2026-12-01 --json > audit.jsonl
  databank audit export --donor 0190f0c4-… `,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := domain.AuditFilter{Actor: actor, DonorID: donor}
			for _, x := range []struct {
				flag, v string
				dst     **time.Time
			}{{"--since", since, &f.Since}, {"--until", until, &f.Until}} {
				if x.v == "" {
					continue
				}
				t, err := parseTime(x.v)
				if err != nil {
					return fmt.Errorf("audit: %s %q: want RFC 3339 or a date such as 2026-12-01", x.flag, x.v)
				}
				*x.dst = &t
			}
			cfg, err := commandConfig(cmd)
			if err != nil {
				return err
			}
			ctx := domain.WithActor(cmd.Context(), domain.Actor{Name: localUser(), Role: domain.RoleAdmin})
			db, closeDB, err := openDatabase(ctx, cfg, cfg.logger())
			if err != nil {
				return err
			}
			defer closeDB()
			out := cmd.OutOrStdout()
			enc := json.NewEncoder(out)
			tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
			if !asJSON {
				fmt.Fprintln(tw, "AT\tACTOR\tROLE\tOPERATION\tDECISION\tROWS\tDONORS\tMS\tCLIENT")
			}
			after := ""
			for {
				p, err := db.svc.AuditEvents(ctx, f, domain.PageRequest{First: domain.MaxPageSize, After: after})
				if err != nil {
					return err
				}
				for i, ev := range p.Items {
					after = p.Cursors[i]
					if asJSON {
						if err := enc.Encode(auditJSON(ev)); err != nil {
							return err
						}
						continue
					}
					fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%d\t%d\t%.1f\t%s\n", ev.At.UTC().Format(time.RFC3339), ev.Actor, ev.Role, ev.Operation,
						ev.Decision, ev.Rows, len(ev.DonorIDs), float64(ev.Duration.Microseconds())/1000, ev.Client)
				}
				if !p.HasNext {
					break
				}
			}
			if !asJSON {
				return tw.Flush()
			}
			return nil
		},
	}
	export.Flags().StringVar(&since, "since", "", "only events at or after this time")
	export.Flags().StringVar(&until, "until", "", "only events before this time")
	export.Flags().StringVar(&actor, "actor", "", "only the events of this actor")
	export.Flags().StringVar(&donor, "donor", "", "only the events that returned this donor (its id)")
	export.Flags().BoolVar(&asJSON, "json", false, "one JSON object per event, one per line")
	cmd.AddCommand(export)
	return cmd
}

func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	return time.Parse(time.DateOnly, strings.TrimSpace(s))
}

// auditJSON is an event as exported.
func auditJSON(ev domain.AuditEvent) map[string]any {
	return map[string]any{"id": ev.ID, "at": ev.At.UTC().Format(time.RFC3339Nano), "actor": ev.Actor, "via": ev.Via, "role": ev.Role,
		"operation": ev.Operation, "queryHash": ev.QueryHash, "variables": json.RawMessage(orEmpty(ev.Variables)), "operations": ev.Operations,
		"decision": ev.Decision, "rows": ev.Rows, "donorIds": ev.DonorIDs, "durationMs": float64(ev.Duration.Microseconds()) / 1000,
		"client": ev.Client, "write": ev.Write}
}

func orEmpty(v string) string {
	if v == "" {
		return "{}"
	}
	return v
}
