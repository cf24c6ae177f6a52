package ontology

import "slices"

// Status tells whether a term may still be used for new annotations.
type Status string

// Term statuses.
const (
	StatusActive   Status = "active"   // the term is current
	StatusObsolete Status = "obsolete" // the term was withdrawn; see Term.ReplacedBy
)

// Names of the built-in systems. Each is also the CURIE prefix of its terms.
const (
	DUO         = "DUO"      // GA4GH Data Use Ontology (consent codes)
	ICD10       = "ICD10"    // WHO ICD-10, 2019 edition
	Material    = "MIABIS"   // MIABIS / BBMRI-ERIC material types
	Temperature = "TEMP"     // MIABIS storage temperature classes
	Anatomy     = "UBERON"   // curated subset of the Uberon anatomy ontology
	Assay       = "ASSAY"    // genomic assay types
	Format      = "FORMAT"   // genomic data file formats
	Assembly    = "ASSEMBLY" // human reference genome assemblies
)

// Term is one coded concept of a System.
type Term struct {
	System     string   // system name, e.g. "DUO"
	Code       string   // code within the system, e.g. "0000007", "E11.9", "WHOLE_BLOOD"
	CURIE      string   // "DUO:0000007", "ICD10:E11.9"
	Label      string   // preferred human-readable name
	Synonyms   []string // other names, including shorthand such as "DS" or "hg38"
	Parents    []string // parent CURIEs; a term may have several
	Status     Status   // StatusActive or StatusObsolete
	ReplacedBy string   // CURIE of the replacement when obsolete and known
}

// IsObsolete reports whether the term has been withdrawn.
func (t Term) IsObsolete() bool { return t.Status == StatusObsolete }

// Equal reports whether t and u are the same in every field. Synonyms and
// parents are compared in order.
func (t Term) Equal(u Term) bool {
	return t.System == u.System && t.Code == u.Code && t.CURIE == u.CURIE &&
		t.Label == u.Label && t.Status == u.Status && t.ReplacedBy == u.ReplacedBy &&
		slices.Equal(t.Synonyms, u.Synonyms) && slices.Equal(t.Parents, u.Parents)
}

// clone returns a copy of t that shares no slice with it.
func (t Term) clone() Term {
	t.Synonyms = slices.Clone(t.Synonyms)
	t.Parents = slices.Clone(t.Parents)
	return t
}

// System describes one code system held by a Registry.
type System struct {
	Name    string // system name, e.g. "ICD10"
	Prefix  string // CURIE prefix; equal to Name for the built-in systems
	Title   string // human-readable title
	Source  string // where the release came from
	Version string // release version or date
}

// Edge is one row of a system's transitive closure: Ancestor is Descendant
// itself (Depth 0) or one of its ancestors, Depth steps up along the
// shortest path.
type Edge struct {
	Descendant string
	Ancestor   string
	Depth      int
}

// LoadReport counts what Registry.Load did to each term of a system.
// Every term of the system after the load is counted exactly once.
type LoadReport struct {
	System    string // system name
	Version   string // version of the loaded release
	Added     int    // terms that were not known before
	Updated   int    // known terms whose label, synonyms, parents, status or replacement changed
	Obsoleted int    // terms that were active and are now obsolete (withdrawn or missing from the release)
	Unchanged int    // terms left as they were, including obsolete terms still missing

	// ObsoletedCURIEs lists the terms counted in Obsoleted, in term order.
	ObsoletedCURIEs []string
}

// Shorthand returns the vocabulary's shorthand for the term, "" where it
// has none: DUO's abbreviations (GRU, HMB, NPU), which its table keeps as
// the first synonym.
func (t Term) Shorthand() string {
	if t.System == DUO && len(t.Synonyms) > 0 {
		return t.Synonyms[0]
	}
	return ""
}
