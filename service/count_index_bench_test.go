package service

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"databank/domain"
)

// BenchmarkCountIndexPass is discovery's (a) on a count index of 10M
// samples of 1M donors built in memory (no database), as staff ask it
// ("staff": the count, its three relaxations, and three facets of their
// filters) and as a researcher's request makes it ("researcher": each
// facet also of each neighbouring filter, for the differencing guard).
func BenchmarkCountIndexPass(b *testing.B) {
	ix := benchCountIndex(b)
	isA := func(code, ancestor string) bool { return code == ancestor }
	f := domain.SampleFilter{MaterialType: "MIABIS:DNA", Statuses: []string{"available"}, HasData: &domain.DataFileFilter{Assay: "OBI:0002117"}}
	relaxed := []domain.SampleFilter{f, f.WithoutFacet(domain.FacetMaterialType), f.WithoutFacet(domain.FacetStatus), f.WithoutFacet(domain.FacetHasData)}
	facets := []domain.SampleFacet{domain.FacetMaterialType, domain.FacetSex, domain.FacetConsentOutcome}
	compile := func(g domain.SampleFilter) indexPred {
		p, ok := ix.compile(&g, newLeafTables(isA))
		if !ok {
			b.Fatal("not compiled")
		}
		return p
	}
	facetJob := func(g domain.SampleFilter, facet domain.SampleFacet) indexJob {
		job, _, ok := ix.facetJob(compile(g), domain.FacetRequest{Facet: facet, At: time.Now()}, nil)
		if !ok {
			b.Fatal("no facet job")
		}
		return job
	}
	var staff, researcher []indexJob
	for _, g := range relaxed {
		staff = append(staff, indexJob{pred: compile(g)})
	}
	researcher = append(researcher, staff...)
	for _, facet := range facets {
		staff = append(staff, facetJob(f.WithoutFacet(facet), facet))
		for _, g := range relaxed {
			researcher = append(researcher, facetJob(g.WithoutFacet(facet), facet))
		}
	}
	for _, c := range []struct {
		name string
		jobs []indexJob
	}{{"staff", staff}, {"researcher", researcher}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				ix.count(c.jobs)
			}
			b.ReportMetric(float64(len(c.jobs)), "jobs")
			b.ReportMetric(float64(len(ix.setStart)-1), "sets")
		})
	}
}

// benchCountIndex is a count index of 10M samples of 1M donors.
func benchCountIndex(b *testing.B) *countIndex {
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
	// drawn at random, so that donors' sets of profiles are as varied as
	// in a real registry (at 10M samples: a third as many sets as donors)
	r := rand.New(rand.NewPCG(1, 2))
	biobanks := []string{"b1", "b2", "b3"}
	for d := range donors {
		id := []byte(fmt.Sprintf("%08x-0000-0000-0000-000000000000", d))
		for range perDonor {
			var f []byte
			if r.IntN(5) == 0 {
				f = []byte(files[1+r.IntN(2)])
			}
			if err := builder.sample(id, []byte(biobanks[r.IntN(3)]), []byte(materials[r.IntN(len(materials))]), []byte(statuses[r.IntN(len(statuses))]), f); err != nil {
				b.Fatal(err)
			}
		}
	}
	return builder.done()
}
