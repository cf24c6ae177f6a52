package synthetic

import "math"

// Sample statuses.
const (
	statusAvailable = "available"
	statusReserved  = "reserved"
	statusDepleted  = "depleted"
	statusDestroyed = "destroyed"
)

// Sample volumes and shares.
const (
	bloodEventShare    = 0.6  // later collection events that draw blood
	serumShare         = 0.5  // blood events that also give serum
	maxPlasmaAliquots  = 3    // aliquots split off one plasma sample
	countSpread        = 1.2  // spread of per-donor sample counts, × SamplesPerDonor
	destroyedOnRevoke  = 0.7  // samples destroyed after the consent is withdrawn
	usedUpShare        = 0.02 // samples used up in the biobank's own work
	destroyedShare     = 0.01
	reservedShare      = 0.05
	dnaExtractionDelay = 180 // days, at most, between blood draw and DNA extraction
	aliquotDelay       = 30  // days, at most, between plasma and its aliquots
)

// sample is one row of samples.csv, kept until the donor's withdrawals are
// drawn.
type sample struct {
	id        string
	number    uint32 // barcode digits, for VCF sample lists
	parent    int    // index of the parent in the donor's samples, or -1
	mat       *material
	site      string
	collected date
	temp      string
	initial   milli
	remaining milli
	status    string
}

// sampleCount returns how many samples the donor with the given ordinal
// gets. It follows the running total so that, after donor i, at least
// round(SamplesPerDonor × (i+1)) samples exist, while single donors vary.
func (g *generator) sampleCount(ordinal int) int {
	spd := g.cfg.SamplesPerDonor
	expected := int64(math.Round(spd * float64(ordinal+1)))
	noise := int64(g.src.intn(int(spd*countSpread) + 1))
	return int(max(0, expected+noise-int64(g.samplesDone)))
}

// makeSamples draws the donor's samples, collection event by collection
// event, parents before children.
func (g *generator) makeSamples(n int) error {
	g.samples = g.samples[:0]
	for first := true; len(g.samples) < n; first = false {
		budget := n - len(g.samples)
		var err error
		if first || g.src.chance(bloodEventShare) {
			err = g.bloodEvent(budget)
		} else {
			err = g.otherEvent()
		}
		if err != nil {
			return err
		}
	}
	for i := range g.samples {
		g.settle(&g.samples[i])
	}
	return nil
}

// collectionDay draws the day of a collection event.
func (g *generator) collectionDay() date {
	return g.src.dateBetween(g.donor.firstDay, g.donor.lastDay)
}

// later returns a day 0–maxDelay days after d, within the donor's window.
func (g *generator) later(d date, maxDelay int) date {
	return g.src.dateBetween(d, min(d+date(maxDelay), max(d, g.donor.lastDay)))
}

// bloodEvent draws a blood sample and, budget permitting, its
// derivatives, in this order of priority: buffy coat, DNA extracted from
// the buffy coat, plasma, serum and plasma aliquots.
func (g *generator) bloodEvent(budget int) error {
	day := g.collectionDay()
	serum := budget >= 5 && g.src.chance(serumShare)
	aliquots := g.src.intn(maxPlasmaAliquots + 1)
	if serum {
		aliquots = min(aliquots, budget-5)
	} else {
		aliquots = min(aliquots, max(budget-4, 0))
	}

	blood, err := g.addSample(-1, matWholeBlood, siteBlood, day, g.draw(matWholeBlood))
	if err != nil {
		return err
	}
	vol := g.samples[blood].initial
	used := milli(0) // blood volume taken by the fractions
	if budget >= 2 {
		buffy, err := g.addSample(blood, matBuffyCoat, siteBlood, g.later(day, 1), g.draw(matBuffyCoat))
		if err != nil {
			return err
		}
		used += g.samples[buffy].initial
		if budget >= 3 {
			if err := g.extractDNA(buffy); err != nil {
				return err
			}
		}
	}
	if budget >= 4 {
		plasma, err := g.addSample(blood, matPlasma, siteBlood, g.later(day, 1), g.share(vol, 45, 55))
		if err != nil {
			return err
		}
		used += g.samples[plasma].initial
		for range aliquots {
			if err := g.splitAliquot(plasma); err != nil {
				return err
			}
		}
	}
	if serum {
		s, err := g.addSample(blood, matSerum, siteBlood, g.later(day, 1), g.share(vol, 15, 30))
		if err != nil {
			return err
		}
		used += g.samples[s].initial
	}
	g.samples[blood].remaining = max(0, vol-used)
	return nil
}

// extractDNA adds DNA extracted from the buffy coat at index buffy; the
// extraction consumes most of the buffy coat, sometimes all of it.
func (g *generator) extractDNA(buffy int) error {
	day := g.later(g.samples[buffy].collected, dnaExtractionDelay)
	if _, err := g.addSample(buffy, matDNA, siteBlood, day, g.draw(matDNA)); err != nil {
		return err
	}
	b := &g.samples[buffy]
	b.remaining = b.initial * milli(g.src.intn(61)) / 100
	return nil
}

// splitAliquot adds an aliquot of the plasma sample at index plasma, taking
// at most half of what is left of it.
func (g *generator) splitAliquot(plasma int) error {
	p := &g.samples[plasma]
	day := g.later(p.collected, aliquotDelay)
	q := min(g.draw(matPlasmaAliquot), p.remaining/2)
	p.remaining -= q
	_, err := g.addSample(plasma, matPlasmaAliquot, siteBlood, day, q)
	return err
}

// share returns lo–hi percent of vol, a blood fraction's volume.
func (g *generator) share(vol milli, lo, hi int) milli {
	return vol * milli(g.src.between(lo, hi)) / 100
}

// otherEvent draws a single saliva, urine or tissue sample.
func (g *generator) otherEvent() error {
	day := g.collectionDay()
	m, site := matSaliva, siteSaliva
	switch x := g.src.intn(100); {
	case x < 40:
	case x < 70:
		m, site = matUrine, siteUrine
	case x < 88:
		m, site = matTissueFrozen, tissueSites.pick(g.src)
	default:
		m, site = matTissueFFPE, tissueSites.pick(g.src)
	}
	_, err := g.addSample(-1, m, site, day, g.draw(m))
	return err
}

// draw returns an initial quantity of material m: within its range,
// rounded down to a multiple of its step.
func (g *generator) draw(m *material) milli {
	return g.src.milliBetween(m.min, m.max) / m.step * m.step
}

// addSample appends a sample with initial (and remaining) quantity q and
// returns its index.
func (g *generator) addSample(parent int, m *material, site string, day date, q milli) (int, error) {
	number, err := g.barcodes.number(g.samplesDone)
	if err != nil {
		return 0, err
	}
	g.samplesDone++
	g.samples = append(g.samples, sample{
		id:        g.donor.biobank.code + "-" + padded("", uint64(number), 9),
		number:    number,
		parent:    parent,
		mat:       m,
		site:      site,
		collected: day,
		temp:      m.temps.pick(g.src),
		initial:   q,
		remaining: q,
	})
	return len(g.samples) - 1, nil
}

// settle sets a sample's status, and empties samples used up in the
// biobank's own work.
func (g *generator) settle(s *sample) {
	switch {
	case s.remaining == 0:
		s.status = statusDepleted
	case g.donor.withdrawn && g.src.chance(destroyedOnRevoke):
		s.status = statusDestroyed
	case g.src.chance(usedUpShare):
		s.remaining = 0
		s.status = statusDepleted
	case g.src.chance(destroyedShare):
		s.status = statusDestroyed
	case g.src.chance(reservedShare):
		s.status = statusReserved
	default:
		s.status = statusAvailable
	}
}

// writeSamples writes the donor's samples to samples.csv.
func (g *generator) writeSamples() error {
	d := &g.donor
	for i := range g.samples {
		s := &g.samples[i]
		parent := ""
		if s.parent >= 0 {
			parent = g.samples[s.parent].id
		}
		err := g.out.samples.write(d.biobank.code, s.id, d.id, parent, s.mat.code, s.site,
			s.collected.String(), s.temp, s.initial.String(), s.remaining.String(), s.mat.unit, s.status)
		if err != nil {
			return err
		}
	}
	return nil
}
