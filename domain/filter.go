package domain

// BiobankFilter selects biobanks in a listing.
type BiobankFilter struct {
	Country        string
	IncludeRetired bool
}

// DonorFilter selects donors in a listing.
type DonorFilter struct {
	BiobankCode   string // resolved to BiobankID by the services
	BiobankID     string
	Sex           string
	Diagnosis     string // CURIE; matches the code and everything below it
	VitalStatus   string
	BirthYearFrom *int
	BirthYearTo   *int
	HasSample     *SampleFilter // a current sample of the donor matches
	// Scope confines the donors to what the reader may see row by row
	// (RowScope); set by the services only, never from input.
	Scope          *RowScope
	IncludeRetired bool
}

// StudyFilter selects studies in a listing.
type StudyFilter struct {
	IncludeRetired bool
}

// WithdrawalFilter selects withdrawals in a listing.
type WithdrawalFilter struct {
	BiobankCode string // resolved to BiobankID by the services
	BiobankID   string
	SampleID    string
	StudyID     string
	// Scope confines the withdrawals to what the reader may see row by
	// row (RowScope); set by the services only, never from input.
	Scope          *RowScope
	IncludeRetired bool
}

// DataFileFilter selects data files in a listing.
type DataFileFilter struct {
	Format    string // CURIE; matches the format and everything below it
	Assay     string
	Assembly  string
	SampleID  string
	DonorID   string
	DatasetID string
	StudyID   string
	Accession string        // the file's external id, e.g. an EGAF accession
	Sample    *SampleFilter // a sample the file holds matches
	// Scope confines the files to what the reader may see row by row
	// (RowScope); set by the services only, never from input.
	Scope          *RowScope
	IncludeRetired bool
}

// DatasetFilter selects datasets in a listing.
type DatasetFilter struct {
	IncludeRetired bool
}
