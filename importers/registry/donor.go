package registry

import "databank/domain"

func init() {
	register(&schema{
		kind: domain.ImportDonors,
		columns: []column{
			{name: "biobank", help: "code of the donor's biobank"},
			{name: "donor_id", help: "pseudonymous donor id, unique within the biobank"},
			{name: "sex", help: "female, male, other or unknown (default unknown)"},
			{name: "birth_year", help: "year of birth (never a full date)"},
			{name: "vital_status", help: "alive, deceased or unknown (default unknown)"},
		},
		parse: func(p *rowParser, row *domain.ImportRow) {
			d := &row.Donor
			row.Ref.Biobank = p.biobank(true)
			d.ExternalID, d.Sex, d.VitalStatus = p.str("donor_id"), p.str("sex"), p.str("vital_status")
			d.BirthYear = p.int("birth_year")
			v := p.newValidation()
			d.Validate(v)
			p.validation(v)
		},
		example: []string{"DNB", "D0001", "female", "1961", "alive"},
	})
}
