package main

import (
	"context"
	"io"

	"databank/domain"
	"databank/importers/registry"
	"databank/store"
)

// registryImporter serves the importRegistry mutation with the same
// readers and store import as `databank import`.
type registryImporter struct{ st *store.Store }

func (i registryImporter) Import(ctx context.Context, kind domain.ImportKind, name string, r io.Reader, dryRun bool) (*domain.ImportReport, error) {
	rd, err := registry.NewReader(r, name, kind, registry.Options{})
	if err != nil {
		return nil, err
	}
	return i.st.Import(ctx, store.ImportRequest{Sources: []domain.ImportSource{rd}, DryRun: dryRun})
}
