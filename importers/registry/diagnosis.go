package registry

import "databank/domain"

func init() {
	register(&schema{
		kind: domain.ImportDiagnoses,
		columns: []column{
			{name: "biobank", help: "code of the donor's biobank"},
			{name: "donor_id", help: "donor id"},
			{name: "code", help: "ICD-10 code, bare (E11.9), as a CURIE (ICD10:E11.9) or by label"},
			{name: "diagnosed_on", help: "date of diagnosis, YYYY-MM-DD", optional: true},
			{name: "age_at_diagnosis", help: "age of the donor at diagnosis, in years", optional: true},
		},
		oneOf: [][]string{{"diagnosed_on", "age_at_diagnosis"}},
		parse: func(p *rowParser, row *domain.ImportRow) {
			d := &row.Diagnosis
			row.Ref.Biobank = p.biobank(true)
			row.Ref.Donor = p.ref("donor_id", true)
			d.Code = p.str("code")
			d.DiagnosedOn = p.date("diagnosed_on")
			d.AgeAtDiagnosis = p.int("age_at_diagnosis")
			v := p.newValidation()
			d.Validate(v, p.vocab)
			p.validation(v)
		},
		example: []string{"DNB", "D0001", "E11.9", "2015-03-02", ""},
	})
}
