package domain

import (
	"regexp"
	"strings"

	"databank/ontology"
)

// DataFile is one genomic file derived from samples: where it lives, what
// it is, and which samples it holds.
type DataFile struct {
	ID           string
	ExternalID   string // file id users know, e.g. an EGAF accession; unique
	Format       string // FORMAT CURIE
	Assay        string // ASSAY CURIE
	Assembly     string // ASSEMBLY CURIE, "" when unknown
	Size         *int64
	MD5          string
	SHA256       string
	Location     string // path, s3://, drs://, ega:// or https:// URI
	StudyID      string
	WithdrawalID string
	Software     string // producing software or pipeline
	Samples      []FileSample
	Audit
}

// FileSample links a data file to a sample, keeping the name the sample
// has inside the file (a VCF column, a read group's SM).
type FileSample struct {
	SampleID string
	Alias    string
}

var (
	md5Pattern      = regexp.MustCompile(`^[0-9a-f]{32}$`)
	sha256Pattern   = regexp.MustCompile(`^[0-9a-f]{64}$`)
	locationSchemes = []string{"/", "s3://", "drs://", "ega://", "https://", "file://", "gs://"}
)

// Validate normalises f and records every field error in v; its
// codes are checked against vocab.
func (f *DataFile) Validate(v *Validation, vocab Vocabulary) {
	f.ExternalID = strings.TrimSpace(f.ExternalID)
	v.ExternalID("fileId", f.ExternalID)
	if v.Required("format", f.Format) {
		v.Code(vocab, "format", &f.Format, ontology.Format)
	}
	if f.Assay == "" {
		f.Assay = "ASSAY:OTHER"
	}
	v.Code(vocab, "assay", &f.Assay, ontology.Assay)
	if strings.EqualFold(f.Assembly, "unknown") {
		f.Assembly = ""
	}
	v.Code(vocab, "assembly", &f.Assembly, ontology.Assembly)
	if f.Size != nil && *f.Size < 0 {
		v.Fail("size", "", "must not be negative")
	}
	f.MD5 = strings.ToLower(strings.TrimSpace(f.MD5))
	f.SHA256 = strings.ToLower(strings.TrimSpace(f.SHA256))
	if f.MD5 != "" && !md5Pattern.MatchString(f.MD5) {
		v.Fail("md5", f.MD5, "must be 32 hexadecimal digits")
	}
	if f.SHA256 != "" && !sha256Pattern.MatchString(f.SHA256) {
		v.Fail("sha256", f.SHA256, "must be 64 hexadecimal digits")
	}
	f.Location = strings.TrimSpace(f.Location)
	if v.Required("location", f.Location) {
		ok := false
		for _, p := range locationSchemes {
			ok = ok || strings.HasPrefix(f.Location, p)
		}
		if !ok {
			v.Fail("location", f.Location, "must be an absolute path or a s3://, drs://, ega://, gs://, https:// or file:// URI")
		}
		v.Text("location", f.Location, 2000)
	}
	v.Text("software", f.Software, 500)
	seen := map[string]bool{}
	for _, s := range f.Samples {
		if seen[s.SampleID] {
			v.Fail("samples", s.Alias, "lists the same sample twice")
		}
		seen[s.SampleID] = true
	}
}

// Dataset is a named, versioned collection of data files released under
// data-use conditions and governed by a data access committee.
type Dataset struct {
	ID                  string
	ExternalID          string // e.g. an EGAD accession
	Title               string
	Version             string
	DataUse             []string // DUO CURIEs
	DataAccessCommittee string
	Description         string
	Audit
}

// Validate normalises d and records every field error in v; its
// codes are checked against vocab.
func (d *Dataset) Validate(v *Validation, vocab Vocabulary) {
	d.ExternalID = strings.TrimSpace(d.ExternalID)
	CheckDatasetID(v, d.ExternalID)
	if v.Required("title", d.Title) {
		v.Text("title", d.Title, 500)
	}
	if d.Version == "" {
		d.Version = "1"
	}
	v.Text("version", d.Version, 50)
	for i := range d.DataUse {
		v.Code(vocab, "dataUse", &d.DataUse[i], ontology.DUO)
	}
	if d.DataUse == nil {
		d.DataUse = []string{}
	}
	v.Text("dataAccessCommittee", d.DataAccessCommittee, 200)
	v.Text("description", d.Description, 5000)
}

// CheckDatasetID records what is wrong with a dataset id: it has the shape
// of every external id, and one that starts with EGAD is an EGA dataset
// accession. An import checks with it the ids of the datasets a file
// manifest creates by naming them.
func CheckDatasetID(v *Validation, id string) {
	v.ExternalID("datasetId", id)
	if strings.HasPrefix(id, "EGAD") && !IsEGAAccession("EGAD", id) {
		v.Fail("datasetId", id, "an EGA dataset accession is EGAD followed by 11 digits")
	}
}

// MatchFileSamples links the sample names found inside a data file (VCF
// columns, read-group SM tags) to samples: by barcode first, else through
// the operator's alias map (in-file name → barcode). It returns the links,
// keeping each in-file name as the alias, and the names it could not link.
func MatchFileSamples(names []string, byBarcode map[string]Sample, aliases map[string]string) (links []FileSample, unmatched []string) {
	for _, name := range names {
		s, ok := byBarcode[name]
		if !ok && aliases[name] != "" {
			s, ok = byBarcode[aliases[name]]
		}
		if !ok {
			unmatched = append(unmatched, name)
			continue
		}
		links = append(links, FileSample{SampleID: s.ID, Alias: name})
	}
	return links, unmatched
}
