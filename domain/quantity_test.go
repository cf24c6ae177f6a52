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

func TestAtLeastIn(t *testing.T) {
	tests := []struct {
		q        string
		from, to string
		want     string
		ok       bool
	}{
		{"2", "ug", "ng", "2000", true},
		{"2", "ug", "mg", "0.002", true},
		{"2", "ug", "g", "0.001", true}, // 0.000002 g rounds up to the precision
		{"1.5", "mL", "uL", "1500", true},
		{"1", "uL", "L", "0.001", true},
		{"3", "ug", "ug", "3", true},
		{"2", "ug", "uL", "", false},
		{"2", "cells", "ng", "", false},
		{"2", "aliquots", "aliquots", "2", true},
		{"10000000", "g", "ng", "9223372036854775.807", true}, // beyond int64 in ng: saturated, met by no stored quantity
	}
	for _, tt := range tests {
		t.Run(tt.q+tt.from+"→"+tt.to, func(t *testing.T) {
			q, err := domain.ParseQuantity(tt.q)
			require.NoError(t, err)
			got, ok := domain.AtLeastIn(q, tt.from, tt.to)
			require.Equal(t, tt.ok, ok)
			if ok {
				assert.Equal(t, tt.want, got.String())
			}
		})
	}
	assert.Equal(t, []string{"ng", "ug", "mg", "g"}, domain.ComparableUnits("mg"))
	assert.Equal(t, []string{"uL", "mL", "L"}, domain.ComparableUnits("uL"))
	assert.Equal(t, []string{"cells"}, domain.ComparableUnits("cells"))
}
