package graph

import (
	"databank/domain"
	"databank/graph/model"
)

// The filter inputs of the schema convert to the domain's filters here,
// field by field; the services normalise and check them.

func sampleFilter(in *model.SampleFilter) domain.SampleFilter {
	if in == nil {
		return domain.SampleFilter{}
	}
	f := domain.SampleFilter{BiobankCode: str(in.Biobank), Biobanks: in.Biobanks, DonorID: str(in.Donor), ExternalIDs: in.SampleIds,
		MaterialType: str(in.MaterialType), AnatomicalSite: str(in.AnatomicalSite), StorageTemperature: str(in.StorageTemperature),
		CollectedFrom: in.CollectedFrom, CollectedTo: in.CollectedTo, Status: str(in.Status), Statuses: in.Statuses,
		Sex: str(in.Sex), BirthYearFrom: in.BirthYearFrom, BirthYearTo: in.BirthYearTo,
		AgeAtCollectionFrom: in.AgeAtCollectionFrom, AgeAtCollectionTo: in.AgeAtCollectionTo,
		Diagnosis: str(in.Diagnosis), VitalStatus: str(in.VitalStatus), HasDataFiles: in.HasDataFiles,
		DerivedFrom: str(in.DerivedFrom), SameDonorAs: str(in.SameDonorAs)}
	set(&f.IncludeRetired, in.IncludeRetired)
	if q := in.RemainingAtLeast; q != nil {
		f.RemainingAtLeast = &domain.QuantityFilter{Amount: q.Amount, Unit: q.Unit}
	}
	if in.HasData != nil {
		d := dataFileFilter(in.HasData)
		f.HasData = &d
	}
	if c := in.Consent; c != nil {
		f.Consent = &domain.ConsentFilter{Purpose: researchPurpose(*c.Purpose), Outcomes: c.Outcomes}
	}
	for i := range in.And {
		f.And = append(f.And, sampleFilter(&in.And[i]))
	}
	for i := range in.Or {
		f.Or = append(f.Or, sampleFilter(&in.Or[i]))
	}
	if in.Not != nil {
		n := sampleFilter(in.Not)
		f.Not = &n
	}
	return f
}

func donorFilter(in *model.DonorFilter) domain.DonorFilter {
	if in == nil {
		return domain.DonorFilter{}
	}
	f := domain.DonorFilter{BiobankCode: str(in.Biobank), Sex: str(in.Sex), Diagnosis: str(in.Diagnosis),
		VitalStatus: str(in.VitalStatus), BirthYearFrom: in.BirthYearFrom, BirthYearTo: in.BirthYearTo}
	set(&f.IncludeRetired, in.IncludeRetired)
	if in.HasSample != nil {
		s := sampleFilter(in.HasSample)
		f.HasSample = &s
	}
	return f
}

func dataFileFilter(in *model.DataFileFilter) domain.DataFileFilter {
	if in == nil {
		return domain.DataFileFilter{}
	}
	f := domain.DataFileFilter{SampleID: str(in.Sample), DonorID: str(in.Donor), DatasetID: str(in.Dataset), StudyID: str(in.Study),
		Format: str(in.Format), Assay: str(in.Assay), Assembly: str(in.Assembly), Accession: str(in.Accession)}
	set(&f.IncludeRetired, in.IncludeRetired)
	if in.HasSample != nil {
		s := sampleFilter(in.HasSample)
		f.Sample = &s
	}
	return f
}

// sampleOrder converts a sample listing's order; nil sorts by id.
func sampleOrder(in *model.SampleOrder) domain.Order {
	if in == nil {
		return domain.Order{}
	}
	return domain.Order{Field: in.Field, Desc: in.Direction != nil && *in.Direction == model.OrderDescending}
}
