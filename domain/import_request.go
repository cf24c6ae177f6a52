package domain

// ImportRequest asks for registry files to be imported.
type ImportRequest struct {
	// Sources are the files, in any order; they are written in dependency
	// order, in one transaction.
	Sources []ImportSource
	// DryRun validates and merges, reports what would be created, updated
	// and unchanged, then rolls back: nothing is written.
	DryRun bool
	// MaxErrors bounds the errors (and, separately, the warnings) the
	// report lists; all are counted. 0 means DefaultImportMaxErrors.
	MaxErrors int
	// Progress, when set, is called as the import advances, from any
	// goroutine but never concurrently.
	Progress func(ImportProgress)
	// Biobanks, when not nil, are the codes of the only biobanks whose
	// rows the import may hold (the staff member's scope, set by the
	// services): a row of another biobank is an error on its line.
	Biobanks []string
}

// DefaultImportMaxErrors is how many errors, and separately warnings, an
// import report lists when the request does not say; all are counted.
const DefaultImportMaxErrors = 1000

// Import phases, in order.
const (
	PhaseRead     = "read"     // rows are parsed, validated and staged
	PhaseLock     = "lock"     // waiting for concurrent imports of the same biobanks
	PhaseValidate = "validate" // references and cross-row rules are checked
	PhaseWrite    = "write"    // records are inserted and updated
	PhaseCommit   = "commit"
)

// ImportProgress reports how far an import has got.
type ImportProgress struct {
	Phase  string
	Kind   ImportKind // the kind being read or written
	Source string     // the file being read
	Rows   int64      // rows of Source read so far
	Done   bool       // Source has been read to the end
}
