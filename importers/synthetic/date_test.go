package synthetic

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestDateMatchesTimePackage(t *testing.T) {
	tests := []struct{ y, m, d int }{
		{1970, 1, 1}, {1925, 1, 1}, {1900, 3, 1}, {2000, 2, 29}, {2004, 12, 31},
		{2024, 2, 29}, {2025, 12, 31}, {1969, 12, 31}, {2100, 3, 1},
	}
	for _, tt := range tests {
		want := time.Date(tt.y, time.Month(tt.m), tt.d, 0, 0, 0, 0, time.UTC)
		d := mkdate(tt.y, tt.m, tt.d)
		assert.Equal(t, want.Unix()/86400, int64(d), "%v", want)
		assert.Equal(t, want.Format(time.DateOnly), d.String())
		assert.Equal(t, tt.y, d.year())
	}
}

func TestDateRoundTripsEveryDay(t *testing.T) {
	day := time.Date(1920, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := mkdate(1920, 1, 1); d <= mkdate(2030, 12, 31); d++ {
		if !assert.Equal(t, day.Format(time.DateOnly), d.String()) {
			return
		}
		day = day.AddDate(0, 0, 1)
	}
}
