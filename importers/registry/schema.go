package registry

import (
	"fmt"
	"strings"
	"unicode"

	"databank/domain"
)

// column is one documented column of a kind of file.
type column struct {
	name string
	help string // what the column holds, for docs and the template
	// optional columns may be left out of the header; a row then reads
	// them as empty.
	optional bool
	// formerly is the column's former name (docs/glossary.md), still
	// read in a header as this column.
	formerly string
}

// schema describes one kind of file: its columns, how a row is parsed,
// and an example row.
type schema struct {
	kind    domain.ImportKind
	columns []column
	// oneOf lists groups of optional columns of which at least one must
	// be in the header.
	oneOf [][]string
	// fields maps a domain validation field to its column when the
	// column is not the field's snake_case spelling.
	fields  map[string]string
	parse   func(p *rowParser, row *domain.ImportRow)
	example []string
	// positions maps a column name to its position in columns.
	positions map[string]int
}

var schemas = map[domain.ImportKind]*schema{}

func register(s *schema) *schema {
	if len(s.example) != len(s.columns) {
		panic(fmt.Sprintf("registry: example of %s has %d values for %d columns", s.kind, len(s.example), len(s.columns)))
	}
	s.positions = make(map[string]int, len(s.columns))
	for i, c := range s.columns {
		s.positions[c.name] = i
		if c.formerly != "" {
			s.positions[c.formerly] = i
		}
	}
	schemas[s.kind] = s
	return s
}

// schemaOf returns the schema of kind.
func schemaOf(kind domain.ImportKind) (*schema, error) {
	s, ok := schemas[kind]
	if !ok {
		return nil, fmt.Errorf("registry: unknown kind %q", kind)
	}
	return s, nil
}

// index returns the position of the named column, or -1.
func (s *schema) index(name string) int {
	if i, ok := s.positions[name]; ok {
		return i
	}
	return -1
}

// columnOf returns the column a domain validation field refers to.
func (s *schema) columnOf(field string) string {
	if c, ok := s.fields[field]; ok {
		return c
	}
	return snake(field)
}

// Columns returns the documented column names of kind, in order.
func Columns(kind domain.ImportKind) []string {
	s, err := schemaOf(kind)
	if err != nil {
		return nil
	}
	out := make([]string, len(s.columns))
	for i, c := range s.columns {
		out[i] = c.name
	}
	return out
}

// normalizeHeader turns a header cell into a column name: lower case,
// trimmed, with runs of spaces, hyphens and underscores as one underscore.
func normalizeHeader(h string) string {
	var b strings.Builder
	sep := false
	for _, r := range strings.TrimSpace(h) {
		if unicode.IsSpace(r) || r == '_' || r == '-' {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('_')
		}
		sep = false
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// snake converts a camelCase field name to snake_case.
func snake(field string) string {
	var b strings.Builder
	for i, r := range field {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
