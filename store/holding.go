package store

import (
	"context"

	"github.com/jackc/pgx/v5"

	"databank/domain"
)

// HoldingBiobanks returns the codes of the biobanks whose data h's
// records hold, sorted: the samples' biobanks, the withdrawals'; for the
// data files (by id, accession or content) the biobanks of the samples
// they hold and of the withdrawal they were registered with; for the
// datasets those of their files. Retired records count: retiring does not
// change whose data it is.
func (s *Store) HoldingBiobanks(ctx context.Context, h domain.Holding) ([]string, error) {
	rows, err := s.pool.Query(ctx, `WITH f AS (
			SELECT id, withdrawal_id FROM data_file WHERE id = ANY($1) OR external_id = ANY($2) OR sha256 = ANY($3)
			UNION
			SELECT d.id, d.withdrawal_id FROM dataset_file l JOIN data_file d ON d.id = l.data_file_id WHERE l.dataset_id = ANY($4)
		), b AS (
			SELECT x.biobank_id FROM data_file_sample l JOIN f ON f.id = l.data_file_id JOIN sample x ON x.id = l.sample_id
			UNION SELECT w.biobank_id FROM withdrawal w WHERE w.id IN (SELECT withdrawal_id FROM f) OR w.id = ANY($6)
			UNION SELECT x.biobank_id FROM sample x WHERE x.id = ANY($5)
		)
		SELECT code FROM biobank WHERE id IN (SELECT biobank_id FROM b) ORDER BY code`,
		parseIDs(h.FileIDs), h.FileAccessions, h.FileSHA256s, parseIDs(h.DatasetIDs), parseIDs(h.SampleIDs), parseIDs(h.WithdrawalIDs))
	if err != nil {
		return nil, translate(err, "biobanks of records")
	}
	codes, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, translate(err, "biobanks of records")
	}
	return codes, nil
}
