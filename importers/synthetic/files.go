package synthetic

import (
	"math"
	"strconv"
	"strings"
)

// File manifest shares and sizes.
const (
	returnedFileShare = 0.80 // data-return DNA withdrawals with a returned file
	egaFileShare      = 0.60 // returned files archived at the EGA, for EGA studies
	egaDatasetShare   = 0.90 // EGA files already assigned to a dataset
	maxVCFSamples     = 500  // samples per joint-called VCF

	gb = 1 << 30
	mb = 1 << 20
)

// returnFile writes the per-sample CRAM returned for DNA withdrawal w,
// most of the time, and queues the sample for its study's joint VCF.
func (g *generator) returnFile(w *withdrawal) error {
	if !g.src.chance(returnedFileShare) {
		return nil
	}
	bb, st := g.donor.biobank, &g.studies[w.study]
	var fileID, datasetID, location string
	if st.accession != "" && g.src.chance(egaFileShare) {
		g.egaFiles++
		fileID = egaID("EGAF", g.egaFiles)
		location = "ega://" + fileID
		if g.src.chance(egaDatasetShare) {
			datasetID = g.datasets[datasetOf(w.study, len(g.datasets))].id
		}
	} else {
		fileID = g.localFileID()
		location = "s3://" + bb.bucket + "/" + st.id + "/" + w.sample.id + ".cram"
	}
	size := g.src.between(18*gb, 45*gb)
	if st.assay == assayWES {
		size = g.src.between(4*gb, 12*gb)
	}
	err := g.out.files.write(bb.code, fileID, datasetID, st.id, w.id, location, formatCRAM,
		st.assay, st.assembly, strconv.Itoa(size), g.src.hex(32), g.src.hex(64), w.sample.id, "S1", softwareOf(formatCRAM))
	if err != nil {
		return err
	}
	return g.vcfs.add(g, g.donor.biobankIndex, w.study, w.sample.number)
}

// localFileID returns the next id of a file not archived at the EGA.
func (g *generator) localFileID() string {
	g.localFiles++
	return padded("F", g.localFiles, 9)
}

// vcfBuffers collects, per biobank and study, the samples of the next
// joint-called VCF. A buffer is written as a VCF row when it holds
// maxVCFSamples samples; when all buffers together hold limit samples,
// the fullest is written early, so memory stays bounded whatever the
// number of biobanks.
type vcfBuffers struct {
	studies int
	bufs    [][]uint32 // by biobank × studies + study: barcode numbers
	total   int
	limit   int
}

// newVCFBuffers returns empty buffers for biobanks × studies.
func newVCFBuffers(biobanks, studies int) vcfBuffers {
	return vcfBuffers{
		studies: studies,
		bufs:    make([][]uint32, biobanks*studies),
		limit:   maxVCFSamples * studies,
	}
}

// add queues a sample of biobank bb for study st (both indexes).
func (v *vcfBuffers) add(g *generator, bb, st int, number uint32) error {
	k := bb*v.studies + st
	v.bufs[k] = append(v.bufs[k], number)
	v.total++
	if len(v.bufs[k]) >= maxVCFSamples {
		return v.flush(g, k)
	}
	if v.total >= v.limit {
		fullest := 0
		for i, b := range v.bufs {
			if len(b) > len(v.bufs[fullest]) {
				fullest = i
			}
		}
		return v.flush(g, fullest)
	}
	return nil
}

// flushAll writes every non-empty buffer, in a fixed order.
func (v *vcfBuffers) flushAll(g *generator) error {
	for k, b := range v.bufs {
		if len(b) > 0 {
			if err := v.flush(g, k); err != nil {
				return err
			}
		}
	}
	return nil
}

// flush writes buffer k as one joint-called VCF row and empties it.
func (v *vcfBuffers) flush(g *generator, k int) error {
	numbers := v.bufs[k]
	v.bufs[k] = nil // release the memory; most buffers never refill
	v.total -= len(numbers)
	bb, st := &g.biobanks[k/v.studies], &g.studies[k%v.studies]

	var ids, names strings.Builder
	for i, n := range numbers {
		if i > 0 {
			ids.WriteByte(';')
			names.WriteByte(';')
		}
		ids.WriteString(bb.code)
		ids.WriteByte('-')
		ids.WriteString(padded("", uint64(n), 9))
		names.WriteByte('S')
		names.WriteString(strconv.Itoa(i + 1))
	}
	perSample, base := 40*mb, 1*gb // joint-called genome VCF, bgzipped
	switch st.vcfAssay {
	case assayWES:
		perSample, base = 4*mb, 100*mb
	case assayArray:
		perSample, base = mb/2, 20*mb
	}
	size := base + len(numbers)*g.src.between(perSample*3/4, perSample*5/4)
	fileID := g.localFileID()
	location := "s3://" + bb.bucket + "/" + st.id + "/joint/" + fileID + ".vcf.gz"
	return g.out.files.write(bb.code, fileID, "", st.id, "", location, formatVCF, st.vcfAssay,
		st.assembly, strconv.Itoa(size), g.src.hex(32), g.src.hex(64), ids.String(), names.String(), jointCaller)
}

// In-house sequencing files (Config.FilesPerDonor).
const maxSequencedFiles = 8 // per DNA sample and donor, at most

// sequenceFiles writes files of the biobank's own sequencing of the
// donor's DNA samples until the running total of files reaches
// Config.FilesPerDonor × (ordinal+1). A donor without DNA samples gets
// none; the next donors make up for it.
func (g *generator) sequenceFiles(ordinal int) error {
	if g.cfg.FilesPerDonor <= 0 {
		return nil
	}
	var dna []*sample
	for i := range g.samples {
		if g.samples[i].mat == matDNA {
			dna = append(dna, &g.samples[i])
		}
	}
	if len(dna) == 0 {
		return nil
	}
	expected := uint64(math.Round(g.cfg.FilesPerDonor * float64(ordinal+1)))
	for n := 0; g.egaFiles+g.localFiles < expected && n < maxSequencedFiles*len(dna); n++ {
		if err := g.sequenceFile(dna[n%len(dna)]); err != nil {
			return err
		}
	}
	return nil
}

// sequenceFile writes one file of the biobank's own sequencing of DNA
// sample s, for a study: its reads as CRAM or its single-sample gVCF.
func (g *generator) sequenceFile(s *sample) error {
	bb, st := g.donor.biobank, &g.studies[g.src.intn(len(g.studies))]
	fileID := g.localFileID()
	format, ext := formatCRAM, ".cram"
	size := g.src.between(18*gb, 45*gb)
	if st.assay == assayWES {
		size = g.src.between(4*gb, 12*gb)
	}
	if g.src.chance(0.4) {
		format, ext = formatVCF, ".g.vcf.gz"
		size /= 20
	}
	location := "s3://" + strings.ToLower(bb.code) + "-sequencing/" + st.id + "/" + s.id + "/" + fileID + ext
	return g.out.files.write(bb.code, fileID, "", st.id, "", location, format, st.assay, st.assembly,
		strconv.Itoa(size), g.src.hex(32), g.src.hex(64), s.id, "S1", softwareOf(format))
}

// The software column of the manifest: what made each kind of file. The
// choice draws nothing from the random source, so that the rest of a
// bundle stays the same for a seed.
const (
	aligner     = "bwa-mem2 2.2.1"
	gvcfCaller  = "DeepVariant 1.6.1"
	jointCaller = "GATK 4.5.0.0"
)

// softwareOf names the software that made a sample's file of format.
func softwareOf(format string) string {
	if format == formatVCF {
		return gvcfCaller
	}
	return aligner
}
