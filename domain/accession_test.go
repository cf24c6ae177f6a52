package domain_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"databank/domain"
)

func TestCheckAccession(t *testing.T) {
	tests := []struct {
		prefix, value, want string // want: "" or a part of the message
	}{
		{domain.EGADataset, "EGAD00001234567", ""},
		{domain.EGAFile, "EGAF00001234567", ""},
		{domain.EGAStudy, "EGAS00001234567", ""},
		{domain.EGADataset, "EGAD0000123456", "is not an EGA dataset accession (EGAD followed by 11 digits)"},
		{domain.EGADataset, "egad00001234567", "is not an EGA dataset accession"},
		{domain.EGADataset, "EGAF00001234567", "it is an EGA file accession"},
		{domain.EGAFile, "", "is not an EGA file accession"},
	}
	for _, tc := range tests {
		t.Run(tc.prefix+"/"+tc.value, func(t *testing.T) {
			err := domain.CheckAccession("accession", tc.prefix, tc.value)
			if tc.want == "" {
				assert.NoError(t, err)
				return
			}
			assert.Equal(t, domain.EINVALID, domain.ErrorCode(err))
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	assert.Equal(t, "EGAD00001234567", domain.Accession(domain.EGADataset, "EGAD00001234567"))
	assert.Empty(t, domain.Accession(domain.EGADataset, "DS-1"))
}
