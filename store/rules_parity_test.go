package store_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// Every business rule has one home in the domain package; mutations and
// imports (whose checks run set-based in SQL) must both apply it. These
// tests run the same cases through a store mutation and through a
// registry import, from the same registry, and expect the same verdict:
// the same error code and, field by field, the same column, value and
// message, or success in both with the same result.

const (
	consentsHeader    = "biobank,donor_id,consent_id,given_on,withdrawn_on,duo_permission,duo_modifiers,disease,document_ref\n"
	samplesHeader     = "biobank,sample_id,donor_id,parent_sample_id,material_type,anatomical_site,collected_on,storage_temperature,initial_quantity,remaining_quantity,quantity_unit,status\n"
	withdrawalsHeader = "biobank,withdrawal_id,sample_id,study_id,quantity,quantity_unit,withdrawn_on,recipient,data_return_required,data_return_due\n"
	termsNeverChange  = "; a consent's terms never change: record a new consent, with a new consent id, instead"
)

// parityBase is the registry every case starts from: lineage A ← B ← C,
// a depleted sample DEP with withdrawals W1-W4 (listed together, as a
// registry lists a sample its withdrawals used up), W5 of A, a sample E
// like A without withdrawals, a destroyed sample,
// a sample without a recorded quantity, and consents, one withdrawn.
var parityBase = map[string]string{
	"biobanks.csv": "code,name,country,contact\nDNB,Dannevirke Biobank,DK,\n",
	"studies.csv":  "study_id,title,principal_investigator,ethics_approval,ega_study_accession\nST1,Heart study,,,\n",
	"donors.csv":   "biobank,donor_id,sex,birth_year,vital_status\nDNB,D1,female,1961,alive\nDNB,D2,male,1948,alive\n",
	"consents.csv": consentsHeader +
		"DNB,D1,C1,2015-01-10,,GRU,NPU,,doc://c1\n" +
		"DNB,D2,C2,2016-05-20,2021-01-31,HMB,,,doc://c2\n" +
		"DNB,D2,C3,2017-03-03,,DS,,E11,doc://c3\n",
	"samples.csv": samplesHeader +
		"DNB,A,D1,,whole blood,,2020-01-15,,10,10,mL,available\n" +
		"DNB,E,D1,,whole blood,,2020-01-15,,10,10,mL,available\n" +
		"DNB,B,D1,A,DNA,,2020-01-20,,50,50,ug,available\n" +
		"DNB,C,D1,B,DNA,,2020-01-25,,50,50,ug,available\n" +
		"DNB,DEP,D1,,whole blood,,2020-02-01,,10,10,mL,depleted\n" +
		"DNB,DES,D1,,whole blood,,2020-02-01,,10,10,mL,destroyed\n" +
		"DNB,NOQ,D1,,plasma,,2020-02-01,,,,,available\n",
	"withdrawals.csv": withdrawalsHeader +
		"DNB,W1,DEP,ST1,2,mL,2021-06-01,Lab A,no,\n" +
		"DNB,W2,DEP,ST1,2,mL,2021-06-02,Lab A,no,\n" +
		"DNB,W3,DEP,ST1,2,mL,2021-06-03,Lab A,no,\n" +
		"DNB,W4,DEP,ST1,2,mL,2021-06-04,Lab A,no,\n" +
		"DNB,W5,A,ST1,1,mL,2021-07-01,Lab A,no,\n",
}

// Rows of the base registry, for cases that change one column of them.
const (
	rowA = "DNB,A,D1,%s,whole blood,,2020-01-15,,10,10,mL,available\n"
	rowC = "DNB,C,D1,%s,DNA,,2020-01-25,,50,50,ug,available\n"
	rowW = "DNB,%s,DEP,ST1,%s,mL,%s,%s,no,\n" // a withdrawal of DEP
)

// newParityDB is a fresh database holding parityBase.
func newParityDB(t *testing.T) importDB {
	t.Helper()
	db := newImportDB(t)
	rep, err := db.importBundle(t, writeFiles(t, parityBase), false)
	require.NoError(t, err, "%v", problems(rep))
	return db
}

// id returns the id of the record of table known by ext (biobanks by code).
func (db importDB) id(t *testing.T, table, ext string) string {
	t.Helper()
	key := "external_id"
	if table == "biobank" {
		key = "code"
	}
	var id string
	require.NoError(t, db.conn.QueryRow(db.ctx, "SELECT id::text FROM "+table+" WHERE "+key+" = $1", ext).Scan(&id))
	return id
}

// verdict is one refusal, as an import reports it: the column (a
// mutation's field, in its column spelling), the value and the message.
type verdict struct{ Column, Value, Message string }

func mutationVerdicts(t *testing.T, err error) []verdict {
	t.Helper()
	if err == nil {
		return nil
	}
	var de *domain.Error
	require.ErrorAs(t, err, &de)
	if len(de.Fields) == 0 {
		return []verdict{{Message: de.Message}}
	}
	var out []verdict
	for _, f := range de.Fields {
		out = append(out, verdict{domain.ColumnOf(strings.TrimPrefix(f.Field, "input.")), f.Value, f.Message})
	}
	return out
}

func importVerdicts(rep *domain.ImportReport) []verdict {
	var out []verdict
	for _, e := range rep.Errors {
		out = append(out, verdict{e.Column, e.Value, e.Message})
	}
	return out
}

// parityCase is one case of a rule: a mutation, the import that asks for
// the same, and the errors both must report (none: both succeed, and
// after checks what both leave behind).
type parityCase struct {
	name   string
	mutate func(t *testing.T, db importDB) error
	files  map[string]string
	want   []domain.FieldError // Field as the domain names it
	after  func(t *testing.T, db importDB)
}

// runParity runs each case through its mutation and its import, from
// parityBase. A refusal writes nothing (which is checked), so the refused
// cases share one database, both paths included. The cases both paths
// accept run in turn on one database per path, so each changes records
// of its own.
func runParity(t *testing.T, tests []parityCase) {
	t.Helper()
	var refusals, mdb, idb importDB
	if slices.ContainsFunc(tests, func(tt parityCase) bool { return len(tt.want) > 0 }) {
		refusals = newParityDB(t)
	}
	if slices.ContainsFunc(tests, func(tt parityCase) bool { return len(tt.want) == 0 }) {
		mdb, idb = newParityDB(t), newParityDB(t)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []verdict
			for _, f := range tt.want {
				want = append(want, verdict{domain.ColumnOf(f.Field), f.Value, f.Message})
			}
			if len(want) == 0 {
				require.NoError(t, tt.mutate(t, mdb), "mutation")
				rep, err := idb.importBundle(t, writeFiles(t, tt.files), false)
				require.NoError(t, err, "import: %s", problems(rep))
				if tt.after != nil {
					t.Run("mutation", func(t *testing.T) { tt.after(t, mdb) })
					t.Run("import", func(t *testing.T) { tt.after(t, idb) })
				}
				return
			}
			db := refusals
			before := db.rows(t)
			mErr := tt.mutate(t, db)
			assert.Equal(t, domain.EINVALID, domain.ErrorCode(mErr), "mutation: %v", mErr)
			assert.ElementsMatch(t, want, mutationVerdicts(t, mErr), "mutation")
			assert.Equal(t, before, db.rows(t), "the mutation wrote nothing")

			rep, iErr := db.importBundle(t, writeFiles(t, tt.files), false)
			assert.Equal(t, domain.EINVALID, domain.ErrorCode(iErr), "import: %v", iErr)
			assert.ElementsMatch(t, want, importVerdicts(rep), "import")
			assert.Equal(t, before, db.rows(t), "the import wrote nothing")
		})
	}
}

func withdrawal(t *testing.T, db importDB, ext string) domain.Withdrawal {
	t.Helper()
	w, err := db.st.WithdrawalByExternalID(db.ctx, "DNB", ext)
	require.NoError(t, err)
	return w
}

func TestRulesParityWithdrawals(t *testing.T) {
	t.Parallel()
	day := date("2022-01-01")
	create := func(id, sample, q, unit string) func(t *testing.T, db importDB) error {
		return func(t *testing.T, db importDB) error {
			_, err := db.st.CreateWithdrawal(db.ctx, domain.Withdrawal{ExternalID: id, SampleID: db.id(t, "sample", sample),
				StudyID: db.id(t, "study", "ST1"), Quantity: *qty(q), QuantityUnit: unit, WithdrawnOn: day})
			return err
		}
	}
	update := func(id string, patch func(w *domain.Withdrawal)) func(t *testing.T, db importDB) error {
		return func(t *testing.T, db importDB) error {
			_, err := db.st.UpdateWithdrawal(db.ctx, db.id(t, "withdrawal", id), func(w *domain.Withdrawal) error { patch(w); return nil })
			return err
		}
	}
	withdrawals := func(rows ...string) map[string]string {
		return map[string]string{"withdrawals.csv": withdrawalsHeader + strings.Join(rows, "")}
	}
	wDEP := func(id, q, on, recipient string) string { return fmt.Sprintf(rowW, id, q, on, recipient) }
	noMaterial := func(sample, status string) []domain.FieldError {
		return []domain.FieldError{{Field: "sampleId", Value: sample, Message: "sample " + sample + " is " + status + ": no more material can be withdrawn from it"}}
	}
	// The remaining quantity is what the registry says less what the
	// withdrawals standing take.
	consistent := func(t *testing.T, db importDB, sample string) {
		s := mustSample(t, db, sample)
		ws, err := db.st.WithdrawalsBySampleIDs(db.ctx, []string{s.ID})
		require.NoError(t, err)
		left := *s.RegisteredRemaining
		for _, w := range ws[s.ID] {
			left -= w.Quantity
		}
		assert.Equal(t, left.String(), s.RemainingQuantity.String())
	}
	tests := []parityCase{
		{
			name: "new withdrawal from a depleted sample", mutate: create("W9", "DEP", "1", "mL"),
			files: withdrawals("DNB,W9,DEP,ST1,1,mL,2022-01-01,,no,\n"), want: noMaterial("DEP", "depleted"),
		},
		{
			name: "new withdrawal from a destroyed sample", mutate: create("W9", "DES", "1", "mL"),
			files: withdrawals("DNB,W9,DES,ST1,1,mL,2022-01-01,,no,\n"), want: noMaterial("DES", "destroyed"),
		},
		{
			name: "larger quantity from a depleted sample", mutate: update("W1", func(w *domain.Withdrawal) { w.Quantity = *qty("3") }),
			files: withdrawals(wDEP("W1", "3", "2021-06-01", "Lab A")), want: noMaterial("DEP", "depleted"),
		},
		{
			name: "moved to a depleted sample",
			mutate: func(t *testing.T, db importDB) error {
				return update("W5", func(w *domain.Withdrawal) { w.SampleID = db.id(t, "sample", "DEP") })(t, db)
			},
			files: withdrawals(wDEP("W5", "1", "2021-07-01", "Lab A")), want: noMaterial("DEP", "depleted"),
		},
		{
			name: "moved to an available sample",
			mutate: func(t *testing.T, db importDB) error {
				return update("W5", func(w *domain.Withdrawal) { w.SampleID = db.id(t, "sample", "E") })(t, db)
			},
			files: withdrawals("DNB,W5,E,ST1,1,mL,2021-07-01,Lab A,no,\n"),
			after: func(t *testing.T, db importDB) {
				assert.Equal(t, db.id(t, "sample", "E"), withdrawal(t, db, "W5").SampleID)
				consistent(t, db, "A")
				consistent(t, db, "E")
			},
		},
		{
			name: "recipient of a depleted sample's withdrawal corrected", mutate: update("W1", func(w *domain.Withdrawal) { w.Recipient = "Lab B" }),
			files: withdrawals(wDEP("W1", "2", "2021-06-01", "Lab B")),
			after: func(t *testing.T, db importDB) {
				assert.Equal(t, "Lab B", withdrawal(t, db, "W1").Recipient)
				consistent(t, db, "DEP")
			},
		},
		{
			name: "date of a depleted sample's withdrawal corrected", mutate: update("W2", func(w *domain.Withdrawal) { w.WithdrawnOn = date("2021-05-31") }),
			files: withdrawals(wDEP("W2", "2", "2021-05-31", "Lab A")),
			after: func(t *testing.T, db importDB) {
				assert.Equal(t, "2021-05-31", domain.FormatDate(ptr(withdrawal(t, db, "W2").WithdrawnOn)))
			},
		},
		{
			name: "smaller quantity from a depleted sample", mutate: update("W3", func(w *domain.Withdrawal) { w.Quantity = *qty("1.5") }),
			files: withdrawals(wDEP("W3", "1.5", "2021-06-03", "Lab A")),
			after: func(t *testing.T, db importDB) {
				assert.Equal(t, "1.5", withdrawal(t, db, "W3").Quantity.String())
				consistent(t, db, "DEP")
			},
		},
		{
			name: "unchanged withdrawal of a depleted sample", mutate: update("W4", func(*domain.Withdrawal) {}),
			files: withdrawals(wDEP("W4", "2", "2021-06-04", "Lab A")),
			after: func(t *testing.T, db importDB) {
				assert.Zero(t, db.count(t, "SELECT count(*) FROM change_log WHERE entity_id = $1 AND action <> 'create'", withdrawal(t, db, "W4").ID), "nothing changed")
				consistent(t, db, "DEP")
			},
		},
		{
			name: "unit other than the sample's", mutate: create("W9", "A", "1", "ug"),
			files: withdrawals("DNB,W9,A,ST1,1,ug,2022-01-01,,no,\n"),
			want:  []domain.FieldError{{Field: "quantityUnit", Value: "ug", Message: "must be the unit of sample A, mL"}},
		},
		{
			name: "sample without a recorded quantity", mutate: create("W9", "NOQ", "1", "mL"),
			files: withdrawals("DNB,W9,NOQ,ST1,1,mL,2022-01-01,,no,\n"),
			want:  []domain.FieldError{{Field: "sampleId", Value: "NOQ", Message: "sample NOQ has no quantity unit: record its quantity before withdrawing from it"}},
		},
		{
			name: "new withdrawal from an available sample", mutate: create("W9", "A", "1", "mL"),
			files: withdrawals("DNB,W9,A,ST1,1,mL,2022-01-01,,no,\n"),
			after: func(t *testing.T, db importDB) {
				assert.Equal(t, db.id(t, "sample", "A"), withdrawal(t, db, "W9").SampleID)
				consistent(t, db, "A")
			},
		},
	}
	runParity(t, tests)
}

// Rules of samples: lineage, and a unit that withdrawals fix.
func TestRulesParitySamples(t *testing.T) {
	t.Parallel()
	reparent := func(sample, parent string) func(t *testing.T, db importDB) error {
		return func(t *testing.T, db importDB) error {
			_, err := db.st.UpdateSample(db.ctx, db.id(t, "sample", sample), func(s *domain.Sample) error {
				s.ParentID = db.id(t, "sample", parent)
				return nil
			})
			return err
		}
	}
	samples := func(row string) map[string]string { return map[string]string{"samples.csv": samplesHeader + row} }
	cycle := func(sample, parent string) []domain.FieldError {
		return []domain.FieldError{{Field: "parentSampleId", Value: parent,
			Message: "lineage cycle: with parent " + parent + ", sample " + sample + " would become its own ancestor"}}
	}
	tests := []parityCase{
		{
			name: "sample as its own parent", mutate: reparent("A", "A"), files: samples(fmt.Sprintf(rowA, "A")),
			want: []domain.FieldError{{Field: "parentSampleId", Value: "A", Message: "a sample cannot be its own parent"}},
		},
		{
			name: "parent of another donor",
			mutate: func(t *testing.T, db importDB) error {
				_, err := db.st.CreateSample(db.ctx, domain.Sample{BiobankID: db.id(t, "biobank", "DNB"), DonorID: db.id(t, "donor", "D2"),
					ExternalID: "S9", ParentID: db.id(t, "sample", "A"), MaterialType: "DNA"})
				return err
			},
			files: samples("DNB,S9,D2,A,DNA,,,,,,,\n"),
			want: []domain.FieldError{{Field: "parentSampleId", Value: "A",
				Message: "parent sample A belongs to another donor than D2: derived material comes from a sample of the same donor"}},
		},
		{
			name: "unit changed under withdrawals",
			mutate: func(t *testing.T, db importDB) error {
				_, err := db.st.UpdateSample(db.ctx, db.id(t, "sample", "A"), func(s *domain.Sample) error { s.QuantityUnit = "uL"; return nil })
				return err
			},
			files: samples("DNB,A,D1,,whole blood,,2020-01-15,,10,10,uL,available\n"),
			want: []domain.FieldError{{Field: "quantityUnit", Value: "uL",
				Message: "sample A has withdrawals recorded in mL; its unit cannot change while they stand"}},
		},
		{name: "lineage cycle of 2", mutate: reparent("A", "B"), files: samples(fmt.Sprintf(rowA, "B")), want: cycle("A", "B")},
		{name: "lineage cycle of 3", mutate: reparent("A", "C"), files: samples(fmt.Sprintf(rowA, "C")), want: cycle("A", "C")},
		{
			name: "new parent higher up the same lineage", mutate: reparent("C", "A"), files: samples(fmt.Sprintf(rowC, "A")),
			after: func(t *testing.T, db importDB) {
				assert.Equal(t, db.id(t, "sample", "A"), mustSample(t, db, "C").ParentID)
			},
		},
	}
	runParity(t, tests)
}

func TestRulesParityExternalIDs(t *testing.T) {
	t.Parallel()
	shape := func(field, value string) []domain.FieldError {
		return []domain.FieldError{{Field: field, Value: value, Message: domain.ExternalIDShape}}
	}
	egad := []domain.FieldError{{Field: "datasetId", Value: "EGAD123", Message: "an EGA dataset accession is EGAD followed by 11 digits"}}
	createDataset := func(id string) func(t *testing.T, db importDB) error {
		return func(t *testing.T, db importDB) error {
			_, err := db.st.CreateDataset(db.ctx, domain.Dataset{ExternalID: id, Title: "T"})
			return err
		}
	}
	const filesHeader = "biobank,file_id,dataset_id,study_id,withdrawal_id,uri,format,assay,assembly,size,md5,sha256,sample_ids,file_sample_names\n"
	tests := []parityCase{
		{
			name: "biobank code",
			mutate: func(t *testing.T, db importDB) error {
				_, err := db.st.CreateBiobank(db.ctx, domain.Biobank{Code: "x", Name: "N", Country: "DK"})
				return err
			},
			files: map[string]string{"biobanks.csv": "code,name,country,contact\nx,N,DK,\n"},
			want:  []domain.FieldError{{Field: "code", Value: "X", Message: "must be 2-16 upper-case letters, digits, _ or -, starting with a letter"}},
		},
		{
			name: "study id",
			mutate: func(t *testing.T, db importDB) error {
				_, err := db.st.CreateStudy(db.ctx, domain.Study{ExternalID: "ST 9", Title: "T"})
				return err
			},
			files: map[string]string{"studies.csv": "study_id,title,principal_investigator,ethics_approval,ega_study_accession\nST 9,T,,,\n"},
			want:  shape("studyId", "ST 9"),
		},
		{
			name: "dataset id", mutate: createDataset("DS 9"),
			files: map[string]string{"datasets.csv": "dataset_id,title,version,duo_codes,data_access_committee,description\nDS 9,T,1,,,\n"},
			want:  shape("datasetId", "DS 9"),
		},
		{
			name: "dataset id: EGA accession", mutate: createDataset("EGAD123"),
			files: map[string]string{"datasets.csv": "dataset_id,title,version,duo_codes,data_access_committee,description\nEGAD123,T,1,,,\n"},
			want:  egad,
		},
		{
			name: "dataset id: EGA accession a file manifest names", mutate: createDataset("EGAD123"),
			files: map[string]string{"files.csv": filesHeader + ",F9,EGAD123,,,/data/f9.vcf,VCF,,,,,,,\n"},
			want:  egad,
		},
		{
			name: "donor id",
			mutate: func(t *testing.T, db importDB) error {
				_, err := db.st.CreateDonor(db.ctx, domain.Donor{BiobankID: db.id(t, "biobank", "DNB"), ExternalID: "D 9"})
				return err
			},
			files: map[string]string{"donors.csv": "biobank,donor_id,sex,birth_year,vital_status\nDNB,D 9,,,\n"},
			want:  shape("donorId", "D 9"),
		},
		{
			name: "consent id",
			mutate: func(t *testing.T, db importDB) error {
				_, err := db.st.AddConsent(db.ctx, domain.Consent{DonorID: db.id(t, "donor", "D1"), ExternalID: "C 9", GivenOn: date("2020-01-01"), Permission: "GRU"})
				return err
			},
			files: map[string]string{"consents.csv": consentsHeader + "DNB,D1,C 9,2020-01-01,,GRU,,,\n"},
			want:  shape("consentId", "C 9"),
		},
		{
			name: "sample id",
			mutate: func(t *testing.T, db importDB) error {
				_, err := db.st.CreateSample(db.ctx, domain.Sample{BiobankID: db.id(t, "biobank", "DNB"), DonorID: db.id(t, "donor", "D1"),
					ExternalID: "S 9", MaterialType: "whole blood"})
				return err
			},
			files: map[string]string{"samples.csv": samplesHeader + "DNB,S 9,D1,,whole blood,,,,,,,\n"},
			want:  shape("sampleId", "S 9"),
		},
		{
			name: "withdrawal id",
			mutate: func(t *testing.T, db importDB) error {
				_, err := db.st.CreateWithdrawal(db.ctx, domain.Withdrawal{ExternalID: "W 9", SampleID: db.id(t, "sample", "A"),
					StudyID: db.id(t, "study", "ST1"), Quantity: *qty("1"), QuantityUnit: "mL", WithdrawnOn: date("2022-01-01")})
				return err
			},
			files: map[string]string{"withdrawals.csv": withdrawalsHeader + "DNB,W 9,A,ST1,1,mL,2022-01-01,,no,\n"},
			want:  shape("withdrawalId", "W 9"),
		},
		{
			name: "file id",
			mutate: func(t *testing.T, db importDB) error {
				_, err := db.st.RegisterDataFile(db.ctx, domain.DataFile{ExternalID: "F 9", Format: "VCF", Location: "/data/f9.vcf"})
				return err
			},
			files: map[string]string{"files.csv": filesHeader + ",F 9,,,,/data/f9.vcf,VCF,,,,,,,\n"},
			want:  shape("fileId", "F 9"),
		},
	}
	runParity(t, tests)
}

func TestRulesParityConsentChanges(t *testing.T) {
	t.Parallel()
	update := func(consent string, patch func(t *testing.T, db importDB, c *domain.Consent)) func(t *testing.T, db importDB) error {
		return func(t *testing.T, db importDB) error {
			_, err := db.st.UpdateConsent(db.ctx, db.id(t, "consent", consent), func(c *domain.Consent) error { patch(t, db, c); return nil })
			return err
		}
	}
	consents := func(row string) map[string]string { return map[string]string{"consents.csv": consentsHeader + row} }
	consent := func(t *testing.T, db importDB, ext string) domain.Consent {
		t.Helper()
		c, err := db.st.Consent(db.ctx, db.id(t, "consent", ext))
		require.NoError(t, err)
		return c
	}
	undone := func(value string) []domain.FieldError {
		return []domain.FieldError{{Field: "withdrawnOn", Value: value,
			Message: "consent C2 was withdrawn on 2021-01-31; a withdrawal cannot be undone or postponed: record a new consent instead"}}
	}
	tests := []parityCase{
		{
			name: "permission", mutate: update("C1", func(_ *testing.T, _ importDB, c *domain.Consent) { c.Permission = "HMB" }),
			files: consents("DNB,D1,C1,2015-01-10,,HMB,NPU,,doc://c1\n"),
			want:  []domain.FieldError{{Field: "duoPermission", Value: "DUO:0000006", Message: "consent C1 has the permission DUO:0000042" + termsNeverChange}},
		},
		{
			name: "given date", mutate: update("C1", func(_ *testing.T, _ importDB, c *domain.Consent) { c.GivenOn = date("2015-01-11") }),
			files: consents("DNB,D1,C1,2015-01-11,,GRU,NPU,,doc://c1\n"),
			want:  []domain.FieldError{{Field: "givenOn", Value: "2015-01-11", Message: "consent C1 was given on 2015-01-10" + termsNeverChange}},
		},
		{
			name: "modifiers", mutate: update("C1", func(_ *testing.T, _ importDB, c *domain.Consent) { c.Modifiers = []string{"NPU", "IRB"} }),
			files: consents("DNB,D1,C1,2015-01-10,,GRU,NPU;IRB,,doc://c1\n"),
			want: []domain.FieldError{{Field: "duoModifiers", Value: "DUO:0000021;DUO:0000045",
				Message: `consent C1 has the modifiers "DUO:0000045"` + termsNeverChange}},
		},
		{
			name: "disease", mutate: update("C3", func(_ *testing.T, _ importDB, c *domain.Consent) { c.Disease = "E10" }),
			files: consents("DNB,D2,C3,2017-03-03,,DS,,E10,doc://c3\n"),
			want:  []domain.FieldError{{Field: "disease", Value: "ICD10:E10", Message: `consent C3 has the disease "ICD10:E11"` + termsNeverChange}},
		},
		{
			name: "donor", mutate: update("C1", func(t *testing.T, db importDB, c *domain.Consent) { c.DonorID = db.id(t, "donor", "D2") }),
			files: consents("DNB,D2,C1,2015-01-10,,GRU,NPU,,doc://c1\n"),
			want:  []domain.FieldError{{Field: "donorId", Value: "D2", Message: "consent C1 belongs to donor D1" + termsNeverChange}},
		},
		{
			name: "two terms at once", mutate: update("C1", func(_ *testing.T, _ importDB, c *domain.Consent) { c.Permission, c.Modifiers = "HMB", nil }),
			files: consents("DNB,D1,C1,2015-01-10,,HMB,,,doc://c1\n"),
			want: []domain.FieldError{
				{Field: "duoPermission", Value: "DUO:0000006", Message: "consent C1 has the permission DUO:0000042" + termsNeverChange},
				{Field: "duoModifiers", Value: "", Message: `consent C1 has the modifiers "DUO:0000045"` + termsNeverChange},
			},
		},
		{
			name: "withdrawal undone", mutate: update("C2", func(_ *testing.T, _ importDB, c *domain.Consent) { c.WithdrawnOn = nil }),
			files: consents("DNB,D2,C2,2016-05-20,,HMB,,,doc://c2\n"), want: undone(""),
		},
		{
			name: "withdrawal postponed", mutate: update("C2", func(_ *testing.T, _ importDB, c *domain.Consent) { c.WithdrawnOn = ptr(date("2022-01-01")) }),
			files: consents("DNB,D2,C2,2016-05-20,2022-01-01,HMB,,,doc://c2\n"), want: undone("2022-01-01"),
		},
		{
			name: "withdrawal moved earlier", mutate: update("C2", func(_ *testing.T, _ importDB, c *domain.Consent) { c.WithdrawnOn = ptr(date("2020-12-31")) }),
			files: consents("DNB,D2,C2,2016-05-20,2020-12-31,HMB,,,doc://c2\n"),
			after: func(t *testing.T, db importDB) {
				assert.Equal(t, "2020-12-31", domain.FormatDate(consent(t, db, "C2").WithdrawnOn))
			},
		},
		{
			name: "withdrawal recorded, document replaced",
			mutate: update("C1", func(_ *testing.T, _ importDB, c *domain.Consent) {
				c.WithdrawnOn, c.DocumentRef = ptr(date("2023-01-01")), "doc://c1-v2"
			}),
			files: consents("DNB,D1,C1,2015-01-10,2023-01-01,GRU,NPU,,doc://c1-v2\n"),
			after: func(t *testing.T, db importDB) {
				c := consent(t, db, "C1")
				assert.Equal(t, "2023-01-01", domain.FormatDate(c.WithdrawnOn))
				assert.Equal(t, "doc://c1-v2", c.DocumentRef)
			},
		},
	}
	runParity(t, tests)
}

// A donor's current consent has one definition (domain.CurrentConsent);
// the store keeps its order as superseded_by links, which ActiveOn reads.
// Consents added one by one and imported together make the same history,
// with links that follow the domain's order and agree with CurrentConsent.
func TestRulesParityCurrentConsent(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		rows []string // consents of the case's donor after its first, given 2015-01-10
		want string   // the current consent, "" for none
	}{
		{"latest given wins", []string{"C4,2020-01-01,", "C5,2021-01-01,"}, "C5"},
		{"backdated consent recorded last", []string{"C4,2020-01-01,", "C5,2018-01-01,"}, "C4"},
		{"withdrawn latest permits nothing", []string{"C4,2020-01-01,2021-01-01"}, ""},
		{"new consent after a withdrawn one", []string{"C4,2019-01-01,2020-01-01", "C5,2021-01-01,"}, "C5"},
		{"same day: the one recorded last", []string{"C4,2020-06-01,", "C5,2020-06-01,"}, "C5"},
		{"same day as the first", []string{"C4,2015-01-10,"}, "C4"},
	}
	// Each case has a donor of its own (P0, P1, …) with a first consent.
	donors, consents := "biobank,donor_id,sex,birth_year,vital_status\n", consentsHeader
	for i := range tests {
		p := fmt.Sprintf("P%d", i)
		donors += "DNB," + p + ",,,\n"
		consents += "DNB," + p + "," + p + "-C1,2015-01-10,,GRU,,,\n"
	}
	var dbs []importDB
	for range 2 {
		db := newParityDB(t)
		rep, err := db.importBundle(t, writeFiles(t, map[string]string{"donors.csv": donors, "consents.csv": consents}), false)
		require.NoError(t, err, problems(rep))
		dbs = append(dbs, db)
	}
	mdb, idb := dbs[0], dbs[1]
	now := time.Now()
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := fmt.Sprintf("P%d", i)
			var file strings.Builder
			file.WriteString(consentsHeader)
			for _, row := range tt.rows {
				f := strings.Split(p+"-"+row, ",")
				c := domain.Consent{DonorID: mdb.id(t, "donor", p), ExternalID: f[0], GivenOn: date(f[1]), Permission: "GRU"}
				if f[2] != "" {
					c.WithdrawnOn = ptr(date(f[2]))
				}
				_, err := mdb.st.AddConsent(mdb.ctx, c)
				require.NoError(t, err)
				file.WriteString("DNB," + p + "," + strings.Join(f, ",") + ",GRU,,,\n")
			}
			rep, err := idb.importBundle(t, writeFiles(t, map[string]string{"consents.csv": file.String()}), false)
			require.NoError(t, err, problems(rep))
			want := ""
			if tt.want != "" {
				want = p + "-" + tt.want
			}

			for path, db := range map[string]importDB{"mutation": mdb, "import": idb} {
				donor := db.id(t, "donor", p)
				all, err := db.st.ConsentsByDonorIDs(db.ctx, []string{donor})
				require.NoError(t, err)
				history := all[donor]
				require.Len(t, history, len(tt.rows)+1, path)
				got := ""
				if c := domain.CurrentConsent(history, now); c != nil {
					got = c.ExternalID
				}
				assert.Equal(t, want, got, "%s: current consent", path)

				ordered := slices.Clone(history)
				slices.SortFunc(ordered, func(a, b domain.Consent) int {
					if domain.ConsentBefore(&a, &b) {
						return -1
					}
					return 1
				})
				assert.Equal(t, ordered, history, "%s: history is read in the domain's order", path)
				for i, c := range ordered {
					next := ""
					if i+1 < len(ordered) {
						next = ordered[i+1].ID
					}
					assert.Equal(t, next, c.SupersededBy, "%s: %s is superseded by the next consent", path, c.ExternalID)
					assert.Equal(t, c.ExternalID == want, c.ActiveOn(now), "%s: %s active today", path, c.ExternalID)
				}
			}
		})
	}
}

// An import also changes samples, and a new withdrawal is judged with the
// sample's status before and after it (domain.WithdrawalSource): a
// registry that lists a sample as used up together with the withdrawal
// that used it up holds together; a sample that stays depleted or
// destroyed gives nothing more.
func TestImportWithdrawalFromSampleWithoutMaterial(t *testing.T) {
	t.Parallel()
	const newW = "DNB,W9,%s,ST1,1,mL,2022-01-01,,no,\n"
	const rowDEP = "DNB,DEP,D1,,whole blood,,2020-02-01,,10,10,mL,%s\n"
	tests := []struct {
		name   string
		sample string // a samples.csv row, "" for none
		w      string // the new withdrawal's sample
		want   string // error message, "" for none
	}{
		{"depleted sample made available again", fmt.Sprintf(rowDEP, "available"), "DEP", ""},
		{"available sample used up by the withdrawal", fmt.Sprintf("DNB,A,D1,,whole blood,,2020-01-15,,10,10,mL,%s\n", "depleted"), "A", ""},
		{"new sample used up by its withdrawal", "DNB,NEW,D1,,whole blood,,2020-01-15,,10,10,mL,depleted\n", "NEW", ""},
		{"depleted sample listed again", fmt.Sprintf(rowDEP, "depleted"), "DEP", "sample DEP is depleted: no more material can be withdrawn from it"},
		{"depleted sample now destroyed", fmt.Sprintf(rowDEP, "destroyed"), "DEP", "sample DEP is destroyed: no more material can be withdrawn from it"},
		{"depleted sample not listed", "", "DEP", "sample DEP is depleted: no more material can be withdrawn from it"},
	}
	refusals := newParityDB(t) // a refused import writes nothing (checked)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := refusals
			if tt.want == "" {
				db = newParityDB(t)
			}
			before := db.rows(t)
			files := map[string]string{"withdrawals.csv": withdrawalsHeader + fmt.Sprintf(newW, tt.w)}
			if tt.sample != "" {
				files["samples.csv"] = samplesHeader + tt.sample
			}
			rep, err := db.importBundle(t, writeFiles(t, files), false)
			if tt.want == "" {
				require.NoError(t, err, problems(rep))
				assert.Equal(t, 1, rep.Count(domain.ImportWithdrawals).Created)
				return
			}
			require.Error(t, err)
			assert.Equal(t, []verdict{{"sample_id", tt.w, tt.want}}, importVerdicts(rep))
			assert.Equal(t, before, db.rows(t))
		})
	}

	// The base registry again, DEP's withdrawals included: nothing changes.
	db := refusals
	before := db.rows(t)
	rep, err := db.importBundle(t, writeFiles(t, parityBase), false)
	require.NoError(t, err, problems(rep))
	for _, c := range rep.Counts {
		assert.Equal(t, domain.ImportCounts{Kind: c.Kind, Rows: c.Rows, Unchanged: c.Rows}, c, c.Kind)
	}
	assert.Equal(t, before, db.rows(t))
}
