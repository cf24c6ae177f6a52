package store_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The report lists errors in file and line order, whichever check found
// them (the reader, a duplicate check, a reference in the database).
func TestImportErrorsInFileAndLineOrder(t *testing.T) {
	t.Parallel()
	db := newImportDB(t)
	dir := writeFiles(t, map[string]string{
		"biobanks.csv": "code,name,country,contact\nDNB,Danish National Biobank,DK,dnb@example.org\n",
		"donors.csv":   "biobank,donor_id,sex,birth_year,vital_status\nDNB,D0001,female,1961,alive\nXXX,D0002,male,1950,alive\nDNB,D0003,femal,1970,alive\n",
		"samples.csv": "biobank,sample_id,donor_id,parent_sample_id,material_type,anatomical_site,collected_on,storage_temperature,initial_quantity,remaining_quantity,quantity_unit,status\n" +
			"DNB,S1,D9999,,DNA,,2020-01-20,,,,,available\n" +
			"DNB,S2,D0001,,DNA,,2020-02-30,,,,,available\n" +
			"DNB,S3,D0001,,DNA,,2020-01-20,,,,,availble\n",
	})
	rep, err := db.importBundle(t, dir, false)
	require.Error(t, err)
	type at struct {
		file string
		line int
	}
	var got []at
	for _, e := range rep.Errors {
		got = append(got, at{e.File, e.Line})
	}
	require.GreaterOrEqual(t, len(got), 5, "%v", rep.Errors)
	for i := 1; i < len(got); i++ {
		prev, cur := got[i-1], got[i]
		if prev.file == cur.file {
			assert.LessOrEqual(t, prev.line, cur.line, "%v", got)
		}
	}
	// each file's errors are together
	seen := map[string]bool{}
	for i, g := range got {
		if i > 0 && got[i-1].file != g.file {
			assert.False(t, seen[g.file], "%s appears twice apart: %v", g.file, got)
		}
		seen[g.file] = true
	}
}
