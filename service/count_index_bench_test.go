package service

import (
	"fmt"
	"testing"
	"time"

	"databank/domain"
)

// BenchmarkCountIndexPass is discovery's (a) on a count index of 10M
// samples of 1M donors built in memory (no database): the count, its
// three relaxations, and three facets of their filters, as one request
// of a researcher makes them.
func BenchmarkCountIndexPass(b *testing.B) {
	const donors, perDonor = 1_000_000, 10
	builder := newCountIndexBuilder(time.Now().Format(time.DateOnly))
	materials := []string{"MIABIS:DNA", "MIABIS:PLASMA", "MIABIS:SERUM", "MIABIS:WHOLE_BLOOD", "MIABIS:BUFFY_COAT"}
	statuses := []string{"available", "reserved", "depleted"}
	files := []string{"", "OBI:0002117\x1fGRCh38\x1fEDAM:format_3462", "OBI:0002118\x1fGRCh37\x1fEDAM:format_3016"}
	sexes := []string{"female", "male"}
	keys := []string{"HMB||", "GRU|NPU|", "DS||ICD10:E11", ""}
	for d := range donors {
		id := []byte(fmt.Sprintf("%08x-0000-0000-0000-000000000000", d))
		if err := builder.donor(id, []byte(sexes[d%2]), []byte(keys[d%len(keys)])); err != nil {
			b.Fatal(err)
		}
	}
	for d := range donors {
		id := []byte(fmt.Sprintf("%08x-0000-0000-0000-000000000000", d))
		for k := range perDonor {
			var f []byte
			if (d+k)%5 == 0 {
				f = []byte(files[1+(d+k)%2])
			}
			if err := builder.sample(id, []byte("b1"), []byte(materials[(d*7+k)%len(materials)]), []byte(statuses[(d+k)%len(statuses)]), f); err != nil {
				b.Fatal(err)
			}
		}
	}
	ix := builder.done()
	isA := func(code, ancestor string) bool { return code == ancestor }
	f := domain.SampleFilter{MaterialType: "MIABIS:DNA", Statuses: []string{"available"}, HasData: &domain.DataFileFilter{Assay: "OBI:0002117"}}
	var jobs []indexJob
	for _, g := range []domain.SampleFilter{f, f.WithoutFacet(domain.FacetMaterialType), f.WithoutFacet(domain.FacetStatus), f.WithoutFacet(domain.FacetHasData)} {
		p, ok := ix.compile(&g, isA)
		if !ok {
			b.Fatal("not compiled")
		}
		jobs = append(jobs, indexJob{pred: p})
	}
	for _, facet := range []domain.SampleFacet{domain.FacetMaterialType, domain.FacetSex, domain.FacetConsentOutcome} {
		g := f.WithoutFacet(facet)
		p, _ := ix.compile(&g, isA)
		job, _, ok := ix.facetJob(p, domain.FacetRequest{Facet: facet, At: time.Now()}, nil)
		if !ok {
			b.Fatal("no facet job")
		}
		jobs = append(jobs, job)
	}
	b.ResetTimer()
	for b.Loop() {
		ix.count(jobs)
	}
	b.ReportMetric(float64(len(ix.profiles)), "profiles")
	b.ReportMetric(float64(len(ix.pairs)), "pairs")
}
