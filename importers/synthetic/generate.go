package synthetic

import (
	"context"
	"fmt"
)

// generator holds the state of one Generate run. Besides the small
// reference tables it keeps only the current donor, its samples and the
// joint-VCF buffers, so memory does not grow with the number of donors.
type generator struct {
	cfg Config
	src *source
	out *tables

	biobanks       []biobank
	biobankWeights weighted[int]
	studies        []study
	datasets       []dataset
	donorIDs       donorIDs
	barcodes       barcodes
	vcfs           vcfBuffers

	donor   donor
	samples []sample

	// Counters behind ids and the sample total.
	samplesDone, consents, withdrawals, egaFiles, localFiles uint64
}

// Generate writes a synthetic biobank bundle for cfg into dir, creating
// dir if needed and overwriting the files it writes (see FileNames). The
// same cfg always gives byte-identical files. Generate checks ctx between
// donors and returns its error if it is cancelled, leaving partial files
// behind.
func Generate(ctx context.Context, cfg Config, dir string) (Summary, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return Summary{}, err
	}
	out, err := createTables(dir)
	if err != nil {
		return Summary{}, err
	}
	g := &generator{cfg: cfg, src: newSource(cfg.Seed), out: out}
	err = g.run(ctx)
	if cerr := out.close(); err == nil {
		err = cerr
	}
	if err != nil {
		return Summary{}, err
	}
	return out.summary(), nil
}

// run writes the reference tables, then every donor with its records.
func (g *generator) run(ctx context.Context) error {
	g.donorIDs = newDonorIDs(g.src)
	g.barcodes = newBarcodes(g.src)
	g.biobanks = makeBiobanks(g.cfg.Biobanks)
	g.biobankWeights = biobankWeights(g.cfg.Biobanks)
	if err := writeBiobanks(g.out.biobanks, g.biobanks); err != nil {
		return err
	}
	var err error
	if g.studies, err = makeStudies(g.src, g.out.studies, g.cfg.Donors); err != nil {
		return err
	}
	if g.datasets, err = makeDatasets(g.src, g.out.datasets, g.studies); err != nil {
		return err
	}
	g.vcfs = newVCFBuffers(len(g.biobanks), len(g.studies))

	for i := range g.cfg.Donors {
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("synthetic: %w", err)
			}
		}
		if err := g.writeDonor(i); err != nil {
			return err
		}
		if done := i + 1; g.cfg.Progress != nil && done%ProgressInterval == 0 {
			g.cfg.Progress(done)
		}
	}
	return g.vcfs.flushAll(g)
}

// writeDonor generates donor number ordinal with all its records.
func (g *generator) writeDonor(ordinal int) error {
	if err := g.newDonor(ordinal); err != nil {
		return err
	}
	if err := g.writeDiagnoses(); err != nil {
		return err
	}
	if err := g.writeConsents(); err != nil {
		return err
	}
	if err := g.makeSamples(g.sampleCount(ordinal)); err != nil {
		return err
	}
	if err := g.writeSamples(); err != nil {
		return err
	}
	if err := g.writeWithdrawals(); err != nil {
		return err
	}
	return g.sequenceFiles(ordinal)
}
