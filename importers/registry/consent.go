package registry

import "databank/domain"

func init() {
	register(&schema{
		kind: domain.ImportConsents,
		columns: []column{
			{name: "biobank", help: "code of the donor's biobank"},
			{name: "donor_id", help: "donor id"},
			{name: "consent_id", help: "consent id, unique within the biobank"},
			{name: "given_on", help: "date the consent was given, YYYY-MM-DD"},
			{name: "withdrawn_on", help: "date the consent was withdrawn, YYYY-MM-DD (empty while in force)"},
			{name: "duo_permission", help: "DUO data use permission: CURIE, shorthand (GRU, HMB, DS) or label"},
			{name: "duo_modifiers", help: "DUO data use modifiers separated by ;"},
			{name: "disease", help: "ICD-10 code, required when the permission is DS"},
			{name: "document_ref", help: "reference to the signed consent document"},
		},
		fields: map[string]string{"consentId": "consent_id"},
		parse: func(p *rowParser, row *domain.ImportRow) {
			c := &row.Consent
			row.Ref.Biobank = p.biobank(true)
			row.Ref.Donor = p.ref("donor_id", true)
			c.ExternalID = p.str("consent_id")
			if d := p.date("given_on"); d != nil {
				c.GivenOn = *d
			}
			c.WithdrawnOn = p.date("withdrawn_on")
			c.Permission, c.Modifiers = p.str("duo_permission"), p.list("duo_modifiers")
			c.Disease, c.DocumentRef = p.str("disease"), p.str("document_ref")
			v := p.newValidation()
			c.Validate(v, p.vocab)
			p.validation(v)
		},
		example: []string{"DNB", "D0001", "C0001", "2019-04-11", "", "DS", "DUO:0000019;DUO:0000021", "ICD10:E11",
			"doc://consent-forms/v3/C0001.pdf"},
	})
}
