package domain_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

func TestParseQuantity(t *testing.T) {
	tests := []struct {
		in   string
		want domain.Quantity
		err  bool
	}{
		{in: "2", want: 2000},
		{in: "2.5", want: 2500},
		{in: "0.125", want: 125},
		{in: ".5", want: 500},
		{in: " 10 ", want: 10000},
		{in: "0", want: 0},
		{in: "1.2345", err: true},
		{in: "-1", err: true},
		{in: "+1", err: true},
		{in: "1.", err: true},
		{in: "", err: true},
		{in: "abc", err: true},
		{in: "1e3", err: true},
		{in: "1.-5", err: true},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := domain.ParseQuantity(tt.in)
			if tt.err {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestQuantityString(t *testing.T) {
	for q, want := range map[domain.Quantity]string{0: "0", 2000: "2", 2500: "2.5", 125: "0.125", 10010: "10.01", -1500: "-1.5"} {
		assert.Equal(t, want, q.String())
		if q >= 0 {
			back, err := domain.ParseQuantity(q.String())
			require.NoError(t, err)
			assert.Equal(t, q, back, "round trip")
		}
	}
}

func FuzzParseQuantity(f *testing.F) {
	for _, s := range []string{"1", "2.5", ".125", "1e3", "-0", "99999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := domain.ParseQuantity(s)
		if err != nil {
			return
		}
		require.GreaterOrEqual(t, int64(q), int64(0))
		back, err := domain.ParseQuantity(q.String())
		require.NoError(t, err)
		require.Equal(t, q, back)
	})
}
