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
