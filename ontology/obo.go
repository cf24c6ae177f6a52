package ontology

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
)

// maxLineLen bounds one line of an OBO file or table.
const maxLineLen = 1 << 20

// ParseOBO reads an OBO 1.4 (or 1.2) file and returns the system and its
// terms, ready for Registry.Load. It streams the input line by line.
//
// From [Term] stanzas it reads id, name, synonym (any scope, and the old
// exact_synonym and similar tags), is_a (several allowed), is_obsolete and
// replaced_by (the first one); other tags, and [Typedef] and other
// stanzas, are skipped. Stanzas whose id has another prefix than system
// (imported terms) are skipped, and so are is_a links to them. From the
// header it reads data-version (or else date) into System.Version, and the
// dc title property (or else the ontology tag) into System.Title.
//
// When system is empty, the prefix of the first term's id is used.
// Errors name the line: "ontology: line 42: ...".
func ParseOBO(r io.Reader, system string) (System, []Term, error) {
	p := oboParser{inHeader: true}
	if strings.TrimSpace(system) != "" {
		prefix, err := canonicalPrefix(system)
		if err != nil {
			return System{}, nil, fmt.Errorf("ontology: system: %w", err)
		}
		p.prefix = prefix
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), maxLineLen)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			text = strings.TrimPrefix(text, "\ufeff")
		}
		if err := p.line(line, strings.TrimSpace(text)); err != nil {
			return System{}, nil, fmt.Errorf("ontology: line %d: %w", line, err)
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return System{}, nil, fmt.Errorf("ontology: line %d: line longer than %d bytes", line+1, maxLineLen)
		}
		return System{}, nil, fmt.Errorf("ontology: line %d: %w", line, err)
	}
	if err := p.finish(); err != nil {
		return System{}, nil, fmt.Errorf("ontology: line %d: %w", line, err)
	}

	sys := System{Name: p.prefix, Prefix: p.prefix, Title: p.title, Version: p.version}
	if sys.Title == "" {
		sys.Title = p.ontology
	}
	if sys.Version == "" {
		sys.Version = p.date
	}
	return sys, p.terms, nil
}

// oboParser holds the state of ParseOBO between lines.
type oboParser struct {
	prefix string // canonical prefix of the system

	ontology, title, version, date string // header values

	inHeader bool // no stanza has started yet
	inTerm   bool // the current stanza is a [Term] of this system so far
	term     Term
	hasID    bool
	termLine int
	skipTerm bool // the current [Term] belongs to another prefix

	terms []Term
	seen  map[string]int // CURIE → line of its stanza
}

func (p *oboParser) line(n int, text string) error {
	if text == "" || text[0] == '!' {
		return nil
	}
	if text[0] == '[' {
		if !strings.HasSuffix(text, "]") {
			return fmt.Errorf("unterminated stanza header %q", clip(text))
		}
		if err := p.finish(); err != nil {
			return err
		}
		p.inHeader = false
		p.inTerm = strings.TrimSpace(text[1:len(text)-1]) == "Term"
		p.term, p.hasID, p.skipTerm, p.termLine = Term{}, false, false, n
		return nil
	}
	tag, value, ok := strings.Cut(text, ":")
	tag = strings.TrimSpace(tag)
	if !ok || tag == "" || strings.ContainsAny(tag, " \t") {
		return fmt.Errorf("expected \"tag: value\", got %q", clip(text))
	}
	value = strings.TrimSpace(value)
	switch {
	case p.inHeader:
		p.header(tag, value)
		return nil
	case !p.inTerm || p.skipTerm:
		return nil
	}
	return p.termTag(tag, value)
}

func (p *oboParser) header(tag, value string) {
	switch tag {
	case "data-version":
		p.version = stripComment(value)
	case "date":
		p.date = stripComment(value)
	case "ontology":
		p.ontology = stripComment(value)
	case "property_value":
		// property_value: http://purl.org/dc/elements/1.1/title "Title" xsd:string
		prop, rest, _ := strings.Cut(value, " ")
		if prop == "http://purl.org/dc/elements/1.1/title" || prop == "dc:title" ||
			prop == "http://purl.org/dc/terms/title" || prop == "dcterms:title" {
			if s, _, err := quoted(strings.TrimSpace(rest)); err == nil {
				p.title = s
			}
		}
	}
}

func (p *oboParser) termTag(tag, value string) error {
	switch tag {
	case "id":
		if p.hasID {
			return errors.New("second id in one stanza")
		}
		id := firstToken(value)
		if p.prefix == "" {
			curie, err := normalizeNested(id, "")
			if err != nil {
				return err
			}
			p.prefix, _, _ = SplitCURIE(curie)
		}
		curie, err := normalizeNested(id, p.prefix)
		if err != nil {
			return err
		}
		prefix, code, _ := SplitCURIE(curie)
		if prefix != p.prefix {
			p.skipTerm = true
			return nil
		}
		if first, dup := p.seen[curie]; dup {
			return fmt.Errorf("duplicate id %s (first on line %d)", curie, first)
		}
		p.term.System, p.term.Code, p.term.CURIE = p.prefix, code, curie
		p.hasID = true
	case "name":
		p.term.Label = unescape(stripComment(value))
	case "synonym", "exact_synonym", "related_synonym", "narrow_synonym", "broad_synonym":
		s, _, err := quoted(value)
		if err != nil {
			return fmt.Errorf("synonym: %w", err)
		}
		if s = strings.TrimSpace(s); s != "" {
			p.term.Synonyms = append(p.term.Synonyms, s)
		}
	case "is_a":
		curie, err := normalizeNested(firstToken(value), p.prefix)
		if err != nil {
			return fmt.Errorf("is_a: %w", err)
		}
		if prefix, _, _ := SplitCURIE(curie); prefix == p.prefix || p.prefix == "" {
			p.term.Parents = append(p.term.Parents, curie)
		}
	case "is_obsolete":
		switch v := strings.ToLower(firstToken(value)); v {
		case "true":
			p.term.Status = StatusObsolete
		case "false":
		default:
			return fmt.Errorf("is_obsolete: want true or false, got %q", clip(v))
		}
	case "replaced_by":
		if p.term.ReplacedBy != "" {
			return nil
		}
		curie, err := normalizeNested(firstToken(value), p.prefix)
		if err != nil {
			return fmt.Errorf("replaced_by: %w", err)
		}
		p.term.ReplacedBy = curie
	}
	return nil
}

// finish ends the current stanza, keeping it when it is a term of the
// system.
func (p *oboParser) finish() error {
	if !p.inTerm || p.skipTerm {
		return nil
	}
	if !p.hasID {
		return fmt.Errorf("[Term] of line %d has no id", p.termLine)
	}
	if p.term.Status == "" {
		p.term.Status = StatusActive
	}
	if p.seen == nil {
		p.seen = map[string]int{}
	}
	p.seen[p.term.CURIE] = p.termLine
	p.terms = append(p.terms, p.term)
	p.inTerm = false
	return nil
}

// stripComment drops a trailing " ! comment" and a trailing "{...}"
// qualifier block.
func stripComment(v string) string {
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case '\\':
			i++
		case '!':
			if i == 0 || v[i-1] == ' ' || v[i-1] == '\t' {
				v = v[:i]
			}
		}
	}
	v = strings.TrimSpace(v)
	if strings.HasSuffix(v, "}") {
		if i := strings.LastIndex(v, " {"); i >= 0 {
			v = strings.TrimSpace(v[:i])
		}
	}
	return v
}

// firstToken returns the first white-space separated word of v.
func firstToken(v string) string {
	if f := strings.Fields(stripComment(v)); len(f) > 0 {
		return f[0]
	}
	return ""
}

// quoted reads a double-quoted OBO string at the start of v and returns
// it unescaped, with the rest of v.
func quoted(v string) (s, rest string, err error) {
	if !strings.HasPrefix(v, `"`) {
		return "", "", errors.New("missing opening quote")
	}
	var b strings.Builder
	for i := 1; i < len(v); i++ {
		switch c := v[i]; c {
		case '\\':
			if i+1 < len(v) {
				i++
				b.WriteByte(unescapeByte(v[i]))
			}
		case '"':
			return b.String(), v[i+1:], nil
		default:
			b.WriteByte(c)
		}
	}
	return "", "", errors.New("missing closing quote")
}

// unescape resolves OBO backslash escapes.
func unescape(v string) string {
	if !strings.Contains(v, `\`) {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '\\' && i+1 < len(v) {
			i++
			b.WriteByte(unescapeByte(v[i]))
			continue
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

func unescapeByte(c byte) byte {
	switch c {
	case 'n':
		return '\n'
	case 't':
		return '\t'
	case 'W':
		return ' '
	}
	return c
}

// clip shortens v for an error message.
func clip(v string) string {
	if len(v) > 60 {
		return v[:60] + "..."
	}
	return v
}
