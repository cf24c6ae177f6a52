package service_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// Staff of a biobank write that biobank's records only, and import its
// rows only: a row of another biobank is an error on its line.
func TestStaffActForTheirBiobanks(t *testing.T) {
	svc := newService(t)
	admin := domain.WithActor(context.Background(), domain.Actor{Name: "ada", Role: domain.RoleAdmin})
	dnb := domain.WithActor(context.Background(), domain.Actor{Name: "dana", Role: domain.RoleStaff, Biobanks: []string{"DNB"}})
	all := domain.WithActor(context.Background(), domain.Actor{Name: "sam", Role: domain.RoleStaff, Biobanks: []string{domain.AllBiobanks}})
	for _, code := range []string{"DNB", "TBB"} {
		_, err := svc.CreateBiobank(admin, domain.Biobank{Code: code, Name: code + " biobank", Country: "DK"})
		require.NoError(t, err)
	}
	_, err := svc.CreateBiobank(dnb, domain.Biobank{Code: "NEW", Name: "New", Country: "DK"})
	assert.Equal(t, domain.EFORBIDDEN, domain.ErrorCode(err), "registering biobanks is for staff of every biobank")

	own, err := svc.CreateDonor(dnb, domain.Donor{BiobankCode: "DNB", ExternalID: "D1", Sex: "female", VitalStatus: "alive"})
	require.NoError(t, err)
	_, err = svc.CreateDonor(dnb, domain.Donor{BiobankCode: "TBB", ExternalID: "D1", Sex: "female", VitalStatus: "alive"})
	require.Error(t, err)
	assert.Equal(t, domain.EFORBIDDEN, domain.ErrorCode(err))
	assert.Contains(t, err.Error(), "belongs to biobank TBB, and you act for DNB only")

	other, err := svc.CreateDonor(all, domain.Donor{BiobankCode: "TBB", ExternalID: "D2", Sex: "male", VitalStatus: "alive"})
	require.NoError(t, err, "staff of every biobank")
	_, err = svc.UpdateDonor(dnb, other.ID, func(d *domain.Donor) error { d.Sex = "female"; return nil })
	assert.Equal(t, domain.EFORBIDDEN, domain.ErrorCode(err))
	_, err = svc.RetireDonor(dnb, other.ID)
	assert.Equal(t, domain.EFORBIDDEN, domain.ErrorCode(err))
	_, err = svc.AddConsent(dnb, domain.Consent{DonorID: other.ID, ExternalID: "C9", GivenOn: mustDate(t, "2020-01-01"), Permission: "HMB"})
	assert.Equal(t, domain.EFORBIDDEN, domain.ErrorCode(err))
	_, err = svc.UpdateDonor(dnb, own.ID, func(d *domain.Donor) error { d.Sex = "other"; return nil })
	require.NoError(t, err)
	_, err = svc.CreateSample(dnb, domain.Sample{BiobankCode: "TBB", DonorID: other.ID, ExternalID: "S1", MaterialType: "DNA"})
	assert.Equal(t, domain.EFORBIDDEN, domain.ErrorCode(err))

	// an import of two biobanks' rows by staff of one: refused line by line, nothing written
	csv := "biobank,donor_id,sex,birth_year,vital_status\nDNB,D3,female,1970,alive\nTBB,D4,male,1980,alive\n"
	rep, err := svc.ImportFile(dnb, domain.ImportDonors, "donors.csv", strings.NewReader(csv), false)
	require.Error(t, err)
	require.NotNil(t, rep)
	require.Len(t, rep.Errors, 1)
	assert.Equal(t, 3, int(rep.Errors[0].Line))
	assert.Contains(t, rep.Errors[0].Message, "biobank TBB is not one you act for (DNB)")
	_, err = svc.DonorByExternalID(all, "DNB", "D3")
	assert.Equal(t, domain.ENOTFOUND, domain.ErrorCode(err), "all or nothing")
	_, err = svc.ImportFile(all, domain.ImportDonors, "donors.csv", strings.NewReader(csv), false)
	require.NoError(t, err)
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := domain.ParseDate(s)
	require.NoError(t, err)
	return d
}

// Data files and datasets are shared across biobanks: staff write them
// only when they act for every biobank whose data they hold, through the
// API and through an import alike.
func TestStaffWriteSharedRecordsOfTheirBiobanks(t *testing.T) {
	svc := newService(t)
	admin := domain.WithActor(context.Background(), domain.Actor{Name: "ada", Role: domain.RoleAdmin})
	dnb := domain.WithActor(context.Background(), domain.Actor{Name: "dana", Role: domain.RoleStaff, Biobanks: []string{"DNB"}})
	for _, code := range []string{"DNB", "TBB"} {
		_, err := svc.CreateBiobank(admin, domain.Biobank{Code: code, Name: code + " biobank", Country: "DK"})
		require.NoError(t, err)
	}
	sample := func(biobank string) domain.Sample {
		d, err := svc.CreateDonor(admin, domain.Donor{BiobankCode: biobank, ExternalID: "D1", Sex: "female", VitalStatus: "alive"})
		require.NoError(t, err)
		x, err := svc.CreateSample(admin, domain.Sample{BiobankCode: biobank, DonorID: d.ID, ExternalID: "S1", MaterialType: "DNA"})
		require.NoError(t, err)
		return x
	}
	ours, theirs := sample("DNB"), sample("TBB")
	const sha = "1579f2683580d8711a0f7ad42cef412d67a2adb06d7314c6078ef523e2f0a4ed"
	file := func(accession, sha string, x domain.Sample) domain.DataFile {
		return domain.DataFile{ExternalID: accession, Format: "CRAM", Assay: "WGS", Location: "s3://x/" + accession + ".cram", SHA256: sha,
			Samples: []domain.FileSample{{SampleID: x.ID, Alias: x.ExternalID}}}
	}
	tbbFile, err := svc.RegisterDataFile(admin, file("EGAF00000000001", sha, theirs))
	require.NoError(t, err)
	ds, err := svc.CreateDataset(dnb, domain.Dataset{ExternalID: "EGAD00000000001", Title: "Shared", DataUse: []string{"GRU"}})
	require.NoError(t, err, "a dataset that holds nothing yet is anyone's on the staff")

	forbidden := []struct {
		name  string
		write func() error
	}{
		{"register another biobank's file again, by accession", func() error {
			_, err := svc.RegisterDataFile(dnb, file("EGAF00000000001", "", ours))
			return err
		}},
		{"register another biobank's file again, by content", func() error {
			_, err := svc.RegisterDataFile(dnb, file("EGAF00000000009", sha, ours))
			return err
		}},
		{"register a file holding another biobank's sample", func() error {
			_, err := svc.RegisterDataFiles(dnb, []domain.DataFile{file("EGAF00000000008", "", theirs)})
			return err
		}},
		{"retire another biobank's file", func() error { _, err := svc.RetireDataFile(dnb, tbbFile.ID); return err }},
		{"add another biobank's file to a dataset", func() error {
			_, err := svc.SetDatasetFiles(dnb, ds.ID, []string{tbbFile.ID}, false)
			return err
		}},
	}
	for _, tt := range forbidden {
		err := tt.write()
		assert.Equal(t, domain.EFORBIDDEN, domain.ErrorCode(err), tt.name)
		assert.ErrorContains(t, err, "holds data of biobank TBB", tt.name)
	}
	got, err := svc.DataFile(admin, tbbFile.ID)
	require.NoError(t, err)
	assert.Equal(t, "s3://x/EGAF00000000001.cram", got.Location, "unchanged")
	assert.Nil(t, got.RetiredAt)

	// once the dataset holds TBB's data, changing or retiring it takes TBB's staff
	_, err = svc.SetDatasetFiles(admin, ds.ID, []string{tbbFile.ID}, false)
	require.NoError(t, err)
	_, err = svc.UpdateDataset(dnb, ds.ID, func(d *domain.Dataset) error { d.ExternalID = "EGAD00000000002"; return nil })
	assert.Equal(t, domain.EFORBIDDEN, domain.ErrorCode(err))
	_, err = svc.RetireDataset(dnb, ds.ID)
	assert.Equal(t, domain.EFORBIDDEN, domain.ErrorCode(err))

	// their own files, they write
	own, err := svc.RegisterDataFile(dnb, file("EGAF00000000002", "", ours))
	require.NoError(t, err)
	_, err = svc.RetireDataFile(dnb, own.ID)
	require.NoError(t, err)

	// an import naming another biobank's file: refused on its line, nothing written
	csv := "biobank,file_id,dataset_id,study_id,withdrawal_id,location,format,assay,assembly,size,md5,sha256,sample_ids,sample_aliases,software\n" +
		"DNB,EGAF00000000003,,,,s3://x/3.cram,CRAM,WGS,,,,,S1,S1,\n" +
		"DNB,EGAF00000000001,,,,s3://mine/1.cram,CRAM,WGS,,,,,S1,S1,\n"
	rep, err := svc.ImportFile(dnb, domain.ImportFiles, "files.csv", strings.NewReader(csv), false)
	require.Error(t, err)
	require.NotNil(t, rep)
	require.Len(t, rep.Errors, 1, rep.Errors)
	assert.Equal(t, 3, int(rep.Errors[0].Line))
	assert.Contains(t, rep.Errors[0].Message, "biobank TBB is not one you act for (DNB)")
	_, err = svc.DataFileByExternalID(admin, "EGAF00000000003")
	assert.Equal(t, domain.ENOTFOUND, domain.ErrorCode(err), "all or nothing")

	// nor adds its own file to a dataset holding another biobank's data
	csv = "biobank,file_id,dataset_id,study_id,withdrawal_id,location,format,assay,assembly,size,md5,sha256,sample_ids,sample_aliases,software\n" +
		"DNB,EGAF00000000004,EGAD00000000001,,,s3://x/4.cram,CRAM,WGS,,,,,S1,S1,\n"
	rep, err = svc.ImportFile(dnb, domain.ImportFiles, "files.csv", strings.NewReader(csv), false)
	require.Error(t, err)
	require.Len(t, rep.Errors, 1, rep.Errors)
	assert.Contains(t, rep.Errors[0].Message, "biobank TBB is not one you act for (DNB)")
	// without the dataset it is theirs; imported again unchanged, too
	csv = strings.Replace(csv, "EGAD00000000001", "", 1)
	for range 2 {
		_, err = svc.ImportFile(dnb, domain.ImportFiles, "files.csv", strings.NewReader(csv), false)
		require.NoError(t, err)
	}
	// once staff of both put it in the shared dataset, re-importing the
	// same line (dataset included) changes nothing and is not refused
	four, err := svc.DataFileByExternalID(admin, "EGAF00000000004")
	require.NoError(t, err)
	_, err = svc.SetDatasetFiles(admin, ds.ID, []string{four.ID}, false)
	require.NoError(t, err)
	csv = strings.Replace(csv, "EGAF00000000004,,", "EGAF00000000004,EGAD00000000001,", 1)
	_, err = svc.ImportFile(dnb, domain.ImportFiles, "files.csv", strings.NewReader(csv), false)
	require.NoError(t, err)

	// a file registered for another biobank's withdrawal, holding no
	// sample yet, is that biobank's too
	study, err := svc.CreateStudy(admin, domain.Study{ExternalID: "ST1", Title: "Returns"})
	require.NoError(t, err)
	q := domain.Quantity(5000)
	tube, err := svc.CreateSample(admin, domain.Sample{BiobankCode: "TBB", DonorID: theirs.DonorID, ExternalID: "S2", MaterialType: "DNA", InitialQuantity: &q, QuantityUnit: "ug"})
	require.NoError(t, err)
	w, err := svc.CreateWithdrawal(admin, domain.Withdrawal{BiobankID: tube.BiobankID, ExternalID: "W1", SampleID: tube.ID, StudyID: study.ID,
		Quantity: 1000, QuantityUnit: "ug", WithdrawnOn: mustDate(t, "2024-01-01"), Recipient: "Lab"})
	require.NoError(t, err)
	_, err = svc.RegisterDataFile(admin, domain.DataFile{ExternalID: "EGAF00000000005", Format: "CRAM", Assay: "WGS", Location: "s3://x/5.cram", WithdrawalID: w.ID})
	require.NoError(t, err)
	_, err = svc.RegisterDataFile(dnb, file("EGAF00000000005", "", ours))
	assert.Equal(t, domain.EFORBIDDEN, domain.ErrorCode(err))
	rep, err = svc.ImportFile(dnb, domain.ImportFiles, "files.csv", strings.NewReader(
		"biobank,file_id,dataset_id,study_id,withdrawal_id,location,format,assay,assembly,size,md5,sha256,sample_ids,sample_aliases,software\n"+
			"DNB,EGAF00000000005,,,,s3://x/5.cram,CRAM,WGS,,,,,S1,S1,\n"), false)
	require.Error(t, err)
	require.Len(t, rep.Errors, 1, rep.Errors)
	assert.Contains(t, rep.Errors[0].Message, "biobank TBB is not one you act for (DNB)")

	// a dataset line that changes the shared dataset is refused; one that
	// changes nothing passes
	datasets := "dataset_id,title,version,data_use,data_access_committee,description\nEGAD00000000001,%s,1,DUO:0000042,,\n"
	rep, err = svc.ImportFile(dnb, domain.ImportDatasets, "datasets.csv", strings.NewReader(fmt.Sprintf(datasets, "Renamed")), false)
	require.Error(t, err)
	require.Len(t, rep.Errors, 1, rep.Errors)
	assert.Contains(t, rep.Errors[0].Message, "biobank TBB is not one you act for (DNB)")
	_, err = svc.ImportFile(dnb, domain.ImportDatasets, "datasets.csv", strings.NewReader(fmt.Sprintf(datasets, "Shared")), false)
	require.NoError(t, err)
}
