package service

import (
	"context"

	"databank/domain"
	"databank/ontology"
)

// Store is the persistence the services need; store.Store implements it.
// Each entity's file declares its part.
type Store interface {
	registryStore
	biobankStore
	donorStore
	sampleStore
	studyStore
	withdrawalStore
	dataFileStore
	datasetStore
	previewStore
	dataReturnStore
	referenceStore
	approvalStore
	auditStore
	tokenStore
	federationStore
	vocabularyStore
	countIndexStore
}

type registryStore interface {
	Ping(ctx context.Context) error
	EntityType(ctx context.Context, id string) (string, error)
	ChangeLog(ctx context.Context, id string) ([]domain.Change, error)
	Import(ctx context.Context, req domain.ImportRequest) (*domain.ImportReport, error)
	SaveOntology(ctx context.Context, reg *ontology.Registry, system string, builtin bool) error
	LoadedOntologies(ctx context.Context) (map[ontology.System][]ontology.Term, error)
	BiobanksHolding(ctx context.Context, kind, externalID string) ([]string, error)
}
