package domain_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"databank/domain"
)

func TestMatchFileSamples(t *testing.T) {
	byBarcode := map[string]domain.Sample{"S-1": {ID: "a"}, "S-2": {ID: "b"}}
	links, unmatched := domain.MatchFileSamples([]string{"S-1", "NA12878", "HG002"}, byBarcode, map[string]string{"NA12878": "S-2", "HG002": "S-404"})
	assert.Equal(t, []domain.FileSample{{SampleID: "a", Alias: "S-1"}, {SampleID: "b", Alias: "NA12878"}}, links)
	assert.Equal(t, []string{"HG002"}, unmatched)
}
