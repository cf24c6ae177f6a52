package genomic

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// vcfHeader accumulates the meta-information lines of a VCF header (of a
// VCF file, or the text of a BCF header) until the #CHROM line.
type vcfHeader struct {
	version    string // from ##fileformat=VCFv4.2: "4.2"
	contigs    []Contig
	seen       map[string]bool // contig IDs
	assemblies []string        // assembly= of ##contig lines
	references []string        // ##reference values
	programs   []Program
	toolIndex  map[string]int // tool of a ##<tool>Version/Command pair → index in programs
	samples    []string
	lines      int  // lines seen so far, for messages
	done       bool // the #CHROM line was seen
}

// errNoChrom is returned when a VCF header ends without its #CHROM line.
var errNoChrom = fmt.Errorf("VCF header ends before its #CHROM line: %w", ErrTruncated)

// line parses one header line (without its line ending).
func (v *vcfHeader) line(l string) error {
	v.lines++
	switch {
	case l == "":
		return nil
	case strings.HasPrefix(l, "#CHROM"):
		if err := v.chrom(l); err != nil {
			return corrupt("line %d: %v: %q", v.lines, err, quotePrefix(l))
		}
		v.done = true
		return nil
	case !strings.HasPrefix(l, "##"):
		if strings.HasPrefix(l, "#") {
			return nil // a stray comment line: skipped, where htslib would fail
		}
		return corrupt("VCF data line before the #CHROM line")
	}
	key, value, _ := strings.Cut(l[2:], "=")
	switch {
	case key == "fileformat":
		if v.version == "" {
			v.version = strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(value), "VCF"), "v")
		}
	case key == "contig":
		f := structuredFields(value)
		id := f["ID"]
		if id == "" || v.seen[id] {
			return nil
		}
		if v.seen == nil {
			v.seen = make(map[string]bool)
		}
		v.seen[id] = true
		length, _ := strconv.ParseInt(f["length"], 10, 64)
		v.contigs = append(v.contigs, Contig{Name: id, Length: max(length, 0)})
		if a := f["assembly"]; a != "" {
			v.assemblies = append(v.assemblies, a)
		}
	case key == "reference":
		v.references = append(v.references, value)
	case key == "source":
		if value != "" {
			v.programs = append(v.programs, Program{Name: value})
		}
	case strings.HasPrefix(key, "GATKCommandLine"):
		f := structuredFields(value)
		v.programs = append(v.programs, Program{
			ID: f["ID"], Name: f["ID"], Version: f["Version"], CommandLine: f["CommandLine"],
		})
	case len(key) > len("Version") && strings.HasSuffix(key, "Version") && !strings.HasPrefix(value, "<"):
		v.tool(strings.TrimSuffix(key, "Version")).Version = value
	case len(key) > len("Command") && strings.HasSuffix(key, "Command") && !strings.HasPrefix(value, "<"):
		v.tool(strings.TrimSuffix(key, "Command")).CommandLine = value
	}
	return nil
}

// tool returns the program of a ##<tool>Version / ##<tool>Command pair, as
// bcftools writes them (##bcftools_viewVersion=1.16+htslib-1.16).
func (v *vcfHeader) tool(name string) *Program {
	if i, ok := v.toolIndex[name]; ok {
		return &v.programs[i]
	}
	if v.toolIndex == nil {
		v.toolIndex = make(map[string]int)
	}
	v.toolIndex[name] = len(v.programs)
	v.programs = append(v.programs, Program{ID: name, Name: name})
	return &v.programs[len(v.programs)-1]
}

// vcfColumns are the eight mandatory columns that start the #CHROM line, in
// their order (VCF 4.3 specification, section 1.5).
var vcfColumns = [...]string{"#CHROM", "POS", "ID", "REF", "ALT", "QUAL", "FILTER", "INFO"}

// chrom checks the #CHROM line and takes the sample names from it: the
// columns after FORMAT, the ninth. Columns are tab-separated; a line without
// tabs is split at runs of spaces (bcftools refuses it). Trailing tabs and
// spaces are ignored, and so are empty sample names (bcftools refuses them
// at the end of the line, not in the middle).
//
// The line must start with the eight mandatory columns, spelt as in the
// specification; FORMAT must follow when there are samples, and samples
// when there is FORMAT. bcftools refuses other lines, and so does Databank
// rather than register a file whose samples it cannot tell.
func (v *vcfHeader) chrom(l string) error {
	l = strings.TrimRight(l, " \t")
	var cols []string
	if strings.Contains(l, "\t") {
		cols = strings.Split(l, "\t")
	} else {
		cols = strings.Fields(l)
	}
	for i, want := range vcfColumns {
		if i >= len(cols) {
			noun := "column"
			if i < len(vcfColumns)-1 {
				noun = "columns"
			}
			return fmt.Errorf("the #CHROM line lacks the mandatory %s %s (it must start with the eight columns %s)",
				noun, strings.Join(vcfColumns[i:], " "), strings.Join(vcfColumns[:], " "))
		}
		if cols[i] != want {
			return fmt.Errorf("column %d of the #CHROM line is %q where the mandatory column %s belongs (it must start with the eight columns %s)",
				i+1, quotePrefix(cols[i]), want, strings.Join(vcfColumns[:], " "))
		}
	}
	if len(cols) == len(vcfColumns) {
		return nil // sites only
	}
	if cols[8] != "FORMAT" {
		return fmt.Errorf("column 9 of the #CHROM line is %q, not FORMAT: sample columns without FORMAT", quotePrefix(cols[8]))
	}
	v.samples = cols[9:]
	for _, s := range v.samples {
		if s != "" {
			return nil
		}
	}
	return errors.New("the #CHROM line has a FORMAT column but no sample column")
}

// quotePrefix returns s, or its first bytes followed by "…" when s is long,
// for quoting a header line or column in a message.
func quotePrefix(s string) string {
	const n = 60
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > n-utf8.UTFMax && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// fill copies the parsed header into h.
func (v *vcfHeader) fill(h *Header) {
	if v.contigs != nil {
		h.Contigs = v.contigs
	}
	if v.programs != nil {
		h.Programs = v.programs
	}
	h.Samples = sortedDistinct(v.samples)
	h.Assembly = detectAssembly(h.Contigs, v.assemblies, v.references)
}

// readVCF reads the header of a decompressed VCF, line by line up to and
// including the #CHROM line, and no further.
func readVCF(br *bufio.Reader) (*Header, error) {
	var v vcfHeader
	budget := int64(maxHeaderText)
	for !v.done {
		l, err := readLine(br, &budget)
		if err != nil && !(err == io.EOF && len(l) > 0) {
			if err == io.EOF {
				return nil, errNoChrom
			}
			return nil, readErr("VCF header", err)
		}
		if err := v.line(l); err != nil {
			return nil, err
		}
	}
	h := newHeader(FormatVCF, v.version)
	v.fill(h)
	return h, nil
}

// readLine reads one line, without its LF or CRLF ending, spending at most
// *budget bytes. It returns io.EOF with the last line if that line has no
// line ending.
func readLine(br *bufio.Reader, budget *int64) (string, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		*budget -= int64(len(chunk))
		if *budget < 0 {
			return "", corrupt("header is longer than %d bytes", maxHeaderText)
		}
		buf = append(buf, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		buf = bytes.TrimSuffix(bytes.TrimSuffix(buf, []byte{'\n'}), []byte{'\r'})
		return string(buf), err
	}
}

// structuredFields parses the value of a structured meta-information line,
// <ID=chr1,length=248956422,Description="a, b">, into its key=value pairs.
// Quoted values may contain commas and backslash-escaped quotes. Parsing is
// lenient: a missing closing '>' or quote ends the value at the end of the
// line.
func structuredFields(s string) map[string]string {
	f := make(map[string]string)
	s = strings.TrimPrefix(s, "<")
	for s != "" && s[0] != '>' {
		eq := strings.IndexAny(s, "=,>")
		if eq < 0 {
			return f
		}
		key := strings.TrimSpace(s[:eq])
		if s[eq] != '=' { // a flag without value
			s = s[eq:]
			s = strings.TrimPrefix(s, ",")
			continue
		}
		s = s[eq+1:]
		var val string
		if strings.HasPrefix(s, `"`) {
			var b strings.Builder
			i := 1
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) {
					i++
				}
				b.WriteByte(s[i])
			}
			val = b.String()
			s = s[min(i+1, len(s)):]
			if end := strings.IndexAny(s, ",>"); end >= 0 {
				s = s[end:]
			} else {
				s = ""
			}
		} else {
			end := strings.IndexAny(s, ",>")
			if end < 0 {
				end = len(s)
			}
			val, s = s[:end], s[end:]
		}
		if _, dup := f[key]; !dup && key != "" {
			f[key] = val
		}
		s = strings.TrimPrefix(s, ",")
	}
	return f
}
