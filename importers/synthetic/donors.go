package synthetic

import (
	"slices"
	"strconv"
	"strings"
)

// Date bounds of the generated history.
var (
	firstConsentDay = mkdate(2005, 1, 1)
	lastConsentDay  = mkdate(2024, 12, 31)
	historyEnd      = mkdate(2025, 12, 31) // no event happens later
)

// Donor and consent volumes.
const (
	minBirthYear      = 1925
	maxBirthYear      = 2005
	consentAge        = 18   // donors consent as adults
	reconsentShare    = 0.10 // donors with a second, superseding consent
	withdrawnShare    = 0.03 // donors whose latest consent is withdrawn
	dsDiagnosisShare  = 0.70 // DS consents naming one of the donor's diagnoses
	datedDiagnoses    = 0.50 // diagnoses with a date rather than an age
	adultDiagnoses    = 0.85 // diagnoses made at adultAge or later
	adultAge          = 25
	maxDiagnosesCount = 3
)

// diagnosisCounts weights the number of diagnoses per donor.
var diagnosisCounts = newWeighted(
	choice[int]{0, 40},
	choice[int]{1, 35},
	choice[int]{2, 17},
	choice[int]{maxDiagnosesCount, 8},
)

// donor is the donor being generated; it is reused for every donor.
type donor struct {
	biobank      *biobank
	biobankIndex int
	id           string
	sex          string
	birthYear    int
	diagnoses    []string // ICD-10 codes, distinct

	// firstDay and lastDay bound the donor's sample collections and
	// withdrawals: from the first consent to the consent withdrawal (if
	// any) or the end of the history.
	firstDay, lastDay date
	withdrawn         bool
}

// bornBy returns the first day surely after the donor's birth (only the
// birth year is known).
func (d *donor) bornBy() date { return yearStart(d.birthYear + 1) }

// newDonor draws the next donor's attributes and writes donors.csv.
func (g *generator) newDonor(ordinal int) error {
	d := &g.donor
	d.biobankIndex = g.biobankWeights.pick(g.src)
	d.biobank = &g.biobanks[d.biobankIndex]
	d.id = g.donorIDs.id(uint64(ordinal))
	d.sex = sexes.pick(g.src)
	// The sum of two uniform draws peaks at middle-aged donors.
	span := maxBirthYear - minBirthYear
	d.birthYear = minBirthYear + (g.src.intn(span/2+1) + g.src.intn(span-span/2+1))
	vital := vitalStatuses.pick(g.src)
	return g.out.donors.write(d.biobank.code, d.id, d.sex, strconv.Itoa(d.birthYear), vital)
}

// writeDiagnoses draws 0–3 distinct diagnoses and writes diagnoses.csv.
func (g *generator) writeDiagnoses() error {
	d := &g.donor
	d.diagnoses = d.diagnoses[:0]
	n := diagnosisCounts.pick(g.src)
	for len(d.diagnoses) < n {
		code := icd10Codes[g.src.intn(len(icd10Codes))]
		if !plausibleFor(code, d.sex) || slices.Contains(d.diagnoses, code) {
			continue
		}
		d.diagnoses = append(d.diagnoses, code)
		// Most diagnoses come in adulthood, some in childhood.
		maxAge := historyEnd.year() - d.birthYear
		minAge := 1
		if g.src.chance(adultDiagnoses) {
			minAge = min(adultAge, maxAge)
		}
		var on, age string
		if g.src.chance(datedDiagnoses) {
			on = g.src.dateBetween(max(d.bornBy(), yearStart(d.birthYear+minAge)), historyEnd).String()
		} else {
			age = strconv.Itoa(g.src.between(minAge, maxAge))
		}
		if err := g.out.diagnoses.write(d.biobank.code, d.id, code, on, age); err != nil {
			return err
		}
	}
	return nil
}

// plausibleFor reports whether a donor of the given sex may have code:
// no prostate cancer for women, no breast cancer for men.
func plausibleFor(code, sex string) bool {
	switch {
	case sex == "female" && code == "ICD10:C61":
		return false
	case sex == "male" && strings.HasPrefix(code, "ICD10:C50"):
		return false
	}
	return true
}

// writeConsents draws the donor's consent history (one consent, sometimes
// a later superseding one, the latest sometimes withdrawn) and writes
// consents.csv. It sets the donor's collection window.
func (g *generator) writeConsents() error {
	d := &g.donor
	from := max(firstConsentDay, yearStart(d.birthYear+consentAge))
	given := g.src.dateBetween(from, lastConsentDay)
	d.firstDay = given
	d.lastDay = historyEnd
	d.withdrawn = false

	second := g.src.chance(reconsentShare) && given+30 <= lastConsentDay
	perm := duoPermissions.pick(g.src)
	if err := g.writeConsent(given, perm, !second); err != nil || !second {
		return err
	}
	given = g.src.dateBetween(given+30, lastConsentDay)
	if g.src.chance(0.5) {
		perm = duoPermissions.pick(g.src)
	}
	return g.writeConsent(given, perm, true)
}

// writeConsent writes one consent given on the given day; the latest
// consent may be withdrawn, which closes the donor's collection window.
func (g *generator) writeConsent(given date, perm string, latest bool) error {
	d := &g.donor
	var withdrawnOn string
	if latest && g.src.chance(withdrawnShare) {
		withdrawn := g.src.dateBetween(given+1, historyEnd)
		withdrawnOn = withdrawn.String()
		d.withdrawn = true
		d.lastDay = withdrawn - 1
	}
	var disease string
	if perm == duoDS {
		if len(d.diagnoses) > 0 && g.src.chance(dsDiagnosisShare) {
			disease = d.diagnoses[g.src.intn(len(d.diagnoses))]
		} else {
			disease = icd10Codes[g.src.intn(len(icd10Codes))]
		}
	}
	g.consents++
	id := padded("C", g.consents, 8)
	return g.out.consents.write(d.biobank.code, d.id, id, given.String(), withdrawnOn,
		perm, strings.Join(modifiers(g.src, perm), ";"), disease, consentForm(given, id))
}

// consentForm returns the document reference of a consent form; the form
// version depends on when it was signed.
func consentForm(given date, id string) string {
	version := "v3"
	switch y := given.year(); {
	case y < 2012:
		version = "v1"
	case y < 2018:
		version = "v2"
	}
	return "doc://consent-forms/" + version + "/" + id + ".pdf"
}
