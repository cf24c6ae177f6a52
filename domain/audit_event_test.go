package domain_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"databank/domain"
)

// A request's audit event names each service operation once, in the order
// first run, however often its resolvers ran it.
func TestTrailNamesEachOperationOnce(t *testing.T) {
	_, trail := domain.WithTrail(context.Background())
	trail.Record("Samples", nil, nil)
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() { trail.Record("DecideConsent", nil, nil) })
	}
	wg.Wait()
	trail.Record("Samples", nil, nil)
	trail.Record("DonorsByIDs", nil, domain.Errorf(domain.EFORBIDDEN, "no"))
	var ev domain.AuditEvent
	trail.Fill(&ev)
	assert.Equal(t, []string{"Samples", "DecideConsent", "DonorsByIDs"}, ev.Operations)
	assert.Equal(t, domain.AuditDenied, ev.Decision)
}

// A request's audit event names each donor whose data went out once,
// however often it was seen and however it went out: in an operation's
// result or in a streamed answer.
func TestTrailNamesEachDonorOnce(t *testing.T) {
	for _, n := range []int{0, 3, 5000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			_, trail := domain.WithTrail(context.Background())
			want := make([]string, n)
			for i := range want {
				want[i] = fmt.Sprintf("donor-%06d", i)
			}
			for round := range 3 {
				for i := n - 1; i >= 0; i-- {
					switch round {
					case 0:
						trail.Saw(want[i], "")
					case 1:
						trail.Record("Samples", []domain.Sample{{DonorID: want[i]}}, nil)
					case 2:
						trail.Record("ConsentsByDonorIDs", map[string][]domain.Consent{want[i]: {{}}}, nil)
					}
				}
			}
			var ev domain.AuditEvent
			trail.Fill(&ev)
			assert.ElementsMatch(t, want, ev.DonorIDs)
			assert.NotNil(t, ev.DonorIDs)
			assert.Equal(t, 2*n, ev.Rows)
		})
	}
}
