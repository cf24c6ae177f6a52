// Package ontology holds Databank's coded vocabularies: data use
// permissions (DUO), diseases (ICD-10), sample material types (MIABIS),
// storage temperatures, anatomical sites (UBERON), assays, file formats
// and reference assemblies.
//
// Every term is named by a CURIE such as "DUO:0000007" or "ICD10:E11.9"
// and may have several parents, so that a search for "blood" finds plasma
// samples, a filter on ICD-10 C50 finds C50.1, and a disease-specific
// consent for diabetes covers type 2 diabetes.
//
// A Registry holds any number of systems. Default returns the built-in
// systems, read once from the data files embedded from data/. Operators
// load newer releases with ParseOBO or ParseTable followed by
// Registry.Load; terms missing from a new release are kept as obsolete,
// never deleted, so that stored annotations keep resolving.
//
// The package imports only the standard library.
package ontology
