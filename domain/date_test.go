package domain_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in, want, err string
	}{
		{"2024-02-29", "2024-02-29", ""},
		{" 2020-01-01 ", "2020-01-01", ""},
		{"2024-02-30", "", `"2024-02-30" does not exist: February 2024 has 29 days`},
		{"2023-02-29", "", `"2023-02-29" does not exist: February 2023 has 28 days`},
		{"2023-04-31", "", `"2023-04-31" does not exist: April 2023 has 30 days`},
		{"2023-13-01", "", `"2023-13-01" has no month 13: months are 01 to 12`},
		{"2023-00-10", "", `"2023-00-10" has no month 0: months are 01 to 12`},
		{"01/02/2023", "", `"01/02/2023" is not a date of the form YYYY-MM-DD`},
		{"2023-1-1", "", `"2023-1-1" is not a date of the form YYYY-MM-DD`},
	}
	for _, tt := range tests {
		got, err := domain.ParseDate(tt.in)
		if tt.err != "" {
			require.Error(t, err, tt.in)
			assert.Equal(t, tt.err, err.Error())
			continue
		}
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got.Format(domain.DateLayout))
	}
}
