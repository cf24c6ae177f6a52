package registry

import "databank/domain"

func init() {
	register(&schema{
		kind: domain.ImportBiobanks,
		columns: []column{
			{name: "code", help: "short unique code, 2-16 upper-case letters, digits, _ or -"},
			{name: "name", help: "name of the institution"},
			{name: "country", help: "ISO 3166-1 alpha-2 country code"},
			{name: "contact", help: "contact address (optional value)"},
		},
		parse: func(p *rowParser, row *domain.ImportRow) {
			b := &row.Biobank
			b.Code, b.Name, b.Country, b.Contact = p.str("code"), p.str("name"), p.str("country"), p.str("contact")
			v := p.newValidation()
			b.Validate(v)
			p.validation(v)
		},
		example: []string{"DNB", "Dannevirke Biobank", "DK", "biobank@dnb.example.org"},
	})
}
