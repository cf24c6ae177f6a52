package registry

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// readAll reads every row of a file, returning copies of the rows and the
// file-level errors.
func readAll(t *testing.T, name, text string, kind domain.ImportKind, opts Options) ([]domain.ImportRow, domain.RowErrors) {
	t.Helper()
	r, err := NewReader(strings.NewReader(text), name, kind, opts)
	require.NoError(t, err)
	return drain(t, r)
}

// drain reads every row of r, returning copies of the rows and the
// file-level errors.
func drain(t testing.TB, r *Reader) ([]domain.ImportRow, domain.RowErrors) {
	t.Helper()
	var rows []domain.ImportRow
	var fileErrs domain.RowErrors
	for {
		row, err := r.Next()
		var re domain.RowErrors
		switch {
		case err == io.EOF:
			return rows, fileErrs
		case errors.As(err, &re):
			fileErrs = append(fileErrs, re...)
		case err != nil:
			t.Fatalf("unexpected error: %v", err)
		default:
			rows = append(rows, *row)
		}
	}
}

func gzipped(s string) string {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	_, _ = zw.Write([]byte(s))
	_ = zw.Close()
	return b.String()
}

func TestNormalizeHeader(t *testing.T) {
	tests := map[string]string{
		"donor_id":        "donor_id",
		" Donor ID ":      "donor_id",
		"DONOR-ID":        "donor_id",
		"donor__id":       "donor_id",
		"Birth  Year":     "birth_year",
		"data_return_due": "data_return_due",
		"":                "",
	}
	for in, want := range tests {
		assert.Equal(t, want, normalizeHeader(in), in)
	}
}

func TestReaderFormats(t *testing.T) {
	const csv = "biobank,donor_id,sex,birth_year,vital_status\nDNB,D1,female,1961,alive\ndnb,\"D2\",Male,,\n"
	tests := []struct {
		name, file, text string
		opts             Options
	}{
		{"csv", "donors.csv", csv, Options{}},
		{"crlf and bom", "donors.csv", "\xEF\xBB\xBF" + strings.ReplaceAll(csv, "\n", "\r\n"), Options{}},
		{"tsv", "donors.tsv", strings.ReplaceAll(strings.ReplaceAll(csv, ",", "\t"), `"`, ""), Options{}},
		{"tsv sniffed", "upload", strings.ReplaceAll(strings.ReplaceAll(csv, ",", "\t"), `"`, ""), Options{}},
		{"tsv forced", "donors.csv", strings.ReplaceAll(strings.ReplaceAll(csv, ",", "\t"), `"`, ""), Options{Format: FormatTSV}},
		{"gzip", "donors.csv.gz", gzipped(csv), Options{}},
		{"gzip without extension", "upload", gzipped(csv), Options{}},
		{"blank lines and rows", "donors.csv", strings.Replace(csv, "\nDNB", "\n\n,,,,\nDNB", 1), Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, errs := readAll(t, tt.file, tt.text, domain.ImportDonors, tt.opts)
			require.Empty(t, errs)
			require.Len(t, rows, 2)
			for _, r := range rows {
				assert.Empty(t, r.Errors)
				assert.Equal(t, "DNB", r.Ref.Biobank)
			}
			assert.Equal(t, "D2", rows[1].Donor.ExternalID)
			assert.Equal(t, domain.SexMale, rows[1].Donor.Sex)
			assert.Equal(t, domain.VitalUnknown, rows[1].Donor.VitalStatus)
			assert.Nil(t, rows[1].Donor.BirthYear)
			assert.Equal(t, 1961, *rows[0].Donor.BirthYear)
		})
	}
}

func TestReaderLineNumbersFollowRecords(t *testing.T) {
	text := "biobank,donor_id,sex,birth_year,vital_status\nDNB,D1,female,1961,alive\n\nDNB,\"D\n2\",male,1950,alive\nDNB,D3,femal,1950,alive\n"
	rows, errs := readAll(t, "donors.csv", text, domain.ImportDonors, Options{})
	require.Empty(t, errs)
	require.Len(t, rows, 3)
	assert.Equal(t, []int{2, 4, 6}, []int{rows[0].Line, rows[1].Line, rows[2].Line})
	require.NotEmpty(t, rows[1].Errors, "a line break is not allowed in an id")
	assert.Equal(t, "donor_id", rows[1].Errors[0].Column)
	require.Len(t, rows[2].Errors, 1)
	assert.Equal(t, `donors.csv:6: column sex: "femal" must be one of female, male, other, unknown`, rows[2].Errors[0].String())
}

func TestReaderFileProblems(t *testing.T) {
	const header = "biobank,donor_id,sex,birth_year,vital_status\n"
	var many strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&many, "DNB,D%d,female,%d,alive\n", i*7919%100003, 1900+i%100)
	}
	truncated := gzipped(header + many.String())
	truncated = truncated[:len(truncated)/2]
	tests := []struct {
		name     string
		file     string
		text     string
		rows     int    // data rows still read
		line     int    // of the file error
		column   string // of the file error
		contains string
	}{
		{"unknown column, rows still read", "donors.csv", "biobank,donor_id,sex,birth_year,vital_status,Name\nDNB,D1,female,1961,alive,Jane\n",
			1, 1, "Name", "unknown column; the columns of donors files are biobank, donor_id, sex, birth_year, vital_status"},
		{"column twice", "donors.csv", "biobank,donor_id,sex,birth_year,vital_status,sex\nDNB,D1,female,1961,alive,male\n",
			1, 1, "sex", "column appears twice (positions 3 and 6)"},
		{"missing column", "donors.csv", "biobank,donor_id,sex,birth_year\nDNB,D1,female,1961\n", 0, 1, "vital_status", "missing column(s)"},
		{"empty", "donors.csv", "", 0, 0, "", "the file is empty"},
		{"utf-16", "donors.csv", "\xFF\xFEb\x00", 0, 0, "", "UTF-16"},
		{"truncated gzip", "donors.csv.gz", truncated, -1, 0, "", "the data ends too early"},
		{"corrupt gzip header", "donors.csv.gz", "\x1f\x8b\x00garbage", 0, 0, "", "gzip"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, errs := readAll(t, tt.file, tt.text, domain.ImportDonors, Options{})
			require.Len(t, errs, 1, "%v", errs)
			e := errs[0]
			assert.Equal(t, tt.file, e.File)
			if tt.line >= 0 && tt.rows >= 0 {
				assert.Equal(t, tt.line, e.Line)
			}
			assert.Equal(t, tt.column, e.Column)
			assert.Contains(t, e.Message, tt.contains)
			if tt.rows >= 0 {
				assert.Len(t, rows, tt.rows)
			} else {
				assert.Greater(t, e.Line, 1, "a truncated file names the line after the last one read")
				for _, r := range rows {
					assert.Empty(t, r.Errors, "no partial row is returned")
				}
			}
		})
	}

	rows, errs := readAll(t, "donors.csv", "biobank,donor_id,sex,birth_year,vital_status,Name\nDNB,D1,female,1961,alive,Jane\n",
		domain.ImportDonors, Options{IgnoreUnknownColumns: true})
	assert.Empty(t, errs)
	assert.Len(t, rows, 1)
}

func TestReaderRowProblems(t *testing.T) {
	const header = "biobank,donor_id,sex,birth_year,vital_status\n"
	tests := []struct {
		name, line string
		want       domain.RowError
	}{
		{"invalid utf-8", "DNB,D\xff1,female,1961,alive", domain.RowError{Line: 2, Column: "donor_id", Value: "D\uFFFD1", Message: "is not valid UTF-8: save the file as UTF-8"}},
		{"too few fields", "DNB,D1,female", domain.RowError{Line: 2, Message: "the row has 3 fields but the header has 5"}},
		{"bare quote", `DNB,D"1,female,1961,alive`, domain.RowError{Line: 2, Message: `malformed CSV at line 2, character 6: bare " in non-quoted-field`}},
		{"not a number", "DNB,D1,female,nineteen,alive", domain.RowError{Line: 2, Column: "birth_year", Value: "nineteen", Message: "must be a whole number"}},
		{"missing biobank", ",D1,female,1961,alive", domain.RowError{Line: 2, Column: "biobank", Message: "is required"}},
		{"bad id", "DNB,D 1,female,1961,alive", domain.RowError{Line: 2, Column: "donor_id", Value: "D 1", Message: "must be 1-128 letters, digits or . _ : / - starting with a letter or digit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, errs := readAll(t, "donors.csv", header+tt.line+"\n", domain.ImportDonors, Options{})
			require.Empty(t, errs)
			require.Len(t, rows, 1)
			require.NotEmpty(t, rows[0].Errors)
			tt.want.File = "donors.csv"
			assert.Equal(t, tt.want, rows[0].Errors[0])
		})
	}
	// Extra empty fields (a spreadsheet's trailing commas) are fine.
	rows, _ := readAll(t, "donors.csv", header+"DNB,D1,female,1961,alive,,\n", domain.ImportDonors, Options{})
	require.Len(t, rows, 1)
	assert.Empty(t, rows[0].Errors)
}

func TestRowsAreNormalised(t *testing.T) {
	rows, errs := readAll(t, "samples.csv", "biobank,sample_id,donor_id,parent_sample_id,material_type,anatomical_site,collected_on,storage_temperature,initial_quantity,remaining_quantity,quantity_unit,status\n"+
		"dnb, S1 ,D1,,Whole Blood,blood,2020-01-15,-80 °C,10,,ml,\n", domain.ImportSamples, Options{})
	require.Empty(t, errs)
	require.Len(t, rows, 1)
	r := rows[0]
	require.Empty(t, r.Errors)
	s := r.Sample
	assert.Equal(t, "DNB", r.Ref.Biobank)
	assert.Equal(t, "S1", s.ExternalID)
	assert.Equal(t, "MIABIS:WHOLE_BLOOD", s.MaterialType)
	assert.Equal(t, "UBERON:0000178", s.AnatomicalSite)
	assert.Equal(t, "TEMP:MINUS60TO85", s.StorageTemperature)
	assert.Equal(t, "mL", s.QuantityUnit)
	assert.Equal(t, domain.SampleAvailable, s.Status)
	assert.Equal(t, "10", s.RegisteredRemaining.String(), "an empty remaining quantity is the initial quantity")

	rows, _ = readAll(t, "files.csv", "biobank,file_id,dataset_id,study_id,withdrawal_id,uri,format,assay,assembly,size,md5,sha256,sample_ids,file_sample_names\n"+
		"DNB,F1,D1; D2,,,/x.vcf,vcf,,unknown,12,,,S1;S2,a\n", domain.ImportFiles, Options{})
	require.Len(t, rows, 1)
	assert.Equal(t, []string{"D1", "D2"}, rows[0].Ref.Datasets)
	assert.Equal(t, "FORMAT:VCF", rows[0].File.Format)
	assert.Equal(t, "ASSAY:OTHER", rows[0].File.Assay)
	assert.Empty(t, rows[0].File.Assembly)
	require.Len(t, rows[0].Errors, 1)
	assert.Equal(t, "file_sample_names", rows[0].Errors[0].Column)
	assert.Contains(t, rows[0].Errors[0].Message, "has 1 names for 2 sample_ids")
}

func TestTemplatesParse(t *testing.T) {
	for _, kind := range domain.ImportKinds {
		var b bytes.Buffer
		require.NoError(t, WriteTemplate(&b, kind, FormatCSV))
		rows, errs := readAll(t, string(kind)+".csv", b.String(), kind, Options{})
		require.Empty(t, errs, kind)
		require.Len(t, rows, 1, kind)
		assert.Empty(t, rows[0].Errors, kind)
		assert.Empty(t, rows[0].Warnings, kind)

		b.Reset()
		require.NoError(t, WriteTemplate(&b, kind, FormatTSV))
		rows, errs = readAll(t, string(kind)+".tsv", b.String(), kind, Options{})
		require.Empty(t, errs, kind)
		require.Len(t, rows, 1, kind)
		assert.Empty(t, rows[0].Errors, kind)
	}
}

// TestDocsShowEveryTemplate keeps docs/import.md in step with the code:
// it must show every column and the template of every kind.
func TestDocsShowEveryTemplate(t *testing.T) {
	doc, err := os.ReadFile("../../docs/import.md")
	require.NoError(t, err)
	for _, kind := range domain.ImportKinds {
		var b bytes.Buffer
		require.NoError(t, WriteTemplate(&b, kind, FormatCSV))
		assert.Contains(t, string(doc), "```csv\n"+b.String()+"```", kind)
		for _, c := range ColumnHelp(kind) {
			assert.Contains(t, string(doc), "| `"+c[0]+"` | "+c[1]+" |", kind)
		}
	}
}

func TestKindOf(t *testing.T) {
	tests := map[string]domain.ImportKind{
		"donors.csv": domain.ImportDonors, "Samples.TSV": domain.ImportSamples, "files.csv.gz": domain.ImportFiles,
		"dir/withdrawals.tsv.gz": domain.ImportWithdrawals, "donors.xlsx": "", "donor.csv": "", "donors": "",
	}
	for name, want := range tests {
		got, ok := KindOf(name)
		assert.Equal(t, want != "", ok, name)
		assert.Equal(t, want, got, name)
	}
}

func TestOpenBundle(t *testing.T) {
	files, err := OpenBundle("../../testdata/import", Options{})
	require.NoError(t, err)
	defer CloseAll(files)
	var kinds []domain.ImportKind
	for _, f := range files {
		kinds = append(kinds, f.Kind())
	}
	assert.Equal(t, domain.ImportKinds, kinds, "every kind, in dependency order")

	dir := t.TempDir()
	require.NoError(t, os.WriteFile(dir+"/sampels.csv", []byte("x"), 0o600))
	require.NoError(t, os.WriteFile(dir+"/README.md", []byte("x"), 0o600))
	_, err = OpenBundle(dir, Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "sampels.csv")
	assert.NotContains(t, err.Error(), "README")
}

func TestWriteReport(t *testing.T) {
	rep := &domain.ImportReport{
		Errors:     []domain.RowError{{File: "donors.csv", Line: 3, Column: "sex", Value: "femal", Message: "must be one of female, male, other, unknown"}},
		ErrorCount: 1,
		Warnings:   []domain.RowError{{File: "consents.csv", Line: 2, Column: "duo_permission", Value: "DUO:0000005", Message: "DUO:0000005 is obsolete"}},
	}
	var b bytes.Buffer
	require.NoError(t, WriteReport(&b, rep, "csv"))
	assert.Equal(t, "severity,file,line,column,value,message\nerror,donors.csv,3,sex,femal,\"must be one of female, male, other, unknown\"\n"+
		"warning,consents.csv,2,duo_permission,DUO:0000005,DUO:0000005 is obsolete\n", b.String())
	b.Reset()
	require.NoError(t, WriteReport(&b, rep, ReportFormat("out.JSON")))
	assert.Contains(t, b.String(), `"column": "sex"`)
	assert.Equal(t, "csv", ReportFormat("report.csv"))

	b.Reset()
	PrintProblems(&b, rep)
	assert.Equal(t, "donors.csv:3: column sex: \"femal\" must be one of female, male, other, unknown\n"+
		"warning: consents.csv:2: column duo_permission: \"DUO:0000005\" DUO:0000005 is obsolete\n", b.String())
}
