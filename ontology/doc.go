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
// A Registry holds any number of systems. Builtin returns a new registry
// of the built-in systems, read once from the data files embedded from
// data/; the package keeps no registry of its own, so every user of a
// vocabulary is handed the registry it should use. Operators load newer
// releases with ParseOBO or ParseTable followed by Registry.Load; terms
// missing from a new release are kept as obsolete, never deleted, so that
// stored annotations keep resolving. Registry.Replace publishes a release
// built aside to every holder of a registry at once.
//
// The package imports only the standard library.
package ontology
