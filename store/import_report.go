package store

import (
	"math/bits"
	"slices"

	"databank/domain"
)

// DefaultImportMaxErrors is how many errors, and separately warnings, an
// import report lists when the request does not say.
const DefaultImportMaxErrors = domain.DefaultImportMaxErrors

// maxDedup bounds the memory spent on recognising an error reported twice.
const maxDedup = 1 << 20

// errorKey identifies an error, to report each once.
type errorKey struct {
	src         int16
	line        int32
	column, msg string
	value       string
}

// collector gathers the errors and warnings of an import, the rows read
// and the rows rejected per kind. Rejected rows are kept as one bit per
// line, so that memory stays small however many rows fail.
type collector struct {
	rep      *domain.ImportReport
	max      int
	names    []string            // source names by index
	kinds    []domain.ImportKind // source kinds by index
	rows     map[domain.ImportKind]int
	rejected [][]uint64 // per source: bit per line
	seen     map[errorKey]struct{}
}

func newCollector(rep *domain.ImportReport, sources []domain.ImportSource, max int) *collector {
	if max <= 0 {
		max = DefaultImportMaxErrors
	}
	c := &collector{rep: rep, max: max, rows: map[domain.ImportKind]int{}, rejected: make([][]uint64, len(sources)),
		seen: map[errorKey]struct{}{}}
	for _, s := range sources {
		c.names = append(c.names, s.Name())
		c.kinds = append(c.kinds, s.Kind())
	}
	return c
}

// rowRead counts a data row and records its errors and warnings.
func (c *collector) rowRead(kind domain.ImportKind, src int16, row *domain.ImportRow) {
	c.rows[kind]++
	for _, e := range row.Errors {
		c.addError(e)
	}
	for _, e := range row.Warnings {
		c.addWarning(e)
	}
	if len(row.Errors) > 0 {
		c.reject(src, row.Line)
	}
}

// fileErrors records problems outside data rows.
func (c *collector) fileErrors(errs domain.RowErrors) {
	for _, e := range errs {
		c.addError(e)
	}
}

// sqlError records an error found by a check in the database, once.
func (c *collector) sqlError(src int16, line int32, column, value, msg string) {
	if len(c.seen) < maxDedup {
		k := errorKey{src: src, line: line, column: column, msg: msg, value: value}
		if _, dup := c.seen[k]; dup {
			return
		}
		c.seen[k] = struct{}{}
	}
	name := ""
	if int(src) < len(c.names) {
		name = c.names[src]
	}
	c.addError(domain.RowError{File: name, Line: int(line), Column: column, Value: value, Message: msg})
	c.reject(src, int(line))
}

func (c *collector) addError(e domain.RowError) {
	c.rep.ErrorCount++
	if len(c.rep.Errors) < c.max {
		c.rep.Errors = append(c.rep.Errors, e)
	}
}

func (c *collector) addWarning(e domain.RowError) {
	c.rep.WarningCount++
	if len(c.rep.Warnings) < c.max {
		c.rep.Warnings = append(c.rep.Warnings, e)
	}
}

// reject marks the row at line of source src as rejected.
func (c *collector) reject(src int16, line int) {
	if int(src) >= len(c.rejected) || line <= 0 {
		return
	}
	set := c.rejected[src]
	w := line / 64
	for len(set) <= w {
		set = append(set, 0)
	}
	set[w] |= 1 << (line % 64)
	c.rejected[src] = set
}

// rejectedRows returns the number of rejected rows of kind.
func (c *collector) rejectedRows(kind domain.ImportKind) int {
	n := 0
	for i, set := range c.rejected {
		if c.kinds[i] != kind {
			continue
		}
		for _, w := range set {
			n += bits.OnesCount64(w)
		}
	}
	return n
}

// sortReport lists the report's errors and warnings in file order (the
// order the sources were given) and line order within a file; the checks
// found them kind by kind, which reads as a jumble. File-wide problems
// (line 0) come first in their file.
func (c *collector) sortReport() {
	pos := make(map[string]int, len(c.names))
	for i, n := range c.names {
		if _, ok := pos[n]; !ok {
			pos[n] = i
		}
	}
	order := func(list []domain.RowError) {
		slices.SortStableFunc(list, func(a, b domain.RowError) int {
			pa, oka := pos[a.File]
			pb, okb := pos[b.File]
			switch {
			case !oka && okb:
				return 1
			case oka && !okb:
				return -1
			case pa != pb:
				return pa - pb
			}
			return a.Line - b.Line
		})
	}
	order(c.rep.Errors)
	order(c.rep.Warnings)
}
