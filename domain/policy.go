package domain

import "context"

// Operation names one thing the services do: the name of the service
// method (e.g. "CreateSample"). Every operation has exactly one rule in
// the policy below; an operation without one is denied.
type Operation string

// Rule says who may perform an operation: anybody (Public), or an
// authenticated actor whose role is at least Role. Rows marks operations
// that return sample-, donor- or file-level records (personal data):
// researchers, who see aggregates only (counts, donor counts, facets,
// consent decisions without data), may not perform them. Federation marks
// what a federation client (LocalEGA) may do besides: dataset, file and
// sample linkage and consent decisions, never donor records. Approved
// marks row operations open to approved researchers too, within their
// approvals (RowScope): the services keep every record outside them
// out of the answer.
type Rule struct {
	Public     bool
	Role       string
	Rows       bool
	Approved   bool
	Federation bool
}

// policy is the access policy: one rule per operation, deny by default.
// Reads of the registry need an authenticated researcher; every change,
// import and the change history need staff; vocabulary loads need an
// admin. The access-control work refines these rules (tiers, biobank
// scope, suppression) here and nowhere else.
var policy = map[Operation]Rule{
	"Health":     {Public: true},
	"EntityType": {Role: RoleResearcher, Rows: true, Approved: true, Federation: true},
	"History":    {Role: RoleStaff},

	"CreateBiobank": {Role: RoleStaff}, "UpdateBiobank": {Role: RoleStaff}, "RetireBiobank": {Role: RoleStaff},
	"Biobank": {Role: RoleResearcher, Federation: true}, "BiobankByCode": {Role: RoleResearcher, Federation: true}, "BiobanksByIDs": {Role: RoleResearcher, Federation: true},
	"Biobanks": {Role: RoleResearcher},

	"CreateDonor": {Role: RoleStaff}, "UpdateDonor": {Role: RoleStaff}, "RetireDonor": {Role: RoleStaff},
	"Donor": {Role: RoleResearcher, Rows: true, Approved: true}, "DonorByExternalID": {Role: RoleResearcher, Rows: true, Approved: true}, "DonorsByIDs": {Role: RoleResearcher, Rows: true, Approved: true},
	"Donors":       {Role: RoleResearcher},
	"AddDiagnosis": {Role: RoleStaff}, "RetireDiagnosis": {Role: RoleStaff},
	"Diagnosis": {Role: RoleResearcher, Rows: true}, "DiagnosesByDonorIDs": {Role: RoleResearcher, Rows: true},
	"AddConsent": {Role: RoleStaff}, "UpdateConsent": {Role: RoleStaff}, "RetireConsent": {Role: RoleStaff},
	"Consent": {Role: RoleResearcher, Rows: true}, "ConsentsByDonorIDs": {Role: RoleResearcher, Rows: true, Federation: true},

	"CreateSample": {Role: RoleStaff}, "UpdateSample": {Role: RoleStaff}, "RetireSample": {Role: RoleStaff},
	"Sample": {Role: RoleResearcher, Rows: true, Approved: true, Federation: true}, "SampleByExternalID": {Role: RoleResearcher, Rows: true, Approved: true},
	"SamplesByExternalIDs": {Role: RoleResearcher, Rows: true, Approved: true}, "SamplesByIDs": {Role: RoleResearcher, Rows: true, Approved: true, Federation: true},
	"SamplesByDonorIDs": {Role: RoleResearcher, Rows: true, Approved: true}, "SampleChildren": {Role: RoleResearcher, Rows: true, Approved: true}, "Samples": {Role: RoleResearcher, Federation: true},
	"SampleFacets": {Role: RoleResearcher}, "WithdrawalPreview": {Role: RoleResearcher, Rows: true, Approved: true},
	"DataReturnsByIDs": {Role: RoleResearcher, Rows: true}, "OverdueDataReturns": {Role: RoleStaff},
	"StudyExchangesByIDs": {Role: RoleResearcher},
	// Every request records its audit event, anonymous ones too; only
	// admins read the audit.
	"RecordAudit": {Public: true}, "AuditEvents": {Role: RoleAdmin},
	"RecordAccessApproval": {Role: RoleStaff}, "RevokeAccessApproval": {Role: RoleStaff}, "AccessApprovals": {Role: RoleStaff},
	"MyApprovedAccess": {Role: RoleResearcher},
	"AddReference":     {Role: RoleStaff}, "ReferencesByIDs": {Role: RoleResearcher, Federation: true},

	"CreateStudy": {Role: RoleStaff}, "UpdateStudy": {Role: RoleStaff}, "RetireStudy": {Role: RoleStaff},
	"Study": {Role: RoleResearcher, Federation: true}, "StudyByExternalID": {Role: RoleResearcher, Federation: true}, "StudiesByIDs": {Role: RoleResearcher, Federation: true},
	"Studies": {Role: RoleResearcher},

	"CreateWithdrawal": {Role: RoleStaff}, "UpdateWithdrawal": {Role: RoleStaff}, "RetireWithdrawal": {Role: RoleStaff},
	"Withdrawal": {Role: RoleResearcher, Rows: true}, "WithdrawalByExternalID": {Role: RoleResearcher, Rows: true},
	"WithdrawalsByIDs": {Role: RoleResearcher, Rows: true}, "WithdrawalsBySampleIDs": {Role: RoleResearcher, Rows: true},
	"Withdrawals": {Role: RoleResearcher, Rows: true},

	"RegisterDataFile": {Role: RoleStaff}, "RegisterDataFiles": {Role: RoleStaff}, "RetireDataFile": {Role: RoleStaff},
	"DataFile": {Role: RoleResearcher, Rows: true, Approved: true, Federation: true}, "DataFileByExternalID": {Role: RoleResearcher, Rows: true, Approved: true, Federation: true}, "DataFilesByIDs": {Role: RoleResearcher, Rows: true, Approved: true, Federation: true},
	"DataFilesBySampleIDs": {Role: RoleResearcher, Rows: true, Approved: true, Federation: true}, "DataFilesByWithdrawalIDs": {Role: RoleResearcher, Rows: true},
	"DataFilePagesByDatasetIDs": {Role: RoleResearcher, Rows: true, Approved: true, Federation: true}, "FileSamplePagesByFileIDs": {Role: RoleResearcher, Rows: true, Approved: true, Federation: true},
	"DataFiles": {Role: RoleResearcher, Rows: true, Approved: true},

	"CreateDataset": {Role: RoleStaff}, "UpdateDataset": {Role: RoleStaff}, "SetDatasetFiles": {Role: RoleStaff},
	"RetireDataset": {Role: RoleStaff},
	"Dataset":       {Role: RoleResearcher, Federation: true}, "DatasetByExternalID": {Role: RoleResearcher, Federation: true}, "DatasetsByIDs": {Role: RoleResearcher, Federation: true},
	"DatasetsByFileIDs": {Role: RoleResearcher, Federation: true}, "Datasets": {Role: RoleResearcher},

	"Import": {Role: RoleStaff}, "ImportFile": {Role: RoleStaff},

	"SaveOntology": {Role: RoleAdmin}, "LoadedOntologies": {Role: RoleResearcher, Federation: true}, "Vocabulary": {Role: RoleResearcher, Federation: true},
	"MatchConsent": {Role: RoleResearcher, Federation: true}, "DecideConsent": {Role: RoleResearcher, Federation: true}, "DecideDonorConsent": {Role: RoleResearcher, Federation: true}, "DecideDataUse": {Role: RoleResearcher, Federation: true},

	// API tokens: only admins manage them; presenting one is how a request
	// gets an actor, so checking it needs none.
	"CreateAPIToken": {Role: RoleAdmin}, "APITokens": {Role: RoleAdmin}, "RevokeAPIToken": {Role: RoleAdmin},
	"AuthenticateAPIToken": {Public: true},

	// Federation lookups (the gateway's entity resolution).
	"DatasetsByKeys": {Role: RoleResearcher, Federation: true}, "DataFilesByKeys": {Role: RoleResearcher, Rows: true, Federation: true},
	"StudiesByAccessions": {Role: RoleResearcher, Federation: true}, "BiobanksByCodes": {Role: RoleResearcher, Federation: true},
	"DatasetSampleSummaries": {Role: RoleResearcher, Federation: true},
}

// PolicyRule returns the rule of op, and false when op has none (and is
// therefore denied to everybody).
func PolicyRule(op Operation) (Rule, bool) {
	r, ok := policy[op]
	return r, ok
}

// Authorize decides whether a may perform op: nil, EUNAUTHORIZED when
// credentials are needed and missing, or EFORBIDDEN. An operation the
// policy does not know is forbidden to everybody, admins included.
func Authorize(a Actor, op Operation) error {
	r, ok := policy[op]
	switch {
	case !ok:
		return Errorf(EFORBIDDEN, "%s is not allowed to anybody (no access rule)", op)
	case r.Public:
		return nil
	case a.Name == "":
		return Errorf(EUNAUTHORIZED, "authentication required")
	case a.Role == RoleFederation:
		if !r.Federation {
			return Errorf(EFORBIDDEN, "%s is not open to the federation client (dataset, file and sample linkage and consent decisions only)", op)
		}
	case !a.Can(r.Role):
		return Errorf(EFORBIDDEN, "%s needs the %s role", op, r.Role)
	case r.Rows && a.AggregatesOnly() && !r.Approved:
		return Errorf(EFORBIDDEN, "%s returns sample-, donor- or file-level records, which researchers do not see: ask for counts, donor counts and facets (samples { totalCount donorCount }, sampleFacets), or for approved access", op)
	}
	return nil
}

// AggregatesOnly reports whether a sees aggregates only: counts, donor
// counts and facets (small counts suppressed), consent decisions without
// data, vocabularies, and the registry's biobanks, studies and datasets,
// but no sample-, donor- or file-level record. Researchers do; those
// with approvals (a dataset visa, a staff-recorded AccessApproval) see
// the rows of their approvals besides, through the operations whose
// rule is Approved, which the services confine to the RowScope.
func (a Actor) AggregatesOnly() bool { return a.Role == RoleResearcher }

// AuthorizeCtx is Authorize for the actor of ctx.
func AuthorizeCtx(ctx context.Context, op Operation) error {
	return Authorize(ActorFrom(ctx), op)
}
