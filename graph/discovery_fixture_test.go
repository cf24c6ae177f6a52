package graph_test

import (
	"time"

	"databank/domain"
)

// registry is a hand-built pair of biobanks in which every filter, facet
// and decision of the discovery tests has a known answer.
//
//	donor biobank sex    born consent                     diagnosis samples
//	d1    DNB     female 1960 HMB                         E11.9     s1 whole blood 5 mL (2021-03-01) → s1a DNA 20 ug (WGS GRCh38) → s1b DNA 500 ng
//	d2    DNB     male   1980 DS E11                      E10       s2 plasma 2 mL (2019-05-05; WES GRCh37)
//	d3    DNB     female 1970 GRU + NPU                   -         s3 DNA 2 ug (2022-01-01; WGS GRCh38)
//	d4    DNB     male   1990 HMB, withdrawn 2023-01-01   -         s4 serum 1 mL (2022-06-01)
//	d5    DNB     female 1950 HMB, retired                C50.9     s5 frozen tissue 3 blocks (2018-02-02)
//	d6    DNB     male   1985 none                        -         s6 DNA 10 ng (no date)
//	d7    DNB     female 1975 HMB + IRB                   E11       s7 whole blood 100 cells (2020-10-10)
//	d8    TBB     female 1965 POA                         -         s8 DNA 1 mg (2021-07-07)
type registry struct {
	ids map[string]string // fixture name → id
}

func (e *env) registry() registry {
	t, ctx := e.t, e.ctx
	r := registry{ids: map[string]string{}}
	dnb := must[domain.Biobank](t)(e.store.CreateBiobank(ctx, domain.Biobank{Code: "DNB", Name: "Danish National Biobank", Country: "DK"}))
	tbb := must[domain.Biobank](t)(e.store.CreateBiobank(ctx, domain.Biobank{Code: "TBB", Name: "Tartu Biobank", Country: "EE"}))
	day := func(s string) *time.Time {
		d, err := domain.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return &d
	}
	type donor struct {
		name, biobank, sex string
		born               int
		consent            *domain.Consent
		retired, withdrawn bool
		diagnosis          string
	}
	donors := []donor{
		{"d1", dnb.ID, "female", 1960, &domain.Consent{Permission: "HMB"}, false, false, "E11.9"},
		{"d2", dnb.ID, "male", 1980, &domain.Consent{Permission: "DS", Disease: "E11"}, false, false, "E10"},
		{"d3", dnb.ID, "female", 1970, &domain.Consent{Permission: "GRU", Modifiers: []string{"NPU"}}, false, false, ""},
		{"d4", dnb.ID, "male", 1990, &domain.Consent{Permission: "HMB"}, false, true, ""},
		{"d5", dnb.ID, "female", 1950, &domain.Consent{Permission: "HMB"}, true, false, "C50.9"},
		{"d6", dnb.ID, "male", 1985, nil, false, false, ""},
		{"d7", dnb.ID, "female", 1975, &domain.Consent{Permission: "HMB", Modifiers: []string{"IRB"}}, false, false, "E11"},
		{"d8", tbb.ID, "female", 1965, &domain.Consent{Permission: "POA"}, false, false, ""},
	}
	for _, d := range donors {
		born := d.born
		x := must[domain.Donor](t)(e.store.CreateDonor(ctx, domain.Donor{BiobankID: d.biobank, ExternalID: d.name, Sex: d.sex, BirthYear: &born, VitalStatus: "alive"}))
		r.ids[d.name] = x.ID
		if d.diagnosis != "" {
			must[domain.Diagnosis](t)(e.store.AddDiagnosis(ctx, domain.Diagnosis{DonorID: x.ID, Code: d.diagnosis}))
		}
		if c := d.consent; c != nil {
			c.DonorID, c.ExternalID, c.GivenOn = x.ID, "C-"+d.name, *day("2015-01-01")
			added := must[domain.Consent](t)(e.store.AddConsent(ctx, *c))
			if d.withdrawn {
				must[domain.Consent](t)(e.store.UpdateConsent(ctx, added.ID, func(c *domain.Consent) error { c.WithdrawnOn = day("2023-01-01"); return nil }))
			}
			if d.retired {
				must[domain.Consent](t)(e.store.RetireConsent(ctx, added.ID))
			}
		}
	}
	type sample struct {
		name, donor, parent, material string
		amount                        string
		unit, collected               string
	}
	samples := []sample{
		{"s1", "d1", "", "WHOLE_BLOOD", "5", "mL", "2021-03-01"},
		{"s1a", "d1", "s1", "DNA", "20", "ug", "2021-03-02"},
		{"s1b", "d1", "s1a", "DNA", "500", "ng", "2021-03-03"},
		{"s2", "d2", "", "PLASMA", "2", "mL", "2019-05-05"},
		{"s3", "d3", "", "DNA", "2", "ug", "2022-01-01"},
		{"s4", "d4", "", "SERUM", "1", "mL", "2022-06-01"},
		{"s5", "d5", "", "TISSUE_FROZEN", "3", "blocks", "2018-02-02"},
		{"s6", "d6", "", "DNA", "10", "ng", ""},
		{"s7", "d7", "", "WHOLE_BLOOD", "100", "cells", "2020-10-10"},
		{"s8", "d8", "", "DNA", "1", "mg", "2021-07-07"},
	}
	for _, s := range samples {
		q, err := domain.ParseQuantity(s.amount)
		if err != nil {
			t.Fatal(err)
		}
		b := dnb.ID
		if s.donor == "d8" {
			b = tbb.ID
		}
		x := domain.Sample{BiobankID: b, DonorID: r.ids[s.donor], ExternalID: s.name, ParentID: r.ids[s.parent],
			MaterialType: "MIABIS:" + s.material, InitialQuantity: &q, QuantityUnit: s.unit}
		if s.collected != "" {
			x.CollectedOn = day(s.collected)
		}
		r.ids[s.name] = must[domain.Sample](t)(e.store.CreateSample(ctx, x)).ID
	}
	files := []struct{ name, assay, assembly, sample string }{
		{"EGAF00000000001", "WGS", "GRCh38", "s1a"},
		{"EGAF00000000002", "WES", "GRCh37", "s2"},
		{"EGAF00000000003", "WGS", "GRCh38", "s3"},
	}
	for _, f := range files {
		must[domain.DataFile](t)(e.store.RegisterDataFile(ctx, domain.DataFile{ExternalID: f.name, Format: "CRAM", Assay: f.assay, Assembly: f.assembly,
			Location: "s3://bucket/" + f.name + ".cram", Samples: []domain.FileSample{{SampleID: r.ids[f.sample], Alias: f.sample}}}))
	}
	return r
}
