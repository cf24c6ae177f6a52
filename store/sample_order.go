package store

import (
	"time"

	"databank/domain"
)

// sampleOrders are the orders of sample listings. Each has an index on
// (key, id) for current samples (migration 007), so any page, however
// deep, is an index range scan.
var sampleOrders = map[string]sortKey[domain.Sample]{
	domain.SampleOrderCollectedOn: {column: "t.collected_on", typ: "date", nullable: true, last: [2]string{"infinity", "-infinity"},
		text: func(x domain.Sample) *string {
			if x.CollectedOn == nil {
				return nil
			}
			v := x.CollectedOn.Format(time.DateOnly)
			return &v
		}, id: sampleID},
	domain.SampleOrderRemaining: {column: "t.remaining_quantity", typ: "numeric", nullable: true, last: [2]string{"Infinity", "-Infinity"},
		text: func(x domain.Sample) *string {
			if x.RemainingQuantity == nil {
				return nil
			}
			v := x.RemainingQuantity.String()
			return &v
		}, id: sampleID},
	domain.SampleOrderSampleID: {column: "t.external_id", typ: "text",
		text: func(x domain.Sample) *string { return &x.ExternalID }, id: sampleID},
	domain.SampleOrderCreatedAt: {column: "t.created_at", typ: "timestamptz",
		text: func(x domain.Sample) *string { v := x.CreatedAt.Format(time.RFC3339Nano); return &v }, id: sampleID},
}

func sampleID(x domain.Sample) string { return x.ID }
