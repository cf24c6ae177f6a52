package synthetic

// Withdrawal shares.
const (
	dnaWithdrawalShare    = 0.20 // available DNA samples sent to a study
	plasmaWithdrawalShare = 0.05 // available plasma samples sent to a study
	secondWithdrawalShare = 0.15 // withdrawn samples withdrawn from again
	dnaDataReturnShare    = 0.85 // DNA withdrawals that must return data
	plasmaDataReturnShare = 0.10
	minReturnDelay        = 365 // days from withdrawal to data return due
	maxReturnDelay        = 730
)

// withdrawal is one row of withdrawals.csv.
type withdrawal struct {
	id         string
	sample     *sample
	study      int // index into the studies
	quantity   milli
	on         date
	dataReturn bool
}

// writeWithdrawals draws withdrawals from the donor's available DNA and
// plasma samples, writes withdrawals.csv and the files returned for them.
// The quantities withdrawn from a sample always sum to less than its
// remaining quantity.
func (g *generator) writeWithdrawals() error {
	for i := range g.samples {
		s := &g.samples[i]
		if s.status != statusAvailable || s.remaining < 2 {
			continue
		}
		var share, returnShare float64
		switch s.mat {
		case matDNA:
			share, returnShare = dnaWithdrawalShare, dnaDataReturnShare
		case matPlasma, matPlasmaAliquot:
			share, returnShare = plasmaWithdrawalShare, plasmaDataReturnShare
		default:
			continue
		}
		if s.collected >= g.donor.lastDay || !g.src.chance(share) {
			continue
		}
		left := s.remaining
		after := s.collected
		prevStudy := -1
		for n := 0; n < 2 && after < g.donor.lastDay && left >= 2; n++ {
			if n == 1 && (len(g.studies) < 2 || !g.src.chance(secondWithdrawalShare)) {
				break
			}
			w := withdrawal{sample: s, study: g.src.intn(len(g.studies))}
			for w.study == prevStudy {
				w.study = g.src.intn(len(g.studies))
			}
			// Take 10–60% of what is left, never all of it.
			w.quantity = min(left-1, max(1, left*milli(g.src.between(10, 60))/100))
			w.on = g.src.dateBetween(after+1, g.donor.lastDay)
			w.dataReturn = g.src.chance(returnShare)
			if err := g.writeWithdrawal(&w); err != nil {
				return err
			}
			left -= w.quantity
			after = w.on
			prevStudy = w.study
		}
	}
	return nil
}

// writeWithdrawal assigns w an id, writes it, and writes the file
// returned for it, if any.
func (g *generator) writeWithdrawal(w *withdrawal) error {
	g.withdrawals++
	w.id = padded("W", g.withdrawals, 8)
	var required, due string = "false", ""
	if w.dataReturn {
		required = "true"
		due = (w.on + date(g.src.between(minReturnDelay, maxReturnDelay))).String()
	}
	err := g.out.withdrawals.write(g.donor.biobank.code, w.id, w.sample.id, g.studies[w.study].id,
		w.quantity.String(), w.sample.mat.unit, w.on.String(), recipients[g.src.intn(len(recipients))],
		required, due)
	if err != nil {
		return err
	}
	if w.dataReturn && w.sample.mat == matDNA {
		return g.returnFile(w)
	}
	return nil
}
