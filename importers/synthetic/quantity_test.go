package synthetic

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMilliString(t *testing.T) {
	tests := []struct {
		q    milli
		want string
	}{
		{0, "0"}, {1, "0.001"}, {10, "0.01"}, {100, "0.1"}, {1000, "1"},
		{4500, "4.5"}, {12000, "12"}, {125, "0.125"}, {52903, "52.903"},
		{1010, "1.01"}, {-2500, "-2.5"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.q.String(), "%d", int64(tt.q))
	}
}
