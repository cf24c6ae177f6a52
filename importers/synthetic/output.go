package synthetic

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// File names written by Generate.
const (
	BiobanksFile    = "biobanks.csv"
	StudiesFile     = "studies.csv"
	DonorsFile      = "donors.csv"
	ConsentsFile    = "consents.csv"
	DiagnosesFile   = "diagnoses.csv"
	SamplesFile     = "samples.csv"
	WithdrawalsFile = "withdrawals.csv"
	DatasetsFile    = "datasets.csv"
	FilesFile       = "files.csv"
)

// Headers maps each file name to its header row, in column order.
var Headers = map[string][]string{
	BiobanksFile:    {"code", "name", "country", "contact"},
	StudiesFile:     {"study_id", "title", "principal_investigator", "ethics_approval", "accession"},
	DonorsFile:      {"biobank", "donor_id", "sex", "birth_year", "vital_status"},
	ConsentsFile:    {"biobank", "donor_id", "consent_id", "given_on", "withdrawn_on", "duo_permission", "duo_modifiers", "disease", "document_ref"},
	DiagnosesFile:   {"biobank", "donor_id", "code", "diagnosed_on", "age_at_diagnosis"},
	SamplesFile:     {"biobank", "sample_id", "donor_id", "parent_sample_id", "material_type", "anatomical_site", "collected_on", "storage_temperature", "initial_quantity", "registered_remaining", "quantity_unit", "status"},
	WithdrawalsFile: {"biobank", "withdrawal_id", "sample_id", "study_id", "quantity", "quantity_unit", "withdrawn_on", "recipient", "data_return_required", "data_return_due"},
	DatasetsFile:    {"dataset_id", "title", "version", "data_use", "data_access_committee", "description"},
	FilesFile:       {"biobank", "file_id", "dataset_id", "study_id", "withdrawal_id", "location", "format", "assay", "assembly", "size", "md5", "sha256", "sample_ids", "sample_aliases", "software"},
}

// FileNames lists the files Generate writes, in the order they should be
// imported (referenced entities first).
var FileNames = []string{
	BiobanksFile, StudiesFile, DatasetsFile, DonorsFile, ConsentsFile,
	DiagnosesFile, SamplesFile, WithdrawalsFile, FilesFile,
}

// writeBufferSize is the buffer of each output file.
const writeBufferSize = 256 << 10

// table is one CSV output file.
type table struct {
	name string
	f    *os.File
	buf  *bufio.Writer
	csv  *csv.Writer
	rows int
}

// create opens dir/name for writing and writes its header.
func create(dir, name string) (*table, error) {
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return nil, fmt.Errorf("synthetic: %w", err)
	}
	buf := bufio.NewWriterSize(f, writeBufferSize)
	// csv.NewWriter reuses buf, as it is already a large enough *bufio.Writer.
	t := &table{name: name, f: f, buf: buf, csv: csv.NewWriter(buf)}
	if err := t.csv.Write(Headers[name]); err != nil {
		f.Close()
		return nil, fmt.Errorf("synthetic: write %s: %w", name, err)
	}
	return t, nil
}

// write appends one data row.
func (t *table) write(row ...string) error {
	if err := t.csv.Write(row); err != nil {
		return fmt.Errorf("synthetic: write %s: %w", t.name, err)
	}
	t.rows++
	return nil
}

// close flushes and closes the file.
func (t *table) close() error {
	t.csv.Flush()
	err := t.csv.Error()
	if err == nil {
		err = t.buf.Flush()
	}
	if cerr := t.f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("synthetic: write %s: %w", t.name, err)
	}
	return nil
}

// tables holds every output file of one run.
type tables struct {
	biobanks, studies, donors, consents, diagnoses *table
	samples, withdrawals, datasets, files          *table
}

// createTables creates dir if needed and opens all output files.
func createTables(dir string) (*tables, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("synthetic: %w", err)
	}
	ts := &tables{}
	for _, p := range []struct {
		t    **table
		name string
	}{
		{&ts.biobanks, BiobanksFile}, {&ts.studies, StudiesFile}, {&ts.donors, DonorsFile},
		{&ts.consents, ConsentsFile}, {&ts.diagnoses, DiagnosesFile}, {&ts.samples, SamplesFile},
		{&ts.withdrawals, WithdrawalsFile}, {&ts.datasets, DatasetsFile}, {&ts.files, FilesFile},
	} {
		t, err := create(dir, p.name)
		if err != nil {
			_ = ts.close()
			return nil, err
		}
		*p.t = t
	}
	return ts, nil
}

// all returns the open tables.
func (ts *tables) all() []*table {
	var out []*table
	for _, t := range []*table{ts.biobanks, ts.studies, ts.donors, ts.consents, ts.diagnoses,
		ts.samples, ts.withdrawals, ts.datasets, ts.files} {
		if t != nil {
			out = append(out, t)
		}
	}
	return out
}

// close flushes and closes every table and returns the errors joined.
func (ts *tables) close() error {
	var errs []error
	for _, t := range ts.all() {
		errs = append(errs, t.close())
	}
	return errors.Join(errs...)
}

// summary returns the data row count of every table.
func (ts *tables) summary() Summary {
	s := Summary{Files: make(map[string]int, 9)}
	for _, t := range ts.all() {
		s.Files[t.name] = t.rows
	}
	return s
}
