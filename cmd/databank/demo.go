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

	"github.com/spf13/cobra"

	"databank/domain"
	"databank/graph/explorer"
	"databank/importers/synthetic"
)

func newDemoCmd() *cobra.Command {
	var donors int
	var seed uint64
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Load a synthetic biobank into an empty database, then serve it",
		Long: `Load a deterministic synthetic registry (3 biobanks, 2,000 donors, about
10,000 samples with lineage, consents, diagnoses, studies, withdrawals, data
files and datasets) when the database is empty, then serve the API and the
explorer. Without DATABASE_URL it uses the private cluster in --pg-dir.
Unless DATABANK_TOKENS_FILE is set, it creates demo tokens (kept beside the
cluster) and prints them; the explorer's example tabs carry the researcher token.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := commandConfig(cmd)
			if err != nil {
				return err
			}
			log := cfg.logger()
			ctx := cmd.Context()
			db, closeDB, err := openDatabase(ctx, cfg, log)
			if err != nil {
				return err
			}
			defer closeDB()
			if err := loadDemo(ctx, db.svc, donors, seed, cmd.OutOrStdout(), log); err != nil {
				return err
			}
			tokens, researcher, err := demoTokens(cfg, cmd.OutOrStdout())
			if err != nil {
				return err
			}
			examples := withHeader(defaultExamples, researcher)
			return serve(ctx, cfg, db, tokens, examples, log)
		},
	}
	addAddrFlag(cmd)
	cmd.Flags().IntVar(&donors, "donors", 2000, "donors in the synthetic biobank")
	cmd.Flags().Uint64Var(&seed, "seed", 1, "seed of the synthetic data")
	return cmd
}

// loadDemo fills an empty registry with synthetic data; a registry that
// already has biobanks is left alone.
func loadDemo(ctx context.Context, svc domain.Services, donors int, seed uint64, out io.Writer, log *slog.Logger) error {
	ctx = domain.WithActor(ctx, domain.Actor{Name: "demo-loader", Role: domain.RoleAdmin})
	page, err := svc.Biobanks(ctx, domain.BiobankFilter{IncludeRetired: true}, domain.PageRequest{First: 1})
	if err != nil {
		return err
	}
	if len(page.Items) > 0 {
		log.Info("database already holds data; not loading the demo")
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
// restarts.
func demoTokens(cfg config, out io.Writer) (map[string]domain.Actor, string, error) {
	if cfg.TokensFile != "" {
		t, err := readTokens(cfg.TokensFile)
		return t, "", err
	}
	path := filepath.Join(filepath.Dir(filepath.Clean(cfg.PGDir)), "demo-tokens")
	if _, err := os.Stat(path); os.IsNotExist(err) {
		text := fmt.Sprintf("# demo tokens: TOKEN ROLE NAME\n%s researcher demo-researcher\n%s staff demo-staff\n", randomToken(), randomToken())
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, "", err
		}
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			return nil, "", err
		}
	}
	tokens, err := readTokens(path)
	if err != nil {
		return nil, "", err
	}
	var researcher string
	for tok, a := range tokens {
		fmt.Fprintf(out, "%-10s token: %s\n", a.Role, tok)
		if a.Role == domain.RoleResearcher {
			researcher = tok
		}
	}
	fmt.Fprintf(out, "(tokens kept in %s; send them as \"Authorization: Bearer TOKEN\")\n", path)
	return tokens, researcher, nil
}

func randomToken() string {
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	return hex.EncodeToString(b)
}

// withHeader preloads the explorer's example tabs with a bearer token.
func withHeader(examples []explorer.Example, token string) []explorer.Example {
	if token == "" {
		return examples
	}
	out := make([]explorer.Example, len(examples))
	for i, e := range examples {
		e.Headers = fmt.Sprintf("{\n  \"Authorization\": \"Bearer %s\"\n}", token)
		out[i] = e
	}
	return out
}
