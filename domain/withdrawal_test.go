package domain_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"databank/domain"
)

func TestWithdrawalTakesMaterial(t *testing.T) {
	retired := time.Now()
	old := domain.Withdrawal{SampleID: "s1", Quantity: 2000, Recipient: "Lab A"}
	tests := []struct {
		name string
		w    domain.Withdrawal
		old  *domain.Withdrawal
		want bool
	}{
		{"new", old, nil, true},
		{"unchanged", old, &old, false},
		{"other recipient", domain.Withdrawal{SampleID: "s1", Quantity: 2000, Recipient: "Lab B"}, &old, false},
		{"smaller", domain.Withdrawal{SampleID: "s1", Quantity: 1500}, &old, false},
		{"larger", domain.Withdrawal{SampleID: "s1", Quantity: 2001}, &old, true},
		{"other sample", domain.Withdrawal{SampleID: "s2", Quantity: 2000}, &old, true},
		{"retired", domain.Withdrawal{SampleID: "s2", Quantity: 9000, Audit: domain.Audit{RetiredAt: &retired}}, &old, false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.w.TakesMaterial(tt.old), tt.name)
	}
}

func TestWithdrawalCheckSource(t *testing.T) {
	w := domain.Withdrawal{SampleID: "s1", Quantity: 1000, QuantityUnit: "mL"}
	src := func(unit, before, after string) domain.WithdrawalSource {
		return domain.WithdrawalSource{ExternalID: "S1", Unit: unit, StatusBefore: before, Status: after}
	}
	tests := []struct {
		name string
		old  *domain.Withdrawal
		s    domain.WithdrawalSource
		want []domain.FieldError
	}{
		{"available", nil, src("mL", "available", "available"), nil},
		{"reserved", nil, src("mL", "reserved", "reserved"), nil},
		{"depleted", nil, src("mL", "depleted", "depleted"),
			[]domain.FieldError{{Field: "sampleId", Value: "S1", Message: "sample S1 is depleted: no more material can be withdrawn from it"}}},
		{"destroyed", nil, src("mL", "available", "destroyed"), nil},
		{"destroyed, was depleted", nil, src("mL", "depleted", "destroyed"),
			[]domain.FieldError{{Field: "sampleId", Value: "S1", Message: "sample S1 is destroyed: no more material can be withdrawn from it"}}},
		{"made available", nil, src("mL", "depleted", "available"), nil},
		{"created depleted", nil, src("mL", "", "depleted"), nil},
		{"correction of a depleted sample's", &w, src("mL", "depleted", "depleted"), nil},
		{"other unit", nil, src("ug", "available", "available"),
			[]domain.FieldError{{Field: "quantityUnit", Value: "mL", Message: "must be the unit of sample S1, ug"}}},
		{"no quantity", nil, src("", "available", "available"),
			[]domain.FieldError{{Field: "sampleId", Value: "S1", Message: "sample S1 has no quantity unit: record its quantity before withdrawing from it"}}},
	}
	for _, tt := range tests {
		v := domain.NewValidation("")
		w.CheckSource(v, tt.old, tt.s)
		assert.Equal(t, tt.want, v.Fields, tt.name)
	}
}

func TestColumnOf(t *testing.T) {
	for field, col := range map[string]string{"sampleId": "sample_id", "parentSampleId": "parent_sample_id", "disease": "disease",
		"duoModifiers": "duo_modifiers", "egaStudyAccession": "ega_study_accession"} {
		assert.Equal(t, col, domain.ColumnOf(field))
	}
}
