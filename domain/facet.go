package domain

import "time"

// SampleFacet names a dimension samples can be counted by.
type SampleFacet string

// Sample facets.
const (
	FacetBiobank            SampleFacet = "biobank"
	FacetMaterialType       SampleFacet = "materialType"
	FacetAnatomicalSite     SampleFacet = "anatomicalSite"
	FacetStorageTemperature SampleFacet = "storageTemperature"
	FacetStatus             SampleFacet = "status"
	FacetSex                SampleFacet = "sex"
	FacetAgeBand            SampleFacet = "ageBand"
	FacetDiagnosisChapter   SampleFacet = "diagnosisChapter"
	FacetDiagnosisBlock     SampleFacet = "diagnosisBlock"
	FacetAssay              SampleFacet = "assay"
	FacetFormat             SampleFacet = "format"
	FacetAssembly           SampleFacet = "assembly"
	FacetDataset            SampleFacet = "dataset"
	FacetHasData            SampleFacet = "hasData"
	FacetConsentOutcome     SampleFacet = "consentOutcome"
)

// MissingBucket is the value of the bucket of samples without a value for
// a facet (no anatomical site recorded, no data file, no diagnosis).
const MissingBucket = "_missing"

// AgeBandYears is the width of an age band at collection.
const AgeBandYears = 10

// FacetRequest asks the store for one facet. Buckets, set by the
// services, maps the stored value to the bucket it counts in (a code to
// its ancestor at the asked depth, consent terms to their outcome);
// values it does not name are buckets of their own.
type FacetRequest struct {
	Facet   SampleFacet
	Buckets map[string]string
	At      time.Time // the day consents are decided on (FacetConsentOutcome)
}

// Facet is the count of matching samples by one dimension. Each facet
// ignores the filter's own top-level condition on its dimension, so that
// the alternatives stay visible (see WithoutFacet).
type Facet struct {
	Facet   SampleFacet
	Buckets []Bucket
}

// Bucket is the number of samples, and of their distinct donors, with one
// value of a facet. A sample with several values (files of two assays,
// two diagnoses) counts in each.
type Bucket struct {
	Value      string
	Count      int
	DonorCount int
	Suppressed bool // hidden (SuppressBuckets): Count and DonorCount are 0
}

// WithoutFacet returns f without its top-level conditions on facet's
// dimension. Conditions nested in And, Or or Not stay: they are the
// researcher's own combinations.
func (f SampleFilter) WithoutFacet(facet SampleFacet) SampleFilter {
	switch facet {
	case FacetBiobank:
		f.BiobankCode, f.BiobankID, f.Biobanks, f.BiobankIDs = "", "", nil, nil
	case FacetMaterialType:
		f.MaterialType = ""
	case FacetAnatomicalSite:
		f.AnatomicalSite = ""
	case FacetStorageTemperature:
		f.StorageTemperature = ""
	case FacetStatus:
		f.Status, f.Statuses = "", nil
	case FacetSex:
		f.Sex = ""
	case FacetAgeBand:
		f.AgeAtCollectionFrom, f.AgeAtCollectionTo = nil, nil
	case FacetDiagnosisChapter, FacetDiagnosisBlock:
		f.Diagnosis = ""
	case FacetAssay, FacetFormat, FacetAssembly, FacetDataset:
		if f.HasData != nil {
			d := *f.HasData
			switch facet {
			case FacetAssay:
				d.Assay = ""
			case FacetFormat:
				d.Format = ""
			case FacetAssembly:
				d.Assembly = ""
			case FacetDataset:
				d.DatasetID = ""
			}
			f.HasData = &d
		}
	case FacetHasData:
		f.HasDataFiles, f.HasData = nil, nil
	case FacetConsentOutcome:
		f.Consent = nil
	}
	return f
}

// FacetOptions shape a facet request: Depth rolls the buckets of
// hierarchical facets (material type, anatomical site, assay, format) up
// to their ancestors at that level (1: the top level; 0: as recorded);
// Purpose is required by FacetConsentOutcome.
type FacetOptions struct {
	Depth   int
	Purpose *ResearchPurpose
}
