// Package registry reads the registry files biobank staff export from
// their LIMS and spreadsheets: biobanks, studies, datasets, donors,
// consents, diagnoses, samples, withdrawals and file manifests, as CSV or
// TSV, optionally gzip-compressed, UTF-8 with or without a byte order
// mark, with CRLF or LF line ends.
//
// A Reader streams one file: it maps the header (column names in any
// letter case, with spaces or underscores) to the documented columns,
// parses every row into a domain.ImportRow, validates it with the domain
// Validate methods and attaches every problem to the row with its line and
// column. It holds at most two batches of rows, each of at most 512 rows
// and 4 MiB, so files of any size are read in constant memory; limits.go
// lists what bounds hostile files (records, decompression, NUL bytes). References between rows (a sample's donor, a
// withdrawal's sample) are left to the store, which resolves them against
// the database and the other rows of the import.
//
// The package speaks no SQL; cmd/databank hands its readers to
// store.Store.Import.
package registry
