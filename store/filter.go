package store

import (
	"fmt"
	"strings"

	"databank/domain"
)

// The filters of the listings compile here into SQL conditions over an
// alias: one function per entity, calling the others for nested filters
// (a sample's hasData, a file's sample, a donor's hasSample). Values are
// always parameters (where.arg); only fixed expressions are spliced.
//
// A condition on a missing value (NULL) is false, and its NOT true. The
// leaves stay bare, so that PostgreSQL can use an index for them and turn
// EXISTS and IN (SELECT …) into joins (wrapped in coalesce they were
// evaluated row by row, and costed so high that every discovery query
// paid for JIT compilation); a NOT coalesces its operand instead. The
// result is the same: AND and OR are monotone, so a NULL that survives to
// the WHERE clause (which drops it) is false in every completion of the
// NULL leaves as false.

// conds collects the leaf conditions of one filter.
type conds []string

func (c *conds) add(cond string) { *c = append(*c, cond) }

// not negates a condition, a NULL (a missing value) counting as false.
func not(cond string) string { return "NOT coalesce(" + cond + ", false)" }

// and joins conditions; no condition is TRUE.
func and(cs []string) string {
	switch len(cs) {
	case 0:
		return "TRUE"
	case 1:
		return cs[0]
	}
	return "(" + strings.Join(cs, " AND ") + ")"
}

// underArg is "col is code or below it", with code as a parameter: a
// canonical CURIE, as the services normalise every filter's codes. The
// codes below are read once per statement into an array (an InitPlan):
// as a join with ontology_closure, PostgreSQL estimated one matching row
// and computed every match before taking a page of 100 (0.5 s at 100k
// samples, against 18 ms walking the primary key).
func underArg(w *where, col, code string) string {
	return col + " = ANY(ARRAY(SELECT c.descendant FROM ontology_closure c WHERE c.ancestor = " + w.arg(code) + "))"
}

// sampleCond compiles f over the sample alias t (retired samples are the
// caller's concern).
func sampleCond(w *where, t string, f *domain.SampleFilter) string {
	var c conds
	if f.BiobankID != "" {
		c.add(t + ".biobank_id = " + w.arg(optID(f.BiobankID)))
	}
	if len(f.BiobankIDs) > 0 {
		c.add(t + ".biobank_id = ANY(" + w.arg(parseIDs(f.BiobankIDs)) + ")")
	}
	if f.DonorID != "" {
		c.add(t + ".donor_id = " + w.arg(optID(f.DonorID)))
	}
	if len(f.ExternalIDs) > 0 {
		c.add(t + ".external_id = ANY(" + w.arg(f.ExternalIDs) + ")")
	}
	for _, x := range []struct{ col, code string }{
		{"material_type", f.MaterialType}, {"anatomical_site", f.AnatomicalSite}, {"storage_temperature", f.StorageTemperature},
	} {
		if x.code != "" {
			c.add(underArg(w, t+"."+x.col, x.code))
		}
	}
	if f.CollectedFrom != nil {
		c.add(t + ".collected_on >= " + w.arg(*f.CollectedFrom) + "::date")
	}
	if f.CollectedTo != nil {
		c.add(t + ".collected_on <= " + w.arg(*f.CollectedTo) + "::date")
	}
	if f.Status != "" {
		c.add(t + ".status = " + w.arg(f.Status))
	}
	if len(f.Statuses) > 0 {
		c.add(t + ".status = ANY(" + w.arg(f.Statuses) + ")")
	}
	if q := f.RemainingAtLeast; q != nil {
		var alts []string
		for _, u := range domain.ComparableUnits(q.Unit) {
			if v, ok := domain.AtLeastIn(q.Amount, q.Unit, u); ok {
				alts = append(alts, fmt.Sprintf("(%s.quantity_unit = %s AND %s.remaining_quantity >= %s::numeric)", t, w.arg(u), t, w.arg(v.String())))
			}
		}
		c.add("(" + strings.Join(alts, " OR ") + ")")
	}
	if d := donorOfSampleCond(w, t, f); d != "" {
		c.add(d)
	}
	if f.HasDataFiles != nil {
		cond := "EXISTS (SELECT 1 FROM data_file_sample fs JOIN data_file f ON f.id = fs.data_file_id WHERE fs.sample_id = " + t + ".id AND f.retired_at IS NULL)"
		if !*f.HasDataFiles {
			cond = "NOT " + cond
		}
		c.add(cond)
	}
	if f.HasData != nil {
		c.add(hasDataCond(w, t, f.HasData))
	}
	if f.DerivedFrom != "" {
		c.add(t + ".id IN (" + descendantsSQL(w.arg(optID(f.DerivedFrom))) + ")")
	}
	if f.SameDonorAs != "" {
		c.add(t + ".donor_id = (SELECT o.donor_id FROM sample o WHERE o.id = " + w.arg(optID(f.SameDonorAs)) + ")")
	}
	if f.Scope != nil {
		c.add(scopeSampleCond(w, t, f.Scope))
	}
	if f.Consent != nil {
		c.add("coalesce((SELECT k.key FROM consent_in_force_key(" + t + ".donor_id, " + w.arg(f.Consent.At) + "::date) k), '') = ANY(" + w.arg(f.Consent.Keys) + ")")
	}
	for i := range f.And {
		c = append(c, sampleCond(w, t, &f.And[i]))
	}
	if len(f.Or) > 0 {
		alts := make([]string, len(f.Or))
		for i := range f.Or {
			alts[i] = sampleCond(w, t, &f.Or[i])
		}
		c = append(c, "("+strings.Join(alts, " OR ")+")")
	}
	if f.Not != nil {
		c = append(c, not(sampleCond(w, t, f.Not)))
	}
	return and(c)
}

// donorOfSampleCond compiles the donor attributes of a sample filter
// into one EXISTS over the sample's donor; "" when there are none.
func donorOfSampleCond(w *where, t string, f *domain.SampleFilter) string {
	d := w.alias("d")
	var c conds
	if f.Sex != "" {
		c.add(d + ".sex = " + w.arg(f.Sex))
	}
	if f.VitalStatus != "" {
		c.add(d + ".vital_status = " + w.arg(f.VitalStatus))
	}
	if f.BirthYearFrom != nil {
		c.add(d + ".birth_year >= " + w.arg(*f.BirthYearFrom))
	}
	if f.BirthYearTo != nil {
		c.add(d + ".birth_year <= " + w.arg(*f.BirthYearTo))
	}
	age := "(extract(year FROM " + t + ".collected_on)::int - " + d + ".birth_year)"
	if f.AgeAtCollectionFrom != nil {
		c.add(age + " >= " + w.arg(*f.AgeAtCollectionFrom))
	}
	if f.AgeAtCollectionTo != nil {
		c.add(age + " <= " + w.arg(*f.AgeAtCollectionTo))
	}
	if f.Diagnosis != "" {
		c.add(diagnosisCond(w, d, f.Diagnosis))
	}
	if len(c) == 0 {
		return ""
	}
	return "EXISTS (SELECT 1 FROM donor " + d + " WHERE " + d + ".id = " + t + ".donor_id AND " + and(c) + ")"
}

// diagnosisCond is "the donor d has a current diagnosis at or below code".
func diagnosisCond(w *where, d, code string) string {
	g := w.alias("g")
	return "EXISTS (SELECT 1 FROM diagnosis " + g + " WHERE " + g + ".donor_id = " + d + ".id AND " + g + ".retired_at IS NULL AND " +
		underArg(w, g+".code", code) + ")"
}

// descendantsSQL selects the ids of the current samples derived, directly
// or not, from the sample whose id is the placeholder p. Derived samples
// share their ancestor's donor, so the walk stays among that donor's
// samples (the (donor_id, id) index); its depth is bounded.
func descendantsSQL(p string) string {
	return fmt.Sprintf(`WITH RECURSIVE sub(id, donor_id, depth) AS (
		SELECT s.id, s.donor_id, 1 FROM sample r JOIN sample s ON s.donor_id = r.donor_id AND s.parent_id = r.id WHERE r.id = %s
		UNION
		SELECT s.id, s.donor_id, sub.depth + 1 FROM sub JOIN sample s ON s.donor_id = sub.donor_id AND s.parent_id = sub.id WHERE sub.depth < %d
	) SELECT id FROM sub`, p, domain.MaxLineageDepth)
}

// hasDataCond is "the sample t holds a current data file matching f" (a
// filter's hasData).
func hasDataCond(w *where, t string, f *domain.DataFileFilter) string {
	from, l, cond := heldData(w, f)
	return "EXISTS (SELECT 1 FROM " + from + " WHERE " + l + ".sample_id = " + t + ".id AND " + cond + ")"
}

// heldData is the data samples hold that matches f: the sample-file links
// (alias l, with each link's sample_id and donor_id) joined to the files,
// and the condition a link's file must meet: current, and matching f.
// hasDataCond asks it of one sample; the preview's siblings of a set of
// donors (SampleSiblingsByDonorIDs).
func heldData(w *where, f *domain.DataFileFilter) (from, l, cond string) {
	fa := w.alias("f")
	l = fa + "l"
	return "data_file_sample " + l + " JOIN data_file " + fa + " ON " + fa + ".id = " + l + ".data_file_id", l,
		fa + ".retired_at IS NULL AND " + dataFileCond(w, fa, f)
}

// dataFileCond compiles f over the data file alias t.
func dataFileCond(w *where, t string, f *domain.DataFileFilter) string {
	var c conds
	for _, x := range []struct{ col, code string }{{"format", f.Format}, {"assay", f.Assay}, {"assembly", f.Assembly}} {
		if x.code != "" {
			c.add(underArg(w, t+"."+x.col, x.code))
		}
	}
	if f.StudyID != "" {
		c.add(t + ".study_id = " + w.arg(optID(f.StudyID)))
	}
	if f.Scope != nil {
		c.add(scopeFileCond(w, t, f.Scope))
	}
	if f.Accession != "" {
		c.add(t + ".external_id = " + w.arg(f.Accession))
	}
	l := w.alias("l")
	if f.SampleID != "" {
		c.add("EXISTS (SELECT 1 FROM data_file_sample " + l + " WHERE " + l + ".data_file_id = " + t + ".id AND " + l + ".sample_id = " + w.arg(optID(f.SampleID)) + ")")
	}
	if f.DonorID != "" {
		s := w.alias("s")
		c.add("EXISTS (SELECT 1 FROM data_file_sample " + l + " JOIN sample " + s + " ON " + s + ".id = " + l + ".sample_id WHERE " + l + ".data_file_id = " + t + ".id AND " + s + ".donor_id = " + w.arg(optID(f.DonorID)) + ")")
	}
	if f.DatasetID != "" {
		c.add("EXISTS (SELECT 1 FROM dataset_file " + l + " WHERE " + l + ".data_file_id = " + t + ".id AND " + l + ".dataset_id = " + w.arg(optID(f.DatasetID)) + ")")
	}
	if f.Sample != nil {
		s := w.alias("s")
		c.add("EXISTS (SELECT 1 FROM data_file_sample " + l + " JOIN sample " + s + " ON " + s + ".id = " + l + ".sample_id WHERE " + l + ".data_file_id = " + t + ".id AND " +
			s + ".retired_at IS NULL AND " + sampleCond(w, s, f.Sample) + ")")
	}
	return and(c)
}

// donorCond compiles f over the donor alias t.
func donorCond(w *where, t string, f *domain.DonorFilter) string {
	var c conds
	if f.BiobankID != "" {
		c.add(t + ".biobank_id = " + w.arg(optID(f.BiobankID)))
	}
	if f.Scope != nil {
		c.add(scopeDonorCond(w, t, f.Scope))
	}
	if f.Sex != "" {
		c.add(t + ".sex = " + w.arg(f.Sex))
	}
	if f.VitalStatus != "" {
		c.add(t + ".vital_status = " + w.arg(f.VitalStatus))
	}
	if f.BirthYearFrom != nil {
		c.add(t + ".birth_year >= " + w.arg(*f.BirthYearFrom))
	}
	if f.BirthYearTo != nil {
		c.add(t + ".birth_year <= " + w.arg(*f.BirthYearTo))
	}
	if f.Diagnosis != "" {
		c.add(diagnosisCond(w, t, f.Diagnosis))
	}
	if f.HasSample != nil {
		s := w.alias("s")
		c.add("EXISTS (SELECT 1 FROM sample " + s + " WHERE " + s + ".donor_id = " + t + ".id AND " + s + ".retired_at IS NULL AND " + sampleCond(w, s, f.HasSample) + ")")
	}
	return and(c)
}
