// Command databank is the Databank registry: it serves the GraphQL API and
// explorer, migrates the database, imports registries and genomic files,
// and generates synthetic data. Run "databank help" for the subcommands.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"databank/domain"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRootCmd()
	err := root.ExecuteContext(ctx)
	if err == nil {
		return
	}
	if !errors.Is(err, errSilent) && !errors.Is(err, errInspectFailed) {
		fmt.Fprintln(os.Stderr, "databank:", userMessage(err))
	}
	os.Exit(1)
}

// errSilent marks a failure already reported to the user.
var errSilent = errors.New("failed")

// userMessage is what a person at the terminal should read: the domain
// message with its field errors, or the error chain for operational
// failures (a command-line user is the operator, so causes are shown).
func userMessage(err error) string {
	var de *domain.Error
	if errors.As(err, &de) && de.Code != domain.EINTERNAL {
		return de.Error()
	}
	return err.Error()
}
