// Package synthetic generates deterministic, fictional biobank data as CSV
// files in Databank's import formats: biobanks, studies, donors, consents,
// diagnoses, samples (with lineage), withdrawals, datasets and a file
// manifest of returned genomic data.
//
// Generation streams donor by donor with constant memory, so a million
// donors need no more memory than a thousand. The same Config (including
// Seed) always produces byte-identical files. The package imports only the
// standard library: it knows the import formats as CSV text, not as domain
// entities.
package synthetic
