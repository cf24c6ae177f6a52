package registry

import "databank/domain"

func init() {
	register(&schema{
		kind: domain.ImportStudies,
		columns: []column{
			{name: "study_id", help: "study id, unique"},
			{name: "title", help: "title of the study"},
			{name: "principal_investigator", help: "name of the principal investigator"},
			{name: "ethics_approval", help: "ethics approval reference"},
			{name: "accession", formerly: "ega_study_accession", help: "EGA study accession, EGAS followed by 11 digits (optional value)"},
		},
		parse: func(p *rowParser, row *domain.ImportRow) {
			s := &row.Study
			s.ExternalID, s.Title = p.str("study_id"), p.str("title")
			s.PrincipalInvestigator, s.EthicsApproval = p.str("principal_investigator"), p.str("ethics_approval")
			s.Accession = p.str("accession")
			v := p.newValidation()
			s.Validate(v)
			p.validation(v)
		},
		example: []string{"ST0001", "Genetics of type 2 diabetes in Danish adults", "Dr. Karen Holm", "EC-2021-0042", "EGAS00001000001"},
	})
}
