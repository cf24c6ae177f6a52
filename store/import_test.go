package store_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/importers/registry"
	"databank/store"
)

func TestImportGoodBundleCreatesEveryKind(t *testing.T) {
	t.Parallel()
	db := newImportDB(t)
	rep, err := db.importBundle(t, goodBundle, false)
	require.NoError(t, err, "%v", rep.Errors)
	assert.True(t, rep.Committed)
	assert.Zero(t, rep.ErrorCount)
	want := map[domain.ImportKind]int{
		domain.ImportBiobanks: 2, domain.ImportStudies: 2, domain.ImportDatasets: 2, domain.ImportDonors: 4, domain.ImportConsents: 4,
		domain.ImportDiagnoses: 3, domain.ImportSamples: 5, domain.ImportWithdrawals: 3, domain.ImportFiles: 2,
	}
	got := counts(rep)
	require.Len(t, got, len(want))
	for kind, n := range want {
		assert.Equal(t, domain.ImportCounts{Kind: kind, Rows: n, Created: n}, got[kind], kind)
	}
	rows := db.rows(t)
	assert.Equal(t, 27, db.count(t, "SELECT count(*) FROM change_log WHERE action = 'create'"), "every record created is in the change log")
	assert.Equal(t, 3, rows["data_file_sample"])
	assert.Equal(t, 3, rows["dataset_file"])

	// DNB-000002 comes before its parent in samples.csv (a forward
	// reference); its registry remainder 40 ug less the withdrawals
	// W0001 (15) and W0003 (5.25) leaves 19.75 ug.
	dna, err := db.st.SampleByExternalID(db.ctx, "DNB", "DNB-000002")
	require.NoError(t, err)
	blood, err := db.st.SampleByExternalID(db.ctx, "DNB", "DNB-000001")
	require.NoError(t, err)
	assert.Equal(t, blood.ID, dna.ParentID)
	assert.Equal(t, "MIABIS:DNA", dna.MaterialType)
	assert.Equal(t, "TEMP:MINUS18TO35", dna.StorageTemperature, "-20 °C is a synonym")
	assert.Equal(t, "40", dna.RegisteredRemaining.String())
	assert.Equal(t, "19.75", dna.RemainingQuantity.String())
	assert.Equal(t, "7", blood.RemainingQuantity.String())
	frozen, err := db.st.SampleByExternalID(db.ctx, "DNB", "DNB-000004")
	require.NoError(t, err)
	assert.Equal(t, "3", frozen.RemainingQuantity.String(), "an empty remaining_quantity is the initial quantity")

	d3, err := db.st.DonorByExternalID(db.ctx, "DNB", "D0003")
	require.NoError(t, err)
	assert.Equal(t, domain.SexUnknown, d3.Sex)
	d2, err := db.st.DonorByExternalID(db.ctx, "DNB", "D0002")
	require.NoError(t, err)
	assert.Equal(t, domain.SexMale, d2.Sex)

	// The donor's earlier consent is superseded by the later one.
	d1, err := db.st.DonorByExternalID(db.ctx, "DNB", "D0001")
	require.NoError(t, err)
	consents, err := db.st.ConsentsByDonorIDs(db.ctx, []string{d1.ID})
	require.NoError(t, err)
	require.Len(t, consents[d1.ID], 2)
	first, second := consents[d1.ID][0], consents[d1.ID][1]
	assert.Equal(t, "C0001", first.ExternalID)
	assert.Equal(t, second.ID, first.SupersededBy)
	assert.Empty(t, second.SupersededBy)
	assert.Equal(t, "DUO:0000007", second.Permission)
	assert.Equal(t, []string{"DUO:0000019", "DUO:0000021"}, second.Modifiers)

	diag, err := db.st.DiagnosesByDonorIDs(db.ctx, []string{d1.ID})
	require.NoError(t, err)
	require.Len(t, diag[d1.ID], 1)
	assert.Equal(t, "ICD10:E11.9", diag[d1.ID][0].Code)

	vcf, err := db.st.DataFileByExternalID(db.ctx, "EGAF00001000002")
	require.NoError(t, err)
	assert.Equal(t, "ASSEMBLY:GRCh38", vcf.Assembly, "hg38 is a synonym")
	links, err := db.st.FileSamplesByFileIDs(db.ctx, []string{vcf.ID})
	require.NoError(t, err)
	assert.Equal(t, []domain.FileSample{{SampleID: dna.ID, Alias: "NA0002"}, {SampleID: mustSample(t, db, "DNB-000003").ID, Alias: "NA0003"}},
		links[vcf.ID])
	cram, err := db.st.DataFileByExternalID(db.ctx, "EGAF00001000001")
	require.NoError(t, err)
	w1, err := db.st.WithdrawalByExternalID(db.ctx, "DNB", "W0001")
	require.NoError(t, err)
	assert.Equal(t, w1.ID, cram.WithdrawalID)
}

func mustSample(t *testing.T, db importDB, id string) domain.Sample {
	t.Helper()
	s, err := db.st.SampleByExternalID(db.ctx, "DNB", id)
	require.NoError(t, err)
	return s
}

func TestImportUnchangedFileWritesNothing(t *testing.T) {
	t.Parallel()
	db := newImportDB(t)
	_, err := db.importBundle(t, goodBundle, false)
	require.NoError(t, err)
	before := db.rows(t)
	var updatedAt time.Time
	require.NoError(t, db.conn.QueryRow(db.ctx, "SELECT max(updated_at) FROM sample").Scan(&updatedAt))

	rep, err := db.importBundle(t, goodBundle, false)
	require.NoError(t, err)
	for _, c := range rep.Counts {
		assert.Equal(t, domain.ImportCounts{Kind: c.Kind, Rows: c.Rows, Unchanged: c.Rows}, c, c.Kind)
	}
	assert.Equal(t, before, db.rows(t), "no row added, the change log included")
	var after time.Time
	require.NoError(t, db.conn.QueryRow(db.ctx, "SELECT max(updated_at) FROM sample").Scan(&after))
	assert.Equal(t, updatedAt, after, "no row touched")
	assert.Equal(t, "19.75", mustSample(t, db, "DNB-000002").RemainingQuantity.String(), "withdrawals count once")
}

func TestImportChangedRowsUpdateWithHistory(t *testing.T) {
	t.Parallel()
	db := newImportDB(t)
	_, err := db.importBundle(t, goodBundle, false)
	require.NoError(t, err)

	dir := copyBundle(t, map[string]string{
		"donors.csv": "biobank,donor_id,sex,birth_year,vital_status\nDNB,D0002,male,1948,alive\n",
		"samples.csv": "biobank,sample_id,donor_id,parent_sample_id,material_type,anatomical_site,collected_on,storage_temperature,initial_quantity,remaining_quantity,quantity_unit,status\n" +
			"DNB,DNB-000002,D0001,DNB-000001,DNA,,2020-01-20,-20 °C,50,30,ug,available\n",
		"consents.csv":    "biobank,donor_id,consent_id,given_on,withdrawn_on,duo_permission,duo_modifiers,disease,document_ref\nDNB,D0001,C0002,2019-04-11,2024-02-29,DS,DUO:0000021;PUB,E11,doc://consent-forms/v3/C0002.pdf\n",
		"withdrawals.csv": "biobank,withdrawal_id,sample_id,study_id,quantity,quantity_unit,withdrawn_on,recipient,data_return_required,data_return_due\nDNB,W0003,DNB-000002,ST0001,10,ug,2022-01-10,Saga Genotyping Facility,yes,2023-01-10\n",
		"files.csv": "biobank,file_id,dataset_id,study_id,withdrawal_id,uri,format,assay,assembly,size,md5,sha256,sample_ids,file_sample_names\n" +
			// The same content under a new location: updated, not duplicated.
			"DNB,EGAF00001000001,EGAD00001000001,ST0001,W0001,ega://EGAF00001000001,CRAM,WES,GRCh38,6378409845,95be9418903c693831a21e96e1b80ccb,1579f2683580d8711a0f7ad42cef412d67a2adb06d7314c6078ef523e2f0a4ed,DNB-000002,S1\n",
	})
	before := db.rows(t)
	since := db.count(t, "SELECT max(id) FROM change_log")
	rep, err := db.importBundle(t, dir, false)
	require.NoError(t, err, "%v", rep.Errors)
	got := counts(rep)
	assert.Equal(t, domain.ImportCounts{Kind: domain.ImportDonors, Rows: 1, Updated: 1}, got[domain.ImportDonors])
	assert.Equal(t, domain.ImportCounts{Kind: domain.ImportSamples, Rows: 1, Updated: 1}, got[domain.ImportSamples])
	assert.Equal(t, domain.ImportCounts{Kind: domain.ImportConsents, Rows: 1, Updated: 1}, got[domain.ImportConsents])
	assert.Equal(t, domain.ImportCounts{Kind: domain.ImportWithdrawals, Rows: 1, Updated: 1}, got[domain.ImportWithdrawals])
	assert.Equal(t, domain.ImportCounts{Kind: domain.ImportFiles, Rows: 1, Updated: 1}, got[domain.ImportFiles])
	assert.Equal(t, domain.ImportCounts{Kind: domain.ImportStudies, Rows: 2, Unchanged: 2}, got[domain.ImportStudies])

	after := db.rows(t)
	for table, n := range before {
		if table != "change_log" {
			assert.Equal(t, n, after[table], "%s: records missing from a later file are kept, none duplicated", table)
		}
	}
	// 40 ug → 30 ug registered, withdrawals 15 + 10 (was 5.25).
	dna := mustSample(t, db, "DNB-000002")
	assert.Equal(t, "5", dna.RemainingQuantity.String())

	type change struct{ entity, actor, old, new string }
	var changes []change
	rows, err := db.conn.Query(db.ctx, "SELECT entity, actor, old_values::text, new_values::text FROM change_log WHERE id > $1 ORDER BY id", since)
	require.NoError(t, err)
	for rows.Next() {
		var c change
		require.NoError(t, rows.Scan(&c.entity, &c.actor, &c.old, &c.new))
		changes = append(changes, c)
	}
	require.NoError(t, rows.Err())
	assert.Contains(t, changes, change{"donor", "importer", `{"vital_status": "deceased"}`, `{"vital_status": "alive"}`})
	assert.Contains(t, changes, change{"consent", "importer", `{"withdrawn_on": null}`, `{"withdrawn_on": "2024-02-29"}`})
	assert.Contains(t, changes, change{"data_file", "importer", `{"location": "s3://dnb-returns/ST0001/DNB-000002.cram"}`, `{"location": "ega://EGAF00001000001"}`})
	assert.Contains(t, changes, change{"withdrawal", "importer", `{"quantity": 5.250}`, `{"quantity": 10.000}`})
	assert.Contains(t, changes, change{"sample", "importer", `{"withdrawn": 20.250, "remaining_quantity": 19.750, "registered_remaining": 40.000}`,
		`{"withdrawn": 25.000, "remaining_quantity": 5.000, "registered_remaining": 30.000}`})
	assert.Len(t, changes, 5, "%v", changes)
}

func TestImportFileSameContentNewIDUpdatesRecord(t *testing.T) {
	t.Parallel()
	db := newImportDB(t)
	_, err := db.importBundle(t, goodBundle, false)
	require.NoError(t, err)
	old, err := db.st.DataFileByExternalID(db.ctx, "EGAF00001000001")
	require.NoError(t, err)
	dir := writeFiles(t, map[string]string{"files.csv": "biobank,file_id,dataset_id,study_id,withdrawal_id,uri,format,assay,assembly,size,md5,sha256,sample_ids,file_sample_names\n" +
		"DNB,F-RENAMED,,ST0001,W0001,/archive/DNB-000002.cram,CRAM,WES,GRCh38,6378409845,95be9418903c693831a21e96e1b80ccb,1579f2683580d8711a0f7ad42cef412d67a2adb06d7314c6078ef523e2f0a4ed,DNB-000002,S1\n"})
	rep, err := db.importBundle(t, dir, false)
	require.NoError(t, err, "%v", rep.Errors)
	assert.Equal(t, 1, rep.Count(domain.ImportFiles).Updated)
	renamed, err := db.st.DataFileByExternalID(db.ctx, "F-RENAMED")
	require.NoError(t, err)
	assert.Equal(t, old.ID, renamed.ID)
	assert.Equal(t, "/archive/DNB-000002.cram", renamed.Location)
	assert.Equal(t, 2, db.count(t, "SELECT count(*) FROM data_file"))
}

func TestImportConsentTermsNeverChange(t *testing.T) {
	t.Parallel()
	db := newImportDB(t)
	_, err := db.importBundle(t, goodBundle, false)
	require.NoError(t, err)
	before := db.rows(t)
	dir := writeFiles(t, map[string]string{"consents.csv": "biobank,donor_id,consent_id,given_on,withdrawn_on,duo_permission,duo_modifiers,disease,document_ref\n" +
		"DNB,D0001,C0002,2019-04-11,,HMB,DUO:0000019;DUO:0000021,,doc://consent-forms/v3/C0002.pdf\n"})
	rep, err := db.importBundle(t, dir, false)
	require.Error(t, err)
	assert.Equal(t, domain.EINVALID, domain.ErrorCode(err))
	require.NotEmpty(t, rep.Errors)
	assert.Equal(t, `consents.csv:2: column duo_permission: "DUO:0000006" consent C0002 has the permission DUO:0000007; a consent's terms never change: record a new consent, with a new consent id, instead`,
		rep.Errors[0].String())
	assert.Equal(t, before, db.rows(t))
}

// rowError is an expected error: file, line and column exactly, message
// by substring.
type rowError struct {
	file   string
	line   int
	column string
	msg    string
}

func TestImportRejectsEveryClassOfErrorAndWritesNothing(t *testing.T) {
	t.Parallel()
	const samplesHeader = "biobank,sample_id,donor_id,parent_sample_id,material_type,anatomical_site,collected_on,storage_temperature,initial_quantity,remaining_quantity,quantity_unit,status\n"
	const withdrawalsHeader = "biobank,withdrawal_id,sample_id,study_id,quantity,quantity_unit,withdrawn_on,recipient,data_return_required,data_return_due\n"
	truncated := func() string {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		_, _ = zw.Write([]byte("biobank,donor_id,sex,birth_year,vital_status\n" + strings.Repeat("DNB,D0009,female,1970,alive\n", 200)))
		_ = zw.Close()
		return string(b.Bytes()[:b.Len()/2])
	}()
	tests := []struct {
		name  string
		files map[string]string // replaced files of the good bundle ("": removed)
		raw   map[string]string // files written as is
		want  []rowError
	}{
		{
			name:  "enum",
			files: map[string]string{"donors.csv": "biobank,donor_id,sex,birth_year,vital_status\nDNB,D0001,femal,1961,alive\nDNB,D0002,male,1948,deceased\nDNB,D0003,,,\nSVB,D0001,,,\n"},
			want:  []rowError{{"donors.csv", 2, "sex", `"femal" must be one of female, male, other, unknown`}},
		},
		{
			name: "bad date",
			files: map[string]string{"consents.csv": "biobank,donor_id,consent_id,given_on,withdrawn_on,duo_permission,duo_modifiers,disease,document_ref\n" +
				"DNB,D0001,C0001,2015-02-30,,GRU,,,\nDNB,D0001,C0002,11/04/2019,,GRU,,,\n"},
			want: []rowError{
				{"consents.csv", 2, "given_on", `"2015-02-30" does not exist: February 2015 has 28 days`},
				{"consents.csv", 3, "given_on", `"11/04/2019" is not a date`},
			},
		},
		{
			name: "unknown code with suggestion",
			files: map[string]string{"samples.csv": samplesHeader +
				"DNB,DNB-000001,D0001,,plasm,,2020-01-15,,10,8.5,mL,available\n", "withdrawals.csv": "", "files.csv": ""},
			want: []rowError{{"samples.csv", 2, "material_type", "did you mean MIABIS:PLASMA"}},
		},
		{
			name: "missing references",
			files: map[string]string{
				"samples.csv": samplesHeader + "DNB,DNB-000001,D9999,,whole blood,,2020-01-15,,10,8.5,mL,available\n" +
					"XXX,DNB-000002,D0001,,DNA,,2020-01-15,,10,8.5,ug,available\n" +
					"DNB,DNB-000003,D0001,DNB-404,DNA,,2020-01-15,,10,8.5,ug,available\n",
				"withdrawals.csv": withdrawalsHeader + "DNB,W0001,DNB-000001,ST9999,1,mL,2021-06-01,,no,\nDNB,W0002,DNB-404,ST0001,1,mL,2021-06-01,,no,\n",
				"files.csv": "biobank,file_id,dataset_id,study_id,withdrawal_id,uri,format,assay,assembly,size,md5,sha256,sample_ids,file_sample_names\n" +
					"DNB,F1,EGAD404,ST0001,W404,/data/f1.vcf,VCF,WGS,GRCh38,,,,DNB-000003;DNB-405,\n",
			},
			want: []rowError{
				{"samples.csv", 2, "donor_id", "unknown donor of biobank DNB"},
				{"samples.csv", 3, "biobank", "unknown biobank"},
				{"samples.csv", 4, "parent_sample_id", "unknown parent sample"},
				{"withdrawals.csv", 2, "study_id", "unknown study"},
				{"withdrawals.csv", 3, "sample_id", "unknown sample of biobank DNB"},
				{"files.csv", 2, "dataset_id", `"EGAD404" an EGA dataset accession is EGAD followed by 11 digits`},
				{"files.csv", 2, "withdrawal_id", "unknown withdrawal"},
				{"files.csv", 2, "sample_ids", "unknown sample"},
			},
		},
		{
			name: "duplicate ids",
			files: map[string]string{
				"donors.csv":  "biobank,donor_id,sex,birth_year,vital_status\nDNB,D0001,female,1961,alive\nDNB,D0002,male,1948,deceased\nDNB,D0003,,,\nSVB,D0001,,,\nDNB,D0001,female,1961,alive\n",
				"studies.csv": "study_id,title,principal_investigator,ethics_approval,accession\nST0001,A,,,EGAS00001000001\nST0002,B,,,EGAS00001000001\n",
			},
			want: []rowError{
				{"donors.csv", 6, "donor_id", "duplicate: the same donor is already on line 2"},
				{"studies.csv", 3, "accession", "duplicate: the same EGA study accession is already on line 2"},
			},
		},
		{
			name: "lineage cycle and parent of another donor",
			files: map[string]string{"samples.csv": samplesHeader +
				"DNB,A,D0001,C,DNA,,,,,,,\nDNB,B,D0001,A,DNA,,,,,,,\nDNB,C,D0001,B,DNA,,,,,,,\nDNB,D,D0002,A,DNA,,,,,,,\nDNB,E,D0001,E,DNA,,,,,,,\n",
				"withdrawals.csv": "", "files.csv": ""},
			want: []rowError{
				{"samples.csv", 2, "parent_sample_id", "lineage cycle: with parent C, sample A would become its own ancestor"},
				{"samples.csv", 3, "parent_sample_id", "lineage cycle"},
				{"samples.csv", 4, "parent_sample_id", "lineage cycle"},
				{"samples.csv", 5, "parent_sample_id", "parent sample A belongs to another donor than D0002"},
				{"samples.csv", 6, "parent_sample_id", "a sample cannot be its own parent"},
			},
		},
		{
			name: "quantities",
			files: map[string]string{
				"samples.csv": samplesHeader + "DNB,S1,D0001,,whole blood,,,,10,12,mL,available\nDNB,S2,D0001,,whole blood,,,,10,4,mL,available\nDNB,S3,D0001,,whole blood,,,,-1,,mL,available\n",
				"withdrawals.csv": withdrawalsHeader + "DNB,W1,S2,ST0001,3,mL,2021-06-01,,no,\nDNB,W2,S2,ST0001,1.5,mL,2021-06-02,,no,\n" +
					"DNB,W3,S2,ST0001,1,ug,2021-06-02,,no,\nDNB,W4,S2,ST0001,0,mL,2021-06-02,,no,\n",
				"files.csv": "",
			},
			want: []rowError{
				{"samples.csv", 2, "remaining_quantity", "must not exceed the initial quantity 10"},
				{"samples.csv", 4, "initial_quantity", "must be a non-negative decimal"},
				{"withdrawals.csv", 2, "quantity", "the withdrawals from sample S2 add up to 4.5 mL, more than its remaining quantity of 4 mL"},
				{"withdrawals.csv", 3, "quantity", "add up to 4.5 mL"},
				{"withdrawals.csv", 4, "quantity_unit", "must be the unit of sample S2, mL"},
				{"withdrawals.csv", 5, "quantity", "must be greater than zero"},
			},
		},
		{
			name: "invalid UTF-8",
			raw:  map[string]string{"donors.csv": "biobank,donor_id,sex,birth_year,vital_status\nDNB,D0001,female,1961,alive\nDNB,D\xe90002,male,1948,alive\n"},
			want: []rowError{{"donors.csv", 3, "donor_id", "is not valid UTF-8"}},
		},
		{
			name: "unknown and missing columns",
			raw: map[string]string{
				"donors.csv":    "biobank,donor_id,sex,birth_year,vital_status,name\nDNB,D0001,female,1961,alive,Jane\n",
				"diagnoses.csv": "biobank,donor_id,code\nDNB,D0001,E11\n",
			},
			want: []rowError{
				{"donors.csv", 1, "name", "unknown column"},
				{"diagnoses.csv", 1, "diagnosed_on or age_at_diagnosis", "missing column"},
			},
		},
		{
			name: "truncated gzip",
			raw:  map[string]string{"donors.csv.gz": truncated}, // written as is
			want: []rowError{{"donors.csv.gz", 0, "", "the data ends too early"}},
		},
		{
			name: "field count",
			raw:  map[string]string{"donors.csv": "biobank,donor_id,sex,birth_year,vital_status\nDNB,D0001,female\n"},
			want: []rowError{{"donors.csv", 2, "", "the row has 3 fields but the header has 5"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newImportDB(t)
			var dir string
			if tt.raw != nil {
				dir = t.TempDir()
				for name, content := range tt.raw {
					require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600))
				}
			} else {
				dir = copyBundle(t, tt.files)
			}
			rep, err := db.importBundle(t, dir, false)
			require.Error(t, err)
			assert.Equal(t, domain.EINVALID, domain.ErrorCode(err))
			assert.False(t, rep.Committed)
			for _, w := range tt.want {
				found := false
				for _, e := range rep.Errors {
					if e.File == w.file && (e.Line == w.line || w.line == 0) && e.Column == w.column && strings.Contains(e.String(), w.msg) {
						found = true
						break
					}
				}
				assert.True(t, found, "want %s:%d: column %s: …%s…; got:\n%s", w.file, w.line, w.column, w.msg, problems(rep))
			}
			assert.Equal(t, rep.ErrorCount, len(rep.Errors))
			for table, n := range db.rows(t) {
				assert.Zero(t, n, "%s: nothing is written", table)
			}
		})
	}
}

func problems(rep *store.ImportReport) string {
	var b strings.Builder
	registry.PrintProblems(&b, rep)
	return b.String()
}

func TestImportErrorMessageFormat(t *testing.T) {
	t.Parallel()
	db := newImportDB(t)
	dir := writeFiles(t, map[string]string{"donors.csv": "biobank,donor_id,sex,birth_year,vital_status\n" + strings.Repeat("DNB,D1,female,1961,alive\n", 10) + "DNB,D2,femal,1961,alive\n"})
	rep, err := db.importBundle(t, dir, false)
	require.Error(t, err)
	lines := strings.Split(strings.TrimSpace(problems(rep)), "\n")
	assert.Contains(t, lines, `donors.csv:12: column sex: "femal" must be one of female, male, other, unknown`)
	assert.Contains(t, lines, `donors.csv:3: column donor_id: "D1" duplicate: the same donor is already on line 2 of this import`)
	assert.Contains(t, lines, `donors.csv:2: column biobank: "DNB" unknown biobank: not in Databank and not in this import`)
	assert.Equal(t, 11, rep.Count(domain.ImportDonors).Rejected)
	assert.Equal(t, 11, rep.Count(domain.ImportDonors).Rows)
}

func TestImportFormatsAndUnknownColumns(t *testing.T) {
	t.Parallel()
	const header = "biobank,donor_id,sex,birth_year,vital_status"
	rows := "DNB,D0001,female,1961,alive\nDNB,D0002,male,1948,deceased\n"
	tests := []struct {
		name string
		file string
		text string
		opts registry.Options
	}{
		{"csv", "donors.csv", header + "\n" + rows, registry.Options{}},
		{"bom and crlf", "donors.csv", "\xEF\xBB\xBF" + strings.ReplaceAll(header+"\n"+rows, "\n", "\r\n"), registry.Options{}},
		{"tsv", "donors.tsv", strings.ReplaceAll(header+"\n"+rows, ",", "\t"), registry.Options{}},
		{"gzip", "donors.csv.gz", header + "\n" + rows, registry.Options{}},
		{"header spelling", "donors.csv", "Biobank, Donor ID ,SEX,Birth-Year,vital_status\n" + rows, registry.Options{}},
		{"ignored unknown column", "donors.csv", header + ",comment\n" + strings.ReplaceAll(rows, "\n", ",hello\n"), registry.Options{IgnoreUnknownColumns: true}},
		{"quoted, blank rows", "donors.csv", header + "\n\"DNB\",\"D0001\",female,1961,alive\n,,,,\n\nDNB,D0002,male,1948,deceased\n", registry.Options{}},
		{"forced format", "donors.txt", strings.ReplaceAll(header+"\n"+rows, ",", "\t"), registry.Options{Format: registry.FormatTSV}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newImportDB(t)
			dir := writeFiles(t, map[string]string{tt.file: tt.text, "biobanks.csv": "code,name,country,contact\nDNB,Biobank,DK,\n"})
			paths := []string{filepath.Join(dir, "biobanks.csv"), filepath.Join(dir, tt.file)}
			var files []*registry.File
			for i, p := range paths {
				kind := domain.ImportBiobanks
				if i == 1 {
					kind = domain.ImportDonors
				}
				opts := registry.Options{}
				if kind == domain.ImportDonors {
					opts = tt.opts
				}
				f, err := registry.Open(p, kind, opts)
				require.NoError(t, err)
				files = append(files, f)
			}
			defer registry.CloseAll(files)
			rep, err := db.st.Import(db.ctx, store.ImportRequest{Sources: registry.Sources(files)})
			require.NoError(t, err, problems(rep))
			assert.Equal(t, domain.ImportCounts{Kind: domain.ImportDonors, Rows: 2, Created: 2}, rep.Count(domain.ImportDonors))
			d, err := db.st.DonorByExternalID(db.ctx, "DNB", "D0002")
			require.NoError(t, err)
			assert.Equal(t, domain.VitalDeceased, d.VitalStatus)
		})
	}
}

func TestImportDryRunWritesNothing(t *testing.T) {
	t.Parallel()
	db := newImportDB(t)
	rep, err := db.importBundle(t, goodBundle, true)
	require.NoError(t, err)
	assert.True(t, rep.DryRun)
	assert.False(t, rep.Committed)
	assert.Equal(t, 5, rep.Count(domain.ImportSamples).Created)
	for table, n := range db.rows(t) {
		assert.Zero(t, n, table)
	}

	_, err = db.importBundle(t, goodBundle, false)
	require.NoError(t, err)
	before := db.rows(t)
	dir := copyBundle(t, map[string]string{"donors.csv": "biobank,donor_id,sex,birth_year,vital_status\nDNB,D0002,male,1948,alive\nDNB,D0009,,,\n"})
	rep, err = db.importBundle(t, dir, true)
	require.NoError(t, err)
	assert.Equal(t, domain.ImportCounts{Kind: domain.ImportDonors, Rows: 2, Created: 1, Updated: 1}, rep.Count(domain.ImportDonors))
	assert.Equal(t, before, db.rows(t))
	d, err := db.st.DonorByExternalID(db.ctx, "DNB", "D0002")
	require.NoError(t, err)
	assert.Equal(t, domain.VitalDeceased, d.VitalStatus)
}

func TestImportConcurrentImportsOfOneBiobank(t *testing.T) {
	t.Parallel()
	db := newImportDB(t)
	ctx, cancel := context.WithTimeout(db.ctx, time.Minute)
	defer cancel()
	const n = 4
	reports := make([]*store.ImportReport, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			files, err := registry.OpenBundle(goodBundle, registry.Options{})
			if err != nil {
				errs[i] = err
				return
			}
			defer registry.CloseAll(files)
			reports[i], errs[i] = db.st.Import(ctx, store.ImportRequest{Sources: registry.Sources(files)})
		}()
	}
	wg.Wait()
	created := 0
	for i := range n {
		require.NoError(t, errs[i])
		created += reports[i].Count(domain.ImportSamples).Created
	}
	assert.Equal(t, 5, created, "exactly one import creates the samples; the others find them unchanged")
	rows := db.rows(t)
	assert.Equal(t, 5, rows["sample"])
	assert.Equal(t, 3, rows["withdrawal"])
	assert.Equal(t, 31, rows["change_log"], "one import's 27 creations and 4 links; the others change nothing")
	assert.Equal(t, "19.75", mustSample(t, db, "DNB-000002").RemainingQuantity.String())
}

// TestImportLarge imports 100,000 samples of 10,000 donors, with lineage
// and withdrawals, then the same files again.
func TestImportLarge(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("large import")
	}
	db := newImportDB(t)
	dir := t.TempDir()
	var donors, samples, withdrawals strings.Builder
	donors.WriteString("biobank,donor_id,sex,birth_year,vital_status\n")
	samples.WriteString("biobank,sample_id,donor_id,parent_sample_id,material_type,anatomical_site,collected_on,storage_temperature,initial_quantity,remaining_quantity,quantity_unit,status\n")
	withdrawals.WriteString("biobank,withdrawal_id,sample_id,study_id,quantity,quantity_unit,withdrawn_on,recipient,data_return_required,data_return_due\n")
	for d := range 10000 {
		donors.WriteString("DNB,LD" + itoa(d) + ",female,1970,alive\n")
		for s := range 10 {
			id, parent, material := "LS"+itoa(d*10+s), "", "whole blood"
			if s > 0 {
				parent, material = "LS"+itoa(d*10+s-1), "DNA"
			}
			samples.WriteString("DNB," + id + ",LD" + itoa(d) + "," + parent + "," + material + ",,2020-01-01,-80 °C,10,9,mL,available\n")
			if s == 9 {
				withdrawals.WriteString("DNB,LW" + itoa(d) + "," + id + ",ST0001,2.5,mL,2021-01-01,Lab,no,\n")
			}
		}
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "donors.csv"), []byte(donors.String()), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "samples.csv"), []byte(samples.String()), 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "withdrawals.csv"), []byte(withdrawals.String()), 0o600))
	for _, name := range []string{"biobanks.csv", "studies.csv"} {
		b, err := os.ReadFile(filepath.Join(goodBundle, name))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o600))
	}

	rep, err := db.importBundle(t, dir, false)
	require.NoError(t, err, problems(rep))
	assert.Equal(t, domain.ImportCounts{Kind: domain.ImportSamples, Rows: 100000, Created: 100000}, rep.Count(domain.ImportSamples))
	assert.Equal(t, domain.ImportCounts{Kind: domain.ImportDonors, Rows: 10000, Created: 10000}, rep.Count(domain.ImportDonors))
	assert.Equal(t, domain.ImportCounts{Kind: domain.ImportWithdrawals, Rows: 10000, Created: 10000}, rep.Count(domain.ImportWithdrawals))
	assert.Equal(t, 100000, db.count(t, "SELECT count(*) FROM sample"))
	assert.Equal(t, 90000, db.count(t, "SELECT count(*) FROM sample WHERE parent_id IS NOT NULL"))
	assert.Equal(t, 10000, db.count(t, "SELECT count(*) FROM sample WHERE remaining_quantity = 6.5"))
	t.Logf("first import: %s", rep.Elapsed)

	rep, err = db.importBundle(t, dir, false)
	require.NoError(t, err)
	assert.Equal(t, domain.ImportCounts{Kind: domain.ImportSamples, Rows: 100000, Unchanged: 100000}, rep.Count(domain.ImportSamples))
	assert.Zero(t, db.count(t, "SELECT count(*) FROM change_log WHERE action <> 'create'"))
	t.Logf("unchanged re-import: %s", rep.Elapsed)
}

func itoa(i int) string {
	const digits = "0123456789"
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{digits[i%10]}, b...)
	}
	return string(b)
}

func TestImportCancelledWritesNothing(t *testing.T) {
	t.Parallel()
	db := newImportDB(t)
	ctx, cancel := context.WithCancel(db.ctx)
	cancel()
	files, err := registry.OpenBundle(goodBundle, registry.Options{})
	require.NoError(t, err)
	defer registry.CloseAll(files)
	_, err = db.st.Import(ctx, store.ImportRequest{Sources: registry.Sources(files)})
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.Canceled) || domain.ErrorCode(err) == domain.EUNAVAILABLE, "%v", err)
	assert.Zero(t, db.rows(t)["sample"])
}

// A recorded withdrawal of consent cannot be undone by a later export that
// does not know of it.
func TestImportCannotUndoConsentWithdrawal(t *testing.T) {
	t.Parallel()
	db := newImportDB(t)
	_, err := db.importBundle(t, goodBundle, false)
	require.NoError(t, err)
	before := db.rows(t)
	dir := writeFiles(t, map[string]string{"consents.csv": "biobank,donor_id,consent_id,given_on,withdrawn_on,duo_permission,duo_modifiers,disease,document_ref\n" +
		"DNB,D0002,C0003,2016-05-20,,HMB,NPUNCU,,doc://consent-forms/v2/C0003.pdf\n"})
	rep, err := db.importBundle(t, dir, false)
	require.Error(t, err)
	require.NotEmpty(t, rep.Errors)
	assert.Equal(t, "withdrawn_on", rep.Errors[0].Column)
	assert.Contains(t, rep.Errors[0].Message, "consent C0003 was withdrawn on 2021-01-31; a withdrawal cannot be undone")
	assert.Equal(t, before, db.rows(t))
}

// A sample's unit cannot change under withdrawals recorded earlier.
func TestImportUnitCannotChangeUnderWithdrawals(t *testing.T) {
	t.Parallel()
	db := newImportDB(t)
	_, err := db.importBundle(t, goodBundle, false)
	require.NoError(t, err)
	before := db.rows(t)
	samples, err := os.ReadFile(filepath.Join(goodBundle, "samples.csv"))
	require.NoError(t, err)
	lines := strings.Split(string(samples), "\n")
	dir := writeFiles(t, map[string]string{"samples.csv": lines[0] + "\n" + strings.Replace(lines[2], ",mL,", ",uL,", 1) + "\n"})
	rep, err := db.importBundle(t, dir, false)
	require.Error(t, err)
	require.NotEmpty(t, rep.Errors)
	assert.Equal(t, "quantity_unit", rep.Errors[0].Column)
	assert.Contains(t, rep.Errors[0].Message, "has withdrawals recorded in mL")
	assert.Equal(t, before, db.rows(t))
}

// A manifest's dataset that exists nowhere yet is created, titled by its
// id, and the file linked to it.
func TestImportManifestCreatesDatasets(t *testing.T) {
	t.Parallel()
	db := newImportDB(t)
	_, err := db.importBundle(t, goodBundle, false)
	require.NoError(t, err)
	manifest, err := os.ReadFile(filepath.Join(goodBundle, "files.csv"))
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSpace(string(manifest)), "\n")
	header := strings.Split(lines[0], ",")
	row := strings.Split(lines[1], ",")
	for i, col := range header {
		if col == "dataset_id" {
			row[i] = "EGAD00000009999"
		}
	}
	dir := writeFiles(t, map[string]string{"files.csv": lines[0] + "\n" + strings.Join(row, ",") + "\n"})
	_, err = db.importBundle(t, dir, false)
	require.NoError(t, err)
	assert.Equal(t, 1, db.count(t, `SELECT count(*) FROM dataset d JOIN dataset_file l ON l.dataset_id = d.id
		WHERE d.external_id = 'EGAD00000009999' AND d.title = 'EGAD00000009999'`))
}

// A withdrawal changed on its own (its sample unchanged) still moves the
// remaining quantities of the samples it leaves and joins.
func TestImportChangedWithdrawalRecomputesRemaining(t *testing.T) {
	t.Parallel()
	const header = "biobank,withdrawal_id,sample_id,study_id,quantity,quantity_unit,withdrawn_on,recipient,data_return_required,data_return_due\n"
	const w1 = "DNB,W0001,DNB-000002,ST0001,15,ug,2021-06-01,Saga Genotyping Facility,true,2022-06-01\n"
	tests := []struct {
		name string
		rows string
		want map[string]string // sample → remaining quantity
	}{
		{"more withdrawn", w1 + "DNB,W0002,DNB-000001,ST0002,1.5,mL,2021-07-01,Nordlys Metabolomics Lab,no,\n" +
			"DNB,W0003,DNB-000002,ST0001,10,ug,2022-01-10,Saga Genotyping Facility,yes,2023-01-10\n",
			map[string]string{"DNB-000002": "15", "DNB-000001": "7"}},
		{"moved to another sample", w1 + "DNB,W0002,DNB-000003,ST0002,1.5,mL,2021-07-01,Nordlys Metabolomics Lab,no,\n" +
			"DNB,W0003,DNB-000002,ST0001,5.25,ug,2022-01-10,Saga Genotyping Facility,yes,2023-01-10\n",
			map[string]string{"DNB-000002": "19.75", "DNB-000001": "8.5", "DNB-000003": "2.5"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newImportDB(t)
			_, err := db.importBundle(t, goodBundle, false)
			require.NoError(t, err)
			rep, err := db.importBundle(t, copyBundle(t, map[string]string{"withdrawals.csv": header + tt.rows}), false)
			require.NoError(t, err, "%v", rep.Errors)
			assert.Equal(t, 0, counts(rep)[domain.ImportSamples].Updated, "the samples' rows are unchanged")
			for sample, want := range tt.want {
				assert.Equal(t, want, mustSample(t, db, sample).RemainingQuantity.String(), sample)
			}
		})
	}
}

// A later import's new consent of a donor already in Databank is linked
// into that donor's history, wherever its date puts it.
func TestImportNewConsentOfExistingDonor(t *testing.T) {
	t.Parallel()
	const header = "biobank,donor_id,consent_id,given_on,withdrawn_on,duo_permission,duo_modifiers,disease,document_ref\n"
	tests := []struct {
		name  string
		row   string
		order []string // the donor's consents by date; each superseded by the next
	}{
		{"latest", "DNB,D0001,C0009,2025-01-01,,DUO:0000007,,E11,doc://c9\n", []string{"C0001", "C0002", "C0009"}},
		{"between", "DNB,D0001,C0009,2019-01-01,,DUO:0000007,,E11,doc://c9\n", []string{"C0001", "C0009", "C0002"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := newImportDB(t)
			_, err := db.importBundle(t, goodBundle, false)
			require.NoError(t, err)
			rep, err := db.importBundle(t, writeFiles(t, map[string]string{"consents.csv": header + tt.row}), false)
			require.NoError(t, err, "%v", rep.Errors)
			d1, err := db.st.DonorByExternalID(db.ctx, "DNB", "D0001")
			require.NoError(t, err)
			consents, err := db.st.ConsentsByDonorIDs(db.ctx, []string{d1.ID})
			require.NoError(t, err)
			byExt := map[string]domain.Consent{}
			for _, c := range consents[d1.ID] {
				byExt[c.ExternalID] = c
			}
			require.Len(t, byExt, len(tt.order))
			for i, ext := range tt.order {
				want := ""
				if i+1 < len(tt.order) {
					want = byExt[tt.order[i+1]].ID
				}
				assert.Equal(t, want, byExt[ext].SupersededBy, "%s superseded by the next consent", ext)
			}
		})
	}
}

// The manifest's software column: a value is recorded and its change
// logged; a manifest without the column, or with it empty, keeps what is
// recorded (as `import files` does for a header that names no program).
func TestImportManifestSoftware(t *testing.T) {
	t.Parallel()
	const header = "biobank,file_id,dataset_id,study_id,withdrawal_id,uri,format,assay,assembly,size,md5,sha256,sample_ids,file_sample_names"
	const row = "DNB,EGAF00001000001,EGAD00001000001,ST0001,W0001,s3://dnb-returns/ST0001/DNB-000002.cram,CRAM,WES,GRCh38,6378409845," +
		"95be9418903c693831a21e96e1b80ccb,1579f2683580d8711a0f7ad42cef412d67a2adb06d7314c6078ef523e2f0a4ed,DNB-000002,S1"
	tests := []struct {
		name     string
		manifest string
		want     string
		counts   domain.ImportCounts
		logged   int
	}{
		{"no software column", header + "\n" + row + "\n", "bwa-mem2 2.2.1", domain.ImportCounts{Rows: 1, Unchanged: 1}, 0},
		{"empty software", header + ",software\n" + row + ",\n", "bwa-mem2 2.2.1", domain.ImportCounts{Rows: 1, Unchanged: 1}, 0},
		{"same software", header + ",software\n" + row + ",bwa-mem2 2.2.1\n", "bwa-mem2 2.2.1", domain.ImportCounts{Rows: 1, Unchanged: 1}, 0},
		{"new software", header + ",software\n" + row + ",DRAGEN 4.2\n", "DRAGEN 4.2", domain.ImportCounts{Rows: 1, Updated: 1}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			db := newImportDB(t)
			_, err := db.importBundle(t, goodBundle, false)
			require.NoError(t, err)
			f, err := db.st.DataFileByExternalID(db.ctx, "EGAF00001000001")
			require.NoError(t, err)
			require.Equal(t, "bwa-mem2 2.2.1", f.Software, "from the good bundle")
			other, err := db.st.DataFileByExternalID(db.ctx, "EGAF00001000002")
			require.NoError(t, err)
			require.Equal(t, "", other.Software, "a new file without software")
			logged := db.count(t, "SELECT count(*) FROM change_log")

			rep, err := db.importBundle(t, writeFiles(t, map[string]string{"files.csv": tt.manifest}), false)
			require.NoError(t, err, "%v", rep.Errors)
			tt.counts.Kind = domain.ImportFiles
			assert.Equal(t, tt.counts, rep.Count(domain.ImportFiles))
			f, err = db.st.DataFileByExternalID(db.ctx, "EGAF00001000001")
			require.NoError(t, err)
			assert.Equal(t, tt.want, f.Software)
			assert.Equal(t, tt.logged, db.count(t, `SELECT count(*) FROM change_log WHERE entity = 'data_file'
				AND old_values = '{"software": "bwa-mem2 2.2.1"}' AND new_values = jsonb_build_object('software', $1::text)`, tt.want))
			assert.Equal(t, logged+tt.logged, db.count(t, "SELECT count(*) FROM change_log"))
		})
	}
}
