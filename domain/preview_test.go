package domain_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"databank/domain"
)

func TestDecidePreview(t *testing.T) {
	qty := func(s string) *domain.Quantity {
		q, err := domain.ParseQuantity(s)
		if err != nil {
			t.Fatal(err)
		}
		return &q
	}
	retired := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	consent := &domain.Consent{Permission: domain.DUOGeneral}
	permitted := domain.ConsentDecision{Outcome: domain.ConsentPermitted}
	review := domain.ConsentDecision{Outcome: domain.ConsentNeedsReview, Reasons: []string{"needs review"}}
	denied := domain.ConsentDecision{Outcome: domain.ConsentDenied, Reasons: []string{"denied"}}
	files := []domain.DataFile{{ExternalID: "EGAF00000000001"}}
	twoUg := &domain.QuantityFilter{Amount: *qty("2"), Unit: "ug"}
	tests := []struct {
		name   string
		c      domain.PreviewCase
		want   domain.PreviewStatus
		reason string // a part of the first reason
	}{
		{"retired", domain.PreviewCase{Sample: &domain.Sample{Status: domain.SampleAvailable, Audit: domain.Audit{RetiredAt: &retired}}, Consent: consent, Decision: permitted},
			domain.PreviewSampleRetired, "retired"},
		{"consent withdrawn", domain.PreviewCase{Sample: &domain.Sample{Status: domain.SampleAvailable}, Withdrawn: &domain.Consent{WithdrawnOn: &retired}},
			domain.PreviewConsentWithdrawn, "withdrew"},
		{"no consent", domain.PreviewCase{Sample: &domain.Sample{Status: domain.SampleAvailable}}, domain.PreviewNoConsent, "no consent"},
		{"data, permitted", domain.PreviewCase{Sample: &domain.Sample{Status: domain.SampleAvailable}, Files: files, Consent: consent, Decision: permitted},
			domain.PreviewDataAvailable, "1 data file"},
		{"data, review", domain.PreviewCase{Sample: &domain.Sample{Status: domain.SampleDepleted}, Files: files, Consent: consent, Decision: review},
			domain.PreviewDataNeedsReview, "needs review"},
		{"data, denied", domain.PreviewCase{Sample: &domain.Sample{Status: domain.SampleAvailable}, Files: files, Consent: consent, Decision: denied},
			domain.PreviewDataNotPermitted, "denied"},
		{"no data, denied", domain.PreviewCase{Sample: &domain.Sample{Status: domain.SampleAvailable}, Consent: consent, Decision: denied},
			domain.PreviewConsentDenied, "denied"},
		{"no data, material unknown, none asked", domain.PreviewCase{Sample: &domain.Sample{Status: domain.SampleAvailable}, Consent: consent, Decision: permitted},
			domain.PreviewWithdrawalNeeded, "no data"},
		{"no data, 0 left, none asked", domain.PreviewCase{Sample: &domain.Sample{Status: domain.SampleAvailable, RemainingQuantity: qty("0"), QuantityUnit: "ug"},
			Consent: consent, Decision: permitted}, domain.PreviewInsufficientMaterial, "no material is left"},
		{"no data, reserved", domain.PreviewCase{Sample: &domain.Sample{Status: domain.SampleReserved}, Consent: consent, Decision: permitted},
			domain.PreviewWithdrawalNeeded, "no data"},
		{"no data, depleted", domain.PreviewCase{Sample: &domain.Sample{Status: domain.SampleDepleted, RemainingQuantity: qty("5"), QuantityUnit: "ug"},
			Consent: consent, Decision: permitted}, domain.PreviewInsufficientMaterial, "depleted"},
		{"no data, enough in another unit", domain.PreviewCase{Sample: &domain.Sample{Status: domain.SampleAvailable, RemainingQuantity: qty("0.002"), QuantityUnit: "mg"},
			Consent: consent, Decision: review, Needed: twoUg}, domain.PreviewWithdrawalNeeded, "no data"},
		{"no data, too little", domain.PreviewCase{Sample: &domain.Sample{Status: domain.SampleAvailable, RemainingQuantity: qty("1999"), QuantityUnit: "ng"},
			Consent: consent, Decision: permitted, Needed: twoUg}, domain.PreviewInsufficientMaterial, "1999 ng left"},
		{"no data, quantity not recorded", domain.PreviewCase{Sample: &domain.Sample{Status: domain.SampleAvailable}, Consent: consent, Decision: permitted, Needed: twoUg},
			domain.PreviewInsufficientMaterial, "not recorded"},
		{"no data, units that do not compare", domain.PreviewCase{Sample: &domain.Sample{Status: domain.SampleAvailable, RemainingQuantity: qty("5"), QuantityUnit: "uL"},
			Consent: consent, Decision: permitted, Needed: twoUg}, domain.PreviewInsufficientMaterial, "does not compare"},
		{"no data, a need beyond int64 in the sample's unit", domain.PreviewCase{Sample: &domain.Sample{Status: domain.SampleAvailable, RemainingQuantity: qty("5"), QuantityUnit: "ng"},
			Consent: consent, Decision: permitted, Needed: &domain.QuantityFilter{Amount: *qty("10000000"), Unit: "g"}}, domain.PreviewInsufficientMaterial, "5 ng left"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, reasons := domain.DecidePreview(tt.c)
			assert.Equal(t, tt.want, got)
			if assert.NotEmpty(t, reasons) {
				assert.Contains(t, reasons[0], tt.reason)
			}
			if tt.c.Sample.Status == domain.SampleReserved && got == domain.PreviewWithdrawalNeeded {
				assert.Contains(t, reasons, "the sample is reserved: the biobank must release or assign the reservation before material is withdrawn")
			}
		})
	}
}

func TestPreviewSummaryLine(t *testing.T) {
	files := []domain.DataFile{{ExternalID: "EGAF00000000001"}}
	var s domain.PreviewSummary
	s.Quantity = &domain.QuantityFilter{Amount: 2000, Unit: "ug"}
	for _, it := range []domain.PreviewItem{
		{Status: domain.PreviewDataAvailable, Files: files},
		{Status: domain.PreviewDataNeedsReview, Files: files},
		{Status: domain.PreviewWithdrawalNeeded, AlternativeFiles: files},
		{Status: domain.PreviewInsufficientMaterial, AlternativeFiles: files},
		{Status: domain.PreviewWithdrawalNeeded},
		{Status: domain.PreviewUnknownSample},
	} {
		s.Add(it)
	}
	assert.Equal(t, 2, s.AsData())
	assert.Equal(t, 2, s.ByAlternative)
	assert.Equal(t, "2 of 6 requested samples can be served as existing data (1 of them after a committee's review); 2 need a withdrawal of material; "+
		"material saved: 4 ug; 2 of the others could be served by data of another sample of the same donor instead; 2 cannot be served.", s.Line())
}
