package service_test

import (
	"context"
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
