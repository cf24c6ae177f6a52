package model

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"databank/domain"
	"databank/ontology"
)

// This file is the one place where GraphQL enum values meet the domain's
// spellings: one table per enum, bound in gqlgen.yml through the
// Marshal<Enum> and Unmarshal<Enum> functions below. Resolvers and the
// domain only ever see the domain's values ("depleted"); clients only
// ever see the enum's names (DEPLETED).
//
// gqlgen's own enum_values binding is not used: gqlparser accepts a
// variable's enum value in any letter case ("depleted" passes validation),
// and the generated lookup then yields an empty string without an error.
// These tables refuse such values and fail loudly on a domain value that
// has no name.

// Quantity units as the domain stores them: the canonical spellings
// domain.NormalizeUnit returns. The domain names no constants for them.
const (
	UnitMillilitre = "mL"
	UnitMicrolitre = "uL"
	UnitLitre      = "L"
	UnitGram       = "g"
	UnitMilligram  = "mg"
	UnitMicrogram  = "ug"
	UnitNanogram   = "ng"
	UnitCells      = "cells"
	UnitAliquots   = "aliquots"
	UnitSlides     = "slides"
	UnitBlocks     = "blocks"
)

// Sort directions; the domain holds a direction as Order.Desc.
const (
	OrderAscending  = "asc"
	OrderDescending = "desc"
)

// Change actions as the change log records them (the CHECK constraint of
// change_log.action). The domain names no constants for them.
const (
	ChangeCreate  = "create"
	ChangeUpdate  = "update"
	ChangeRetire  = "retire"
	ChangeRestore = "restore"
)

var (
	sexEnum = newEnum("Sex",
		v("FEMALE", domain.SexFemale), v("MALE", domain.SexMale),
		v("OTHER", domain.SexOther), v("UNKNOWN", domain.SexUnknown))
	vitalStatusEnum = newEnum("VitalStatus",
		v("ALIVE", domain.VitalAlive), v("DECEASED", domain.VitalDeceased), v("UNKNOWN", domain.VitalUnknown))
	sampleStatusEnum = newEnum("SampleStatus",
		v("AVAILABLE", domain.SampleAvailable), v("RESERVED", domain.SampleReserved),
		v("DEPLETED", domain.SampleDepleted), v("DESTROYED", domain.SampleDestroyed))
	quantityUnitEnum = newEnum("QuantityUnit",
		v("MILLILITRE", UnitMillilitre), v("MICROLITRE", UnitMicrolitre), v("LITRE", UnitLitre),
		v("GRAM", UnitGram), v("MILLIGRAM", UnitMilligram), v("MICROGRAM", UnitMicrogram), v("NANOGRAM", UnitNanogram),
		v("CELLS", UnitCells), v("ALIQUOTS", UnitAliquots), v("SLIDES", UnitSlides), v("BLOCKS", UnitBlocks))
	importKindEnum = newEnum("ImportKind",
		v("BIOBANKS", domain.ImportBiobanks), v("STUDIES", domain.ImportStudies), v("DATASETS", domain.ImportDatasets),
		v("DONORS", domain.ImportDonors), v("CONSENTS", domain.ImportConsents), v("DIAGNOSES", domain.ImportDiagnoses),
		v("SAMPLES", domain.ImportSamples), v("WITHDRAWALS", domain.ImportWithdrawals), v("FILES", domain.ImportFiles))
	changeActionEnum = newEnum("ChangeAction",
		v("CREATE", ChangeCreate), v("UPDATE", ChangeUpdate), v("RETIRE", ChangeRetire), v("RESTORE", ChangeRestore))
	termStatusEnum = newEnum("TermStatus",
		v("ACTIVE", ontology.StatusActive), v("OBSOLETE", ontology.StatusObsolete))
	consentOutcomeEnum = newEnum("ConsentOutcome",
		v("PERMITTED", domain.ConsentPermitted), v("NEEDS_REVIEW", domain.ConsentNeedsReview), v("DENIED", domain.ConsentDenied))
	sampleFacetEnum = newEnum("SampleFacet",
		v("BIOBANK", domain.FacetBiobank), v("MATERIAL_TYPE", domain.FacetMaterialType),
		v("ANATOMICAL_SITE", domain.FacetAnatomicalSite), v("STORAGE_TEMPERATURE", domain.FacetStorageTemperature),
		v("STATUS", domain.FacetStatus), v("SEX", domain.FacetSex), v("AGE_BAND", domain.FacetAgeBand),
		v("DIAGNOSIS_CHAPTER", domain.FacetDiagnosisChapter), v("DIAGNOSIS_BLOCK", domain.FacetDiagnosisBlock),
		v("ASSAY", domain.FacetAssay), v("FORMAT", domain.FacetFormat), v("ASSEMBLY", domain.FacetAssembly),
		v("DATASET", domain.FacetDataset), v("HAS_DATA", domain.FacetHasData), v("CONSENT_OUTCOME", domain.FacetConsentOutcome))
	previewStatusEnum = newEnum("PreviewStatus",
		v("DATA_AVAILABLE", domain.PreviewDataAvailable), v("DATA_NEEDS_REVIEW", domain.PreviewDataNeedsReview),
		v("DATA_NOT_PERMITTED", domain.PreviewDataNotPermitted), v("WITHDRAWAL_NEEDED", domain.PreviewWithdrawalNeeded),
		v("INSUFFICIENT_MATERIAL", domain.PreviewInsufficientMaterial), v("CONSENT_DENIED", domain.PreviewConsentDenied),
		v("CONSENT_WITHDRAWN", domain.PreviewConsentWithdrawn), v("NO_CONSENT", domain.PreviewNoConsent),
		v("SAMPLE_RETIRED", domain.PreviewSampleRetired), v("UNKNOWN_SAMPLE", domain.PreviewUnknownSample),
		v("DUPLICATE", domain.PreviewDuplicate))
	dataReturnStatusEnum = newEnum("DataReturnStatus",
		v("NOT_REQUIRED", domain.ReturnNotRequired), v("PENDING", domain.ReturnPending),
		v("OVERDUE", domain.ReturnOverdue), v("RETURNED", domain.ReturnReturned))
	orderDirectionEnum   = newEnum("OrderDirection", v("ASC", OrderAscending), v("DESC", OrderDescending))
	sampleOrderFieldEnum = newEnum("SampleOrderField",
		v("COLLECTED_ON", domain.SampleOrderCollectedOn), v("REMAINING_QUANTITY", domain.SampleOrderRemaining),
		v("SAMPLE_ID", domain.SampleOrderSampleID), v("CREATED_AT", domain.SampleOrderCreatedAt))
)

// The Marshal<Enum> and Unmarshal<Enum> functions that gqlgen.yml binds,
// one pair per enum.

func MarshalSex(s string) graphql.ContextMarshaler { return sexEnum.marshal(s) }
func UnmarshalSex(_ context.Context, v any) (string, error) {
	return sexEnum.unmarshal(v)
}

func MarshalVitalStatus(s string) graphql.ContextMarshaler { return vitalStatusEnum.marshal(s) }
func UnmarshalVitalStatus(_ context.Context, v any) (string, error) {
	return vitalStatusEnum.unmarshal(v)
}

func MarshalSampleStatus(s string) graphql.ContextMarshaler { return sampleStatusEnum.marshal(s) }
func UnmarshalSampleStatus(_ context.Context, v any) (string, error) {
	return sampleStatusEnum.unmarshal(v)
}

func MarshalQuantityUnit(s string) graphql.ContextMarshaler { return quantityUnitEnum.marshal(s) }
func UnmarshalQuantityUnit(_ context.Context, v any) (string, error) {
	return quantityUnitEnum.unmarshal(v)
}

func MarshalImportKind(k domain.ImportKind) graphql.ContextMarshaler {
	return importKindEnum.marshal(k)
}
func UnmarshalImportKind(_ context.Context, v any) (domain.ImportKind, error) {
	return importKindEnum.unmarshal(v)
}

func MarshalChangeAction(s string) graphql.ContextMarshaler { return changeActionEnum.marshal(s) }
func UnmarshalChangeAction(_ context.Context, v any) (string, error) {
	return changeActionEnum.unmarshal(v)
}

func MarshalTermStatus(s ontology.Status) graphql.ContextMarshaler { return termStatusEnum.marshal(s) }
func UnmarshalTermStatus(_ context.Context, v any) (ontology.Status, error) {
	return termStatusEnum.unmarshal(v)
}

func MarshalConsentOutcome(o domain.ConsentOutcome) graphql.ContextMarshaler {
	return consentOutcomeEnum.marshal(o)
}

func UnmarshalConsentOutcome(_ context.Context, v any) (domain.ConsentOutcome, error) {
	return consentOutcomeEnum.unmarshal(v)
}

// EnumValues returns, by enum name, the GraphQL names and domain values of
// every enum converted here, in schema order: tests compare them with the
// schema and the domain.
func EnumValues() map[string][][2]string { return enumValues }

var enumValues = map[string][][2]string{}

// pair is one enum value: its GraphQL name and the domain's spelling.
type pair[T ~string] struct {
	name  string
	value T
}

func v[T ~string](name string, value T) pair[T] { return pair[T]{name, value} }

// enum is the table of one GraphQL enum.
type enum[T ~string] struct {
	name     string
	names    string // for messages: "FEMALE, MALE, OTHER, UNKNOWN"
	toDomain map[string]T
	toGraph  map[T]string
}

func newEnum[T ~string](name string, pairs ...pair[T]) *enum[T] {
	e := &enum[T]{name: name, toDomain: map[string]T{}, toGraph: map[T]string{}}
	var names []string
	for _, p := range pairs {
		e.toDomain[p.name] = p.value
		e.toGraph[p.value] = p.name
		names = append(names, p.name)
		enumValues[name] = append(enumValues[name], [2]string{p.name, string(p.value)})
	}
	e.names = strings.Join(names, ", ")
	return e
}

// marshal writes the enum name of a domain value. A value without a name
// is a fault (the domain grew a value the schema lacks), never shown as
// an empty string.
func (e *enum[T]) marshal(value T) graphql.ContextMarshaler {
	return graphql.ContextWriterFunc(func(_ context.Context, w io.Writer) error {
		name, ok := e.toGraph[value]
		if !ok {
			return fmt.Errorf("model: %q has no value in enum %s", string(value), e.name)
		}
		_, err := io.WriteString(w, strconv.Quote(name))
		return err
	})
}

// unmarshal returns the domain value of an enum name, which must be
// spelled exactly as in the schema.
func (e *enum[T]) unmarshal(v any) (T, error) {
	s, ok := v.(string)
	if !ok {
		return "", &domain.Error{Code: domain.EINVALID, Message: fmt.Sprintf("a value of enum %s must be one of %s", e.name, e.names)}
	}
	value, ok := e.toDomain[s]
	if !ok {
		return "", &domain.Error{Code: domain.EINVALID, Message: fmt.Sprintf("%q is not a value of enum %s: use one of %s, spelled as shown", s, e.name, e.names)}
	}
	return value, nil
}

func MarshalSampleFacet(f domain.SampleFacet) graphql.ContextMarshaler {
	return sampleFacetEnum.marshal(f)
}

func UnmarshalSampleFacet(_ context.Context, v any) (domain.SampleFacet, error) {
	return sampleFacetEnum.unmarshal(v)
}

func MarshalSampleOrderField(s string) graphql.ContextMarshaler {
	return sampleOrderFieldEnum.marshal(s)
}

func UnmarshalSampleOrderField(_ context.Context, v any) (string, error) {
	return sampleOrderFieldEnum.unmarshal(v)
}

func MarshalOrderDirection(s string) graphql.ContextMarshaler { return orderDirectionEnum.marshal(s) }

func UnmarshalOrderDirection(_ context.Context, v any) (string, error) {
	return orderDirectionEnum.unmarshal(v)
}

func MarshalPreviewStatus(s domain.PreviewStatus) graphql.ContextMarshaler {
	return previewStatusEnum.marshal(s)
}

func UnmarshalPreviewStatus(_ context.Context, v any) (domain.PreviewStatus, error) {
	return previewStatusEnum.unmarshal(v)
}

func MarshalDataReturnStatus(s domain.DataReturnStatus) graphql.ContextMarshaler {
	return dataReturnStatusEnum.marshal(s)
}

func UnmarshalDataReturnStatus(_ context.Context, v any) (domain.DataReturnStatus, error) {
	return dataReturnStatusEnum.unmarshal(v)
}
