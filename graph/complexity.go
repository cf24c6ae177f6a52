package graph

import (
	"databank/domain"
	"databank/graph/generated"
	"databank/graph/model"
)

// listCost is the assumed size of a nested list without a page size (a
// donor's samples, a sample's files).
const listCost = 10

// longListCost is the assumed size of nested lists that are often long.
const longListCost = 200

// pageCost is the number of items a connection may return.
func pageCost(first *int) int {
	if first == nil || *first <= 0 {
		return domain.DefaultPageSize
	}
	if *first > domain.MaxPageSize {
		return domain.MaxPageSize
	}
	return *first
}

// setComplexity makes list fields cost their children times the number of
// items they can return, so that the complexity limit bounds real work.
func setComplexity(c *generated.ComplexityRoot) {
	c.Query.Biobanks = func(child int, first *int, _ *string, _ *model.BiobankFilter) int { return 1 + child*pageCost(first) }
	c.Query.Donors = func(child int, first *int, _ *string, _ *model.DonorFilter) int { return 1 + child*pageCost(first) }
	c.Query.Samples = func(child int, first *int, _ *string, _ *model.SampleFilter) int { return 1 + child*pageCost(first) }
	c.Query.Studies = func(child int, first *int, _ *string, _ *model.StudyFilter) int { return 1 + child*pageCost(first) }
	c.Query.Withdrawals = func(child int, first *int, _ *string, _ *model.WithdrawalFilter) int {
		return 1 + child*pageCost(first)
	}
	c.Query.DataFiles = func(child int, first *int, _ *string, _ *model.DataFileFilter) int { return 1 + child*pageCost(first) }
	c.Query.Datasets = func(child int, first *int, _ *string, _ *model.DatasetFilter) int { return 1 + child*pageCost(first) }
	c.Query.OntologyTerms = func(child int, _ *string, _ *string, _ *string, first *int, _ *string) int {
		return 1 + child*pageCost(first)
	}
	list := func(child int) int { return 1 + child*listCost }
	// Lists that can be long: a joint-called VCF holds thousands of
	// samples, a vocabulary's root thousands of children.
	long := func(child int) int { return 1 + child*longListCost }
	c.OntologyTerm.Parents = list
	c.OntologyTerm.Ancestors = list
	c.OntologyTerm.Children = long
	c.Donor.Consents = list
	c.Donor.Diagnoses = list
	c.Donor.Samples = list
	c.Sample.Children = list
	c.Sample.DataFiles = list
	c.Sample.Withdrawals = list
	c.Withdrawal.ReturnedFiles = list
	paged := func(child int, first *int, _ *string) int { return 1 + child*pageCost(first) }
	c.DataFile.Samples = paged
	c.DataFile.Datasets = list
	c.Dataset.Files = paged
}
