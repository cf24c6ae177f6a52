package main

import (
	"context"
	"io"

	"databank/domain"
)

// registryImporter serves the importRegistry mutation through the import
// service, with the same readers and checks as `databank import`.
type registryImporter struct{ svc domain.ImportService }

func (i registryImporter) Import(ctx context.Context, kind domain.ImportKind, name string, r io.Reader, dryRun bool) (*domain.ImportReport, error) {
	return i.svc.ImportFile(ctx, kind, name, r, dryRun)
}
