package store_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// Consents added at once for one donor still leave exactly one current.
func TestConcurrentConsentsLeaveOneCurrent(t *testing.T) {
	t.Parallel()
	st, ctx := newStore(t)
	f := newFixture(t, ctx, st)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := st.AddConsent(ctx, domain.Consent{DonorID: f.donor.ID, ExternalID: fmt.Sprintf("C%d", i),
				GivenOn: date(fmt.Sprintf("20%02d-01-01", 10+(i*7)%8)), Permission: "GRU"})
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	all, err := st.ConsentsByDonorIDs(ctx, []string{f.donor.ID})
	require.NoError(t, err)
	current := 0
	for _, c := range all[f.donor.ID] {
		if c.SupersededBy == "" {
			current++
		}
	}
	assert.Equal(t, 1, current)
}

// Withdrawals recorded and retired at once are all counted exactly once.
func TestConcurrentWithdrawalsAreCountedOnce(t *testing.T) {
	t.Parallel()
	st, ctx := newStore(t)
	f := newFixture(t, ctx, st)
	day := date("2024-01-01")
	first, err := st.CreateWithdrawal(ctx, domain.Withdrawal{ExternalID: "W0", SampleID: f.dna.ID, StudyID: f.study.ID, Quantity: *qty("2"), QuantityUnit: "ug", WithdrawnOn: day})
	require.NoError(t, err)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		_, err := st.RetireWithdrawal(ctx, first.ID)
		assert.NoError(t, err)
	}()
	for i := range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := st.CreateWithdrawal(ctx, domain.Withdrawal{ExternalID: fmt.Sprintf("W%d", i+1), SampleID: f.dna.ID, StudyID: f.study.ID,
				Quantity: *qty("1.5"), QuantityUnit: "ug", WithdrawnOn: day})
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	s, err := st.Sample(ctx, f.dna.ID)
	require.NoError(t, err)
	assert.Equal(t, "31", s.RemainingQuantity.String(), "40 - 6 × 1.5, the retired one given back")
}
