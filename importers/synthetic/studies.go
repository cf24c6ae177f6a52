package synthetic

import (
	"slices"
	"strconv"
	"strings"
)

// Study and dataset volumes.
const (
	minStudies        = 5
	maxStudies        = 500
	donorsPerStudy    = 400
	minDatasets       = 3
	datasetsPerDAC    = 5
	studiesPerDataset = 2
)

// study is one research study that withdraws samples and returns data.
type study struct {
	id        string // ST0001
	accession string // EGAS…, or empty
	assay     string // sequencing assay of per-sample files: WGS or WES
	vcfAssay  string // assay of joint-called VCFs
	assembly  string
}

// studyCount returns the number of studies for donors donors.
func studyCount(donors int) int {
	return min(max(minStudies, donors/donorsPerStudy), maxStudies)
}

// makeStudies draws the studies and writes studies.csv.
func makeStudies(s *source, t *table, donors int) ([]study, error) {
	out := make([]study, studyCount(donors))
	accessions := uint64(0)
	for i := range out {
		st := study{id: padded("ST", uint64(i+1), 4)}
		if i == 0 || s.chance(0.5) {
			accessions++
			st.accession = egaID("EGAS", accessions)
		}
		st.assay = assayWGS
		if s.chance(0.4) {
			st.assay = assayWES
		}
		st.vcfAssay = st.assay
		if s.chance(0.25) {
			st.vcfAssay = assayArray
		}
		st.assembly = assemblyGRCh38
		if s.chance(0.15) {
			st.assembly = assemblyGRCh37
		}
		title := studyDesigns[s.intn(len(studyDesigns))] + " " +
			studyTopics[s.intn(len(studyTopics))] + " in " +
			studyPopulations[s.intn(len(studyPopulations))]
		pi := "Dr. " + firstNames[s.intn(len(firstNames))] + " " + lastNames[s.intn(len(lastNames))]
		year := s.between(2008, 2024)
		ethics := "EC-" + strconv.Itoa(year) + "-" + padded("", uint64(s.between(1, 9999)), 4)
		if err := t.write(st.id, title, pi, ethics, st.accession); err != nil {
			return nil, err
		}
		out[i] = st
	}
	return out, nil
}

// dataset is one EGA dataset; each covers studiesPerDataset studies.
type dataset struct {
	id string
}

// datasetCount returns the number of datasets for studies studies.
func datasetCount(studies int) int {
	return max(minDatasets, studies/studiesPerDataset)
}

// datasetOf returns the index of the dataset covering study i.
func datasetOf(i, datasets int) int {
	return min(i/studiesPerDataset, datasets-1)
}

// makeDatasets draws the datasets and writes datasets.csv.
func makeDatasets(s *source, t *table, studies []study) ([]dataset, error) {
	n := datasetCount(len(studies))
	dacs := max(1, n/datasetsPerDAC)
	out := make([]dataset, n)
	for i := range out {
		d := dataset{id: egaID("EGAD", uint64(i+1))}
		var covered []string
		for j := i * studiesPerDataset; j < len(studies) && datasetOf(j, n) == i; j++ {
			covered = append(covered, studies[j].id)
		}
		title := "Returned genomic data of " + strings.Join(covered, " and ")
		version := strconv.Itoa(s.between(1, 3))
		codes := strings.Join(duoCodes(s), ";")
		dac := egaID("EGAC", uint64(i%dacs+1))
		desc := "Synthetic CRAM and VCF files returned to the biobanks by the studies " +
			"listed in the title; fictional data for testing."
		if err := t.write(d.id, title, version, codes, dac, desc); err != nil {
			return nil, err
		}
		out[i] = d
	}
	return out, nil
}

// duoCodes draws a DUO permission followed by 0–3 distinct modifiers.
func duoCodes(s *source) []string {
	perm := duoPermissions.pick(s)
	return append([]string{perm}, modifiers(s, perm)...)
}

// modifiers draws 0–3 distinct DUO modifiers compatible with perm.
func modifiers(s *source, perm string) []string {
	n := modifierCounts.pick(s)
	if n == 0 {
		return nil
	}
	out := make([]string, 0, n)
	for len(out) < n {
		m := duoModifiers[s.intn(len(duoModifiers))]
		if (m == duoNPOA && perm == duoPOA) || slices.Contains(out, m) {
			continue
		}
		out = append(out, m)
	}
	return out
}
