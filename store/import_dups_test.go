package store

import (
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

func TestKeyHashes(t *testing.T) {
	t.Parallel()
	samples, err := kindOf(domain.ImportSamples)
	require.NoError(t, err)
	studies, err := kindOf(domain.ImportStudies)
	require.NoError(t, err)
	check := func(table, keys string) int {
		for i, d := range dupChecks {
			if d.kind.stage() == table && strings.Join(d.cols, ", ") == keys {
				return i
			}
		}
		t.Fatalf("no duplicate check on %s (%s)", table, keys)
		return -1
	}
	sampleRow := func(biobank, id string) []any {
		return samples.values([]any{int16(0), int32(2), true, pgtype.UUID{}},
			&domain.ImportRow{Ref: domain.ImportRefs{Biobank: biobank}, Sample: domain.Sample{ExternalID: id}})
	}
	studyRow := func(id, ega string) []any {
		return studies.values([]any{int16(0), int32(2), true, pgtype.UUID{}},
			&domain.ImportRow{Study: domain.Study{ExternalID: id, Accession: ega}})
	}
	tests := []struct {
		name   string
		table  *importKind
		rows   [][]any
		check  int
		repeat bool
	}{
		{"distinct samples", samples, [][]any{sampleRow("A", "S1"), sampleRow("A", "S2"), sampleRow("B", "S1")},
			check("imp_sample", "biobank, external_id"), false},
		{"same sample twice", samples, [][]any{sampleRow("A", "S1"), sampleRow("A", "S2"), sampleRow("A", "S1")},
			check("imp_sample", "biobank, external_id"), true},
		{"keys do not run together", samples, [][]any{sampleRow("AB", "C"), sampleRow("A", "BC")},
			check("imp_sample", "biobank, external_id"), false},
		{"studies without an accession", studies, [][]any{studyRow("ST1", ""), studyRow("ST2", "")},
			check("imp_study", "accession"), false},
		{"one accession twice", studies, [][]any{studyRow("ST1", "EGAS00000000001"), studyRow("ST2", "EGAS00000000001")},
			check("imp_study", "accession"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := newKeyHashes()
			cols := dupKeyColumns(tt.table)
			for _, r := range tt.rows {
				k.add(cols, r)
			}
			assert.Equal(t, tt.repeat, k.mayRepeat(tt.check))
		})
	}
}

func TestKeyHashesGiveUpBeyondTheBound(t *testing.T) {
	t.Parallel()
	samples, err := kindOf(domain.ImportSamples)
	require.NoError(t, err)
	k := newKeyHashes()
	k.total = maxKeyHashes
	k.add(dupKeyColumns(samples), samples.values([]any{int16(0), int32(2), true, pgtype.UUID{}},
		&domain.ImportRow{Ref: domain.ImportRefs{Biobank: "A"}, Sample: domain.Sample{ExternalID: "S1"}}))
	for i := range dupChecks {
		assert.True(t, k.mayRepeat(i), "every check runs in SQL once the hashes are dropped")
	}
}
