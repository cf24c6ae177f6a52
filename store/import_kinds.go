package store

import (
	"github.com/jackc/pgx/v5/pgtype"

	"databank/domain"
)

// importKinds describes every import kind, in dependency order: a column
// of a kind is one entry of its fields (plus the migration adding it to
// the records' table).
var importKinds = []*importKind{
	{
		kind: domain.ImportBiobanks, name: "biobank", table: "biobank",
		has: func(r *domain.ImportRow) bool { return r.Biobank.Code != "" },
		fields: []field{
			{name: "code", typ: "text", role: key, value: func(r *domain.ImportRow) any { return r.Biobank.Code }},
			{name: "name", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return r.Biobank.Name }},
			{name: "country", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return r.Biobank.Country }},
			{name: "contact", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return r.Biobank.Contact }},
		},
		dups: []dupKey{{cols: []string{"code"}, column: "code", value: "code", what: "biobank"}},
		after: []string{`UPDATE imp_bbk b SET id = coalesce(
			(SELECT t.id FROM biobank t WHERE t.code = b.code),
			(SELECT r.id FROM res_biobank r WHERE r.code = b.code ORDER BY r.src, r.line LIMIT 1))`},
	},
	{
		kind: domain.ImportStudies, name: "study", table: "study",
		has: func(r *domain.ImportRow) bool { return r.Study.ExternalID != "" },
		fields: []field{
			{name: "external_id", typ: "text", role: key, value: func(r *domain.ImportRow) any { return r.Study.ExternalID }},
			{name: "title", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return r.Study.Title }},
			{name: "principal_investigator", typ: "text", role: attr,
				value: func(r *domain.ImportRow) any { return r.Study.PrincipalInvestigator }},
			{name: "ethics_approval", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return r.Study.EthicsApproval }},
			{name: "accession", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return text(r.Study.Accession) }},
		},
		dups: []dupKey{
			{cols: []string{"external_id"}, column: "study_id", value: "external_id", what: "study"},
			{cols: []string{"accession"}, nonNull: true, column: "accession", value: "accession", what: "EGA study accession"},
		},
	},
	{
		kind: domain.ImportDatasets, name: "dataset", table: "dataset",
		has: func(r *domain.ImportRow) bool { return r.Dataset.ExternalID != "" },
		fields: []field{
			{name: "external_id", typ: "text", role: key, value: func(r *domain.ImportRow) any { return r.Dataset.ExternalID }},
			{name: "title", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return r.Dataset.Title }},
			{name: "version", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return r.Dataset.Version }},
			{name: "data_use", typ: "text[]", role: attr, value: func(r *domain.ImportRow) any { return nonNil(r.Dataset.DataUse) }},
			{name: "data_access_committee", typ: "text", role: attr,
				value: func(r *domain.ImportRow) any { return r.Dataset.DataAccessCommittee }},
			{name: "description", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return r.Dataset.Description }},
		},
		dups: []dupKey{{cols: []string{"external_id"}, column: "dataset_id", value: "external_id", what: "dataset"}},
	},
	{
		kind: domain.ImportDonors, name: "donor", table: "donor",
		has: func(r *domain.ImportRow) bool { return r.Ref.Biobank != "" && r.Donor.ExternalID != "" },
		fields: []field{
			biobankField(key),
			{name: "external_id", typ: "text", role: key, value: func(r *domain.ImportRow) any { return r.Donor.ExternalID }},
			{name: "sex", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return r.Donor.Sex }},
			{name: "birth_year", typ: "integer", role: attr, value: func(r *domain.ImportRow) any { return int4(r.Donor.BirthYear) }},
			{name: "vital_status", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return r.Donor.VitalStatus }},
		},
		dups: []dupKey{{cols: []string{"biobank", "external_id"}, column: "donor_id", value: "external_id", what: "donor"}},
	},
	{
		// A consent's terms and donor never change (checkConsentChanges
		// refuses it); only its withdrawal and document do.
		kind: domain.ImportConsents, name: "consent", table: "consent",
		has: func(r *domain.ImportRow) bool { return r.Ref.Biobank != "" && r.Consent.ExternalID != "" },
		fields: []field{
			biobankField(key),
			{name: "donor", typ: "text", role: insertOnly, ref: donorRef, value: func(r *domain.ImportRow) any { return r.Ref.Donor }},
			{name: "external_id", typ: "text", role: key, value: func(r *domain.ImportRow) any { return r.Consent.ExternalID }},
			{name: "given_on", typ: "date", role: insertOnly, value: func(r *domain.ImportRow) any { return date(optDate(r.Consent.GivenOn)) }},
			{name: "withdrawn_on", typ: "date", role: attr, value: func(r *domain.ImportRow) any { return date(r.Consent.WithdrawnOn) }},
			{name: "permission", typ: "text", role: insertOnly, value: func(r *domain.ImportRow) any { return r.Consent.Permission }},
			{name: "modifiers", typ: "text[]", role: insertOnly, value: func(r *domain.ImportRow) any { return nonNil(r.Consent.Modifiers) }},
			{name: "disease", typ: "text", role: insertOnly, value: func(r *domain.ImportRow) any { return text(r.Consent.Disease) }},
			{name: "document_ref", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return r.Consent.DocumentRef }},
		},
		dups:     []dupKey{{cols: []string{"biobank", "external_id"}, column: "consent_id", value: "external_id", what: "consent"}},
		recorded: []named{{"old_withdrawn_on", "t.withdrawn_on"}},
		// New consents arrive already linked to the consent that
		// supersedes them (the order supersede uses), so that creating a
		// consent is not also logged as a change; supersede then relinks
		// the donors' existing consents.
		insertFrom: `LEFT JOIN (
			       SELECT c.id, lead(c.id) OVER (` + consentHistory + `) AS next_id FROM (
			              SELECT id, donor_id, given_on FROM consent
			               WHERE retired_at IS NULL AND donor_id IN (SELECT donor_id FROM res_consent WHERE is_new)
			              UNION ALL
			              SELECT id, donor_id, given_on FROM res_consent WHERE is_new) c) n ON n.id = r.id`,
		insertCols: []named{{"superseded_by", "n.next_id"}},
		merged:     supersedeImported,
	},
	{
		kind: domain.ImportDiagnoses, name: "diagnosis", table: "diagnosis",
		has: func(r *domain.ImportRow) bool {
			return r.Ref.Biobank != "" && r.Ref.Donor != "" && r.Diagnosis.Code != ""
		},
		fields: []field{
			biobankField(carried),
			{name: "donor", typ: "text", role: key, ref: donorRef, value: func(r *domain.ImportRow) any { return r.Ref.Donor }},
			{name: "code", typ: "text", role: key, value: func(r *domain.ImportRow) any { return r.Diagnosis.Code }},
			{name: "diagnosed_on", typ: "date", role: attr, value: func(r *domain.ImportRow) any { return date(r.Diagnosis.DiagnosedOn) }},
			{name: "age_at_diagnosis", typ: "integer", role: attr,
				value: func(r *domain.ImportRow) any { return int4(r.Diagnosis.AgeAtDiagnosis) }},
		},
		dups: []dupKey{{cols: []string{"biobank", "donor", "code"}, column: "code", value: "code", what: "diagnosis of the same donor"}},
	},
	{
		// A parent may be a sample in the database or a staged row; a
		// staged row that exists keeps its database id, so the parent's
		// final id is the database id when there is one, else the staged
		// row's new id. Only the columns later statements read are kept:
		// a million rows of res_sample are written once and read several
		// times. withdrawn is set from the import's totals, so that a new
		// registry remainder and the withdrawals it allows arrive together.
		kind: domain.ImportSamples, name: "sample", table: "sample",
		has: func(r *domain.ImportRow) bool { return r.Ref.Biobank != "" && r.Sample.ExternalID != "" },
		fields: []field{
			biobankField(key),
			{name: "external_id", typ: "text", role: key, value: func(r *domain.ImportRow) any { return r.Sample.ExternalID }},
			{name: "donor", typ: "text", role: attr, ref: donorRef, value: func(r *domain.ImportRow) any { return r.Ref.Donor }},
			{name: "parent", typ: "text", role: attr, ref: &ref{column: "parent_id", table: "sample", staged: "imp_sample", stagedID: "new_id", scoped: true,
				what: "parent sample", header: "parent_sample_id"},
				value: func(r *domain.ImportRow) any { return text(r.Ref.Parent) }},
			{name: "material_type", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return r.Sample.MaterialType }},
			{name: "anatomical_site", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return text(r.Sample.AnatomicalSite) }},
			{name: "collected_on", typ: "date", role: attr, value: func(r *domain.ImportRow) any { return date(r.Sample.CollectedOn) }},
			{name: "storage_temperature", typ: "text", role: attr,
				value: func(r *domain.ImportRow) any { return text(r.Sample.StorageTemperature) }},
			{name: "initial_quantity", typ: "bigint", role: attr, conv: quantityConv("initial_quantity"),
				value: func(r *domain.ImportRow) any { return numeric(r.Sample.InitialQuantity) }},
			{name: "registered_remaining", typ: "bigint", role: attr, conv: quantityConv("registered_remaining"),
				value: func(r *domain.ImportRow) any { return numeric(r.Sample.RegisteredRemaining) }},
			{name: "quantity_unit", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return text(r.Sample.QuantityUnit) }},
			{name: "status", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return r.Sample.Status }},
		},
		dups: []dupKey{{cols: []string{"biobank", "external_id"}, column: "sample_id", value: "external_id", what: "sample"}},
		derived: []named{{"parent_same_donor", `CASE WHEN parent_imp.line IS NOT NULL THEN parent_imp.donor = s.donor
			WHEN parent_db.id IS NOT NULL THEN parent_db.donor_id = coalesce(donor_db.id, donor_imp.id) END`}},
		recorded: []named{{"old_parent_id", "t.parent_id"}},
		// $1 is domain.ParentOfAnotherDonorFormat, which
		// ParentOfAnotherDonor words mutations' errors with.
		checks: []rowCheck{{failed: "r.parent_same_donor = false AND r.donor_id IS NOT NULL", column: "'parent_sample_id'", value: "r.parent",
			msg: "format($1, r.parent, r.donor)"}},
		checkArgs: []any{domain.ParentOfAnotherDonorFormat},
		after: []string{
			// The staged samples that withdrawals and file links name, or
			// that changed: the only ones later statements look up among
			// the staged samples, so that each joins a few rows instead of
			// all of them. (A withdrawal moved away from a sample leaves it
			// a smaller total; if that sample is staged unchanged, the
			// database holds the same figures.) The keys come first, in a
			// table of their own, so that the pass over the staged samples
			// can run in parallel.
			`CREATE UNLOGGED TABLE res_sample_keys AS
			SELECT biobank, sample AS ext FROM imp_withdrawal
			 UNION SELECT f.biobank, x.ext FROM imp_file f CROSS JOIN LATERAL unnest(f.sample_ids) AS x(ext)`,
			`CREATE UNLOGGED TABLE res_sample_ref AS
			SELECT rs.src, rs.line, rs.ok, rs.biobank, rs.external_id, rs.id, rs.is_new, rs.changed, rs.quantity_unit, rs.registered_remaining,
			       rs.status
			  FROM res_sample rs LEFT JOIN res_sample_keys k ON k.biobank = rs.biobank AND k.ext = rs.external_id
			 WHERE rs.changed OR k.ext IS NOT NULL`,
		},
		updateFrom: "LEFT JOIN res_withdrawn w ON w.sample_id = r.id",
		insertFrom: "LEFT JOIN res_withdrawn w ON w.sample_id = r.id",
		updateSet:  []named{{"withdrawn", "coalesce(w.total, 0)"}},
		insertCols: []named{{"withdrawn", "coalesce(w.total, 0)"}},
	},
	{
		kind: domain.ImportWithdrawals, name: "withdrawal", table: "withdrawal",
		has: func(r *domain.ImportRow) bool { return r.Ref.Biobank != "" && r.Withdrawal.ExternalID != "" },
		fields: []field{
			biobankField(key),
			{name: "external_id", typ: "text", role: key, value: func(r *domain.ImportRow) any { return r.Withdrawal.ExternalID }},
			// The staged samples a withdrawal may name are in res_sample_ref.
			{name: "sample", typ: "text", role: attr, ref: &ref{column: "sample_id", table: "sample", staged: "res_sample_ref", scoped: true,
				what: "sample", header: "sample_id"},
				value: func(r *domain.ImportRow) any { return r.Ref.Sample }},
			{name: "study", typ: "text", role: attr, ref: studyRef, value: func(r *domain.ImportRow) any { return r.Ref.Study }},
			{name: "quantity", typ: "bigint", role: attr, conv: quantityConv("quantity"), value: func(r *domain.ImportRow) any {
				if q := &r.Withdrawal.Quantity; *q > 0 {
					return numeric(q)
				}
				return numeric(nil)
			}},
			{name: "quantity_unit", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return text(r.Withdrawal.QuantityUnit) }},
			{name: "withdrawn_on", typ: "date", role: attr,
				value: func(r *domain.ImportRow) any { return date(optDate(r.Withdrawal.WithdrawnOn)) }},
			{name: "recipient", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return r.Withdrawal.Recipient }},
			{name: "data_return_required", typ: "boolean", role: attr,
				value: func(r *domain.ImportRow) any { return r.Withdrawal.DataReturnRequired }},
			{name: "data_return_due", typ: "date", role: attr, value: func(r *domain.ImportRow) any { return date(r.Withdrawal.DataReturnDue) }},
		},
		dups: []dupKey{{cols: []string{"biobank", "external_id"}, column: "withdrawal_id", value: "external_id", what: "withdrawal"}},
		derived: []named{
			{"sample_unit", "CASE WHEN sample_imp.line IS NOT NULL THEN sample_imp.quantity_unit ELSE sample_db.quantity_unit END"},
			{"sample_status", "CASE WHEN sample_imp.line IS NOT NULL THEN sample_imp.status ELSE sample_db.status END"},
			{"sample_status_before", "sample_db.status"},
			{"sample_ok", "coalesce(sample_imp.ok, true)"},
			{"sample_is_new", "coalesce(sample_imp.is_new, false)"},
		},
		recorded: []named{{"old_sample_id", "t.sample_id"}, {"old_quantity", "t.quantity"}, {"retired", "coalesce(t.retired_at IS NOT NULL, false)"}},
		after: []string{
			// The withdrawn total of every sample whose total may change:
			// samples of staged withdrawals (before and after), and changed
			// samples. The staged withdrawals replace their database
			// versions.
			`CREATE UNLOGGED TABLE res_withdrawn AS
			WITH affected AS (
				      SELECT sample_id AS id FROM res_withdrawal WHERE sample_id IS NOT NULL
				UNION SELECT old_sample_id FROM res_withdrawal WHERE old_sample_id IS NOT NULL
				UNION SELECT id FROM res_sample_ref WHERE changed)
			SELECT a.sample_id, sum(a.quantity) AS total FROM (
				SELECT sample_id, quantity FROM res_withdrawal
				 WHERE sample_id IS NOT NULL AND quantity IS NOT NULL AND NOT retired AND quantity_unit IS NOT DISTINCT FROM sample_unit
				UNION ALL
				SELECT w.sample_id, w.quantity FROM withdrawal w
				 WHERE w.retired_at IS NULL AND w.sample_id IN (SELECT id FROM affected)
				   AND NOT EXISTS (SELECT 1 FROM res_withdrawal r WHERE r.id = w.id)) a
			 GROUP BY a.sample_id`,
		},
		merged: recomputeImported,
	},
	{
		// A file is the record with its file id, else the one with its
		// sha256: registering the same content again updates it.
		kind: domain.ImportFiles, name: "file", table: "data_file",
		has: func(r *domain.ImportRow) bool { return r.File.ExternalID != "" },
		fields: []field{
			{name: "biobank", typ: "text", role: carried, ref: &ref{column: "biobank_id", table: "biobank", optional: true, what: "biobank", header: "biobank"},
				value: func(r *domain.ImportRow) any { return text(r.Ref.Biobank) }},
			{name: "external_id", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return r.File.ExternalID }},
			{name: "datasets", typ: "text[]", role: carried, value: func(r *domain.ImportRow) any { return nonNil(r.Ref.Datasets) }},
			{name: "study", typ: "text", role: attr, ref: studyRef, value: func(r *domain.ImportRow) any { return text(r.Ref.Study) }},
			{name: "withdrawal", typ: "text", role: attr, ref: &ref{column: "withdrawal_id", table: "withdrawal", scoped: true, what: "withdrawal", header: "withdrawal_id"},
				value: func(r *domain.ImportRow) any { return text(r.Ref.Withdrawal) }},
			{name: "location", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return r.File.Location }},
			{name: "format", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return r.File.Format }},
			{name: "assay", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return r.File.Assay }},
			{name: "assembly", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return text(r.File.Assembly) }},
			{name: "size", typ: "bigint", role: attr, value: func(r *domain.ImportRow) any { return bigint(r.File.Size) }},
			{name: "md5", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return text(r.File.MD5) }},
			{name: "sha256", typ: "text", role: attr, value: func(r *domain.ImportRow) any { return text(r.File.SHA256) }},
			{name: "software", typ: "text", role: attr, unset: "''", value: func(r *domain.ImportRow) any { return text(r.File.Software) }},
			{name: "sample_ids", typ: "text[]", role: carried, value: func(r *domain.ImportRow) any {
				ids := make([]string, len(r.File.Samples))
				for i, s := range r.File.Samples {
					ids[i] = s.SampleID
				}
				return ids
			}},
			{name: "aliases", typ: "text[]", role: carried, value: func(r *domain.ImportRow) any {
				aliases := make([]string, len(r.File.Samples))
				for i, s := range r.File.Samples {
					aliases[i] = s.Alias
				}
				return aliases
			}},
		},
		dups: []dupKey{
			{cols: []string{"external_id"}, column: "file_id", value: "external_id", what: "file"},
			{cols: []string{"sha256"}, nonNull: true, column: "sha256", value: "sha256", what: "content (sha256)"},
		},
		derived: []named{{"by_id", "te.id"}, {"by_sha", "th.id"}, {"sha_owner", "th.external_id"}},
		joins:   "LEFT JOIN data_file te ON te.external_id = s.external_id LEFT JOIN data_file th ON th.sha256 = s.sha256",
		match:   "t.id = coalesce(x.by_id, x.by_sha)",
		after: []string{
			`CREATE UNLOGGED TABLE res_file_sample AS
			SELECT r.src, r.line, r.id AS file_id, r.biobank_id, x.ext, x.alias, coalesce(sp.id, rs.id) AS sample_id
			  FROM res_file r CROSS JOIN LATERAL unnest(r.sample_ids, r.aliases) AS x(ext, alias)
			  LEFT JOIN res_sample_ref rs ON rs.biobank = r.biobank AND rs.external_id = x.ext
			  LEFT JOIN sample sp ON sp.biobank_id = r.biobank_id AND sp.external_id = x.ext`,

			`CREATE UNLOGGED TABLE res_file_dataset AS
			SELECT r.src, r.line, r.id AS file_id, x.ext, coalesce(d.id, rd.id) AS dataset_id
			  FROM res_file r CROSS JOIN LATERAL unnest(r.datasets) AS x(ext)
			  LEFT JOIN res_dataset rd ON rd.external_id = x.ext
			  LEFT JOIN dataset d ON d.external_id = x.ext`,

			// A file whose record is unchanged but gains a sample, a sample
			// name or a dataset is updated too.
			`UPDATE res_file r SET changed = true
			  WHERE NOT r.is_new AND NOT r.changed AND (
				EXISTS (SELECT 1 FROM res_file_sample l WHERE l.file_id = r.id AND l.sample_id IS NOT NULL AND NOT EXISTS (
					SELECT 1 FROM data_file_sample d WHERE d.data_file_id = l.file_id AND d.sample_id = l.sample_id AND d.alias = l.alias))
				OR EXISTS (SELECT 1 FROM res_file_dataset l WHERE l.file_id = r.id AND l.dataset_id IS NOT NULL AND NOT EXISTS (
					SELECT 1 FROM dataset_file d WHERE d.data_file_id = l.file_id AND d.dataset_id = l.dataset_id)))`,
		},
		merged: linkImportedFiles,
	},
}

// References shared by several kinds.
var (
	donorRef = &ref{column: "donor_id", table: "donor", scoped: true, what: "donor", header: "donor_id"}
	studyRef = &ref{column: "study_id", table: "study", what: "study", header: "study_id"}
)

// biobankField is the biobank code a row of a biobank's records names,
// resolved into biobank_id.
func biobankField(r role) field {
	return field{name: "biobank", typ: "text", role: r, ref: &ref{column: "biobank_id", table: "biobank", what: "biobank", header: "biobank"},
		value: func(r *domain.ImportRow) any { return r.Ref.Biobank }}
}

// quantityConv turns thousandths of a unit (cheaper to send than
// numerics, see numeric) into the records' numeric(15,3).
func quantityConv(name string) string {
	return "(s." + name + " / 1000.0)::numeric(15,3)"
}

// bigint converts an optional size to a bigint parameter.
func bigint(n *int64) pgtype.Int8 {
	if n == nil {
		return pgtype.Int8{}
	}
	return pgtype.Int8{Int64: *n, Valid: true}
}
