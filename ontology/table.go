package ontology

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// ParseTable reads a CSV or TSV release of a system and returns the
// system and its terms, ready for Registry.Load. It streams the input.
//
// The first line that is neither blank nor a comment is the header; its
// delimiter (tab, else comma) decides between TSV and CSV. Columns are
// found by name, in any order and letter case:
//
//	code         the code or CURIE (also "id", "curie"); required
//	label        the preferred name (also "name"); required
//	parent       parent codes or CURIEs separated by ';' (also "parents", "is_a")
//	synonyms     synonyms separated by ';' (also "synonym", "shorthand"; several such columns add up)
//	status       "active" (also "root", "current" or empty) or "obsolete" (also "deprecated")
//	replaced_by  the replacing code or CURIE of an obsolete term
//
// Other columns are ignored. Lines starting with '#' are comments;
// comments before the header of the form "# title: ...", "# source: ..."
// and "# version: ..." fill in the System. CSV fields may be quoted; TSV
// fields are taken verbatim. Errors name the line: "ontology: line 7: ...".
func ParseTable(r io.Reader, system string) (System, []Term, error) {
	if strings.TrimSpace(system) == "" {
		return System{}, nil, errors.New("ontology: ParseTable needs a system name")
	}
	prefix, err := canonicalPrefix(system)
	if err != nil {
		return System{}, nil, fmt.Errorf("ontology: system: %w", err)
	}
	tp := tableParser{sys: System{Name: prefix, Prefix: prefix}, seen: map[string]int{}}

	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLineLen)
	line := 0
	header := ""
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		t := strings.TrimSpace(text)
		if t == "" {
			continue
		}
		if t[0] == '#' {
			tp.meta(t[1:])
			continue
		}
		header = text
		break
	}
	if err := scanErr(sc, line); err != nil {
		return System{}, nil, err
	}
	if header == "" {
		return System{}, nil, fmt.Errorf("ontology: line %d: no header line", line)
	}
	headerLine := line

	tsv := strings.Contains(header, "\t")
	var names []string
	if tsv {
		names = strings.Split(header, "\t")
	} else {
		names, err = csv.NewReader(strings.NewReader(header)).Read()
		if err != nil {
			return System{}, nil, fmt.Errorf("ontology: line %d: header: %w", headerLine, unwrapCSV(err))
		}
	}
	if err := tp.columns(names); err != nil {
		return System{}, nil, fmt.Errorf("ontology: line %d: %w", headerLine, err)
	}

	if tsv {
		for sc.Scan() {
			line++
			text := sc.Text()
			if t := strings.TrimSpace(text); t == "" || t[0] == '#' {
				continue
			}
			if err := tp.row(line, strings.Split(text, "\t")); err != nil {
				return System{}, nil, fmt.Errorf("ontology: line %d: %w", line, err)
			}
		}
		if err := scanErr(sc, line); err != nil {
			return System{}, nil, err
		}
		return tp.sys, tp.terms, nil
	}

	lr := &lineReader{sc: sc}
	cr := csv.NewReader(lr)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return System{}, nil, fmt.Errorf("ontology: line %d: %w", headerLine+pe.StartLine, pe.Err)
			}
			if serr := scanErr(sc, headerLine+lr.lines); serr != nil {
				return System{}, nil, serr
			}
			return System{}, nil, fmt.Errorf("ontology: line %d: %w", headerLine+lr.lines, err)
		}
		at, _ := cr.FieldPos(0)
		if err := tp.row(headerLine+at, rec); err != nil {
			return System{}, nil, fmt.Errorf("ontology: line %d: %w", headerLine+at, err)
		}
	}
	return tp.sys, tp.terms, nil
}

// scanErr turns a scanner error into an error naming the line.
func scanErr(sc *bufio.Scanner, line int) error {
	err := sc.Err()
	switch {
	case err == nil:
		return nil
	case errors.Is(err, bufio.ErrTooLong):
		return fmt.Errorf("ontology: line %d: line longer than %d bytes", line+1, maxLineLen)
	}
	return fmt.Errorf("ontology: line %d: %w", line+1, err)
}

func unwrapCSV(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// lineReader feeds the lines of a scanner to a csv.Reader, so that the
// header can be read first and line numbers stay exact.
type lineReader struct {
	sc    *bufio.Scanner
	buf   []byte
	err   error
	lines int
}

// Read serves the scanner's lines, each ended by a newline.
func (l *lineReader) Read(p []byte) (int, error) {
	for len(l.buf) == 0 {
		if l.err != nil {
			return 0, l.err
		}
		if !l.sc.Scan() {
			if l.err = l.sc.Err(); l.err == nil {
				l.err = io.EOF
			}
			continue
		}
		l.lines++
		l.buf = append(append(l.buf[:0], l.sc.Bytes()...), '\n')
	}
	n := copy(p, l.buf)
	l.buf = l.buf[n:]
	return n, nil
}

// tableParser holds the state of ParseTable.
type tableParser struct {
	sys   System
	terms []Term
	seen  map[string]int // CURIE → line
	width int            // number of header columns

	code, label, parent, status, replacedBy int // column indexes, -1 when absent
	synonyms                                []int
}

// meta reads a "key: value" comment before the header.
func (tp *tableParser) meta(comment string) {
	key, value, ok := strings.Cut(comment, ":")
	if !ok {
		return
	}
	value = strings.TrimSpace(value)
	switch strings.ToLower(strings.TrimSpace(key)) {
	case "title":
		tp.sys.Title = value
	case "source":
		tp.sys.Source = value
	case "version":
		tp.sys.Version = value
	}
}

// columns maps header names to column indexes.
func (tp *tableParser) columns(names []string) error {
	tp.width = len(names)
	tp.code, tp.label, tp.parent, tp.status, tp.replacedBy = -1, -1, -1, -1, -1
	for i, raw := range names {
		name := strings.ToLower(strings.TrimSpace(raw))
		var dst *int
		switch name {
		case "code", "id", "curie":
			dst = &tp.code
		case "label", "name":
			dst = &tp.label
		case "parent", "parents", "is_a":
			dst = &tp.parent
		case "status":
			dst = &tp.status
		case "replaced_by", "replacedby", "replaced by":
			dst = &tp.replacedBy
		case "synonyms", "synonym", "shorthand":
			tp.synonyms = append(tp.synonyms, i)
			continue
		default:
			continue
		}
		if *dst >= 0 {
			return fmt.Errorf("header: column %q given twice", name)
		}
		*dst = i
	}
	if tp.code < 0 || tp.label < 0 {
		return errors.New("header: columns code and label are required")
	}
	return nil
}

// row turns the record on the given line into a term.
func (tp *tableParser) row(line int, fields []string) error {
	if len(fields) > tp.width {
		for _, f := range fields[tp.width:] {
			if strings.TrimSpace(f) != "" {
				return fmt.Errorf("%d fields, but the header has %d", len(fields), tp.width)
			}
		}
	}
	get := func(i int) string {
		if i < 0 || i >= len(fields) {
			return ""
		}
		return strings.TrimSpace(fields[i])
	}
	code := get(tp.code)
	if code == "" {
		return errors.New("empty code")
	}
	curie, err := normalizeNested(code, tp.sys.Prefix)
	if err != nil {
		return err
	}
	prefix, c, _ := SplitCURIE(curie)
	if prefix != tp.sys.Prefix {
		return fmt.Errorf("%s is not in system %s", curie, tp.sys.Name)
	}
	if first, dup := tp.seen[curie]; dup {
		return fmt.Errorf("duplicate code %s (first on line %d)", curie, first)
	}
	t := Term{System: tp.sys.Name, Code: c, CURIE: curie, Label: get(tp.label), Status: StatusActive}
	if t.Label == "" {
		return fmt.Errorf("%s: empty label", curie)
	}
	for p := range strings.SplitSeq(get(tp.parent), ";") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		pc, err := normalizeNested(p, tp.sys.Prefix)
		if err != nil {
			return fmt.Errorf("%s: parent: %w", curie, err)
		}
		t.Parents = append(t.Parents, pc)
	}
	for _, i := range tp.synonyms {
		for s := range strings.SplitSeq(get(i), ";") {
			if s = strings.TrimSpace(s); s != "" {
				t.Synonyms = append(t.Synonyms, s)
			}
		}
	}
	switch st := strings.ToLower(get(tp.status)); st {
	case "", "active", "current", "root":
	case "obsolete", "deprecated":
		t.Status = StatusObsolete
	default:
		return fmt.Errorf("%s: unknown status %q", curie, clip(st))
	}
	if rb := get(tp.replacedBy); rb != "" {
		if t.ReplacedBy, err = normalizeNested(rb, tp.sys.Prefix); err != nil {
			return fmt.Errorf("%s: replaced_by: %w", curie, err)
		}
	}
	tp.terms = append(tp.terms, t)
	tp.seen[curie] = line
	return nil
}
