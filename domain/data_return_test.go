package domain_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

func TestDecideDataReturn(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.DateOnly, s)
		require.NoError(t, err)
		return d
	}
	ptr := func(t time.Time) *time.Time { return &t }
	file := func(registered string) domain.DataFile {
		return domain.DataFile{ExternalID: "EGAF" + registered, Audit: domain.Audit{CreatedAt: day(registered).Add(15 * time.Hour)}}
	}
	rtn := &domain.Consent{Permission: domain.DUOGeneral, Modifiers: []string{domain.DUOReturnData}}
	tests := []struct {
		name    string
		w       domain.Withdrawal
		consent *domain.Consent
		files   []domain.DataFile
		asOf    string
		want    domain.DataReturnStatus
		due     string
		overdue int
		reason  string
	}{
		{name: "not required", w: domain.Withdrawal{WithdrawnOn: day("2024-01-15")}, asOf: "2026-01-01", want: domain.ReturnNotRequired, reason: "neither"},
		{name: "required by the consent, a year on the same day", w: domain.Withdrawal{WithdrawnOn: day("2024-01-15")}, consent: rtn,
			asOf: "2025-01-15", want: domain.ReturnPending, due: "2025-01-15", reason: "RTN"},
		{name: "a day past a year", w: domain.Withdrawal{WithdrawnOn: day("2024-01-15")}, consent: rtn,
			asOf: "2025-01-16", want: domain.ReturnOverdue, due: "2025-01-15", overdue: 1},
		{name: "29 February", w: domain.Withdrawal{WithdrawnOn: day("2024-02-29"), DataReturnRequired: true},
			asOf: "2025-03-01", want: domain.ReturnPending, due: "2025-03-01"},
		{name: "recorded due day", w: domain.Withdrawal{WithdrawnOn: day("2024-01-15"), DataReturnRequired: true, DataReturnDue: ptr(day("2024-06-01"))},
			asOf: "2024-12-01", want: domain.ReturnOverdue, due: "2024-06-01", overdue: 183},
		{name: "returned", w: domain.Withdrawal{WithdrawnOn: day("2024-01-15"), DataReturnRequired: true, DataReturnDue: ptr(day("2024-06-01"))},
			files: []domain.DataFile{file("2024-05-01")}, asOf: "2024-12-01", want: domain.ReturnReturned, due: "2024-06-01"},
		{name: "returned on the day asked about", w: domain.Withdrawal{WithdrawnOn: day("2024-01-15"), DataReturnRequired: true, DataReturnDue: ptr(day("2024-06-01"))},
			files: []domain.DataFile{file("2024-12-01")}, asOf: "2024-12-01", want: domain.ReturnReturned, due: "2024-06-01"},
		{name: "returned only after the day asked about", w: domain.Withdrawal{WithdrawnOn: day("2024-01-15"), DataReturnRequired: true, DataReturnDue: ptr(day("2024-06-01"))},
			files: []domain.DataFile{file("2026-03-01")}, asOf: "2024-12-01", want: domain.ReturnOverdue, due: "2024-06-01", overdue: 183},
		{name: "retired withdrawal", w: domain.Withdrawal{WithdrawnOn: day("2024-01-15"), DataReturnRequired: true, Audit: domain.Audit{RetiredAt: ptr(day("2024-02-01"))}},
			asOf: "2026-01-01", want: domain.ReturnNotRequired, reason: "retired on 2024-02-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := domain.DecideDataReturn(&tt.w, tt.consent, tt.files, day(tt.asOf))
			assert.Equal(t, tt.want, r.Status)
			assert.Equal(t, tt.overdue, r.DaysOverdue)
			if tt.due == "" {
				assert.Nil(t, r.Due)
			} else if assert.NotNil(t, r.Due) {
				assert.Equal(t, tt.due, r.Due.Format(time.DateOnly))
			}
			if tt.reason != "" {
				assert.Contains(t, r.Reasons[len(r.Reasons)-1]+" "+r.Reasons[0], tt.reason)
			}
			if tt.want != domain.ReturnReturned {
				assert.Empty(t, r.Files, "files registered after the day do not count")
			}
		})
	}
}
