package graph

import (
	"context"

	"databank/domain"
)

// Store is what the resolvers need from the registry. store.Store
// implements it; graph never imports the store package.
type Store interface {
	Ping(ctx context.Context) error
	EntityType(ctx context.Context, id string) (string, error)
	ChangeLog(ctx context.Context, id string) ([]domain.Change, error)

	CreateBiobank(ctx context.Context, b domain.Biobank) (domain.Biobank, error)
	UpdateBiobank(ctx context.Context, id string, patch func(*domain.Biobank) error) (domain.Biobank, error)
	RetireBiobank(ctx context.Context, id string) (domain.Biobank, error)
	Biobank(ctx context.Context, id string) (domain.Biobank, error)
	BiobankByCode(ctx context.Context, code string) (domain.Biobank, error)
	BiobanksByIDs(ctx context.Context, ids []string) ([]domain.Biobank, error)
	Biobanks(ctx context.Context, f domain.BiobankFilter, p domain.PageRequest) (domain.Page[domain.Biobank], error)

	CreateDonor(ctx context.Context, d domain.Donor) (domain.Donor, error)
	UpdateDonor(ctx context.Context, id string, patch func(*domain.Donor) error) (domain.Donor, error)
	RetireDonor(ctx context.Context, id string) (domain.Donor, error)
	Donor(ctx context.Context, id string) (domain.Donor, error)
	DonorByExternalID(ctx context.Context, biobankCode, externalID string) (domain.Donor, error)
	DonorsByIDs(ctx context.Context, ids []string) ([]domain.Donor, error)
	Donors(ctx context.Context, f domain.DonorFilter, p domain.PageRequest) (domain.Page[domain.Donor], error)

	AddDiagnosis(ctx context.Context, d domain.Diagnosis) (domain.Diagnosis, error)
	RetireDiagnosis(ctx context.Context, id string) (domain.Diagnosis, error)
	Diagnosis(ctx context.Context, id string) (domain.Diagnosis, error)
	DiagnosesByDonorIDs(ctx context.Context, donorIDs []string) (map[string][]domain.Diagnosis, error)

	AddConsent(ctx context.Context, c domain.Consent) (domain.Consent, error)
	UpdateConsent(ctx context.Context, id string, patch func(*domain.Consent) error) (domain.Consent, error)
	RetireConsent(ctx context.Context, id string) (domain.Consent, error)
	Consent(ctx context.Context, id string) (domain.Consent, error)
	ConsentsByDonorIDs(ctx context.Context, donorIDs []string) (map[string][]domain.Consent, error)

	CreateSample(ctx context.Context, s domain.Sample) (domain.Sample, error)
	UpdateSample(ctx context.Context, id string, patch func(*domain.Sample) error) (domain.Sample, error)
	RetireSample(ctx context.Context, id string) (domain.Sample, error)
	Sample(ctx context.Context, id string) (domain.Sample, error)
	SampleByExternalID(ctx context.Context, biobankCode, externalID string) (domain.Sample, error)
	SamplesByIDs(ctx context.Context, ids []string) ([]domain.Sample, error)
	SamplesByDonorIDs(ctx context.Context, donorIDs []string) (map[string][]domain.Sample, error)
	SampleChildren(ctx context.Context, parentIDs []string) (map[string][]domain.Sample, error)
	Samples(ctx context.Context, f domain.SampleFilter, p domain.PageRequest) (domain.Page[domain.Sample], error)

	CreateStudy(ctx context.Context, s domain.Study) (domain.Study, error)
	UpdateStudy(ctx context.Context, id string, patch func(*domain.Study) error) (domain.Study, error)
	RetireStudy(ctx context.Context, id string) (domain.Study, error)
	Study(ctx context.Context, id string) (domain.Study, error)
	StudyByExternalID(ctx context.Context, externalID string) (domain.Study, error)
	StudiesByIDs(ctx context.Context, ids []string) ([]domain.Study, error)
	Studies(ctx context.Context, f domain.StudyFilter, p domain.PageRequest) (domain.Page[domain.Study], error)

	CreateWithdrawal(ctx context.Context, w domain.Withdrawal) (domain.Withdrawal, error)
	UpdateWithdrawal(ctx context.Context, id string, patch func(*domain.Withdrawal) error) (domain.Withdrawal, error)
	RetireWithdrawal(ctx context.Context, id string) (domain.Withdrawal, error)
	Withdrawal(ctx context.Context, id string) (domain.Withdrawal, error)
	WithdrawalByExternalID(ctx context.Context, biobankCode, externalID string) (domain.Withdrawal, error)
	WithdrawalsByIDs(ctx context.Context, ids []string) ([]domain.Withdrawal, error)
	WithdrawalsBySampleIDs(ctx context.Context, sampleIDs []string) (map[string][]domain.Withdrawal, error)
	Withdrawals(ctx context.Context, f domain.WithdrawalFilter, p domain.PageRequest) (domain.Page[domain.Withdrawal], error)

	RegisterDataFile(ctx context.Context, f domain.DataFile) (domain.DataFile, error)
	RetireDataFile(ctx context.Context, id string) (domain.DataFile, error)
	DataFile(ctx context.Context, id string) (domain.DataFile, error)
	DataFileByExternalID(ctx context.Context, externalID string) (domain.DataFile, error)
	DataFilesByIDs(ctx context.Context, ids []string) ([]domain.DataFile, error)
	DataFilesBySampleIDs(ctx context.Context, sampleIDs []string) (map[string][]domain.DataFile, error)
	DataFilesByWithdrawalIDs(ctx context.Context, withdrawalIDs []string) (map[string][]domain.DataFile, error)
	DataFilesByDatasetIDs(ctx context.Context, datasetIDs []string) (map[string][]domain.DataFile, error)
	FileSamplesByFileIDs(ctx context.Context, fileIDs []string) (map[string][]domain.FileSample, error)
	DataFiles(ctx context.Context, f domain.DataFileFilter, p domain.PageRequest) (domain.Page[domain.DataFile], error)

	CreateDataset(ctx context.Context, d domain.Dataset) (domain.Dataset, error)
	UpdateDataset(ctx context.Context, id string, patch func(*domain.Dataset) error) (domain.Dataset, error)
	SetDatasetFiles(ctx context.Context, datasetID string, fileIDs []string, remove bool) (domain.Dataset, error)
	RetireDataset(ctx context.Context, id string) (domain.Dataset, error)
	Dataset(ctx context.Context, id string) (domain.Dataset, error)
	DatasetByExternalID(ctx context.Context, externalID string) (domain.Dataset, error)
	DatasetsByIDs(ctx context.Context, ids []string) ([]domain.Dataset, error)
	DatasetsByFileIDs(ctx context.Context, fileIDs []string) (map[string][]domain.Dataset, error)
	Datasets(ctx context.Context, f domain.DatasetFilter, p domain.PageRequest) (domain.Page[domain.Dataset], error)
}
