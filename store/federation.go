package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"databank/domain"
)

// The lookups of a federation gateway: many entities of one type by
// their keys, in one statement whatever the number of keys. Unknown keys
// match nothing; retired entities are found, as by their ids.

// DatasetsByKeys returns the datasets whose id is one of ids or whose
// dataset id is one of accessions, in any order.
func (s *Store) DatasetsByKeys(ctx context.Context, ids, accessions []string) ([]domain.Dataset, error) {
	return getMany(ctx, s.pool, "SELECT "+datasetColumns+" FROM dataset t WHERE t.id = ANY($1) OR t.external_id = ANY($2)",
		[]any{parseIDs(ids), accessions}, datasetRow.domain)
}

// DataFilesByKeys returns the data files whose id is one of ids or whose
// file id is one of accessions, in any order.
func (s *Store) DataFilesByKeys(ctx context.Context, ids, accessions []string) ([]domain.DataFile, error) {
	return getMany(ctx, s.pool, "SELECT "+dataFileColumns+" FROM data_file t WHERE t.id = ANY($1) OR t.external_id = ANY($2)",
		[]any{parseIDs(ids), accessions}, dataFileRow.domain)
}

// StudiesByAccessions returns the studies with the given EGA study
// accessions, in any order.
func (s *Store) StudiesByAccessions(ctx context.Context, accessions []string) ([]domain.Study, error) {
	return getMany(ctx, s.pool, "SELECT "+studyColumns+" FROM study t WHERE t.accession = ANY($1)", []any{accessions}, studyRow.domain)
}

// BiobanksByCodes returns the biobanks with the given codes (any case),
// in any order.
func (s *Store) BiobanksByCodes(ctx context.Context, codes []string) ([]domain.Biobank, error) {
	return getMany(ctx, s.pool, "SELECT "+biobankColumns+" FROM biobank t WHERE t.code = ANY(SELECT upper(c) FROM unnest($1::text[]) c)",
		[]any{codes}, biobankRow.domain)
}

// DatasetSampleTallies counts, for each dataset, the distinct current
// samples held in its current files: in all, by material type and by
// biobank, in one statement (grouping sets). A dataset without samples
// has a zero tally.
func (s *Store) DatasetSampleTallies(ctx context.Context, datasetIDs []string) (map[string]domain.SampleTally, error) {
	type cell struct {
		Dataset  uuid.UUID  `db:"dataset_id"`
		Material *string    `db:"material_type"`
		Biobank  *uuid.UUID `db:"biobank_id"`
		Count    int        `db:"n"`
	}
	ids := parseIDs(datasetIDs)
	rows, err := s.pool.Query(ctx, `SELECT l.dataset_id, s.material_type, s.biobank_id, count(DISTINCT s.id)::int AS n
		FROM dataset_file l
		JOIN data_file f ON f.id = l.data_file_id AND f.retired_at IS NULL
		JOIN data_file_sample fs ON fs.data_file_id = f.id
		JOIN sample s ON s.id = fs.sample_id AND s.retired_at IS NULL
		WHERE l.dataset_id = ANY($1)
		GROUP BY GROUPING SETS ((l.dataset_id), (l.dataset_id, s.material_type), (l.dataset_id, s.biobank_id))`, ids)
	if err != nil {
		return nil, translate(err, "dataset sample tallies")
	}
	cells, err := pgx.CollectRows(rows, pgx.RowToStructByName[cell])
	if err != nil {
		return nil, translate(err, "dataset sample tallies")
	}
	out := make(map[string]domain.SampleTally, len(ids))
	for _, id := range ids {
		out[uuid.UUID(id).String()] = domain.SampleTally{ByMaterialType: map[string]int{}, ByBiobank: map[string]int{}}
	}
	for _, c := range cells {
		t := out[c.Dataset.String()]
		switch {
		case c.Material != nil:
			t.ByMaterialType[*c.Material] = c.Count
		case c.Biobank != nil:
			t.ByBiobank[c.Biobank.String()] = c.Count
		default:
			t.Total = c.Count
		}
		out[c.Dataset.String()] = t
	}
	return out, nil
}
