package registry

import (
	"fmt"
	"path/filepath"
	"strings"

	"databank/domain"
)

// Format is the text layout of a registry file.
type Format string

// Formats a registry file may have.
const (
	FormatAuto Format = ""    // by file name: .csv is CSV, .tsv, .tab and .txt are TSV
	FormatCSV  Format = "csv" // RFC 4180 comma-separated values, quoted fields allowed
	FormatTSV  Format = "tsv" // tab-separated values, one record per line, no quoting
)

// ParseFormat returns the format named s: "csv", "tsv" or "" (auto).
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case FormatAuto, FormatCSV, FormatTSV:
		return f, nil
	}
	return "", fmt.Errorf("registry: unknown format %q: use csv or tsv", s)
}

// splitName splits a file name into its base without extensions, its
// format by extension (FormatAuto when unknown) and whether it ends in .gz.
func splitName(name string) (base string, format Format, gzipped bool) {
	base = strings.ToLower(filepath.Base(name))
	if strings.HasSuffix(base, ".gz") {
		base, gzipped = strings.TrimSuffix(base, ".gz"), true
	}
	switch ext := filepath.Ext(base); ext {
	case ".csv":
		format = FormatCSV
	case ".tsv", ".tab", ".txt":
		format = FormatTSV
	}
	return strings.TrimSuffix(base, filepath.Ext(base)), format, gzipped
}

// FormatOf returns the format a file name implies, or FormatAuto.
func FormatOf(name string) Format {
	_, f, _ := splitName(name)
	return f
}

// KindOf returns the kind a bundle file is named after: "donors.csv",
// "donors.tsv" and "donors.csv.gz" all hold donors.
func KindOf(name string) (domain.ImportKind, bool) {
	base, format, _ := splitName(name)
	if format == FormatAuto {
		return "", false
	}
	return domain.ParseImportKind(base)
}
