package registry

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// A column renamed for the glossary (docs/glossary.md) reads the same
// under its former name: every kind's example row gives the same row
// under either header. Both spellings in one header are refused.
func TestRenamedColumns(t *testing.T) {
	renamed := 0
	for _, kind := range domain.ImportKinds {
		s, err := schemaOf(kind)
		require.NoError(t, err)
		current, former := make([]string, len(s.columns)), make([]string, len(s.columns))
		for i, c := range s.columns {
			current[i], former[i] = c.name, c.name
			if c.formerly != "" {
				former[i] = c.formerly
				renamed++
			}
		}
		row := strings.Join(s.example, ",") + "\n"
		want, errs := readAll(t, string(kind)+".csv", strings.Join(current, ",")+"\n"+row, kind, Options{})
		require.Empty(t, errs, kind)
		got, errs := readAll(t, string(kind)+".csv", strings.Join(former, ",")+"\n"+row, kind, Options{})
		require.Empty(t, errs, kind)
		assert.Equal(t, want, got, kind)
	}
	assert.Equal(t, 5, renamed, "location, sample_aliases, data_use, registered_remaining, accession")

	_, errs := readAll(t, "files.csv", "file_id,uri,location,format,assay\nEGAF00000000001,/a,/b,CRAM,WGS\n", domain.ImportFiles, Options{})
	require.NotEmpty(t, errs)
	assert.Contains(t, errs[0].Message, "uri is the former name of location")
}
