package domain

import (
	"context"
	"io"
	"time"

	"databank/ontology"
)

// The services below are what every entry point calls: GraphQL resolvers
// and their batch loaders, the command line, the registry and file
// imports. One implementation (package service) applies the access
// policy (Authorize), normalises and validates input, and calls the
// store; entry points never reach the store themselves.
//
// Lookups by id return ENOTFOUND for an unknown id and EINVALID, naming
// the argument, for a malformed one. Lookups by a biobank's external id
// (sample, donor, withdrawal) take an empty biobank code when the id is
// used by one biobank only; EINVALID names the biobanks otherwise. Batch lookups (…ByIDs, …By…IDs)
// skip unknown ids; they serve loaders, which report a missing key.

// RegistryService answers questions that span entity kinds.
type RegistryService interface {
	// Health reports whether the registry can serve requests; it needs no
	// credentials (load balancers call it).
	Health(ctx context.Context) error
	// EntityType names the GraphQL type of the entity with id ("Sample",
	// "Donor", …), for the Node interface.
	EntityType(ctx context.Context, id string) (string, error)
	// History lists the recorded changes of the entity with id.
	History(ctx context.Context, id string) ([]Change, error)
}

// BiobankService manages biobanks.
type BiobankService interface {
	CreateBiobank(ctx context.Context, b Biobank) (Biobank, error)
	UpdateBiobank(ctx context.Context, id string, patch func(*Biobank) error) (Biobank, error)
	RetireBiobank(ctx context.Context, id string) (Biobank, error)
	Biobank(ctx context.Context, id string) (Biobank, error)
	BiobankByCode(ctx context.Context, code string) (Biobank, error)
	BiobanksByIDs(ctx context.Context, ids []string) ([]Biobank, error)
	Biobanks(ctx context.Context, f BiobankFilter, p PageRequest) (Page[Biobank], error)
}

// DonorService manages donors with their diagnoses and consents.
type DonorService interface {
	CreateDonor(ctx context.Context, d Donor) (Donor, error)
	UpdateDonor(ctx context.Context, id string, patch func(*Donor) error) (Donor, error)
	RetireDonor(ctx context.Context, id string) (Donor, error)
	Donor(ctx context.Context, id string) (Donor, error)
	DonorByExternalID(ctx context.Context, biobankCode, externalID string) (Donor, error)
	DonorsByIDs(ctx context.Context, ids []string) ([]Donor, error)
	Donors(ctx context.Context, f DonorFilter, p PageRequest) (Page[Donor], error)

	AddDiagnosis(ctx context.Context, d Diagnosis) (Diagnosis, error)
	RetireDiagnosis(ctx context.Context, id string) (Diagnosis, error)
	Diagnosis(ctx context.Context, id string) (Diagnosis, error)
	DiagnosesByDonorIDs(ctx context.Context, donorIDs []string) (map[string][]Diagnosis, error)

	AddConsent(ctx context.Context, c Consent) (Consent, error)
	UpdateConsent(ctx context.Context, id string, patch func(*Consent) error) (Consent, error)
	RetireConsent(ctx context.Context, id string) (Consent, error)
	Consent(ctx context.Context, id string) (Consent, error)
	ConsentsByDonorIDs(ctx context.Context, donorIDs []string) (map[string][]Consent, error)
}

// SampleService manages samples and their lineage.
type SampleService interface {
	CreateSample(ctx context.Context, s Sample) (Sample, error)
	UpdateSample(ctx context.Context, id string, patch func(*Sample) error) (Sample, error)
	RetireSample(ctx context.Context, id string) (Sample, error)
	Sample(ctx context.Context, id string) (Sample, error)
	SampleByExternalID(ctx context.Context, biobankCode, externalID string) (Sample, error)
	// SamplesByExternalIDs maps each known external id of the biobank to
	// its sample; unknown ids are left out.
	SamplesByExternalIDs(ctx context.Context, biobankCode string, externalIDs []string) (map[string]Sample, error)
	SamplesByIDs(ctx context.Context, ids []string) ([]Sample, error)
	SamplesByDonorIDs(ctx context.Context, donorIDs []string) (map[string][]Sample, error)
	SampleChildren(ctx context.Context, parentIDs []string) (map[string][]Sample, error)
	Samples(ctx context.Context, f SampleFilter, p PageRequest) (Page[Sample], error)
	// SampleFacets counts the samples matching f by each facet, and by
	// their distinct donors; each facet ignores f's own condition on it.
	SampleFacets(ctx context.Context, f SampleFilter, facets []SampleFacet, o FacetOptions) ([]Facet, error)
}

// PreviewService answers the withdrawal preview: which requested samples
// can be served as existing data instead of material.
type PreviewService interface {
	// WithdrawalPreview passes each requested sample's answer to emit, in
	// request order, a chunk at a time (memory stays bounded), and
	// returns the summary.
	WithdrawalPreview(ctx context.Context, req PreviewRequest, emit func(PreviewItem) error) (PreviewSummary, error)
}

// DataReturnService follows the data-return loop: withdrawals whose
// derived data must come back to the biobank.
type DataReturnService interface {
	// DataReturnsByIDs decides the data return of each withdrawal today
	// (batch loading; unknown ids are left out).
	DataReturnsByIDs(ctx context.Context, withdrawalIDs []string) ([]DataReturn, error)
	// OverdueDataReturns lists a biobank's withdrawals whose data return
	// is overdue on asOf (zero: today), most overdue first.
	OverdueDataReturns(ctx context.Context, biobankCode string, asOf time.Time) ([]OverdueReturn, error)
	// StudyExchangesByIDs sums what each study took and gave back, today
	// (batch loading).
	StudyExchangesByIDs(ctx context.Context, studyIDs []string) ([]StudyExchange, error)
}

// AuditService keeps the append-only audit of every request.
type AuditService interface {
	// RecordAudit commits a request's audit event; it returns only once
	// the event is stored (a request whose event cannot be stored is not
	// answered).
	RecordAudit(ctx context.Context, ev AuditEvent) error
	// AuditEvents lists audit events, newest first (admins only).
	AuditEvents(ctx context.Context, f AuditFilter, p PageRequest) (Page[AuditEvent], error)
}

// AccessService records the approvals that let a researcher see the
// rows of a dataset or of a named set of samples (staff), and tells a
// researcher what they are approved for.
type AccessService interface {
	// RecordAccessApproval records a for its researcher; the dataset may
	// be named by its external id.
	RecordAccessApproval(ctx context.Context, a AccessApproval) (AccessApproval, error)
	// RevokeAccessApproval ends the approval with id.
	RevokeAccessApproval(ctx context.Context, id string) (AccessApproval, error)
	// AccessApprovals lists the approvals of researcher (every
	// researcher's when empty), newest first; revoked and expired ones
	// only with includeInactive.
	AccessApprovals(ctx context.Context, researcher string, includeInactive bool) ([]AccessApproval, error)
	// MyApprovedAccess is the caller's approved scope: datasets from
	// visas and approvals, and approved samples.
	MyApprovedAccess(ctx context.Context) (RowScope, error)
}

// ReferenceService keeps the ids datasets, data files, studies and
// samples are known by elsewhere (DRS, ENA, dbGaP …).
type ReferenceService interface {
	AddReference(ctx context.Context, r Reference) (Reference, error)
	ReferencesByIDs(ctx context.Context, ids []string) (map[string][]Reference, error)
}

// StudyService manages studies.
type StudyService interface {
	CreateStudy(ctx context.Context, s Study) (Study, error)
	UpdateStudy(ctx context.Context, id string, patch func(*Study) error) (Study, error)
	RetireStudy(ctx context.Context, id string) (Study, error)
	Study(ctx context.Context, id string) (Study, error)
	StudyByExternalID(ctx context.Context, externalID string) (Study, error)
	StudiesByIDs(ctx context.Context, ids []string) ([]Study, error)
	Studies(ctx context.Context, f StudyFilter, p PageRequest) (Page[Study], error)
}

// WithdrawalService manages withdrawals of material from samples.
type WithdrawalService interface {
	CreateWithdrawal(ctx context.Context, w Withdrawal) (Withdrawal, error)
	UpdateWithdrawal(ctx context.Context, id string, patch func(*Withdrawal) error) (Withdrawal, error)
	RetireWithdrawal(ctx context.Context, id string) (Withdrawal, error)
	Withdrawal(ctx context.Context, id string) (Withdrawal, error)
	WithdrawalByExternalID(ctx context.Context, biobankCode, externalID string) (Withdrawal, error)
	WithdrawalsByIDs(ctx context.Context, ids []string) ([]Withdrawal, error)
	WithdrawalsBySampleIDs(ctx context.Context, sampleIDs []string) (map[string][]Withdrawal, error)
	Withdrawals(ctx context.Context, f WithdrawalFilter, p PageRequest) (Page[Withdrawal], error)
}

// DataFileService manages genomic data files and their links to samples.
type DataFileService interface {
	RegisterDataFile(ctx context.Context, f DataFile) (DataFile, error)
	// RegisterDataFiles registers files found on disk in one transaction
	// and returns their ids, in order.
	RegisterDataFiles(ctx context.Context, files []DataFile) ([]string, error)
	RetireDataFile(ctx context.Context, id string) (DataFile, error)
	DataFile(ctx context.Context, id string) (DataFile, error)
	DataFileByExternalID(ctx context.Context, externalID string) (DataFile, error)
	DataFilesByIDs(ctx context.Context, ids []string) ([]DataFile, error)
	DataFilesBySampleIDs(ctx context.Context, sampleIDs []string) (map[string][]DataFile, error)
	DataFilesByWithdrawalIDs(ctx context.Context, withdrawalIDs []string) (map[string][]DataFile, error)
	// DataFilePagesByDatasetIDs returns the same page of each dataset's
	// files (nested connections), keyed by dataset id.
	DataFilePagesByDatasetIDs(ctx context.Context, datasetIDs []string, p PageRequest) (map[string]Page[DataFile], error)
	// FileSamplePagesByFileIDs returns the same page of each file's
	// sample links, keyed by file id.
	FileSamplePagesByFileIDs(ctx context.Context, fileIDs []string, p PageRequest) (map[string]Page[FileSample], error)
	DataFiles(ctx context.Context, f DataFileFilter, p PageRequest) (Page[DataFile], error)
}

// DatasetService manages datasets: files released together under
// data-use conditions.
type DatasetService interface {
	CreateDataset(ctx context.Context, d Dataset) (Dataset, error)
	UpdateDataset(ctx context.Context, id string, patch func(*Dataset) error) (Dataset, error)
	SetDatasetFiles(ctx context.Context, datasetID string, fileIDs []string, remove bool) (Dataset, error)
	RetireDataset(ctx context.Context, id string) (Dataset, error)
	Dataset(ctx context.Context, id string) (Dataset, error)
	DatasetByExternalID(ctx context.Context, externalID string) (Dataset, error)
	DatasetsByIDs(ctx context.Context, ids []string) ([]Dataset, error)
	DatasetsByFileIDs(ctx context.Context, fileIDs []string) (map[string][]Dataset, error)
	Datasets(ctx context.Context, f DatasetFilter, p PageRequest) (Page[Dataset], error)
}

// ImportService runs all-or-nothing registry imports.
type ImportService interface {
	// Import imports registry files in one transaction (see ImportRequest).
	Import(ctx context.Context, req ImportRequest) (*ImportReport, error)
	// ImportFile imports one uploaded registry file of kind, read from r
	// and named name in messages.
	ImportFile(ctx context.Context, kind ImportKind, name string, r io.Reader, dryRun bool) (*ImportReport, error)
}

// OntologyService keeps the operators' vocabulary releases.
type OntologyService interface {
	// SaveOntology stores system's terms from reg as the operator's
	// release: missing terms become obsolete, never deleted.
	SaveOntology(ctx context.Context, reg *ontology.Registry, system string) error
	// LoadedOntologies returns the releases stored in the database.
	LoadedOntologies(ctx context.Context) (map[ontology.System][]ontology.Term, error)
	// Vocabulary returns the coded vocabularies in use, to browse.
	Vocabulary(ctx context.Context) (*ontology.Registry, error)
}

// ConsentService decides whether consents permit research purposes.
type ConsentService interface {
	// MatchConsent decides consent codes (given in any spelling) against
	// a purpose, without any data: "would my project be allowed?".
	MatchConsent(ctx context.Context, permission string, modifiers []string, disease string, p ResearchPurpose) (ConsentDecision, error)
	// DecideConsent decides a consent (nil: none recorded) against a
	// purpose today.
	DecideConsent(ctx context.Context, c *Consent, p ResearchPurpose) (ConsentDecision, error)
	// DecideDonorConsent decides a donor's consents (all of them, as
	// recorded) against a purpose today: the consent in force, or the
	// latest one's withdrawal.
	DecideDonorConsent(ctx context.Context, cs []Consent, p ResearchPurpose) (ConsentDecision, error)
	// DecideDataUse decides a dataset's data-use conditions against a
	// purpose.
	DecideDataUse(ctx context.Context, codes []string, p ResearchPurpose) (ConsentDecision, error)
}

// Services is every service; entry points take it whole.
type Services interface {
	RegistryService
	BiobankService
	DonorService
	SampleService
	StudyService
	WithdrawalService
	DataFileService
	DatasetService
	ImportService
	OntologyService
	ConsentService
	PreviewService
	DataReturnService
	ReferenceService
	AccessService
	AuditService
	TokenService
	FederationService
}

// TokenService manages API tokens: bearer credentials for staff scripts,
// the command line and federation clients. Only admins make, list and
// revoke them; authenticating one needs no actor (it makes one).
type TokenService interface {
	// CreateAPIToken stores t (name, role, biobanks, expiry) and returns
	// it with its secret, which is shown this once and never stored.
	CreateAPIToken(ctx context.Context, t APIToken) (APIToken, string, error)
	// APITokens lists the tokens, newest first, never their secrets;
	// revoked and expired ones only with includeInactive.
	APITokens(ctx context.Context, includeInactive bool) ([]APIToken, error)
	// RevokeAPIToken revokes the token called name; from then on (within
	// the authentication cache's lifetime) it is refused.
	RevokeAPIToken(ctx context.Context, name string) (APIToken, error)
	// AuthenticateAPIToken returns the actor of an API token's secret:
	// EINVALID when secret does not have a token's shape, EUNAUTHORIZED
	// when it is unknown, revoked or expired.
	AuthenticateAPIToken(ctx context.Context, secret string) (Actor, error)
}

// FederationService answers a federation gateway (Apollo Federation),
// which resolves entities by their keys, many of one type at once: each
// lookup is one round trip whatever the number of keys. Keys must be well
// formed (CheckID, CheckAccession: EINVALID otherwise); unknown keys are
// left out of the answer.
type FederationService interface {
	// DatasetsByKeys returns the datasets with the given ids or EGA
	// dataset accessions (EGAD...), in any order.
	DatasetsByKeys(ctx context.Context, ids, accessions []string) ([]Dataset, error)
	// DataFilesByKeys returns the data files with the given ids or EGA
	// file accessions (EGAF...), in any order.
	DataFilesByKeys(ctx context.Context, ids, accessions []string) ([]DataFile, error)
	// StudiesByAccessions returns the studies with the given EGA study
	// accessions (EGAS...), in any order.
	StudiesByAccessions(ctx context.Context, accessions []string) ([]Study, error)
	// BiobanksByCodes returns the biobanks with the given codes (any
	// case), in any order.
	BiobanksByCodes(ctx context.Context, codes []string) ([]Biobank, error)
	// DatasetSampleSummaries counts the samples of each dataset's current
	// files by material type and biobank, small counts suppressed
	// (SampleTally.Summary), keyed by dataset id.
	DatasetSampleSummaries(ctx context.Context, datasetIDs []string) (map[string]SampleSummary, error)
}
