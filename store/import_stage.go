package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"

	"databank/domain"
)

// stageTable is the staging table (see scratch) the rows of one kind are copied into
// before anything is checked against the database. Every staging table
// starts with src (the index of the source file), line, ok (the row passed
// its own validation) and new_id (the id the row gets if it is new).
type stageTable struct {
	kind    domain.ImportKind
	name    string
	columns string // column definitions after the common ones
	// key reports whether the row names its record well enough to be
	// staged; rows without a key are only reported.
	key func(r *domain.ImportRow) bool
	// values appends the row's values for the columns after the common ones.
	values func(vals []any, r *domain.ImportRow) []any
}

// stageTables lists the staging tables in dependency order.
var stageTables = []*stageTable{
	{
		kind: domain.ImportBiobanks, name: "imp_biobank",
		columns: "code text, name text, country text, contact text",
		key:     func(r *domain.ImportRow) bool { return r.Biobank.Code != "" },
		values: func(v []any, r *domain.ImportRow) []any {
			b := &r.Biobank
			return append(v, b.Code, b.Name, b.Country, b.Contact)
		},
	},
	{
		kind: domain.ImportStudies, name: "imp_study",
		columns: "external_id text, title text, principal_investigator text, ethics_approval text, ega_accession text",
		key:     func(r *domain.ImportRow) bool { return r.Study.ExternalID != "" },
		values: func(v []any, r *domain.ImportRow) []any {
			s := &r.Study
			return append(v, s.ExternalID, s.Title, s.PrincipalInvestigator, s.EthicsApproval, text(s.EGAAccession))
		},
	},
	{
		kind: domain.ImportDatasets, name: "imp_dataset",
		columns: "external_id text, title text, version text, data_use text[], data_access_committee text, description text",
		key:     func(r *domain.ImportRow) bool { return r.Dataset.ExternalID != "" },
		values: func(v []any, r *domain.ImportRow) []any {
			d := &r.Dataset
			return append(v, d.ExternalID, d.Title, d.Version, nonNil(d.DataUse), d.DataAccessCommittee, d.Description)
		},
	},
	{
		kind: domain.ImportDonors, name: "imp_donor",
		columns: "biobank text, external_id text, sex text, birth_year integer, vital_status text",
		key:     func(r *domain.ImportRow) bool { return r.Ref.Biobank != "" && r.Donor.ExternalID != "" },
		values: func(v []any, r *domain.ImportRow) []any {
			d := &r.Donor
			return append(v, r.Ref.Biobank, d.ExternalID, d.Sex, int4(d.BirthYear), d.VitalStatus)
		},
	},
	{
		kind: domain.ImportConsents, name: "imp_consent",
		columns: `biobank text, donor text, external_id text, given_on date, withdrawn_on date, permission text,
			modifiers text[], disease text, document_ref text`,
		key: func(r *domain.ImportRow) bool { return r.Ref.Biobank != "" && r.Consent.ExternalID != "" },
		values: func(v []any, r *domain.ImportRow) []any {
			c := &r.Consent
			return append(v, r.Ref.Biobank, r.Ref.Donor, c.ExternalID, date(optDate(c.GivenOn)), date(c.WithdrawnOn), c.Permission,
				nonNil(c.Modifiers), text(c.Disease), c.DocumentRef)
		},
	},
	{
		kind: domain.ImportDiagnoses, name: "imp_diagnosis",
		columns: "biobank text, donor text, code text, diagnosed_on date, age_at_diagnosis integer",
		key: func(r *domain.ImportRow) bool {
			return r.Ref.Biobank != "" && r.Ref.Donor != "" && r.Diagnosis.Code != ""
		},
		values: func(v []any, r *domain.ImportRow) []any {
			d := &r.Diagnosis
			return append(v, r.Ref.Biobank, r.Ref.Donor, d.Code, date(d.DiagnosedOn), int4(d.AgeAtDiagnosis))
		},
	},
	{
		kind: domain.ImportSamples, name: "imp_sample",
		columns: `biobank text, external_id text, donor text, parent text, material_type text, anatomical_site text,
			collected_on date, storage_temperature text, initial_quantity bigint, registered_remaining bigint,
			quantity_unit text, status text`,
		key: func(r *domain.ImportRow) bool { return r.Ref.Biobank != "" && r.Sample.ExternalID != "" },
		values: func(v []any, r *domain.ImportRow) []any {
			s := &r.Sample
			return append(v, r.Ref.Biobank, s.ExternalID, r.Ref.Donor, text(r.Ref.Parent), s.MaterialType,
				text(s.AnatomicalSite), date(s.CollectedOn), text(s.StorageTemperature), numeric(s.InitialQuantity),
				numeric(s.RegisteredRemaining), text(s.QuantityUnit), s.Status)
		},
	},
	{
		kind: domain.ImportWithdrawals, name: "imp_withdrawal",
		columns: `biobank text, external_id text, sample text, study text, quantity bigint, quantity_unit text,
			withdrawn_on date, recipient text, data_return_required boolean, data_return_due date`,
		key: func(r *domain.ImportRow) bool { return r.Ref.Biobank != "" && r.Withdrawal.ExternalID != "" },
		values: func(v []any, r *domain.ImportRow) []any {
			w := &r.Withdrawal
			q := &w.Quantity
			if *q <= 0 {
				q = nil
			}
			return append(v, r.Ref.Biobank, w.ExternalID, r.Ref.Sample, r.Ref.Study, numeric(q), text(w.QuantityUnit),
				date(optDate(w.WithdrawnOn)), w.Recipient, w.DataReturnRequired, date(w.DataReturnDue))
		},
	},
	{
		kind: domain.ImportFiles, name: "imp_file",
		columns: `biobank text, external_id text, datasets text[], study text, withdrawal text, location text, format text,
			assay text, assembly text, size bigint, md5 text, sha256 text, sample_ids text[], aliases text[]`,
		key: func(r *domain.ImportRow) bool { return r.File.ExternalID != "" },
		values: func(v []any, r *domain.ImportRow) []any {
			f := &r.File
			ids, aliases := make([]string, len(f.Samples)), make([]string, len(f.Samples))
			for i, s := range f.Samples {
				ids[i], aliases[i] = s.SampleID, s.Alias
			}
			size := pgtype.Int8{}
			if f.Size != nil {
				size = pgtype.Int8{Int64: *f.Size, Valid: true}
			}
			return append(v, text(r.Ref.Biobank), f.ExternalID, nonNil(r.Ref.Datasets), text(r.Ref.Study),
				text(r.Ref.Withdrawal), f.Location, f.Format, f.Assay, text(f.Assembly), size, text(f.MD5),
				text(f.SHA256), ids, aliases)
		},
	},
}

// stageTableOf returns the staging table of kind.
func stageTableOf(kind domain.ImportKind) (*stageTable, error) {
	for _, t := range stageTables {
		if t.kind == kind {
			return t, nil
		}
	}
	return nil, fmt.Errorf("store: import: unknown kind %q", kind)
}

// columnNames returns the names of the table's columns, common ones first.
func (t *stageTable) columnNames() []string {
	names := []string{"src", "line", "ok", "new_id"}
	depth, start := 0, 0
	for i := 0; i <= len(t.columns); i++ {
		switch {
		case i < len(t.columns) && t.columns[i] == '(':
			depth++
		case i < len(t.columns) && t.columns[i] == ')':
			depth--
		case i == len(t.columns) || t.columns[i] == ',' && depth == 0:
			names = append(names, strings.Fields(t.columns[start:i])[0])
			start = i + 1
		}
	}
	return names
}

// createStageTables creates every staging table, empty.
func (im *importer) createStageTables(ctx context.Context) error {
	for _, t := range stageTables {
		_, err := im.tx.Exec(ctx, im.scratch.ddl(unloggedPrefix+t.name+" (src smallint NOT NULL, line integer NOT NULL, ok boolean NOT NULL, new_id uuid NOT NULL, "+
			t.columns+")"))
		if err != nil {
			return fmt.Errorf("store: import: create %s: %w", t.name, err)
		}
	}
	return nil
}

// stageSource streams the rows of one source into its staging table.
func (im *importer) stageSource(ctx context.Context, idx int, src domain.ImportSource) error {
	t, err := stageTableOf(src.Kind())
	if err != nil {
		return err
	}
	cs := &copySource{im: im, src: src, idx: int16(idx), table: t, ctx: ctx, keyCols: dupKeyColumns(t)}
	sql := "COPY " + t.name + " (" + strings.Join(t.columnNames(), ", ") + ") FROM STDIN (FORMAT binary)"
	rd := &copyReader{rows: cs}
	_, err = im.tx.Conn().PgConn().CopyFrom(ctx, rd, sql)
	rd.Close() // no more rows are read, even if pgconn's reader lives on
	if cs.err != nil {
		return cs.err
	}
	if err != nil {
		return fmt.Errorf("store: import: copy %s: %w", src.Name(), err)
	}
	im.staged[t.kind] += cs.staged
	im.progress(ImportProgress{Phase: PhaseRead, Kind: t.kind, Source: src.Name(), Rows: cs.rows, Done: true})
	return nil
}

// copySource reads an import source lazily for COPY: rows are parsed,
// validated and reported one at a time, and only rows with a key are sent.
type copySource struct {
	im    *importer
	ctx   context.Context
	src   domain.ImportSource
	idx   int16
	table *stageTable
	// keyCols are the positions of the duplicate checks' key columns
	keyCols [][]int
	vals    []any
	rows    int64
	staged  int64
	err     error
}

// progressEvery is how many rows pass between progress reports.
const progressEvery = 10000

func (c *copySource) Next() bool {
	for {
		row, err := c.src.Next()
		var fileErrs domain.RowErrors
		switch {
		case err == io.EOF:
			return false
		case errors.As(err, &fileErrs):
			c.im.errs.fileErrors(fileErrs)
			continue
		case err != nil:
			c.err = fmt.Errorf("store: import: read %s: %w", c.src.Name(), err)
			return false
		}
		c.rows++
		c.im.errs.rowRead(c.table.kind, c.idx, row)
		if c.rows%progressEvery == 0 {
			if err := c.ctx.Err(); err != nil {
				c.err = err
				return false
			}
			c.im.progress(ImportProgress{Phase: PhaseRead, Kind: c.table.kind, Source: c.src.Name(), Rows: c.rows})
		}
		if !c.table.key(row) {
			continue
		}
		c.staged++
		c.im.noteBiobank(row)
		c.vals = append(c.vals[:0], c.idx, int32(row.Line), len(row.Errors) == 0, pgtype.UUID{Bytes: newID(), Valid: true})
		c.vals = c.table.values(c.vals, row)
		c.im.keys.add(c.keyCols, c.vals)
		return true
	}
}

func (c *copySource) Values() ([]any, error) { return c.vals, nil }

// numeric converts a quantity to thousandths of its unit; the resolve
// step turns them into numeric(15,3) (cheaper than sending numerics).
func numeric(q *domain.Quantity) pgtype.Int8 {
	if q == nil {
		return pgtype.Int8{}
	}
	return pgtype.Int8{Int64: int64(*q), Valid: true}
}

// text converts a string to a text parameter, NULL when empty.
func text(s string) pgtype.Text {
	return pgtype.Text{String: s, Valid: s != ""}
}

// date converts a date to a date parameter.
func date(t *time.Time) pgtype.Date {
	if t == nil {
		return pgtype.Date{}
	}
	return pgtype.Date{Time: *t, Valid: true}
}

// int4 converts an optional int to an integer parameter.
func int4(n *int) pgtype.Int4 {
	if n == nil {
		return pgtype.Int4{}
	}
	return pgtype.Int4{Int32: int32(*n), Valid: true}
}

// optDate returns nil for the zero time.
func optDate(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// nonNil returns an empty list for nil, so that arrays are '{}', not NULL.
func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
