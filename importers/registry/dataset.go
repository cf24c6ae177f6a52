package registry

import "databank/domain"

func init() {
	register(&schema{
		kind: domain.ImportDatasets,
		columns: []column{
			{name: "dataset_id", help: "dataset id, unique; an EGA dataset accession is EGAD followed by 11 digits"},
			{name: "title", help: "title of the dataset"},
			{name: "version", help: "version (default 1)"},
			{name: "data_use", formerly: "duo_codes", help: "data use conditions: DUO codes separated by ;"},
			{name: "data_access_committee", help: "data access committee, e.g. an EGAC accession"},
			{name: "description", help: "free text"},
		},
		parse: func(p *rowParser, row *domain.ImportRow) {
			d := &row.Dataset
			d.ExternalID, d.Title, d.Version = p.str("dataset_id"), p.str("title"), p.str("version")
			d.DataUse = p.list("data_use")
			d.DataAccessCommittee, d.Description = p.str("data_access_committee"), p.str("description")
			v := p.newValidation()
			d.Validate(v, p.vocab)
			p.validation(v)
		},
		example: []string{"EGAD00001000001", "Returned exomes of study ST0001", "1", "DUO:0000007;DUO:0000019",
			"EGAC00001000001", "Whole exome CRAM files returned by the study"},
	})
}
