package main

import "databank/graph/explorer"

// defaultExamples are preloaded in the explorer as tabs.
var defaultExamples = []explorer.Example{
	{
		Name: "Samples with donor, consents and files",
		Query: `# Ten samples with their donor, the donor's consents and the genomic
# files that already hold each sample.
query Samples {
  samples(first: 10) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      sampleId
      biobank { code }
      materialType { curie label }
      remainingQuantity
      quantityUnit
      donor {
        donorId
        sex
        birthYear
        currentConsent { permission { label } modifiers { code label } withdrawnOn }
      }
      dataFiles { fileId format { code } assembly { code } location }
    }
  }
}
`,
	},
	{
		Name: "Which samples already have data?",
		Query: `# DNA samples of one biobank that already have genomic data files.
query SamplesWithData {
  samples(first: 20, filter: { biobank: "DNB", materialType: "MIABIS:DNA", hasDataFiles: true }) {
    totalCount
    nodes { sampleId dataFiles { fileId format { code } assay { label } } }
  }
}
`,
	},
	{
		Name: "Lineage",
		Query: `# Blood samples (and everything derived from blood) with their children.
query Lineage {
  samples(first: 5, filter: { materialType: "blood" }) {
    nodes {
      sampleId materialType { label }
      children { sampleId materialType { label } children { sampleId materialType { label } } }
    }
  }
}
`,
	},
	{
		Name: "Datasets",
		Query: `query Datasets {
  datasets(first: 10) {
    nodes { datasetId title version dataUse { code label } files(first: 10) { totalCount nodes { fileId } } }
  }
}
`,
	},
}
