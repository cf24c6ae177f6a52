package domain

import "strings"

// SpreadsheetCell returns s as a CSV cell that a spreadsheet shows as
// text: a cell starting with =, +, -, @, a tab or a carriage return would
// be taken for a formula (CSV injection, OWASP), so it gets a leading
// apostrophe, which spreadsheets hide. Every CSV file Databank writes for
// people passes its cells through here: they echo what was given (a
// requested barcode, a value of an imported line) as well as what is
// stored.
func SpreadsheetCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// SpreadsheetRow is SpreadsheetCell applied to every cell of row, in
// place; it returns row.
func SpreadsheetRow(row []string) []string {
	for i, c := range row {
		row[i] = SpreadsheetCell(c)
	}
	return row
}
