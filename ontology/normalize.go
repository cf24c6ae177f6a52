package ontology

import (
	"errors"
	"fmt"
	"strings"
)

// maxInputLen bounds what Normalize accepts; no real code comes near it.
const maxInputLen = 512

// prefixAliases maps other spellings of built-in prefixes (upper case) to
// the canonical prefix.
var prefixAliases = map[string]string{
	"ICD-10": ICD10,
	"ICD_10": ICD10,
}

// builtinPrefixes are the prefixes that Normalize recognises in the OBO
// form PREFIX_DIGITS even when another default system is given.
var builtinPrefixes = map[string]bool{
	DUO: true, ICD10: true, Material: true, Temperature: true,
	Anatomy: true, Assay: true, Format: true, Assembly: true,
}

// Normalize returns the canonical CURIE for input. It accepts
//
//   - a CURIE in any letter case: "duo:0000007", "ICD-10:E11.9";
//   - the OBO form "DUO_0000007" and OBO or other IRIs whose last path
//     segment is such a form or a CURIE:
//     "http://purl.obolibrary.org/obo/DUO_0000007";
//   - a bare code, qualified with defaultSystem: "E11.9" with ICD10.
//
// Prefixes are upper-cased ("ICD-10" becomes "ICD10"). Codes keep their
// letter case, except ICD-10 codes, which are upper-cased and given their
// dot ("e119" becomes "E11.9"); dagger and asterisk marks are dropped.
// Surrounding spaces are ignored. Normalize checks only the form, not
// whether the term exists: see Registry.Term and Registry.Resolve.
func Normalize(input, defaultSystem string) (string, error) {
	if isCanonical(input) {
		return input, nil
	}
	s := strings.TrimSpace(input)
	if s == "" {
		return "", errors.New("ontology: empty code")
	}
	if len(s) > maxInputLen {
		return "", fmt.Errorf("ontology: code of %d bytes is too long", len(s))
	}
	def := ""
	if strings.TrimSpace(defaultSystem) != "" {
		p, err := canonicalPrefix(defaultSystem)
		if err != nil {
			return "", fmt.Errorf("ontology: system: %w", err)
		}
		def = p
	}

	var prefix, code string
	switch {
	case isIRI(s):
		local := strings.TrimSuffix(strings.TrimPrefix(s, "<"), ">")
		local = local[strings.LastIndexAny(local, "/#")+1:]
		if p, c, ok := strings.Cut(local, ":"); ok {
			prefix, code = p, c
		} else if p, c, ok := splitOBO(local); ok {
			prefix, code = p, c
		} else {
			return "", fmt.Errorf("ontology: no code in IRI %q", s)
		}
	case strings.Contains(s, ":"):
		prefix, code, _ = strings.Cut(s, ":")
	default:
		if p, c, ok := splitOBO(s); ok && (def == "" || p == def || builtinPrefixes[p] || prefixAliases[p] != "") {
			prefix, code = p, c
		} else if def == "" {
			return "", fmt.Errorf("ontology: code %q has no prefix and no system was given", s)
		} else {
			prefix, code = def, s
		}
	}

	p, err := canonicalPrefix(prefix)
	if err != nil {
		return "", fmt.Errorf("ontology: bad prefix in %q", s)
	}
	c, err := canonicalCode(p, strings.TrimSpace(code))
	if err != nil {
		return "", fmt.Errorf("ontology: bad code in %q: %w", s, err)
	}
	return p + ":" + c, nil
}

// isCanonical reports, without allocating, whether s is a CURIE that
// Normalize would return unchanged: an upper-case prefix that is no alias,
// one colon, a code of allowed characters, and no ICD-10 code (whose
// rules are more involved).
func isCanonical(s string) bool {
	i := strings.IndexByte(s, ':')
	if i <= 0 || i > 64 || len(s)-i-1 > 128 || i == len(s)-1 || len(s) > maxInputLen {
		return false
	}
	prefix, code := s[:i], s[i+1:]
	if prefix[0] < 'A' || prefix[0] > 'Z' || prefix == ICD10 || prefixAliases[prefix] != "" {
		return false
	}
	for j := 1; j < len(prefix); j++ {
		c := prefix[j]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	for j := 0; j < len(code); j++ {
		c := code[j]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// normalizeNested is Normalize for use inside a longer error message: its
// errors lack the "ontology: " prefix.
func normalizeNested(input, defaultSystem string) (string, error) {
	c, err := Normalize(input, defaultSystem)
	if err != nil {
		return "", errors.New(strings.TrimPrefix(err.Error(), "ontology: "))
	}
	return c, nil
}

// SplitCURIE splits a canonical CURIE into prefix and code. It does not
// normalise; ok is false when curie has no colon.
func SplitCURIE(curie string) (prefix, code string, ok bool) {
	return strings.Cut(curie, ":")
}

// isIRI reports whether s looks like an http(s) IRI, possibly in angle
// brackets.
func isIRI(s string) bool {
	s = strings.ToLower(strings.TrimPrefix(s, "<"))
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// splitOBO splits the OBO local form "PREFIX_0000123": a prefix of letters
// and an all-digit code. It returns the prefix upper-cased.
func splitOBO(s string) (prefix, code string, ok bool) {
	i := strings.LastIndexByte(s, '_')
	if i <= 0 || i == len(s)-1 {
		return "", "", false
	}
	prefix, code = s[:i], s[i+1:]
	for _, r := range prefix {
		if !isLetter(r) {
			return "", "", false
		}
	}
	for _, r := range code {
		if r < '0' || r > '9' {
			return "", "", false
		}
	}
	return strings.ToUpper(prefix), code, true
}

// canonicalPrefix upper-cases p, applies aliases and checks the form:
// a letter, then letters, digits, '_' or '-'.
func canonicalPrefix(p string) (string, error) {
	p = strings.ToUpper(strings.TrimSpace(p))
	if a, ok := prefixAliases[p]; ok {
		return a, nil
	}
	if p == "" || len(p) > 64 || !isLetter(rune(p[0])) {
		return "", fmt.Errorf("bad prefix %q", p)
	}
	for _, r := range p {
		if !isLetter(r) && !isDigit(r) && r != '_' && r != '-' {
			return "", fmt.Errorf("bad prefix %q", p)
		}
	}
	return p, nil
}

// canonicalCode checks the characters of a code (letters, digits, '.',
// '_', '-') and applies the rules of its system.
func canonicalCode(prefix, code string) (string, error) {
	if prefix == ICD10 {
		code = canonicalICD10(code)
	}
	if code == "" {
		return "", errors.New("empty code")
	}
	if len(code) > 128 {
		return "", errors.New("code too long")
	}
	for _, r := range code {
		if !isLetter(r) && !isDigit(r) && r != '.' && r != '_' && r != '-' {
			return "", fmt.Errorf("character %q not allowed", r)
		}
	}
	return code, nil
}

// canonicalICD10 upper-cases an ICD-10 code, drops dagger and asterisk
// marks and the ".-" category suffix, turns en dashes in ranges into
// hyphens and inserts the dot of four-character codes written without it.
func canonicalICD10(code string) string {
	code = strings.ToUpper(code)
	for {
		trimmed := strings.TrimSuffix(strings.TrimRight(code, "*†+ "), ".-")
		if trimmed == code {
			break
		}
		code = trimmed
	}
	code = strings.ReplaceAll(code, "–", "-")
	if len(code) >= 4 && !strings.ContainsAny(code, ".-") && isLetter(rune(code[0])) &&
		isDigit(rune(code[1])) && isDigit(rune(code[2])) {
		code = code[:3] + "." + code[3:]
	}
	return code
}

func isLetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }
func isDigit(r rune) bool  { return r >= '0' && r <= '9' }
