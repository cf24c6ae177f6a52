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
// (as text, one row per value) and whether a sample may have several.
// {at} stands for the request's day, {band} for the age band's width.
var facetValues = map[domain.SampleFacet]struct {
	sql   string
	multi bool
}{
	domain.FacetBiobank:            {sql: "SELECT b.code FROM biobank b WHERE b.id = t.biobank_id"},
	domain.FacetMaterialType:       {sql: "SELECT t.material_type"},
	domain.FacetAnatomicalSite:     {sql: "SELECT t.anatomical_site"},
	domain.FacetStorageTemperature: {sql: "SELECT t.storage_temperature"},
	domain.FacetStatus:             {sql: "SELECT t.status"},
	domain.FacetSex:                {sql: "SELECT d.sex FROM donor d WHERE d.id = t.donor_id"},
	domain.FacetAgeBand: {sql: "SELECT format('%s-%s', a, a + {band} - 1) FROM (SELECT (extract(year FROM t.collected_on)::int - d.birth_year) / {band} * {band} AS a" +
		" FROM donor d WHERE d.id = t.donor_id) x WHERE a IS NOT NULL"},
	domain.FacetDiagnosisChapter: {sql: diagnosisCodes, multi: true},
	domain.FacetDiagnosisBlock:   {sql: diagnosisCodes, multi: true},
	domain.FacetAssay:            {sql: fileValues("f.assay"), multi: true},
	domain.FacetFormat:           {sql: fileValues("f.format"), multi: true},
	domain.FacetAssembly:         {sql: fileValues("f.assembly"), multi: true},
	domain.FacetDataset: {sql: "SELECT ds.external_id FROM data_file_sample fs JOIN data_file f ON f.id = fs.data_file_id" +
		" JOIN dataset_file df ON df.data_file_id = f.id JOIN dataset ds ON ds.id = df.dataset_id" +
		" WHERE fs.sample_id = t.id AND f.retired_at IS NULL AND ds.retired_at IS NULL", multi: true},
	domain.FacetHasData: {sql: "SELECT (EXISTS (SELECT 1 FROM data_file_sample fs JOIN data_file f ON f.id = fs.data_file_id" +
		" WHERE fs.sample_id = t.id AND f.retired_at IS NULL))::text"},
	domain.FacetConsentOutcome: {sql: "SELECT coalesce(current_consent_key(t.donor_id, {at}::date), '')"},
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
		count := "count(*)"
		if def.multi {
			count = "count(DISTINCT t.id)"
		}
		sql := "SELECT coalesce(m.bucket, v.raw, '" + domain.MissingBucket + "'), " + count + ", count(DISTINCT t.donor_id)" +
			" FROM sample t LEFT JOIN LATERAL (" + values + ") v(raw) ON TRUE" +
			" LEFT JOIN unnest(" + w.arg(raws) + "::text[], " + w.arg(buckets) + "::text[]) m(raw, bucket) ON m.raw = v.raw" +
			" WHERE " + w.sql() + " GROUP BY 1 ORDER BY 2 DESC, 1"
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

// ConsentShapes returns each combination of terms of the current consents
// (not retired), with its key in current_consent_key's spelling.
func (s *Store) ConsentShapes(ctx context.Context) ([]domain.ConsentShape, error) {
	rows, err := s.pool.Query(ctx, "SELECT DISTINCT permission, modifiers, coalesce(disease, '') FROM consent WHERE retired_at IS NULL")
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
