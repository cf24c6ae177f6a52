package store_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/store"
	"databank/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// newStore returns a store on a fresh migrated database, and a context
// acting as a staff member.
func newStore(t *testing.T) (*store.Store, context.Context) {
	t.Helper()
	st, ctx, _ := newStoreAt(t)
	return st, ctx
}

// newStoreAt is newStore with the database's URL, for a test that also
// connects as its owner (storetest.OwnerURL).
func newStoreAt(t *testing.T) (*store.Store, context.Context, string) {
	t.Helper()
	url := storetest.New(t, store.Migrator{})
	ctx := domain.WithActor(context.Background(), domain.Actor{Name: "tester", Role: domain.RoleStaff})
	st, err := store.Open(ctx, url, store.Options{})
	require.NoError(t, err)
	t.Cleanup(st.Close)
	return st, ctx, url
}

func qty(s string) *domain.Quantity {
	q, err := domain.ParseQuantity(s)
	if err != nil {
		panic(err)
	}
	return &q
}

// fixture is a biobank with one donor, a blood sample and a DNA child.
type fixture struct {
	biobank domain.Biobank
	donor   domain.Donor
	blood   domain.Sample
	dna     domain.Sample
	study   domain.Study
}

func newFixture(t *testing.T, ctx context.Context, st *store.Store) fixture {
	t.Helper()
	var f fixture
	var err error
	f.biobank, err = st.CreateBiobank(ctx, domain.Biobank{Code: "DNB", Name: "Danish National Biobank", Country: "dk"})
	require.NoError(t, err)
	f.donor, err = st.CreateDonor(ctx, domain.Donor{BiobankID: f.biobank.ID, ExternalID: "D0001", Sex: "female", VitalStatus: "alive"})
	require.NoError(t, err)
	f.blood, err = st.CreateSample(ctx, domain.Sample{BiobankID: f.biobank.ID, DonorID: f.donor.ID, ExternalID: "S-1", MaterialType: "whole blood",
		InitialQuantity: qty("10"), QuantityUnit: "ml"})
	require.NoError(t, err)
	f.dna, err = st.CreateSample(ctx, domain.Sample{BiobankID: f.biobank.ID, DonorID: f.donor.ID, ExternalID: "S-2", ParentID: f.blood.ID,
		MaterialType: "MIABIS:DNA", InitialQuantity: qty("50"), RegisteredRemaining: qty("40"), QuantityUnit: "ug"})
	require.NoError(t, err)
	f.study, err = st.CreateStudy(ctx, domain.Study{ExternalID: "ST1", Title: "Heart study"})
	require.NoError(t, err)
	return f
}
