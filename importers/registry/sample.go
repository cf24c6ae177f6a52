package registry

import "databank/domain"

func init() {
	register(&schema{
		kind: domain.ImportSamples,
		columns: []column{
			{name: "biobank", help: "code of the biobank holding the sample"},
			{name: "sample_id", help: "sample id (barcode), unique within the biobank"},
			{name: "donor_id", help: "donor id"},
			{name: "parent_sample_id", help: "sample this one was derived from (same donor), empty for a primary sample"},
			{name: "material_type", help: "MIABIS material type: CURIE, code or label (whole blood, DNA)"},
			{name: "anatomical_site", help: "UBERON anatomical site"},
			{name: "collected_on", help: "collection date, YYYY-MM-DD"},
			{name: "storage_temperature", help: "MIABIS storage temperature (TEMP:MINUS60TO85, -80 °C)"},
			{name: "initial_quantity", help: "quantity at collection"},
			{name: "registered_remaining", formerly: "remaining_quantity", help: "quantity left according to the registry, before the withdrawals recorded in Databank (default: initial_quantity)"},
			{name: "quantity_unit", help: "mL, uL, L, g, mg, ug, ng, cells, aliquots, slides or blocks"},
			{name: "status", help: "available, reserved, depleted or destroyed (default available)"},
		},
		fields: map[string]string{"sampleId": "sample_id", "parentSampleId": "parent_sample_id"},
		parse: func(p *rowParser, row *domain.ImportRow) {
			s := &row.Sample
			row.Ref.Biobank = p.biobank(true)
			s.ExternalID = p.str("sample_id")
			row.Ref.Donor = p.ref("donor_id", true)
			row.Ref.Parent = p.ref("parent_sample_id", false)
			if row.Ref.Parent != "" && row.Ref.Parent == s.ExternalID {
				p.fail("parent_sample_id", row.Ref.Parent, "%s", domain.SampleOwnParent)
			}
			s.MaterialType, s.AnatomicalSite = p.str("material_type"), p.str("anatomical_site")
			s.CollectedOn = p.date("collected_on")
			s.StorageTemperature = p.str("storage_temperature")
			s.InitialQuantity = p.quantity("initial_quantity")
			s.RegisteredRemaining = p.quantity("registered_remaining")
			if s.RegisteredRemaining == nil && p.str("registered_remaining") == "" {
				s.RegisteredRemaining = s.InitialQuantity
			}
			s.RemainingQuantity = s.RegisteredRemaining
			s.QuantityUnit, s.Status = p.str("quantity_unit"), p.str("status")
			v := p.newValidation()
			s.Validate(v, p.vocab)
			p.validation(v)
		},
		example: []string{"DNB", "DNB-000001", "D0001", "", "whole blood", "UBERON:0000178", "2020-01-15", "TEMP:MINUS60TO85",
			"10", "8.5", "mL", "available"},
	})
}
