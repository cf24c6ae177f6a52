package genomic

import (
	"bytes"
	"strconv"
)

// samHeader is what Databank takes from a SAM header text.
type samHeader struct {
	contigs    []Contig
	assemblies []string // AS tags of @SQ lines
	readGroups []ReadGroup
	samples    []string // SM tags of every @RG line, in order
	programs   []Program
}

// parseSAMHeader parses SAM header text leniently. It never fails: a line
// that is not a header line, a field that is not TAG:VALUE (too short, no
// colon, an empty field left by a trailing or doubled tab) and an unknown tag
// are skipped. The text ends at its first NUL byte (BAM headers are often
// NUL-padded); lines may end in CRLF.
//
// Like htslib, which only warns about them, duplicate @RG IDs are kept: every
// @RG line with an ID is a read group, and the SM tag of every @RG line names
// a sample. A later @SQ line with an SN already seen is dropped.
func parseSAMHeader(text []byte) samHeader {
	var sh samHeader
	seen := make(map[string]bool)
	text = cString(text)
	for len(text) > 0 {
		line := text
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = nil
		}
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if len(line) < 3 || line[0] != '@' {
			continue
		}
		typ := string(line[1:3])
		if typ == "CO" {
			continue
		}
		tags := samTags(line[3:])
		switch typ {
		case "SQ":
			name, ok := tags["SN"]
			if !ok || name == "" || seen[name] {
				continue
			}
			seen[name] = true
			length, _ := strconv.ParseInt(tags["LN"], 10, 64)
			sh.contigs = append(sh.contigs, Contig{Name: name, Length: max(length, 0)})
			if as := tags["AS"]; as != "" {
				sh.assemblies = append(sh.assemblies, as)
			}
		case "RG":
			if sm := tags["SM"]; sm != "" {
				sh.samples = append(sh.samples, sm)
			}
			if id := tags["ID"]; id != "" {
				sh.readGroups = append(sh.readGroups, ReadGroup{
					ID:       id,
					Sample:   tags["SM"],
					Library:  tags["LB"],
					Platform: tags["PL"],
					Center:   tags["CN"],
					Date:     tags["DT"],
				})
			}
		case "PG":
			p := Program{ID: tags["ID"], Name: tags["PN"], Version: tags["VN"], CommandLine: tags["CL"]}
			if p != (Program{}) {
				sh.programs = append(sh.programs, p)
			}
		}
	}
	return sh
}

// samTags splits the tab-separated TAG:VALUE fields that follow a header
// record type. The first occurrence of a tag wins.
func samTags(fields []byte) map[string]string {
	tags := make(map[string]string, 6)
	for len(fields) > 0 {
		f := fields
		if i := bytes.IndexByte(fields, '\t'); i >= 0 {
			f, fields = fields[:i], fields[i+1:]
		} else {
			fields = nil
		}
		if len(f) < 3 || f[2] != ':' {
			continue
		}
		tag := string(f[:2])
		if _, dup := tags[tag]; !dup {
			tags[tag] = string(f[3:])
		}
	}
	return tags
}

// fill copies the parsed header into h: contigs from the @SQ lines, read
// groups, samples, programs and the assembly.
func (sh samHeader) fill(h *Header) {
	if sh.contigs != nil {
		h.Contigs = sh.contigs
	}
	if sh.readGroups != nil {
		h.ReadGroups = sh.readGroups
	}
	if sh.programs != nil {
		h.Programs = sh.programs
	}
	h.Samples = sortedDistinct(sh.samples)
	h.Assembly = detectAssembly(h.Contigs, sh.assemblies, nil)
}
