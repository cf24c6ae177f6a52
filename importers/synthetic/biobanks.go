package synthetic

import (
	"fmt"
	"strings"
)

// biobank is one fictional biobank.
type biobank struct {
	code, name, country string
	bucket              string // S3 bucket of returned data files
}

// namedBiobanks are the fictional biobanks used first; more are numbered.
var namedBiobanks = []struct{ code, name, country string }{
	{"DNB", "Dannevirke Biobank", "DK"},
	{"SVB", "Svealand Tissue Bank", "SE"},
	{"FNB", "Fennoscandia Biobank", "FI"},
	{"NKB", "Nordkapp Biobank", "NO"},
	{"PEB", "Peipsi Biobank", "EE"},
	{"HKB", "Hekla Biobank", "IS"},
	{"GTB", "Gotland Research Biobank", "SE"},
	{"LPB", "Lapland Biobank", "FI"},
}

// makeBiobanks returns n biobanks.
func makeBiobanks(n int) []biobank {
	out := make([]biobank, n)
	for i := range out {
		var b biobank
		if i < len(namedBiobanks) {
			nb := namedBiobanks[i]
			b = biobank{code: nb.code, name: nb.name, country: nb.country}
		} else {
			b = biobank{
				code:    fmt.Sprintf("B%02d", i+1),
				name:    fmt.Sprintf("Synthetic Biobank %d", i+1),
				country: namedBiobanks[i%len(namedBiobanks)].country,
			}
		}
		b.bucket = strings.ToLower(b.code) + "-returns"
		out[i] = b
	}
	return out
}

// contact returns the biobank's contact email.
func (b biobank) contact() string {
	return "biobank@" + strings.ToLower(b.code) + ".example.org"
}

// biobankWeights favours the first biobanks a little, so they differ in
// size: weights 2n, 2n-1, …, n+1.
func biobankWeights(n int) weighted[int] {
	cs := make([]choice[int], n)
	for i := range cs {
		cs[i] = choice[int]{i, 2*n - i}
	}
	return newWeighted(cs...)
}

// writeBiobanks writes biobanks.csv.
func writeBiobanks(t *table, bs []biobank) error {
	for _, b := range bs {
		if err := t.write(b.code, b.name, b.country, b.contact()); err != nil {
			return err
		}
	}
	return nil
}
