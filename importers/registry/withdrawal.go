package registry

import "databank/domain"

func init() {
	register(&schema{
		kind: domain.ImportWithdrawals,
		columns: []column{
			{name: "biobank", help: "code of the biobank holding the sample"},
			{name: "withdrawal_id", help: "withdrawal id, unique within the biobank"},
			{name: "sample_id", help: "sample the material was taken from"},
			{name: "study_id", help: "study the material was given to"},
			{name: "quantity", help: "quantity taken, in the sample's unit"},
			{name: "quantity_unit", help: "unit of the quantity; must be the sample's unit"},
			{name: "withdrawn_on", help: "date of the withdrawal, YYYY-MM-DD"},
			{name: "recipient", help: "laboratory or person receiving the material"},
			{name: "data_return_required", help: "true when the study must return data (yes/no, 1/0 also accepted)"},
			{name: "data_return_due", help: "date the data is due back, YYYY-MM-DD; only when data_return_required"},
		},
		fields: map[string]string{"withdrawalId": "withdrawal_id", "dataReturnRequired": "data_return_required"},
		parse: func(p *rowParser, row *domain.ImportRow) {
			w := &row.Withdrawal
			row.Ref.Biobank = p.biobank(true)
			w.ExternalID = p.str("withdrawal_id")
			row.Ref.Sample = p.ref("sample_id", true)
			row.Ref.Study = p.ref("study_id", true)
			if q := p.quantity("quantity"); q != nil {
				w.Quantity = *q
			} else if p.str("quantity") == "" {
				p.fail("quantity", "", "is required")
			}
			w.QuantityUnit = p.str("quantity_unit")
			if d := p.date("withdrawn_on"); d != nil {
				w.WithdrawnOn = *d
			} else if p.str("withdrawn_on") == "" {
				p.fail("withdrawn_on", "", "is required")
			}
			w.Recipient = p.str("recipient")
			w.DataReturnRequired = p.bool("data_return_required")
			w.DataReturnDue = p.date("data_return_due")
			v := p.newValidation()
			w.Validate(v)
			p.validation(v)
		},
		example: []string{"DNB", "W0001", "DNB-000001", "ST0001", "1.5", "mL", "2021-06-01", "Saga Genotyping Facility", "true", "2022-06-01"},
	})
}
