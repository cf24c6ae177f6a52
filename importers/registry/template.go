package registry

import (
	"encoding/csv"
	"fmt"
	"io"

	"databank/domain"
)

// Template returns the header and an example row of kind.
func Template(kind domain.ImportKind) (header, example []string, err error) {
	s, err := schemaOf(kind)
	if err != nil {
		return nil, nil, err
	}
	return Columns(kind), append([]string(nil), s.example...), nil
}

// WriteTemplate writes the header and the example row of kind as CSV, or
// as TSV when format is FormatTSV.
func WriteTemplate(w io.Writer, kind domain.ImportKind, format Format) error {
	header, example, err := Template(kind)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if format == FormatTSV {
		cw.Comma = '\t'
	}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("registry: template: %w", err)
	}
	if err := cw.Write(example); err != nil {
		return fmt.Errorf("registry: template: %w", err)
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("registry: template: %w", err)
	}
	return nil
}

// ColumnHelp returns the documented columns of kind with what each holds.
func ColumnHelp(kind domain.ImportKind) [][2]string {
	s, err := schemaOf(kind)
	if err != nil {
		return nil
	}
	out := make([][2]string, len(s.columns))
	for i, c := range s.columns {
		out[i] = [2]string{c.name, c.help}
	}
	return out
}
