package domain_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"databank/domain"
)

func TestSuppressBuckets(t *testing.T) {
	tests := []struct {
		name   string
		donors []int
		hidden []bool
	}{
		{"nothing small", []int{9, 7, 5}, []bool{false, false, false}},
		{"a lone small bucket takes the next smallest with it", []int{20, 9, 3}, []bool{false, true, true}},
		{"two small ones adding up to less than five take a third", []int{20, 9, 1, 2}, []bool{false, true, true, true}},
		{"two small ones adding up to five stand", []int{20, 9, 2, 3}, []bool{false, false, true, true}},
		{"everything small", []int{1, 2}, []bool{true, true}},
		{"one bucket", []int{3}, []bool{true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bs := make([]domain.Bucket, len(tt.donors))
			for i, n := range tt.donors {
				bs[i] = domain.Bucket{Value: string(rune('a' + i)), Count: n * 2, DonorCount: n}
			}
			got := domain.SuppressBuckets(bs)
			for i, b := range got {
				assert.Equal(t, tt.hidden[i], b.Suppressed, "bucket %d", i)
				if b.Suppressed {
					assert.Zero(t, b.Count)
					assert.Zero(t, b.DonorCount)
				} else {
					assert.Equal(t, tt.donors[i], b.DonorCount)
				}
			}
		})
	}
}
