package domain_test

import (
	"context"
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

// A trail merged into another adds its operations (once each), its rows,
// its donors and its verdict; merging a trail into itself or a nil one
// changes nothing.
func TestTrailMerge(t *testing.T) {
	tests := []struct {
		name     string
		early    func(*domain.Trail)
		ops      []string
		rows     int
		donors   []string
		decision string
	}{
		{"nothing early", func(*domain.Trail) {}, []string{"Sample"}, 1, []string{"d1"}, domain.AuditAllowed},
		{"rows and donors", func(e *domain.Trail) {
			e.Record("SampleChildren", map[string][]domain.Sample{"s1": {{ID: "s2", DonorID: "d1"}, {ID: "s3", DonorID: "d2"}}}, nil)
			e.Record("Sample", domain.Sample{ID: "s9", DonorID: "d3"}, nil)
		}, []string{"Sample", "SampleChildren"}, 4, []string{"d1", "d2", "d3"}, domain.AuditAllowed},
		{"a denial", func(e *domain.Trail) {
			e.Record("DataFilesBySampleIDs", nil, domain.Errorf(domain.EFORBIDDEN, "no"))
		}, []string{"Sample", "DataFilesBySampleIDs"}, 1, []string{"d1"}, domain.AuditDenied},
		{"a failure", func(e *domain.Trail) {
			e.Record("DataFilesBySampleIDs", nil, domain.Errorf(domain.EUNAVAILABLE, "down"))
		}, []string{"Sample", "DataFilesBySampleIDs"}, 1, []string{"d1"}, domain.AuditFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, trail := domain.WithTrail(context.Background())
			trail.Record("Sample", domain.Sample{ID: "s1", DonorID: "d1"}, nil)
			_, early := domain.WithTrail(ctx)
			tt.early(early)
			trail.Merge(early)
			trail.Merge(trail)
			trail.Merge(nil)
			(*domain.Trail)(nil).Merge(early)
			var ev domain.AuditEvent
			trail.Fill(&ev)
			assert.Equal(t, tt.ops, ev.Operations)
			assert.Equal(t, tt.rows, ev.Rows)
			assert.ElementsMatch(t, tt.donors, ev.DonorIDs)
			assert.Equal(t, tt.decision, ev.Decision)
		})
	}
}
