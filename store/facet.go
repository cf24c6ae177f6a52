package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
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
// largest first. Facets of the donor (sex, consent, diagnoses) whose
// filters are the same share one statement: the matching samples are
// counted per donor once, then each facet looks its values up per donor.
func (s *Store) SampleFacets(ctx context.Context, filters []domain.SampleFilter, reqs []domain.FacetRequest) ([]domain.Facet, error) {
	for _, r := range reqs {
		if _, ok := facetValues[r.Facet]; !ok {
			return nil, domain.Errorf(domain.EINVALID, "unknown facet %q", r.Facet)
		}
	}
	groups := facetGroups(filters, reqs)
	batch := &pgx.Batch{}
	for _, g := range groups {
		sql, args := facetSQL(filters[g[0]], reqs, g)
		batch.Queue(sql, args...)
	}
	res := s.pool.SendBatch(ctx, batch)
	defer res.Close()
	out := make([]domain.Facet, len(reqs))
	for i, r := range reqs {
		out[i] = domain.Facet{Facet: r.Facet, Buckets: []domain.Bucket{}}
	}
	for _, g := range groups {
		what := "facet " + string(reqs[g[0]].Facet)
		rows, err := res.Query()
		if err != nil {
			return nil, translate(err, what)
		}
		var i int
		var b domain.Bucket
		_, err = pgx.ForEachRow(rows, []any{&i, &b.Value, &b.Count, &b.DonorCount}, func() error {
			out[i].Buckets = append(out[i].Buckets, b)
			return nil
		})
		if err != nil {
			return nil, translate(err, what)
		}
	}
	return out, translate(res.Close(), "facets")
}

// facetGroups groups the requests answered by one statement each: the
// donor facets of one filter together, every other facet alone.
func facetGroups(filters []domain.SampleFilter, reqs []domain.FacetRequest) [][]int {
	var groups [][]int
	byFilter := map[string]int{} // a donor group's index, by its filter
	for i, r := range reqs {
		if !facetValues[r.Facet].donor {
			groups = append(groups, []int{i})
			continue
		}
		w := sampleWhere(&filters[i])
		key := fmt.Sprintf("%s %#v %v", w.sql(), w.args, r.At)
		if g, ok := byFilter[key]; ok {
			groups[g] = append(groups[g], i)
			continue
		}
		byFilter[key] = len(groups)
		groups = append(groups, []int{i})
	}
	return groups
}

// facetSQL is the statement of a group of facet requests sharing filter:
// rows of (request index, bucket, samples, donors), each request's
// buckets largest first.
func facetSQL(filter domain.SampleFilter, reqs []domain.FacetRequest, group []int) (string, []any) {
	w := sampleWhere(&filter)
	cond := w.sql()
	var parts []string
	for _, i := range group {
		r := reqs[i]
		def := facetValues[r.Facet]
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
		n := strconv.Itoa(i)
		switch {
		case def.donor:
			// the matching samples counted per donor (d), then each donor's
			// values looked up once; a donor counts once per bucket
			parts = append(parts, "SELECT "+n+", bucket, sum(n)::bigint, count(*) FROM (SELECT DISTINCT t.donor_id, t.n, "+bucket+" AS bucket"+
				" FROM d t"+valued+") y GROUP BY 2")
		case def.multi:
			parts = append(parts, "SELECT "+n+", "+bucket+", count(DISTINCT t.id), count(DISTINCT t.donor_id) FROM sample t"+valued+
				" WHERE "+cond+" GROUP BY 2")
		default:
			// grouped by bucket and donor first: hash aggregation, which
			// parallel workers can share, where count(DISTINCT) sorts
			parts = append(parts, "SELECT "+n+", bucket, sum(n)::bigint, count(*) FROM (SELECT "+bucket+" AS bucket, t.donor_id, count(*) AS n FROM sample t"+
				valued+" WHERE "+cond+" GROUP BY 1, 2) y GROUP BY 2")
		}
	}
	sql := strings.Join(parts, " UNION ALL ") + " ORDER BY 1, 3 DESC, 2"
	if facetValues[reqs[group[0]].Facet].donor {
		sql = "WITH d AS MATERIALIZED (SELECT t.donor_id, count(*) AS n FROM sample t WHERE " + cond + " GROUP BY t.donor_id) " + sql
	}
	return sql, w.args
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
