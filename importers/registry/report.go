package registry

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"databank/domain"
)

// ReportFormat returns the format of a report file by its extension:
// "json" for .json, else "csv".
func ReportFormat(path string) string {
	if strings.EqualFold(filepath.Ext(path), ".json") {
		return "json"
	}
	return "csv"
}

// WriteReport writes rep as JSON (the whole report) or CSV (one line per
// error and warning: severity, file, line, column, value, message; the
// file's bad values cannot read as spreadsheet formulas).
func WriteReport(w io.Writer, rep *domain.ImportReport, format string) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return fmt.Errorf("registry: write report: %w", err)
		}
		return nil
	}
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"severity", "file", "line", "column", "value", "message"})
	for _, list := range []struct {
		severity string
		errs     []domain.RowError
	}{{"error", rep.Errors}, {"warning", rep.Warnings}} {
		for _, e := range list.errs {
			line := ""
			if e.Line > 0 {
				line = strconv.Itoa(e.Line)
			}
			_ = cw.Write(domain.SpreadsheetRow([]string{list.severity, e.File, line, e.Column, e.Value, e.Message}))
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("registry: write report: %w", err)
	}
	return nil
}

// PrintProblems writes every error and warning of rep, one per line, e.g.
// `donors.csv:12: column sex: "femal" must be one of female, male, other, unknown`.
func PrintProblems(w io.Writer, rep *domain.ImportReport) {
	for _, e := range rep.Errors {
		fmt.Fprintln(w, e.String())
	}
	if n := rep.ErrorCount - len(rep.Errors); n > 0 {
		fmt.Fprintf(w, "… and %d more error(s) not listed\n", n)
	}
	for _, e := range rep.Warnings {
		fmt.Fprintln(w, "warning: "+e.String())
	}
	if n := rep.WarningCount - len(rep.Warnings); n > 0 {
		fmt.Fprintf(w, "… and %d more warning(s) not listed\n", n)
	}
}

// PrintSummary writes a table of what the import did per kind, the
// elapsed time and the rate, and a closing line saying whether anything
// was written.
func PrintSummary(w io.Writer, rep *domain.ImportReport) {
	fmt.Fprintf(w, "%-12s %10s %10s %10s %10s %10s\n", "kind", "rows", "created", "updated", "unchanged", "rejected")
	var total domain.ImportCounts
	for _, c := range rep.Counts {
		fmt.Fprintf(w, "%-12s %10d %10d %10d %10d %10d\n", c.Kind, c.Rows, c.Created, c.Updated, c.Unchanged, c.Rejected)
		total.Rows += c.Rows
		total.Created += c.Created
		total.Updated += c.Updated
		total.Unchanged += c.Unchanged
		total.Rejected += c.Rejected
	}
	fmt.Fprintf(w, "%-12s %10d %10d %10d %10d %10d\n", "total", total.Rows, total.Created, total.Updated, total.Unchanged, total.Rejected)
	rate := float64(total.Rows) / max(rep.Elapsed.Seconds(), 1e-9)
	fmt.Fprintf(w, "%d rows in %s (%.0f rows/s)\n", total.Rows, rep.Elapsed.Round(time.Millisecond), rate)
	switch {
	case rep.ErrorCount > 0:
		fmt.Fprintf(w, "import rejected: %d error(s); nothing was written\n", rep.ErrorCount)
	case rep.DryRun:
		fmt.Fprintln(w, "dry run: validated; nothing was written")
	case rep.Committed:
		fmt.Fprintln(w, "import committed")
	}
}
