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

// A trail joined to the request's adds its operations (each once), its
// rows, its donors and its decision; the joined trail's GraphQL
// operation is not taken, and nil trails add nothing.
func TestTrailJoinAddsWhatTheOtherRecorded(t *testing.T) {
	for _, tt := range []struct {
		name     string
		other    func(*domain.Trail)
		ops      []string
		rows     int
		donors   []string
		decision string
	}{
		{"nothing", func(*domain.Trail) {}, []string{"Sample"}, 1, []string{"d1"}, domain.AuditAllowed},
		{"rows", func(o *domain.Trail) {
			o.Record("SampleChildren", map[string][]domain.Sample{"s1": {{DonorID: "d1"}, {DonorID: "d2"}}}, nil)
			o.Record("Sample", domain.Sample{DonorID: "d3"}, nil)
		}, []string{"Sample", "SampleChildren"}, 4, []string{"d1", "d2", "d3"}, domain.AuditAllowed},
		{"denied", func(o *domain.Trail) { o.Record("ConsentsByDonorIDs", nil, domain.Errorf(domain.EFORBIDDEN, "no")) },
			[]string{"Sample", "ConsentsByDonorIDs"}, 1, []string{"d1"}, domain.AuditDenied},
		{"failed", func(o *domain.Trail) { o.Record("SampleChildren", nil, domain.Errorf(domain.EINTERNAL, "down")) },
			[]string{"Sample", "SampleChildren"}, 1, []string{"d1"}, domain.AuditFailed},
		{"operation", func(o *domain.Trail) { o.Executed("Other", true) }, []string{"Sample"}, 1, []string{"d1"}, domain.AuditAllowed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, trail := domain.WithTrail(context.Background())
			trail.Executed("Lineage", false)
			trail.Record("Sample", domain.Sample{DonorID: "d1"}, nil)
			_, other := domain.WithTrail(context.Background())
			tt.other(other)
			trail.Join(other)
			trail.Join(nil)
			trail.Join(trail)
			var ev domain.AuditEvent
			trail.Fill(&ev)
			assert.Equal(t, tt.ops, ev.Operations)
			assert.Equal(t, tt.rows, ev.Rows)
			assert.ElementsMatch(t, tt.donors, ev.DonorIDs)
			assert.Equal(t, tt.decision, ev.Decision)
			assert.Equal(t, "Lineage", ev.Operation)
			assert.False(t, ev.Write)
		})
	}
	var none *domain.Trail
	_, other := domain.WithTrail(context.Background())
	none.Join(other) // no panic
}
