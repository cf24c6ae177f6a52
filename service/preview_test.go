package service_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/service"
	"databank/store"
	"databank/store/storetest"
)

// retiringStore is the real store, which retires the files named in
// retire once a preview has read the siblings' partial records: the
// moment between choosing an alternative for its data and reading that
// data, which another session's curation can fall into.
type retiringStore struct {
	*store.Store
	retire []string
}

func (s *retiringStore) SampleSiblingsByDonorIDs(ctx context.Context, donorIDs []string, want domain.DataFileFilter) (map[string][]domain.Sample, map[string]bool, error) {
	groups, withData, err := s.Store.SampleSiblingsByDonorIDs(ctx, donorIDs, want)
	for _, id := range s.retire {
		if _, rerr := s.Store.RetireDataFile(ctx, id); rerr != nil {
			return nil, nil, rerr
		}
	}
	s.retire = nil
	return groups, withData, err
}

// An alternative chosen for its data whose files are retired before they
// are read is no alternative: the choice is made again among the others,
// and another donor's sample keeps the alternative it was given.
func TestPreviewAlternativeWhoseDataVanished(t *testing.T) {
	ctx := domain.WithActor(context.Background(), domain.Actor{Name: "sam", Role: domain.RoleStaff, Biobanks: []string{domain.AllBiobanks}})
	st, err := store.Open(ctx, storetest.New(t, store.Migrator{}), store.Options{})
	require.NoError(t, err)
	t.Cleanup(st.Close)
	bb, err := st.CreateBiobank(ctx, domain.Biobank{Code: "DNB", Name: "Demo", Country: "NO"})
	require.NoError(t, err)
	given, err := domain.ParseDate("2015-01-01")
	require.NoError(t, err)
	sample := func(donor, name, parent string) string {
		q, err := domain.ParseQuantity("5")
		require.NoError(t, err)
		x, err := st.CreateSample(ctx, domain.Sample{BiobankID: bb.ID, DonorID: donor, ExternalID: name, ParentID: parent, MaterialType: "DNA",
			InitialQuantity: &q, QuantityUnit: "ug"})
		require.NoError(t, err)
		return x.ID
	}
	file := func(name, sampleID string) string {
		f, err := st.RegisterDataFile(ctx, domain.DataFile{ExternalID: name, Format: "CRAM", Assay: "WGS", Assembly: "GRCh38",
			Location: "s3://bucket/" + name + ".cram", Samples: []domain.FileSample{{SampleID: sampleID, Alias: name}}})
		require.NoError(t, err)
		return f.ID
	}
	ids := map[string]string{}
	for _, d := range []string{"d1", "d2"} {
		donor, err := st.CreateDonor(ctx, domain.Donor{BiobankID: bb.ID, ExternalID: d, Sex: "female", VitalStatus: "alive"})
		require.NoError(t, err)
		_, err = st.AddConsent(ctx, domain.Consent{DonorID: donor.ID, ExternalID: "C-" + d, GivenOn: given, Permission: "GRU"})
		require.NoError(t, err)
		ids[d] = donor.ID
	}
	// d1: requested r1; its child near (the closest, with data to be
	// retired) and another lineage's far (with data that stays)
	ids["r1"] = sample(ids["d1"], "r1", "")
	ids["near"] = sample(ids["d1"], "near", ids["r1"])
	ids["far"] = sample(ids["d1"], "far", "")
	near := file("EGAF00000000001", ids["near"])
	file("EGAF00000000002", ids["far"])
	// d2: requested r2, whose child keeps its data
	ids["r2"] = sample(ids["d2"], "r2", "")
	ids["kept"] = sample(ids["d2"], "kept", ids["r2"])
	file("EGAF00000000003", ids["kept"])

	rs := &retiringStore{Store: st, retire: []string{near}}
	svc := service.New(rs, service.Options{})
	var items []domain.PreviewItem
	_, err = svc.WithdrawalPreview(ctx, domain.PreviewRequest{BiobankCode: "DNB", SampleIDs: []string{"r1", "r2"},
		Data: domain.DataFileFilter{Assay: "WGS", Assembly: "GRCh38"}, Purpose: domain.ResearchPurpose{Category: "GRU"}},
		func(it domain.PreviewItem) error { items = append(items, it); return nil })
	require.NoError(t, err)
	require.Len(t, items, 2)
	for i, want := range []string{"far", "kept"} {
		it := items[i]
		assert.Equal(t, domain.PreviewWithdrawalNeeded, it.Status, it.Requested)
		if assert.NotNil(t, it.Alternative, it.Requested) {
			assert.Equal(t, ids[want], it.Alternative.ID, "%s: the alternative", it.Requested)
			assert.Len(t, it.AlternativeFiles, 1, "%s: an alternative offered for its data comes with it", it.Requested)
		}
	}
}

// countingStore is the real store, which counts the preview's chunk reads
// running at once (each one held for a while, so that readers overlap).
type countingStore struct {
	*store.Store
	mu       sync.Mutex
	now, max int
}

func (s *countingStore) SamplesByExternalIDs(ctx context.Context, biobank string, barcodes []string) (map[string]domain.Sample, error) {
	s.mu.Lock()
	s.now++
	s.max = max(s.max, s.now)
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.now--
		s.mu.Unlock()
	}()
	time.Sleep(100 * time.Millisecond)
	return s.Store.SamplesByExternalIDs(ctx, biobank, barcodes)
}

// A preview reads chunks ahead on as many connections as its actor's
// share has free, up to three, and never more than the share.
func TestPreviewReadsWithinItsShare(t *testing.T) {
	ctx := domain.WithActor(context.Background(), domain.Actor{Name: "sam", Role: domain.RoleStaff, Biobanks: []string{domain.AllBiobanks}})
	st, err := store.Open(ctx, storetest.New(t, store.Migrator{}), store.Options{})
	require.NoError(t, err)
	t.Cleanup(st.Close)
	_, err = st.CreateBiobank(ctx, domain.Biobank{Code: "DNB", Name: "Demo", Country: "NO"})
	require.NoError(t, err)
	barcodes := make([]string, 5500) // six chunks
	for i := range barcodes {
		barcodes[i] = fmt.Sprintf("N%05d", i)
	}
	for _, tc := range []struct{ share, want int }{{1, 1}, {2, 2}, {5, 3}} {
		t.Run(fmt.Sprint(tc.share), func(t *testing.T) {
			cs := &countingStore{Store: st}
			svc := service.New(cs, service.Options{MaxConnsPerActor: tc.share})
			n := 0
			_, err := svc.WithdrawalPreview(ctx, domain.PreviewRequest{BiobankCode: "DNB", SampleIDs: barcodes,
				Data: domain.DataFileFilter{Assay: "WGS"}, Purpose: domain.ResearchPurpose{Category: "GRU"}},
				func(domain.PreviewItem) error { n++; return nil })
			require.NoError(t, err)
			assert.Equal(t, len(barcodes), n)
			assert.Equal(t, tc.want, cs.max, "chunks read at once")
		})
	}
}
