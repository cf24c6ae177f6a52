package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"databank/domain"
	"databank/graph/explorer"
	"databank/importers/synthetic"
)

// demoLoader is the actor the demo's data is created by; a database whose
// biobanks were all created by it holds the demo and nothing else.
const demoLoader = "demo-loader"

// demoApproved is the demo's approved researcher: a researcher token the
// demo approves for its first dataset (byRole key and token name).
const demoApproved = "demo-approved"

// demoAddr is where the demo listens unless told otherwise: its explorer
// page carries a researcher token, so only this machine may reach it.
const demoAddr = "127.0.0.1:8080"

func newDemoCmd() *cobra.Command {
	var donors int
	var seed uint64
	var serveExisting bool
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Load a synthetic biobank into an empty database, then serve it",
		Long: `Load a deterministic synthetic registry (3 biobanks, 2,000 donors, about
10,000 samples with lineage, consents, diagnoses, studies, withdrawals, data
files and datasets) when the database is empty, then serve the API and the
explorer. Without DATABASE_URL it uses the private cluster in --pg-dir.
Unless DATABANK_TOKENS_FILE is set, it creates demo tokens (kept beside the
cluster) and prints them; the explorer's example tabs carry the researcher
token, so the demo listens on 127.0.0.1:8080 (this machine only) unless
--addr or DATABANK_ADDR says otherwise. A database holding data the demo did
not load is refused unless --serve-existing is given.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := commandConfig(cmd)
			if err != nil {
				return err
			}
			if _, set := os.LookupEnv("DATABANK_ADDR"); !set && !cmd.Flags().Changed("addr") {
				cfg.Addr = demoAddr
			}
			log := cfg.logger()
			ctx := cmd.Context()
			db, closeDB, err := openDatabase(ctx, cfg, log)
			if err != nil {
				return err
			}
			defer closeDB()
			if err := loadDemo(ctx, db.svc, donors, seed, serveExisting, cmd.OutOrStdout(), log); err != nil {
				return err
			}
			tokens, byRole, err := demoTokens(cfg, cmd.OutOrStdout())
			if err != nil {
				return err
			}
			if _, ok := byRole[demoApproved]; ok {
				if err := approveDemoResearcher(ctx, db.svc, cmd.OutOrStdout()); err != nil {
					return err
				}
			}
			printNextSteps(cmd.OutOrStdout(), cfg.Addr, byRole[domain.RoleResearcher])
			examples := withHeader(defaultExamples, byRole)
			return serve(ctx, cfg, db, tokens, examples, log)
		},
	}
	addAddrFlag(cmd)
	cmd.Flags().IntVar(&donors, "donors", 2000, "donors in the synthetic biobank")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "seed of the synthetic data")
	cmd.Flags().BoolVar(&serveExisting, "serve-existing", false, "serve a database that holds data the demo did not load (with the demo's tokens)")
	return cmd
}

// printNextSteps tells a new user where to go once the demo serves.
func printNextSteps(out io.Writer, addr, token string) {
	host := addr
	if strings.HasPrefix(host, ":") {
		host = "localhost" + host
	}
	fmt.Fprintf(out, "\nexplorer:    http://%s/  (example tabs carry the researcher token)\n", host)
	fmt.Fprintf(out, "import page: http://%s/import  (staff token)\n", host)
	if token != "" {
		fmt.Fprintf(out, "try:         curl -s http://%s/graphql -H 'Authorization: Bearer %s' \\\n", host, token)
		fmt.Fprintf(out, "               -H 'Content-Type: application/json' -d '{\"query\":\"{ biobanks { nodes { code name } } }\"}'\n")
	}
	if strings.HasPrefix(addr, "127.0.0.1:") {
		fmt.Fprintf(out, "(listening on this machine only; --addr :8080 opens it to the network, and its explorer page to anyone who reaches it)\n")
	}
	fmt.Fprintln(out)
}

// loadDemo fills an empty registry with synthetic data; a registry that
// already has biobanks is left alone.
func loadDemo(ctx context.Context, svc domain.Services, donors int, seed uint64, serveExisting bool, out io.Writer, log *slog.Logger) error {
	ctx = domain.WithActor(ctx, domain.Actor{Name: demoLoader, Role: domain.RoleAdmin})
	page, err := svc.Biobanks(ctx, domain.BiobankFilter{IncludeRetired: true}, domain.PageRequest{First: domain.MaxPageSize})
	if err != nil {
		return err
	}
	if len(page.Items) > 0 {
		for _, b := range page.Items {
			if b.CreatedBy != demoLoader && !serveExisting {
				return fmt.Errorf("demo: the database holds data the demo did not load (biobank %s, created by %s); "+
					"use an empty database, or --serve-existing to serve it with the demo's tokens", b.Code, b.CreatedBy)
			}
		}
		log.Info("database already holds the demo; not loading it again")
		return nil
	}
	dir, err := os.MkdirTemp("", "databank-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	fmt.Fprintf(out, "generating a synthetic biobank with %d donors...\n", donors)
	if _, err := synthetic.Generate(ctx, synthetic.Config{Donors: donors, Seed: seed}, dir); err != nil {
		return err
	}
	return runBundleImport(ctx, svc, dir, out)
}

// demoTokens returns the configured tokens, or a researcher and a staff
// token kept in a file beside the private cluster so that they survive
// restarts, with a token of each role.
func demoTokens(cfg config, out io.Writer) (map[string]domain.Actor, map[string]string, error) {
	if cfg.TokensFile != "" {
		t, err := readTokens(cfg.TokensFile)
		return t, nil, err
	}
	path := filepath.Join(filepath.Dir(filepath.Clean(cfg.PGDir)), "demo-tokens")
	if _, err := os.Stat(path); os.IsNotExist(err) {
		text := fmt.Sprintf("# demo tokens: TOKEN ROLE NAME\n%s researcher demo-researcher\n%s researcher %s\n%s staff demo-staff\n",
			randomToken(), randomToken(), demoApproved, randomToken())
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, nil, err
		}
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			return nil, nil, err
		}
	}
	tokens, err := readTokens(path)
	if err != nil {
		return nil, nil, err
	}
	byRole := map[string]string{}
	for tok, a := range tokens {
		switch {
		case a.Name == demoApproved:
			fmt.Fprintf(out, "%-10s token: %s (approved for the first dataset: sees its samples row by row)\n", a.Role, tok)
			byRole[demoApproved] = tok
		default:
			fmt.Fprintf(out, "%-10s token: %s\n", a.Role, tok)
			byRole[a.Role] = tok
		}
	}
	fmt.Fprintf(out, "(tokens kept in %s; send them as \"Authorization: Bearer TOKEN\")\n", path)
	return tokens, byRole, nil
}

func randomToken() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	return hex.EncodeToString(b)
}

// withHeader preloads the explorer's example tabs with a bearer token:
// the researcher's where a researcher may run the tab
// (aggregateExamples), the approved researcher's on their tab
// (approvedExamples), the staff's elsewhere.
func withHeader(examples []explorer.Example, byRole map[string]string) []explorer.Example {
	out := make([]explorer.Example, len(examples))
	for i, e := range examples {
		token := byRole[domain.RoleStaff]
		switch {
		case aggregateExamples[e.Name]:
			token = byRole[domain.RoleResearcher]
		case approvedExamples[e.Name] && byRole[demoApproved] != "":
			token = byRole[demoApproved]
		}
		if token != "" {
			e.Headers = fmt.Sprintf("{\n  \"Authorization\": \"Bearer %s\"\n}", token)
		}
		out[i] = e
	}
	return out
}

// approveDemoResearcher records, once, the demo's approval of its approved
// researcher for the first dataset, as staff would with
// recordAccessApproval.
func approveDemoResearcher(ctx context.Context, svc domain.Services, out io.Writer) error {
	ctx = domain.WithActor(ctx, domain.Actor{Name: demoLoader, Role: domain.RoleAdmin})
	have, err := svc.AccessApprovals(ctx, demoApproved, false)
	if err != nil || len(have) > 0 {
		return err
	}
	ds, err := svc.Datasets(ctx, domain.DatasetFilter{}, domain.PageRequest{First: 1})
	if err != nil || len(ds.Items) == 0 {
		return err
	}
	_, err = svc.RecordAccessApproval(ctx, domain.AccessApproval{Researcher: demoApproved, DatasetID: ds.Items[0].ID,
		Reason: "demo: approved for the first dataset"})
	if err == nil {
		fmt.Fprintf(out, "approved %s for dataset %s\n", demoApproved, ds.Items[0].ExternalID)
	}
	return err
}
