package store

import (
	"context"
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"databank/domain"
)

type sampleRow struct {
	ID                 uuid.UUID        `db:"id"`
	BiobankID          uuid.UUID        `db:"biobank_id"`
	ExternalID         string           `db:"external_id"`
	DonorID            uuid.UUID        `db:"donor_id"`
	ParentID           *uuid.UUID       `db:"parent_id"`
	MaterialType       string           `db:"material_type"`
	AnatomicalSite     *string          `db:"anatomical_site"`
	CollectedOn        *time.Time       `db:"collected_on"`
	StorageTemperature *string          `db:"storage_temperature"`
	InitialQuantity    *domain.Quantity `db:"initial_quantity"`
	RemainingQuantity  *domain.Quantity `db:"remaining_quantity"`
	Registered         *domain.Quantity `db:"registered_remaining"`
	QuantityUnit       *string          `db:"quantity_unit"`
	Status             string           `db:"status"`
	auditRow
}

// Quantities are numeric(15,3) columns read and written as thousandths.
const sampleColumns = `t.id, t.biobank_id, t.external_id, t.donor_id, t.parent_id, t.material_type, t.anatomical_site,
	t.collected_on, t.storage_temperature, (t.initial_quantity * 1000)::bigint AS initial_quantity,
	(t.remaining_quantity * 1000)::bigint AS remaining_quantity, (t.registered_remaining * 1000)::bigint AS registered_remaining,
	t.quantity_unit, t.status, ` + auditCols

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func (r sampleRow) domain() domain.Sample {
	return domain.Sample{ID: r.ID.String(), BiobankID: r.BiobankID.String(), ExternalID: r.ExternalID, DonorID: r.DonorID.String(),
		ParentID: optIDString(r.ParentID), MaterialType: r.MaterialType, AnatomicalSite: deref(r.AnatomicalSite),
		CollectedOn: r.CollectedOn, StorageTemperature: deref(r.StorageTemperature), InitialQuantity: r.InitialQuantity,
		RemainingQuantity: r.RemainingQuantity, RegisteredRemaining: r.Registered, QuantityUnit: deref(r.QuantityUnit),
		Status: r.Status, Audit: r.auditRow.domain()}
}

// milli converts a quantity to the numeric parameter $n::bigint / 1000.
func milli(q *domain.Quantity) *int64 {
	if q == nil {
		return nil
	}
	v := int64(*q)
	return &v
}

// CreateSample validates and inserts s. RegisteredRemaining (the registry's
// remaining quantity before withdrawals recorded here) defaults to the
// initial quantity.
func (s *Store) CreateSample(ctx context.Context, smp domain.Sample) (domain.Sample, error) {
	v := domain.NewValidation("input")
	if smp.RegisteredRemaining == nil {
		smp.RegisteredRemaining = smp.InitialQuantity
	}
	smp.RemainingQuantity = smp.RegisteredRemaining
	smp.Validate(v, s.vocab)
	biobank, donor, parent := refID(v, "biobank", smp.BiobankID), refID(v, "donor", smp.DonorID), refID(v, "parent", smp.ParentID)
	if err := checkParentDonor(ctx, s.pool, v, parent, donor); err != nil {
		return smp, err
	}
	if err := checked(ctx, v); err != nil {
		return smp, err
	}
	id := newID()
	_, err := s.exec(ctx, `INSERT INTO sample (id, biobank_id, external_id, donor_id, parent_id, material_type, anatomical_site, collected_on,
		storage_temperature, initial_quantity, registered_remaining, quantity_unit, status, created_by, updated_by)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::bigint / 1000.0, $11::bigint / 1000.0, $12, $13, $14, $14)`,
		id, biobank, smp.ExternalID, donor, parent, smp.MaterialType, nullString(smp.AnatomicalSite),
		smp.CollectedOn, nullString(smp.StorageTemperature), milli(smp.InitialQuantity), milli(smp.RegisteredRemaining),
		nullString(smp.QuantityUnit), smp.Status, actor(ctx))
	if err != nil {
		return smp, translate(err, "create sample")
	}
	return s.Sample(ctx, id.String())
}

// UpdateSample applies patch under a row lock, validates the result,
// rejects lineage cycles and writes it.
func (s *Store) UpdateSample(ctx context.Context, id string, patch func(*domain.Sample) error) (domain.Sample, error) {
	uid, err := parseID("sample", id)
	if err != nil {
		return domain.Sample{}, err
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		// Lineage changes of one biobank are serialised (with imports too),
		// so two concurrent parent changes cannot form a cycle unseen.
		if err := lockBiobankOf(ctx, tx, "sample", uid); err != nil {
			return err
		}
		smp, err := getOne(ctx, tx, "SELECT "+sampleColumns+" FROM sample t WHERE t.id = $1 FOR UPDATE", []any{uid}, sampleRow.domain, "sample")
		if err != nil {
			return err
		}
		oldUnit := smp.QuantityUnit
		if err := patch(&smp); err != nil {
			return err
		}
		v := domain.NewValidation("input")
		smp.Validate(v, s.vocab)
		parent := refID(v, "parent", smp.ParentID)
		if err := checkParentDonor(ctx, tx, v, parent, optID(smp.DonorID)); err != nil {
			return err
		}
		if smp.QuantityUnit != oldUnit {
			var other *string
			err := tx.QueryRow(ctx, `SELECT min(quantity_unit) FROM withdrawal WHERE sample_id = $1 AND retired_at IS NULL AND quantity_unit <> $2`,
				uid, smp.QuantityUnit).Scan(&other)
			if err != nil {
				return translate(err, "update sample")
			}
			if other != nil {
				domain.UnitFixedByWithdrawals(v, smp.ExternalID, smp.QuantityUnit, *other)
			}
		}
		if err := checked(ctx, v); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE sample SET external_id = $2, parent_id = $3, material_type = $4, anatomical_site = $5, collected_on = $6,
			storage_temperature = $7, initial_quantity = $8::bigint / 1000.0, registered_remaining = $9::bigint / 1000.0, quantity_unit = $10,
			status = $11, updated_by = $12, updated_at = now()
			WHERE id = $1 AND (external_id, parent_id, material_type, anatomical_site, collected_on, storage_temperature,
				initial_quantity, registered_remaining, quantity_unit, status)
			IS DISTINCT FROM ($2, $3, $4, $5, $6, $7, $8::bigint / 1000.0, $9::bigint / 1000.0, $10, $11)`,
			uid, smp.ExternalID, parent, smp.MaterialType, nullString(smp.AnatomicalSite), smp.CollectedOn,
			nullString(smp.StorageTemperature), milli(smp.InitialQuantity), milli(smp.RegisteredRemaining), nullString(smp.QuantityUnit),
			smp.Status, actor(ctx))
		if err != nil {
			return translate(err, "update sample")
		}
		return checkLineage(ctx, tx, []uuid.UUID{uid})
	})
	if err != nil {
		return domain.Sample{}, err
	}
	return s.Sample(ctx, id)
}

// checkParentDonor records in v a parent sample of another donor than the
// sample's (domain.ParentOfAnotherDonor), as an import words it. A parent
// or donor that does not exist is left to the keys.
func checkParentDonor(ctx context.Context, q querier, v *domain.Validation, parent, donor *uuid.UUID) error {
	if parent == nil || donor == nil {
		return nil
	}
	var same bool
	var parentExt, donorExt string
	err := q.QueryRow(ctx, "SELECT p.donor_id = d.id, p.external_id, d.external_id FROM sample p, donor d WHERE p.id = $1 AND d.id = $2",
		parent, donor).Scan(&same, &parentExt, &donorExt)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil
	case err != nil:
		return translate(err, "check parent sample")
	case !same:
		domain.ParentOfAnotherDonor(v, parentExt, donorExt)
	}
	return nil
}

// checkLineage fails when following parents from any of the given samples
// leads back to it. It walks the lineage as an import does (lineageWalk)
// and words the error with the domain rule.
func checkLineage(ctx context.Context, tx pgx.Tx, ids []uuid.UUID) error {
	walk := lineageWalk(`SELECT s.id, s.parent_id FROM sample s WHERE s.id = ANY($2) AND s.parent_id IS NOT NULL`,
		"JOIN sample s ON s.id = u.cur", "s.parent_id")
	rows, err := tx.Query(ctx, `WITH RECURSIVE `+walk+`
		SELECT s.external_id, p.external_id FROM on_cycle m JOIN sample s ON s.id = m.id JOIN sample p ON p.id = s.parent_id
		 WHERE m.id = ANY($2) ORDER BY s.external_id`, domain.MaxLineageDepth, ids)
	if err != nil {
		return translate(err, "check lineage")
	}
	v := domain.NewValidation("input")
	var sample, parent string
	_, err = pgx.ForEachRow(rows, []any{&sample, &parent}, func() error {
		domain.LineageCycle(v, sample, parent)
		return nil
	})
	if err != nil {
		return translate(err, "check lineage")
	}
	return v.Err()
}

// lineageWalk is the one walk up sample lineages that finds cycles, for a
// mutation over the sample table and for an import over its staged
// samples and the table: common table expressions (to follow WITH
// RECURSIVE) ending in on_cycle (id), the samples on a cycle through a
// starting sample. start selects the starting samples (id, parent_id);
// join joins what the walk's row u needs to find the parent of u.cur,
// which the expression parent gives. $1 is the depth limit
// (domain.MaxLineageDepth). A walk that meets its start has found a
// cycle; every sample it passed is on it.
func lineageWalk(start, join, parent string) string {
	return `up (start, cur, depth) AS (
	SELECT st.id, st.parent_id, 1 FROM (` + start + `) AS st (id, parent_id)
	UNION ALL
	SELECT u.start, ` + parent + `, u.depth + 1 FROM up u ` + join + `
	 WHERE u.cur <> u.start AND u.depth < $1 AND ` + parent + ` IS NOT NULL),
	cyclic AS (SELECT DISTINCT start FROM up WHERE cur = start),
	on_cycle (id) AS (SELECT DISTINCT u.cur FROM up u JOIN cyclic c ON c.start = u.start)`
}

// RetireSample marks the sample retired (e.g. registered in error).
func (s *Store) RetireSample(ctx context.Context, id string) (domain.Sample, error) {
	if err := s.retire(ctx, "sample", id); err != nil {
		return domain.Sample{}, err
	}
	return s.Sample(ctx, id)
}

// Sample returns the sample with the given id.
func (s *Store) Sample(ctx context.Context, id string) (domain.Sample, error) {
	uid, err := parseID("sample", id)
	if err != nil {
		return domain.Sample{}, err
	}
	return getOne(ctx, s.pool, "SELECT "+sampleColumns+" FROM sample t WHERE t.id = $1", []any{uid}, sampleRow.domain, "sample "+id)
}

// SampleByExternalID returns the sample a biobank knows by externalID.
func (s *Store) SampleByExternalID(ctx context.Context, biobankCode, externalID string) (domain.Sample, error) {
	return getOne(ctx, s.pool, "SELECT "+sampleColumns+" FROM sample t JOIN biobank b ON b.id = t.biobank_id WHERE b.code = upper($1) AND t.external_id = $2",
		[]any{biobankCode, externalID}, sampleRow.domain, "sample "+externalID+" of biobank "+biobankCode)
}

// SamplesByExternalIDs returns the samples a biobank knows by the given
// external ids, keyed by external id; unknown ids are absent.
func (s *Store) SamplesByExternalIDs(ctx context.Context, biobankCode string, externalIDs []string) (map[string]domain.Sample, error) {
	xs, err := getMany(ctx, s.pool, "SELECT "+sampleColumns+" FROM sample t JOIN biobank b ON b.id = t.biobank_id WHERE b.code = upper($1) AND t.external_id = ANY($2)",
		[]any{biobankCode, externalIDs}, sampleRow.domain)
	if err != nil {
		return nil, err
	}
	out := make(map[string]domain.Sample, len(xs))
	for _, x := range xs {
		out[x.ExternalID] = x
	}
	return out, nil
}

// SamplesByIDs returns the samples with the given ids, in any order.
func (s *Store) SamplesByIDs(ctx context.Context, ids []string) ([]domain.Sample, error) {
	return getMany(ctx, s.byKeys(len(ids)), "SELECT "+sampleColumns+" FROM sample t WHERE t.id = ANY($1)", []any{parseIDs(ids)}, sampleRow.domain)
}

// SamplesByDonorIDs returns the current samples of the given donors,
// grouped by donor id, in id order.
func (s *Store) SamplesByDonorIDs(ctx context.Context, donorIDs []string) (map[string][]domain.Sample, error) {
	return s.samplesGrouped(ctx, "sample t WHERE t.donor_id = ANY($1)", "t.donor_id, t.id", donorIDs, func(x domain.Sample) string { return x.DonorID })
}

// siblingRow is what choosing an alternative among a donor's samples
// reads of each (domain.PreviewAlternative): lineage, status, material,
// and whether it holds the wanted data. Its fields are values, not
// pointers: a preview reads hundreds of thousands.
type siblingRow struct {
	ID                uuid.UUID   `db:"id"`
	ExternalID        string      `db:"external_id"`
	DonorID           uuid.UUID   `db:"donor_id"`
	ParentID          pgtype.UUID `db:"parent_id"`
	RemainingQuantity pgtype.Int8 `db:"remaining_quantity"`
	QuantityUnit      pgtype.Text `db:"quantity_unit"`
	Status            string      `db:"status"`
	WithData          bool        `db:"with_data"`
}

// SampleSiblingsByDonorIDs returns the current samples of the given donors
// as SamplesByDonorIDs does, with only their id, barcode, donor, parent,
// status and remaining quantity filled: what choosing an alternative and
// naming it need, read for all of a donor's samples (a preview reads tens
// of thousands), where the chosen ones are read whole when an answer
// shows them. withData holds the ids of those that hold a current data
// file matching want; the files themselves are not read. The samples
// holding such data are found by donor (the links' donor_id), in the few
// links a donor has, once for the statement (a hashed subplan), rather
// than by probing every sample's links.
func (s *Store) SampleSiblingsByDonorIDs(ctx context.Context, donorIDs []string, want domain.DataFileFilter) (_ map[string][]domain.Sample, withData map[string]bool, _ error) {
	var w where
	donors := w.arg(parseIDs(donorIDs))
	from, l, cond := heldData(&w, &want)
	rows, err := getMany(ctx, s.pool, `SELECT t.id, t.external_id, t.donor_id, t.parent_id, (t.remaining_quantity * 1000)::bigint AS remaining_quantity, t.quantity_unit, t.status,
		t.id IN (SELECT `+l+`.sample_id FROM `+from+` WHERE `+l+`.donor_id = ANY(`+donors+`) AND `+cond+`) AS with_data
		FROM sample t WHERE t.donor_id = ANY(`+donors+`) AND t.retired_at IS NULL ORDER BY t.donor_id, t.id`, w.args,
		func(r siblingRow) siblingRow { return r })
	if err != nil {
		return nil, nil, err
	}
	groups, withData := siblingGroups(rows, len(donorIDs))
	return groups, withData, nil
}

// siblingGroups makes the rows, which come by donor, samples grouped by
// donor: one slice of them all, each donor's group a slice of it (its
// capacity its length, so that appending to it copies), and the set of
// those holding the wanted data. A donor's id is made a string once, a
// parent's is the string of its row when the parent is among the donor's
// samples, and the quantities share one array.
func siblingGroups(rows []siblingRow, donors int) (map[string][]domain.Sample, map[string]bool) {
	xs := make([]domain.Sample, len(rows))
	quantities := make([]domain.Quantity, len(rows))
	out := make(map[string][]domain.Sample, donors)
	withData := map[string]bool{}
	for i := 0; i < len(rows); {
		j := i + 1
		for j < len(rows) && rows[j].DonorID == rows[i].DonorID {
			j++
		}
		donor := rows[i].DonorID.String()
		for k := i; k < j; k++ {
			xs[k] = domain.Sample{ID: rows[k].ID.String(), ExternalID: rows[k].ExternalID, DonorID: donor, QuantityUnit: rows[k].QuantityUnit.String,
				Status: rows[k].Status}
			if rows[k].WithData {
				withData[xs[k].ID] = true
			}
		}
		for k := i; k < j; k++ {
			r := &rows[k]
			if r.RemainingQuantity.Valid {
				quantities[k] = domain.Quantity(r.RemainingQuantity.Int64)
				xs[k].RemainingQuantity = &quantities[k]
			}
			if r.ParentID.Valid {
				p := i
				for p < j && rows[p].ID != r.ParentID.Bytes {
					p++
				}
				if p < j {
					xs[k].ParentID = xs[p].ID
				} else { // retired, or another donor's (which the registry refuses)
					xs[k].ParentID = uuid.UUID(r.ParentID.Bytes).String()
				}
			}
		}
		out[donor] = xs[i:j:j]
		i = j
	}
	return out, withData
}

// SampleChildren returns the current samples derived from the given
// samples, grouped by parent id. Children share their parent's donor, so
// they are found among the donor's samples (the (donor_id, id) index):
// no index on parent_id is needed.
func (s *Store) SampleChildren(ctx context.Context, parentIDs []string) (map[string][]domain.Sample, error) {
	return s.samplesGrouped(ctx, "sample p JOIN sample t ON t.donor_id = p.donor_id AND t.parent_id = p.id WHERE p.id = ANY($1)", "t.id",
		parentIDs, func(x domain.Sample) string { return x.ParentID })
}

// samplesGrouped returns the current samples of a FROM … WHERE clause
// over sample t, whose $1 is ids, grouped by key, each group in id order;
// order is the statement's (the donor's, an index's order, lets the
// (donor_id, id) index serve it without a sort).
func (s *Store) samplesGrouped(ctx context.Context, from, order string, ids []string, key func(domain.Sample) string) (map[string][]domain.Sample, error) {
	xs, err := getMany(ctx, s.byKeys(len(ids)), "SELECT "+sampleColumns+" FROM "+from+" AND t.retired_at IS NULL ORDER BY "+order,
		[]any{parseIDs(ids)}, sampleRow.domain)
	if err != nil {
		return nil, err
	}
	out := make(map[string][]domain.Sample)
	for _, x := range xs {
		out[key(x)] = append(out[key(x)], x)
	}
	return out, nil
}

// Samples lists samples, by id or by one of sampleOrders.
func (s *Store) Samples(ctx context.Context, f domain.SampleFilter, p domain.PageRequest) (domain.Page[domain.Sample], error) {
	w := sampleWhere(&f)
	return listPageWith(ctx, s.pool, sampleColumns, "sample t", w, p, sampleRow.domain,
		listOptions[domain.Sample]{orders: sampleOrders, donorCol: "t.donor_id"})
}

// sampleWhere is the WHERE clause of a sample filter over alias t.
func sampleWhere(f *domain.SampleFilter) where {
	var w where
	if !f.IncludeRetired {
		w.add("t.retired_at IS NULL")
	}
	if c := sampleCond(&w, "t", f); c != "TRUE" {
		w.add(c)
	}
	return w
}
