package genomic

import "strings"

// Assembly names reported in Header.Assembly.
const (
	AssemblyGRCh37  = "GRCh37" // also hg19, b37, hs37d5
	AssemblyGRCh38  = "GRCh38" // also hg38
	AssemblyT2T     = "T2T-CHM13v2.0"
	AssemblyUnknown = "unknown"
)

// chr1Lengths maps the length of chromosome 1 to its assembly. hg19 and b37
// share GRCh37's chromosome 1.
var chr1Lengths = map[int64]string{
	249250621: AssemblyGRCh37,
	248956422: AssemblyGRCh38,
	248387328: AssemblyT2T,
}

// assemblyNames lists, in the order they are tried, substrings of a
// lower-cased assembly tag or reference path and the assembly they name.
// T2T comes first because its file names often mention hg38 as well.
var assemblyNames = []struct{ substr, assembly string }{
	{"t2t", AssemblyT2T},
	{"chm13", AssemblyT2T},
	{"grch38", AssemblyGRCh38},
	{"hg38", AssemblyGRCh38},
	{"hs38", AssemblyGRCh38},
	{"grch37", AssemblyGRCh37},
	{"hg19", AssemblyGRCh37},
	{"b37", AssemblyGRCh37},
	{"hs37", AssemblyGRCh37},
	{"g1k_v37", AssemblyGRCh37},
}

// detectAssembly names the reference assembly of a header, trying in turn:
//
//  1. the length of chromosome 1 (contig "1" or "chr1");
//  2. tags, the AS tags of @SQ lines or the assembly= of VCF ##contig lines;
//  3. refs, the values of VCF ##reference lines.
//
// A source that names two different assemblies is ambiguous and decides
// nothing. Without an answer the assembly is AssemblyUnknown.
func detectAssembly(contigs []Contig, tags, refs []string) string {
	for _, c := range contigs {
		if c.Name == "1" || strings.EqualFold(c.Name, "chr1") {
			if a, ok := chr1Lengths[c.Length]; ok {
				return a
			}
			break
		}
	}
next:
	for _, source := range [][]string{tags, refs} {
		found := ""
		for _, s := range source {
			a := assemblyFromName(s)
			if a == AssemblyUnknown {
				continue
			}
			if found != "" && found != a {
				continue next // ambiguous
			}
			found = a
		}
		if found != "" {
			return found
		}
	}
	return AssemblyUnknown
}

// assemblyFromName recognises an assembly in a name or path such as "hg19",
// "GRCh38" or "file:///ref/hs37d5.fa".
func assemblyFromName(s string) string {
	s = strings.ToLower(s)
	for _, n := range assemblyNames {
		if strings.Contains(s, n.substr) {
			return n.assembly
		}
	}
	return AssemblyUnknown
}
