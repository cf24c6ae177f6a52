package domain

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// ImportKind names one kind of registry file: what its rows describe.
type ImportKind string

// The kinds of registry files Databank imports.
const (
	ImportBiobanks    ImportKind = "biobanks"
	ImportStudies     ImportKind = "studies"
	ImportDatasets    ImportKind = "datasets"
	ImportDonors      ImportKind = "donors"
	ImportConsents    ImportKind = "consents"
	ImportDiagnoses   ImportKind = "diagnoses"
	ImportSamples     ImportKind = "samples"
	ImportWithdrawals ImportKind = "withdrawals"
	ImportFiles       ImportKind = "files"
)

// ImportKinds lists every kind in dependency order: a kind only refers to
// kinds before it.
var ImportKinds = []ImportKind{
	ImportBiobanks, ImportStudies, ImportDatasets, ImportDonors, ImportConsents,
	ImportDiagnoses, ImportSamples, ImportWithdrawals, ImportFiles,
}

// ParseImportKind returns the kind named s (any letter case).
func ParseImportKind(s string) (ImportKind, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, k := range ImportKinds {
		if string(k) == s {
			return k, true
		}
	}
	return "", false
}

// RowError is one problem of an import file, located as precisely as
// known: the file, the line (0 when the whole file is concerned), the
// column and the offending value.
type RowError struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Column  string `json:"column,omitempty"`
	Value   string `json:"value,omitempty"`
	Message string `json:"message"`
}

// String formats e for people, e.g.
// `donors.csv:12: column sex: "femal" must be one of female, male, other, unknown`.
// The value is left out when the message already quotes it.
func (e RowError) String() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":")
		b.WriteString(strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	if e.Column != "" {
		b.WriteString("column ")
		b.WriteString(e.Column)
		b.WriteString(": ")
	}
	if q := strconv.Quote(e.Value); e.Value != "" && !strings.Contains(e.Message, q) {
		b.WriteString(q)
		b.WriteString(" ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// RowErrors are problems of an import file outside its data rows: in the
// header, the encoding, or compressed data that ends too early.
type RowErrors []RowError

func (e RowErrors) Error() string {
	parts := make([]string, len(e))
	for i, re := range e {
		parts[i] = re.String()
	}
	return strings.Join(parts, "; ")
}

// ImportRefs are the external ids by which an import row refers to other
// records. They are resolved against the database and the rows of the
// same import.
type ImportRefs struct {
	Biobank    string   // biobank code: every kind kept per biobank, and files
	Donor      string   // donor id: consents, diagnoses, samples
	Parent     string   // parent sample id: samples
	Sample     string   // sample id: withdrawals
	Study      string   // study id: withdrawals, files
	Withdrawal string   // withdrawal id: files
	Datasets   []string // dataset ids: files
}

// ImportRow is one parsed and validated data row of a registry file. The
// entity field matching the source's kind holds the row's values, already
// normalised (canonical CURIEs, units, upper-case codes); ids of other
// records are external ids in Ref (a data file's samples are external
// sample ids in File.Samples). A row with Errors is never written.
type ImportRow struct {
	Line     int
	Errors   []RowError
	Warnings []RowError
	Ref      ImportRefs

	Biobank    Biobank
	Donor      Donor
	Consent    Consent
	Diagnosis  Diagnosis
	Sample     Sample
	Study      Study
	Withdrawal Withdrawal
	Dataset    Dataset
	File       DataFile
}

// ImportSource streams the rows of one registry file.
type ImportSource interface {
	// Kind is what the rows describe.
	Kind() ImportKind
	// Name names the file in messages, e.g. "donors.csv".
	Name() string
	// Next returns the next data row, or io.EOF after the last one. The
	// row belongs to the source and is valid until the next call.
	// RowErrors report problems outside data rows (an unknown column, a
	// truncated file); the caller records them and calls Next again, which
	// goes on when it can and returns io.EOF when the rest of the file
	// cannot be read. Any other error aborts the import.
	Next() (*ImportRow, error)
}

// ImportCounts says what an import did, or would do, with the rows of one
// kind. Every row is counted once: created, updated, unchanged or
// rejected; rejected rows are those with at least one error.
type ImportCounts struct {
	Kind      ImportKind `json:"kind"`
	Rows      int        `json:"rows"`
	Created   int        `json:"created"`
	Updated   int        `json:"updated"`
	Unchanged int        `json:"unchanged"`
	Rejected  int        `json:"rejected"`
}

// ImportReport is the outcome of an import. When Errors is not empty
// nothing was written.
type ImportReport struct {
	DryRun    bool           `json:"dryRun"`
	Committed bool           `json:"committed"` // the changes were written
	Counts    []ImportCounts `json:"counts"`    // per kind, in dependency order
	// Errors holds the first errors found, in file order (as the sources
	// were given) and line order; ErrorCount counts all of them.
	Errors       []RowError    `json:"errors"`
	ErrorCount   int           `json:"errorCount"`
	Warnings     []RowError    `json:"warnings"`
	WarningCount int           `json:"warningCount"`
	Elapsed      time.Duration `json:"elapsedNs"`
}

// Rows returns the number of data rows read, over all kinds.
func (r *ImportReport) Rows() int {
	n := 0
	for _, c := range r.Counts {
		n += c.Rows
	}
	return n
}

// Count returns the counts of kind, or zero counts when the import had no
// rows of it.
func (r *ImportReport) Count(kind ImportKind) ImportCounts {
	for _, c := range r.Counts {
		if c.Kind == kind {
			return c
		}
	}
	return ImportCounts{Kind: kind}
}

// Err returns an EINVALID error summarising the report's errors, or nil.
func (r *ImportReport) Err() error {
	if r.ErrorCount == 0 {
		return nil
	}
	e := &Error{Code: EINVALID, Message: fmt.Sprintf("import rejected: %d error(s), nothing was written", r.ErrorCount)}
	for i, re := range r.Errors {
		if i == 20 {
			break
		}
		field := re.File
		if re.Line > 0 {
			field += ":" + strconv.Itoa(re.Line)
		}
		if re.Column != "" {
			field += "." + re.Column
		}
		e.Fields = append(e.Fields, FieldError{Field: field, Value: re.Value, Message: re.Message})
	}
	return e
}
