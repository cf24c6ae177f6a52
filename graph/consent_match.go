package graph

import (
	"databank/domain"
	"databank/graph/model"
)

// researchPurpose turns the GraphQL input into the domain's purpose; the
// services resolve its codes.
func researchPurpose(in model.ResearchPurposeInput) domain.ResearchPurpose {
	flag := func(b *bool) bool { return b != nil && *b }
	return domain.ResearchPurpose{Category: in.Category, Disease: str(in.Disease), Commercial: flag(in.Commercial),
		ForProfit: flag(in.ForProfit), MethodsDevelopment: flag(in.MethodsDevelopment), Ancestry: flag(in.Ancestry),
		PhenotypeOnly: flag(in.PhenotypeOnly), ClinicalCare: flag(in.ClinicalCare)}
}
