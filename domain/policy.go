package domain

import "context"

// Operation names one thing the services do: the name of the service
// method (e.g. "CreateSample"). Every operation has exactly one rule in
// the policy below; an operation without one is denied.
type Operation string

// Rule says who may perform an operation: anybody (Public), or an
// authenticated actor whose role is at least Role.
type Rule struct {
	Public bool
	Role   string
}

// policy is the access policy: one rule per operation, deny by default.
// Reads of the registry need an authenticated researcher; every change,
// import and the change history need staff; vocabulary loads need an
// admin. The access-control work refines these rules (tiers, biobank
// scope, suppression) here and nowhere else.
var policy = map[Operation]Rule{
	"Health":     {Public: true},
	"EntityType": {Role: RoleResearcher},
	"History":    {Role: RoleStaff},

	"CreateBiobank": {Role: RoleStaff}, "UpdateBiobank": {Role: RoleStaff}, "RetireBiobank": {Role: RoleStaff},
	"Biobank": {Role: RoleResearcher}, "BiobankByCode": {Role: RoleResearcher}, "BiobanksByIDs": {Role: RoleResearcher},
	"Biobanks": {Role: RoleResearcher},

	"CreateDonor": {Role: RoleStaff}, "UpdateDonor": {Role: RoleStaff}, "RetireDonor": {Role: RoleStaff},
	"Donor": {Role: RoleResearcher}, "DonorByExternalID": {Role: RoleResearcher}, "DonorsByIDs": {Role: RoleResearcher},
	"Donors":       {Role: RoleResearcher},
	"AddDiagnosis": {Role: RoleStaff}, "RetireDiagnosis": {Role: RoleStaff},
	"Diagnosis": {Role: RoleResearcher}, "DiagnosesByDonorIDs": {Role: RoleResearcher},
	"AddConsent": {Role: RoleStaff}, "UpdateConsent": {Role: RoleStaff}, "RetireConsent": {Role: RoleStaff},
	"Consent": {Role: RoleResearcher}, "ConsentsByDonorIDs": {Role: RoleResearcher},

	"CreateSample": {Role: RoleStaff}, "UpdateSample": {Role: RoleStaff}, "RetireSample": {Role: RoleStaff},
	"Sample": {Role: RoleResearcher}, "SampleByExternalID": {Role: RoleResearcher},
	"SamplesByExternalIDs": {Role: RoleResearcher}, "SamplesByIDs": {Role: RoleResearcher},
	"SamplesByDonorIDs": {Role: RoleResearcher}, "SampleChildren": {Role: RoleResearcher}, "Samples": {Role: RoleResearcher},
	"SampleFacets": {Role: RoleResearcher}, "WithdrawalPreview": {Role: RoleResearcher},
	"DataReturnsByIDs": {Role: RoleResearcher}, "OverdueDataReturns": {Role: RoleStaff},
	"StudyExchangesByIDs": {Role: RoleResearcher},
	// Every request records its audit event, anonymous ones too; only
	// admins read the audit.
	"RecordAudit": {Public: true}, "AuditEvents": {Role: RoleAdmin},

	"CreateStudy": {Role: RoleStaff}, "UpdateStudy": {Role: RoleStaff}, "RetireStudy": {Role: RoleStaff},
	"Study": {Role: RoleResearcher}, "StudyByExternalID": {Role: RoleResearcher}, "StudiesByIDs": {Role: RoleResearcher},
	"Studies": {Role: RoleResearcher},

	"CreateWithdrawal": {Role: RoleStaff}, "UpdateWithdrawal": {Role: RoleStaff}, "RetireWithdrawal": {Role: RoleStaff},
	"Withdrawal": {Role: RoleResearcher}, "WithdrawalByExternalID": {Role: RoleResearcher},
	"WithdrawalsByIDs": {Role: RoleResearcher}, "WithdrawalsBySampleIDs": {Role: RoleResearcher},
	"Withdrawals": {Role: RoleResearcher},

	"RegisterDataFile": {Role: RoleStaff}, "RegisterDataFiles": {Role: RoleStaff}, "RetireDataFile": {Role: RoleStaff},
	"DataFile": {Role: RoleResearcher}, "DataFileByExternalID": {Role: RoleResearcher}, "DataFilesByIDs": {Role: RoleResearcher},
	"DataFilesBySampleIDs": {Role: RoleResearcher}, "DataFilesByWithdrawalIDs": {Role: RoleResearcher},
	"DataFilePagesByDatasetIDs": {Role: RoleResearcher}, "FileSamplePagesByFileIDs": {Role: RoleResearcher},
	"DataFiles": {Role: RoleResearcher},

	"CreateDataset": {Role: RoleStaff}, "UpdateDataset": {Role: RoleStaff}, "SetDatasetFiles": {Role: RoleStaff},
	"RetireDataset": {Role: RoleStaff},
	"Dataset":       {Role: RoleResearcher}, "DatasetByExternalID": {Role: RoleResearcher}, "DatasetsByIDs": {Role: RoleResearcher},
	"DatasetsByFileIDs": {Role: RoleResearcher}, "Datasets": {Role: RoleResearcher},

	"Import": {Role: RoleStaff}, "ImportFile": {Role: RoleStaff},

	"SaveOntology": {Role: RoleAdmin}, "LoadedOntologies": {Role: RoleResearcher}, "Vocabulary": {Role: RoleResearcher},
	"MatchConsent": {Role: RoleResearcher}, "DecideConsent": {Role: RoleResearcher}, "DecideDataUse": {Role: RoleResearcher},

	// API tokens: only admins manage them; presenting one is how a request
	// gets an actor, so checking it needs none.
	"CreateAPIToken": {Role: RoleAdmin}, "APITokens": {Role: RoleAdmin}, "RevokeAPIToken": {Role: RoleAdmin},
	"AuthenticateAPIToken": {Public: true},

	// Federation lookups: researchers for now; the access-control work
	// gives the federation client a tier of its own.
	"DatasetsByKeys": {Role: RoleResearcher}, "DataFilesByKeys": {Role: RoleResearcher},
	"StudiesByAccessions": {Role: RoleResearcher}, "BiobanksByCodes": {Role: RoleResearcher},
	"DatasetSampleSummaries": {Role: RoleResearcher},
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
	case !a.Can(r.Role):
		return Errorf(EFORBIDDEN, "%s needs the %s role", op, r.Role)
	}
	return nil
}

// AuthorizeCtx is Authorize for the actor of ctx.
func AuthorizeCtx(ctx context.Context, op Operation) error {
	return Authorize(ActorFrom(ctx), op)
}
