package domain_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"databank/domain"
)

func TestSuppressionBuckets(t *testing.T) {
	tests := []struct {
		name   string
		k      int
		donors []int
		hidden []bool
	}{
		{"nothing small", 0, []int{9, 7, 5}, []bool{false, false, false}},
		{"a lone small bucket takes the next smallest with it", 0, []int{20, 9, 3}, []bool{false, true, true}},
		{"two small ones adding up to less than five take a third", 0, []int{20, 9, 1, 2}, []bool{false, true, true, true}},
		{"two small ones adding up to five stand", 0, []int{20, 9, 2, 3}, []bool{false, false, true, true}},
		{"everything small", 0, []int{1, 2}, []bool{true, true}},
		{"one bucket", 0, []int{3}, []bool{true}},
		{"a threshold of ten", 10, []int{20, 9, 12}, []bool{false, true, true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bs := make([]domain.Bucket, len(tt.donors))
			for i, n := range tt.donors {
				bs[i] = domain.Bucket{Value: string(rune('a' + i)), Count: n * 2, DonorCount: n}
			}
			got := domain.Suppression{MinCount: tt.k}.Buckets(bs)
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
