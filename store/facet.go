package store

import (
	"context"
	"maps"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"databank/domain"
)

// facetValues gives, for each facet, the query of a sample t's values
// (as text, one row per value), whether a sample may have several, and
// whether the values are its donor's (they then read only t.donor_id,
// and are looked up once per donor, not once per sample: a donor's
// consent, sex and diagnoses). {at} stands for the request's day, {band}
// for the age band's width.
var facetValues = map[domain.SampleFacet]struct {
	sql   string
	multi bool
	donor bool
}{
	domain.FacetBiobank:            {sql: "SELECT b.code FROM biobank b WHERE b.id = t.biobank_id"},
	domain.FacetMaterialType:       {sql: "SELECT t.material_type"},
	domain.FacetAnatomicalSite:     {sql: "SELECT t.anatomical_site"},
	domain.FacetStorageTemperature: {sql: "SELECT t.storage_temperature"},
	domain.FacetStatus:             {sql: "SELECT t.status"},
	domain.FacetSex:                {sql: "SELECT d.sex FROM donor d WHERE d.id = t.donor_id", donor: true},
	domain.FacetAgeBand: {sql: "SELECT format('%s-%s', a, a + {band} - 1) FROM (SELECT (extract(year FROM t.collected_on)::int - d.birth_year) / {band} * {band} AS a" +
		" FROM donor d WHERE d.id = t.donor_id) x WHERE a IS NOT NULL"},
	domain.FacetDiagnosisChapter: {sql: diagnosisCodes, multi: true, donor: true},
	domain.FacetDiagnosisBlock:   {sql: diagnosisCodes, multi: true, donor: true},
	domain.FacetAssay:            {sql: fileValues("f.assay"), multi: true},
	domain.FacetFormat:           {sql: fileValues("f.format"), multi: true},
	domain.FacetAssembly:         {sql: fileValues("f.assembly"), multi: true},
	domain.FacetDataset: {sql: "SELECT ds.external_id FROM data_file_sample fs JOIN data_file f ON f.id = fs.data_file_id" +
		" JOIN dataset_file df ON df.data_file_id = f.id JOIN dataset ds ON ds.id = df.dataset_id" +
		" WHERE fs.sample_id = t.id AND f.retired_at IS NULL AND ds.retired_at IS NULL", multi: true},
	domain.FacetHasData: {sql: "SELECT (EXISTS (SELECT 1 FROM data_file_sample fs JOIN data_file f ON f.id = fs.data_file_id" +
		" WHERE fs.sample_id = t.id AND f.retired_at IS NULL))::text"},
	domain.FacetConsentOutcome: {sql: "SELECT coalesce((SELECT k.key FROM consent_in_force_key(t.donor_id, {at}::date) k), '')", donor: true},
}

const diagnosisCodes = "SELECT g.code FROM diagnosis g WHERE g.donor_id = t.donor_id AND g.retired_at IS NULL"

func fileValues(col string) string {
	return "SELECT " + col + " FROM data_file_sample fs JOIN data_file f ON f.id = fs.data_file_id WHERE fs.sample_id = t.id AND f.retired_at IS NULL"
}

// SampleFacets counts the samples matching each request's filter by the
// request's facet, all facets in one round trip. filters[i] is the
// filter of reqs[i] (each facet ignores its own condition). Buckets come
// largest first.
func (s *Store) SampleFacets(ctx context.Context, filters []domain.SampleFilter, reqs []domain.FacetRequest) ([]domain.Facet, error) {
	batch := &pgx.Batch{}
	for i, r := range reqs {
		def, ok := facetValues[r.Facet]
		if !ok {
			return nil, domain.Errorf(domain.EINVALID, "unknown facet %q", r.Facet)
		}
		w := sampleWhere(&filters[i])
		values := def.sql
		if strings.Contains(values, "{at}") {
			values = strings.ReplaceAll(values, "{at}", w.arg(r.At))
		}
		if strings.Contains(values, "{band}") {
			values = strings.ReplaceAll(values, "{band}", w.arg(domain.AgeBandYears))
		}
		raws, buckets := make([]string, 0, len(r.Buckets)), make([]string, 0, len(r.Buckets))
		for _, k := range slices.Sorted(maps.Keys(r.Buckets)) {
			raws, buckets = append(raws, k), append(buckets, r.Buckets[k])
		}
		bucket := "coalesce(m.bucket, v.raw, '" + domain.MissingBucket + "')"
		valued := " LEFT JOIN LATERAL (" + values + ") v(raw) ON TRUE" +
			" LEFT JOIN unnest(" + w.arg(raws) + "::text[], " + w.arg(buckets) + "::text[]) m(raw, bucket) ON m.raw = v.raw"
		var sql string
		switch {
		case def.donor:
			// the matching samples counted per donor, then each donor's
			// values looked up once; a donor counts once per bucket
			sql = "SELECT bucket, sum(n)::bigint, count(*) FROM (SELECT DISTINCT t.donor_id, t.n, " + bucket + " AS bucket" +
				" FROM (SELECT t.donor_id, count(*) AS n FROM sample t WHERE " + w.sql() + " GROUP BY t.donor_id) t" + valued +
				") y GROUP BY 1 ORDER BY 2 DESC, 1"
		case def.multi:
			sql = "SELECT " + bucket + ", count(DISTINCT t.id), count(DISTINCT t.donor_id) FROM sample t" + valued +
				" WHERE " + w.sql() + " GROUP BY 1 ORDER BY 2 DESC, 1"
		default:
			// grouped by bucket and donor first: hash aggregation, which
			// parallel workers can share, where count(DISTINCT) sorts
			sql = "SELECT bucket, sum(n)::bigint, count(*) FROM (SELECT " + bucket + " AS bucket, t.donor_id, count(*) AS n FROM sample t" + valued +
				" WHERE " + w.sql() + " GROUP BY 1, 2) y GROUP BY 1 ORDER BY 2 DESC, 1"
		}
		batch.Queue(sql, w.args...)
	}
	res := s.pool.SendBatch(ctx, batch)
	defer res.Close()
	out := make([]domain.Facet, len(reqs))
	for i, r := range reqs {
		rows, err := res.Query()
		if err != nil {
			return nil, translate(err, "facet "+string(r.Facet))
		}
		out[i].Facet = r.Facet
		out[i].Buckets, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (domain.Bucket, error) {
			var b domain.Bucket
			err := row.Scan(&b.Value, &b.Count, &b.DonorCount)
			return b, err
		})
		if err != nil {
			return nil, translate(err, "facet "+string(r.Facet))
		}
	}
	return out, translate(res.Close(), "facets")
}

// ConsentShapes returns each combination of consent terms recorded, with
// its key in current_consent_key's spelling: those of every consent in
// force, and perhaps some of retired consents (the table consent_shape,
// kept by triggers, migration 009).
func (s *Store) ConsentShapes(ctx context.Context) ([]domain.ConsentShape, error) {
	rows, err := s.pool.Query(ctx, "SELECT permission, modifiers, disease FROM consent_shape")
	if err != nil {
		return nil, translate(err, "consent terms")
	}
	return collect(rows, "consent terms", func(row pgx.CollectableRow) (domain.ConsentShape, error) {
		var c domain.ConsentShape
		err := row.Scan(&c.Permission, &c.Modifiers, &c.Disease)
		c.Key = c.Permission + "|" + strings.Join(c.Modifiers, ",") + "|" + c.Disease
		return c, err
	})
}

func collect[T any](rows pgx.Rows, what string, f pgx.RowToFunc[T]) ([]T, error) {
	out, err := pgx.CollectRows(rows, f)
	return out, translate(err, what)
}
