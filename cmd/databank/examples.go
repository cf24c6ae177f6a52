package main

import "databank/graph/explorer"

// aggregateExamples are the tabs a researcher's token may run (decisions,
// counts and facets); the demo gives the others its staff token, as only
// staff see sample- and donor-level records.
var aggregateExamples = map[string]bool{"Would my project be allowed?": true, "How many, and where? (counts and facets)": true}

// approvedExamples are the tabs the demo's approved researcher runs.
var approvedExamples = map[string]bool{"Approved researcher: the rows of my approvals": true}

// defaultExamples are preloaded in the explorer as tabs. A test validates
// each against the schema.
var defaultExamples = []explorer.Example{
	{
		Name: "Would my project be allowed?",
		Query: `# A research purpose against consent codes, before any data: a
# commercial health study against a consent for health research by
# non-profit organisations with ethics approval. Then a disease-specific
# purpose against the data-use conditions of some datasets. (This tab
# carries the researcher token: researchers see decisions, counts and
# facets; sample- and donor-level tabs carry the staff token.)
query Purpose {
  matchConsent(
    consent: { permission: "HMB", modifiers: ["NPU", "IRB"] }
    purpose: { category: "HMB", commercial: true }
  ) { outcome reasons conditions { curie label } }
  datasets(first: 5) {
    nodes {
      datasetId
      dataUse { code label }
      consentDecision(purpose: { category: "DS", disease: "E11.9" }) { outcome reasons conditions { label } }
    }
  }
}
`,
	},
	{
		Name: "How many, and where? (counts and facets)",
		Query: `# The researcher journey, step 2: how many samples (and donors) could
# serve a health study that needs whole-genome data on GRCh38, and how
# they spread. Each facet ignores its own condition (the MATERIAL_TYPE
# facet still shows every material type), so the alternatives stay visible.
query Counts {
  samples(filter: { hasData: { assay: "WGS", assembly: "GRCh38" },
                    consent: { purpose: { category: "HMB" }, outcomes: [PERMITTED, NEEDS_REVIEW] } }) {
    totalCount
    donorCount
  }
  sampleFacets(
    filter: { hasData: { assay: "WGS", assembly: "GRCh38" } }
    facets: [CONSENT_OUTCOME, BIOBANK, MATERIAL_TYPE, AGE_BAND, DIAGNOSIS_CHAPTER]
    purpose: { category: "HMB" }
    depth: 1
  ) {
    facet
    buckets { value term { label } count donorCount }
  }
}
`,
	},
	{
		Name: "Samples my purpose may use, with their data",
		Query: `# Step 3: a page of those samples, most recently collected first (keyset
# cursors: pass pageInfo.endCursor as after), with their donor, their files
# and the decision of the donor's consent for the purpose.
query UsableSamples($after: String) {
  samples(
    first: 20
    after: $after
    orderBy: { field: COLLECTED_ON, direction: DESC }
    filter: { hasData: { assay: "WGS" }, not: { status: DEPLETED },
              consent: { purpose: { category: "HMB" }, outcomes: [PERMITTED] } }
  ) {
    totalCount
    donorCount
    pageInfo { hasNextPage endCursor }
    nodes {
      sampleId collectedOn materialType { label } remainingQuantity quantityUnit
      donor { donorId sex }
      dataFiles { fileId assay { code } assembly { code } location }
      consentDecision(purpose: { category: "HMB" }) { outcome reasons }
    }
  }
}
`,
	},
	{
		Name: "Withdrawal preview: data instead of material",
		Query: `# Step 4, before any material leaves the freezer: for the samples a
# project would withdraw, which already have WGS data on GRCh38 that the
# purpose may use, which need a withdrawal (2 ug each), and which cannot be
# served. Each answer keeps the request's order and names, where a sample has
# no such data, the donor's closest sample that has it. withdrawalPreviewCsv
# returns the same answer as CSV for a request form.
query Preview {
  withdrawalPreview(input: {
    biobank: "DNB"
    sampleIds: ["DNB-000002", "DNB-000001", "DNB-000003", "NO-SUCH-BARCODE"]
    assay: "WGS"
    assembly: "GRCh38"
    purpose: { category: "HMB" }
    quantity: { amount: 2, unit: MICROGRAM }
  }) {
    summaryLine
    summary { status count }
    samples {
      requested status reasons conditions { label }
      sample { sampleId remainingQuantity quantityUnit }
      files { fileId location datasets { datasetId } }
      alternative { sampleId materialType { label } }
      alternativeFiles { fileId }
    }
  }
}
`,
	},
	{
		Name: "Approved researcher: the rows of my approvals",
		Query: `# An approved researcher (a dataset visa, or an approval recorded by
# staff) sees the samples and files of their approvals row by row: the
# donors pseudonymised (an age band, never the birth year), nothing else.
# Counts alone stay aggregates over the whole registry. (This tab carries
# the demo's approved researcher's token, approved for the first dataset.)
query MyApprovedRows {
  myApprovedAccess { datasets { datasetId title dataUse { code } } samples }
  samples(first: 10, filter: { hasData: { assay: "WGS" } }) {
    totalCount
    nodes {
      sampleId materialType { label }
      donor { donorId sex ageBand birthYear }
      dataFiles { fileId format { code } location }
    }
  }
}
`,
	},
	{
		Name: "Samples with donor, consents and files",
		Query: `# Ten samples with their donor, the donor's consents and the genomic
# files that already hold each sample. Closed sets are enums (status: AVAILABLE,
# sex: FEMALE, quantityUnit: MILLILITRE); file sizes are in bytes.
query Samples {
  samples(first: 10) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      sampleId
      status
      biobank { code }
      materialType { curie label }
      remainingQuantity
      quantityUnit
      donor {
        donorId
        sex
        birthYear
        vitalStatus
        currentConsent { permission { label } modifiers { code label } withdrawnOn }
      }
      dataFiles { fileId format { code } assembly { code } size location }
    }
  }
}
`,
	},
	{
		Name: "Which samples already have data?",
		Query: `# DNA samples of one biobank, still available, that already have
# genomic data files: data to ask for before using up material.
query SamplesWithData {
  samples(first: 20, filter: { biobank: "DNB", materialType: "MIABIS:DNA", status: AVAILABLE, hasDataFiles: true }) {
    totalCount
    nodes { sampleId remainingQuantity quantityUnit dataFiles { fileId format { code } assay { label } } }
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
		Name: "Alignments on GRCh38",
		Query: `# CRAM files aligned to GRCh38, with their size in bytes (a Long: a
# 30x genome is over 2^31 bytes), checksums and the samples inside them.
query Alignments {
  dataFiles(first: 10, filter: { format: "CRAM", assembly: "GRCh38" }) {
    totalCount
    nodes {
      fileId
      size
      md5
      location
      samples(first: 20) { totalCount nodes { alias sample { sampleId donor { donorId sex } } } }
    }
  }
}
`,
	},
	{
		Name: "Datasets",
		Query: `query Datasets {
  datasets(first: 10) {
    nodes { datasetId title version dataUse { code label } files(first: 10) { totalCount nodes { fileId size } } }
  }
}
`,
	},
}
