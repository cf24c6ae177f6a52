package registry

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"databank/domain"
)

// rowParser reads the typed values of one record and records every
// problem on the row, with its column.
type rowParser struct {
	file   string
	schema *schema
	pos    []int // schema column → record index, -1 when absent
	// written is each column's name as the header spells it
	written []string
	rec     []string
	row     *domain.ImportRow
	bad     []string  // columns that already have an error
	asOf    time.Time // when the file was opened: no date may lie after it
	vocab   domain.Vocabulary
}

// newValidation starts the domain validation of a row.
func (p *rowParser) newValidation() *domain.Validation {
	return domain.NewValidation("").AsOf(p.asOf)
}

// str returns the trimmed value of the named column ("" when the column
// is absent).
func (p *rowParser) str(col string) string {
	i := p.schema.index(col)
	if i < 0 {
		panic("registry: no column " + col + " in " + string(p.schema.kind))
	}
	if j := p.pos[i]; j >= 0 && j < len(p.rec) {
		return strings.TrimSpace(p.rec[j])
	}
	return ""
}

// fail records an error in col.
func (p *rowParser) fail(col, value, format string, args ...any) {
	if slices.Contains(p.bad, col) {
		return
	}
	p.bad = append(p.bad, col)
	value, msg := clipped(value, fmt.Sprintf(format, args...))
	p.row.Errors = append(p.row.Errors, domain.RowError{File: p.file, Line: p.row.Line, Column: p.asWritten(col), Value: value, Message: msg})
}

// asWritten is column col as the file's header spells it: its former
// name in a file that uses it (docs/import.md, renamed columns).
func (p *rowParser) asWritten(col string) string {
	if i := p.schema.index(col); i >= 0 && i < len(p.written) && p.written[i] != "" {
		return p.written[i]
	}
	return col
}

// biobank returns the upper-cased biobank code of the row.
func (p *rowParser) biobank(required bool) string {
	s := strings.ToUpper(p.str("biobank"))
	if s == "" && required {
		p.fail("biobank", "", "is required")
	}
	return s
}

// date parses an optional YYYY-MM-DD date.
func (p *rowParser) date(col string) *time.Time {
	s := p.str(col)
	if s == "" {
		return nil
	}
	t, err := domain.ParseDate(s)
	if err != nil {
		p.fail(col, s, "%v", err)
		return nil
	}
	return &t
}

// int parses an optional integer.
func (p *rowParser) int(col string) *int {
	s := p.str(col)
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		p.fail(col, s, "must be a whole number")
		return nil
	}
	return &n
}

// int64 parses an optional 64-bit integer.
func (p *rowParser) int64(col string) *int64 {
	s := p.str(col)
	if s == "" {
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		p.fail(col, s, "must be a whole number")
		return nil
	}
	return &n
}

// quantity parses an optional non-negative decimal with up to three
// fraction digits.
func (p *rowParser) quantity(col string) *domain.Quantity {
	s := p.str(col)
	if s == "" {
		return nil
	}
	q, err := domain.ParseQuantity(s)
	if err != nil {
		p.fail(col, s, "must be a non-negative decimal number with at most 3 decimals, such as 2.5")
		return nil
	}
	return &q
}

// bool parses an optional yes/no value; empty is false.
func (p *rowParser) bool(col string) bool {
	s := strings.ToLower(p.str(col))
	switch s {
	case "", "false", "no", "n", "f", "0":
		return false
	case "true", "yes", "y", "t", "1":
		return true
	}
	p.fail(col, p.str(col), "must be true or false (yes/no, 1/0)")
	return false
}

// list splits a ;-separated value into its trimmed, non-empty items.
func (p *rowParser) list(col string) []string {
	return splitList(p.str(col))
}

func splitList(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ";")
	out := parts[:0]
	for _, x := range parts {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// ref checks an external id referring to another record: required when
// asked, and of the shape every external id has.
func (p *rowParser) ref(col string, required bool) string {
	s := p.str(col)
	switch {
	case s == "" && required:
		p.fail(col, "", "is required")
	case s != "" && !domain.IsExternalID(s):
		p.fail(col, s, "%s", domain.ExternalIDShape)
	}
	return s
}

// validation moves the field errors and warnings of v onto the row, in
// the columns they concern. A column that already has an error keeps only
// its first one.
func (p *rowParser) validation(v *domain.Validation) {
	for _, f := range v.Fields {
		p.fail(p.schema.columnOf(f.Field), f.Value, "%s", f.Message)
	}
	for _, f := range v.Warnings {
		value, msg := clipped(f.Value, f.Message)
		p.row.Warnings = append(p.row.Warnings, domain.RowError{File: p.file, Line: p.row.Line,
			Column: p.asWritten(p.schema.columnOf(f.Field)), Value: value, Message: msg})
	}
}
