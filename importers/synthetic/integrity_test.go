package synthetic

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Patterns of generated ids and codes.
var (
	reDonorID    = regexp.MustCompile(`^[A-Z2-7]{10}$`)
	reSampleID   = regexp.MustCompile(`^([A-Z0-9]{3})-[0-9]{9}$`)
	reConsentID  = regexp.MustCompile(`^C[0-9]{8,}$`)
	reWithdrawal = regexp.MustCompile(`^W[0-9]{8,}$`)
	reStudyID    = regexp.MustCompile(`^ST[0-9]{4}$`)
	reEGAS       = regexp.MustCompile(`^EGAS[0-9]{11}$`)
	reEGAD       = regexp.MustCompile(`^EGAD[0-9]{11}$`)
	reEGAC       = regexp.MustCompile(`^EGAC[0-9]{11}$`)
	reEGAF       = regexp.MustCompile(`^EGAF[0-9]{11}$`)
	reLocalFile  = regexp.MustCompile(`^F[0-9]{9,}$`)
	reMD5        = regexp.MustCompile(`^[0-9a-f]{32}$`)
	reSHA256     = regexp.MustCompile(`^[0-9a-f]{64}$`)
	reEmail      = regexp.MustCompile(`^[a-z]+@[a-z0-9]+\.example\.org$`)
	reCountry    = regexp.MustCompile(`^(DK|SE|FI|NO|EE|IS)$`)
)

// Controlled vocabularies, as the checks expect them.
var (
	permissions   = []string{duoGRU, duoHMB, duoDS, duoNRES, duoPOA}
	sampleStatus  = []string{statusAvailable, statusReserved, statusDepleted, statusDestroyed}
	temperatures  = []string{tempDeepFreezer, tempLN, tempFreezer, tempFridge, tempRoom}
	materialUnits = map[string]string{
		"MIABIS:WHOLE_BLOOD": unitML, "MIABIS:PLASMA": unitML, "MIABIS:SERUM": unitML,
		"MIABIS:BUFFY_COAT": unitML, "MIABIS:DNA": unitUG, "MIABIS:SALIVA": unitML,
		"MIABIS:URINE": unitML, "MIABIS:TISSUE_FROZEN": unitMG, "MIABIS:TISSUE_PARAFFIN_EMBEDDED": unitMG,
	}
	// parentMaterials says which material each derived material comes from.
	parentMaterials = map[string][]string{
		"MIABIS:PLASMA":     {"MIABIS:WHOLE_BLOOD", "MIABIS:PLASMA"},
		"MIABIS:SERUM":      {"MIABIS:WHOLE_BLOOD"},
		"MIABIS:BUFFY_COAT": {"MIABIS:WHOLE_BLOOD"},
		"MIABIS:DNA":        {"MIABIS:BUFFY_COAT"},
	}
	materialSites = map[string][]string{
		"MIABIS:SALIVA": {siteSaliva}, "MIABIS:URINE": {siteUrine},
		"MIABIS:TISSUE_FROZEN":            {siteBreast, siteColon, siteLiver},
		"MIABIS:TISSUE_PARAFFIN_EMBEDDED": {siteBreast, siteColon, siteLiver},
	}
)

var lastHistoryDay = time.Date(2025, 12, 31, 0, 0, 0, 0, time.UTC)

// checker verifies one bundle, collecting the entities later files refer to.
type checker struct {
	t        *testing.T
	b        bundle
	biobanks map[string]bool
	studies  map[string]bool
	datasets map[string]bool
	donors   map[string]int // biobank/donor → birth year
	samples  map[string]*checkedSample
	withdraw map[string]string // biobank/withdrawal → biobank/sample
	sparse   bool              // too few samples per donor to expect withdrawals
}

// checkedSample is what later checks need of a sample.
type checkedSample struct {
	donor     string
	material  string
	unit      string
	status    string
	collected time.Time
	remaining int64
	withdrawn int64
}

func TestGeneratedBundleIsConsistent(t *testing.T) {
	configs := []Config{
		{Donors: 2000, Seed: 1},
		{Donors: 2000, Seed: 7, Biobanks: 8, SamplesPerDonor: 10},
		{Donors: 500, Seed: 3, Biobanks: 1, SamplesPerDonor: 0.7},
		{Donors: 1000, Seed: 5, SamplesPerDonor: 10, FilesPerDonor: 2},
	}
	for _, cfg := range configs {
		t.Run(fmt.Sprintf("seed %d", cfg.Seed), func(t *testing.T) {
			c := &checker{t: t, b: generateBundle(t, cfg), sparse: cfg.SamplesPerDonor > 0 && cfg.SamplesPerDonor < 3}
			c.checkBiobanks()
			c.checkStudies()
			c.checkDatasets()
			c.checkDonors()
			c.checkConsents()
			c.checkDiagnoses()
			c.checkSamples()
			c.checkWithdrawals()
			c.checkFiles()
		})
	}
}

// unique asserts that k was not seen before and records it.
func unique(t *testing.T, seen map[string]bool, kind, k string) {
	t.Helper()
	assert.False(t, seen[k], "duplicate %s %s", kind, k)
	seen[k] = true
}

func (c *checker) checkBiobanks() {
	c.biobanks = map[string]bool{}
	for _, r := range c.b.files[BiobanksFile] {
		unique(c.t, c.biobanks, "biobank", r["code"])
		assert.NotEmpty(c.t, r["name"])
		assert.Regexp(c.t, reCountry, r["country"])
		assert.Regexp(c.t, reEmail, r["contact"])
	}
}

func (c *checker) checkStudies() {
	c.studies = map[string]bool{}
	withAccession := 0
	for _, r := range c.b.files[StudiesFile] {
		unique(c.t, c.studies, "study", r["study_id"])
		assert.Regexp(c.t, reStudyID, r["study_id"])
		assert.NotEmpty(c.t, r["title"])
		assert.True(c.t, strings.HasPrefix(r["principal_investigator"], "Dr. "))
		assert.NotEmpty(c.t, r["ethics_approval"])
		if r["accession"] != "" {
			assert.Regexp(c.t, reEGAS, r["accession"])
			withAccession++
		}
	}
	assert.Positive(c.t, withAccession)
}

func (c *checker) checkDatasets() {
	c.datasets = map[string]bool{}
	for _, r := range c.b.files[DatasetsFile] {
		unique(c.t, c.datasets, "dataset", r["dataset_id"])
		assert.Regexp(c.t, reEGAD, r["dataset_id"])
		assert.Regexp(c.t, reEGAC, r["data_access_committee"])
		assert.NotEmpty(c.t, r["title"])
		assert.NotEmpty(c.t, r["description"])
		atoi(c.t, r["version"])
		codes := strings.Split(r["data_use"], ";")
		assert.Contains(c.t, permissions, codes[0])
		checkModifiers(c.t, codes[0], codes[1:])
	}
}

// checkModifiers checks 0–3 distinct DUO modifiers.
func checkModifiers(t *testing.T, perm string, mods []string) {
	t.Helper()
	assert.LessOrEqual(t, len(mods), 3)
	seen := map[string]bool{}
	for _, m := range mods {
		assert.Contains(t, duoModifiers, m)
		unique(t, seen, "modifier", m)
	}
	if perm == duoPOA {
		assert.NotContains(t, mods, duoNPOA)
	}
}

func (c *checker) checkDonors() {
	c.donors = map[string]int{}
	for _, r := range c.b.files[DonorsFile] {
		require.True(c.t, c.biobanks[r["biobank"]], r["biobank"])
		assert.Regexp(c.t, reDonorID, r["donor_id"])
		k := key(r["biobank"], r["donor_id"])
		_, dup := c.donors[k]
		assert.False(c.t, dup, "duplicate donor %s", k)
		y := atoi(c.t, r["birth_year"])
		assert.GreaterOrEqual(c.t, y, 1925)
		assert.LessOrEqual(c.t, y, 2005)
		c.donors[k] = y
		assert.Contains(c.t, []string{"female", "male", "other", "unknown"}, r["sex"])
		assert.Contains(c.t, []string{"alive", "deceased", "unknown"}, r["vital_status"])
	}
}

// donor asserts that the row's donor exists and returns its birth year.
func (c *checker) donor(r record) int {
	c.t.Helper()
	y, ok := c.donors[key(r["biobank"], r["donor_id"])]
	require.True(c.t, ok, "unknown donor %s of %s", r["donor_id"], r["biobank"])
	return y
}

func (c *checker) checkConsents() {
	ids := map[string]bool{}
	perDonor := map[string]int{}
	withdrawn := 0
	for _, r := range c.b.files[ConsentsFile] {
		born := c.donor(r)
		perDonor[key(r["biobank"], r["donor_id"])]++
		unique(c.t, ids, "consent", key(r["biobank"], r["consent_id"]))
		assert.Regexp(c.t, reConsentID, r["consent_id"])
		given := parseDay(c.t, r["given_on"])
		assert.Greater(c.t, given.Year(), born)
		assert.GreaterOrEqual(c.t, given.Year(), 2005)
		assert.LessOrEqual(c.t, given.Year(), 2024)
		if r["withdrawn_on"] != "" {
			withdrawn++
			w := parseDay(c.t, r["withdrawn_on"])
			assert.True(c.t, w.After(given), "consent %s withdrawn before given", r["consent_id"])
			assert.False(c.t, w.After(lastHistoryDay))
		}
		perm := r["duo_permission"]
		assert.Contains(c.t, permissions, perm)
		var mods []string
		if r["duo_modifiers"] != "" {
			mods = strings.Split(r["duo_modifiers"], ";")
		}
		checkModifiers(c.t, perm, mods)
		if perm == duoDS {
			assert.Contains(c.t, icd10Codes, r["disease"], "DS consent %s needs a disease", r["consent_id"])
		} else {
			assert.Empty(c.t, r["disease"])
		}
		assert.Regexp(c.t, `^doc://consent-forms/v[1-3]/`+r["consent_id"]+`\.pdf$`, r["document_ref"])
	}
	assert.Len(c.t, perDonor, len(c.donors), "every donor has a consent")
	for k, n := range perDonor {
		assert.LessOrEqual(c.t, n, 2, k)
	}
	assert.InDelta(c.t, 0.03, float64(withdrawn)/float64(len(c.donors)), 0.02, "withdrawn consents")
}

func (c *checker) checkDiagnoses() {
	seen := map[string]bool{}
	for _, r := range c.b.files[DiagnosesFile] {
		born := c.donor(r)
		assert.Contains(c.t, icd10Codes, r["code"])
		unique(c.t, seen, "diagnosis", key(key(r["biobank"], r["donor_id"]), r["code"]))
		on, age := r["diagnosed_on"], r["age_at_diagnosis"]
		assert.True(c.t, (on == "") != (age == ""), "exactly one of diagnosed_on and age_at_diagnosis: %v", r)
		if on != "" {
			d := parseDay(c.t, on)
			assert.Greater(c.t, d.Year(), born)
			assert.False(c.t, d.After(lastHistoryDay))
		} else {
			a := atoi(c.t, age)
			assert.Positive(c.t, a)
			assert.LessOrEqual(c.t, born+a, 2025)
		}
	}
}

func (c *checker) checkSamples() {
	c.samples = map[string]*checkedSample{}
	for _, r := range c.b.files[SamplesFile] {
		born := c.donor(r)
		m := reSampleID.FindStringSubmatch(r["sample_id"])
		require.NotNil(c.t, m, r["sample_id"])
		assert.Equal(c.t, r["biobank"], m[1], "sample id prefix")
		k := key(r["biobank"], r["sample_id"])
		_, dup := c.samples[k]
		require.False(c.t, dup, "duplicate sample %s", k)

		s := &checkedSample{
			donor:     r["donor_id"],
			material:  r["material_type"],
			unit:      r["quantity_unit"],
			status:    r["status"],
			collected: parseDay(c.t, r["collected_on"]),
			remaining: parseMilli(c.t, r["registered_remaining"]),
		}
		assert.Greater(c.t, s.collected.Year(), born)
		assert.False(c.t, s.collected.After(lastHistoryDay))
		assert.Equal(c.t, materialUnits[s.material], s.unit, "unit of %s", s.material)
		assert.Contains(c.t, temperatures, r["storage_temperature"])
		assert.Contains(c.t, sampleStatus, s.status)

		initial := parseMilli(c.t, r["initial_quantity"])
		assert.Positive(c.t, initial)
		assert.LessOrEqual(c.t, s.remaining, initial, "remaining > initial for %s", k)
		assert.GreaterOrEqual(c.t, s.remaining, int64(0))
		switch s.status {
		case statusDepleted:
			assert.Zero(c.t, s.remaining, "depleted sample %s has material left", k)
		case statusAvailable, statusReserved:
			assert.Positive(c.t, s.remaining, "%s sample %s is empty", s.status, k)
		}
		if s.material == "MIABIS:WHOLE_BLOOD" && r["parent_sample_id"] == "" {
			assert.GreaterOrEqual(c.t, initial, int64(2000))
			assert.LessOrEqual(c.t, initial, int64(10000))
		}

		if p := r["parent_sample_id"]; p != "" {
			parent, ok := c.samples[key(r["biobank"], p)]
			require.True(c.t, ok, "parent %s of %s is not an earlier sample of %s", p, k, r["biobank"])
			assert.Equal(c.t, parent.donor, s.donor, "parent %s of %s belongs to another donor", p, k)
			assert.Contains(c.t, parentMaterials[s.material], parent.material, "parent material of %s", k)
			assert.False(c.t, s.collected.Before(parent.collected), "%s collected before its parent", k)
		} else {
			assert.NotContains(c.t, []string{"MIABIS:SERUM", "MIABIS:BUFFY_COAT", "MIABIS:DNA"}, s.material)
		}
		if sites, ok := materialSites[s.material]; ok {
			assert.Contains(c.t, sites, r["anatomical_site"])
		} else {
			assert.Equal(c.t, siteBlood, r["anatomical_site"])
		}
		c.samples[k] = s
	}
}

func (c *checker) checkWithdrawals() {
	c.withdraw = map[string]string{}
	byMaterial := map[string]int{}
	for _, r := range c.b.files[WithdrawalsFile] {
		k := key(r["biobank"], r["withdrawal_id"])
		_, dup := c.withdraw[k]
		require.False(c.t, dup, "duplicate withdrawal %s", k)
		assert.Regexp(c.t, reWithdrawal, r["withdrawal_id"])
		sk := key(r["biobank"], r["sample_id"])
		c.withdraw[k] = sk
		s, ok := c.samples[sk]
		require.True(c.t, ok, "withdrawal %s of unknown sample %s", k, sk)
		assert.True(c.t, c.studies[r["study_id"]], "withdrawal %s for unknown study %s", k, r["study_id"])
		assert.Equal(c.t, s.unit, r["quantity_unit"])
		assert.NotContains(c.t, []string{statusDepleted, statusDestroyed}, s.status)
		byMaterial[s.material]++

		q := parseMilli(c.t, r["quantity"])
		assert.Positive(c.t, q)
		s.withdrawn += q
		assert.LessOrEqual(c.t, s.withdrawn, s.remaining, "withdrawals exceed remaining of %s", sk)

		on := parseDay(c.t, r["withdrawn_on"])
		assert.True(c.t, on.After(s.collected), "withdrawal %s before collection", k)
		assert.False(c.t, on.After(lastHistoryDay))
		assert.NotEmpty(c.t, r["recipient"])
		switch r["data_return_required"] {
		case "true":
			due := parseDay(c.t, r["data_return_due"])
			days := due.Sub(on).Hours() / 24
			assert.GreaterOrEqual(c.t, days, 365.0)
			assert.LessOrEqual(c.t, days, 730.0)
		case "false":
			assert.Empty(c.t, r["data_return_due"])
		default:
			c.t.Errorf("data_return_required %q", r["data_return_required"])
		}
	}
	for m := range byMaterial {
		assert.Contains(c.t, []string{"MIABIS:DNA", "MIABIS:PLASMA"}, m, "only DNA and plasma are withdrawn")
	}
	if !c.sparse {
		assert.Positive(c.t, byMaterial["MIABIS:DNA"])
		assert.Positive(c.t, byMaterial["MIABIS:PLASMA"])
	}
}

func (c *checker) checkFiles() {
	ids := map[string]bool{}
	var crams, vcfs int
	for _, r := range c.b.files[FilesFile] {
		assert.Contains(c.t, []string{aligner, gvcfCaller, jointCaller}, r["software"], "file %s", r["file_id"])
		if strings.Contains(r["location"], "-sequencing/") {
			c.checkSequencedFile(r)
			continue
		}
		bb := r["biobank"]
		unique(c.t, ids, "file", key(bb, r["file_id"]))
		assert.True(c.t, c.studies[r["study_id"]], "file of unknown study %s", r["study_id"])
		if r["dataset_id"] != "" {
			assert.True(c.t, c.datasets[r["dataset_id"]], "file of unknown dataset %s", r["dataset_id"])
			assert.Regexp(c.t, reEGAF, r["file_id"])
		}
		assert.Regexp(c.t, reMD5, r["md5"])
		assert.Regexp(c.t, reSHA256, r["sha256"])
		assert.Positive(c.t, atoi(c.t, r["size"]))
		assert.Contains(c.t, []string{assemblyGRCh38, assemblyGRCh37}, r["assembly"])

		sampleIDs := strings.Split(r["sample_ids"], ";")
		names := strings.Split(r["sample_aliases"], ";")
		require.Len(c.t, names, len(sampleIDs), "file %s", r["file_id"])
		assert.LessOrEqual(c.t, len(sampleIDs), maxVCFSamples)
		seen := map[string]bool{}
		for i, id := range sampleIDs {
			s, ok := c.samples[key(bb, id)]
			require.True(c.t, ok, "file %s lists sample %s not in %s", r["file_id"], id, bb)
			assert.Equal(c.t, "MIABIS:DNA", s.material)
			unique(c.t, seen, "file sample", id)
			assert.Equal(c.t, fmt.Sprintf("S%d", i+1), names[i])
		}

		switch r["format"] {
		case formatCRAM:
			crams++
			assert.Len(c.t, sampleIDs, 1)
			w, ok := c.withdraw[key(bb, r["withdrawal_id"])]
			require.True(c.t, ok, "file %s of unknown withdrawal %s", r["file_id"], r["withdrawal_id"])
			assert.Equal(c.t, key(bb, sampleIDs[0]), w, "file sample is the withdrawn sample")
			assert.Contains(c.t, []string{assayWGS, assayWES}, r["assay"])
			if strings.HasPrefix(r["location"], "ega://") {
				assert.Regexp(c.t, reEGAF, r["file_id"])
				assert.Equal(c.t, "ega://"+r["file_id"], r["location"])
			} else {
				assert.Regexp(c.t, reLocalFile, r["file_id"])
				assert.Empty(c.t, r["dataset_id"])
				want := "s3://" + strings.ToLower(bb) + "-returns/" + r["study_id"] + "/" + sampleIDs[0] + ".cram"
				assert.Equal(c.t, want, r["location"])
			}
		case formatVCF:
			vcfs++
			assert.Empty(c.t, r["withdrawal_id"])
			assert.Empty(c.t, r["dataset_id"])
			assert.Regexp(c.t, reLocalFile, r["file_id"])
			assert.Contains(c.t, []string{assayWGS, assayWES, assayArray}, r["assay"])
			assert.True(c.t, strings.HasPrefix(r["location"], "s3://"+strings.ToLower(bb)+"-returns/"+r["study_id"]+"/joint/"))
		default:
			c.t.Errorf("format %q", r["format"])
		}
	}
	if !c.sparse {
		assert.Positive(c.t, crams)
		assert.Positive(c.t, vcfs)
	}
}

// checkSequencedFile checks a file of a biobank's own sequencing
// (Config.FilesPerDonor): one DNA sample, a study, no withdrawal.
func (c *checker) checkSequencedFile(r map[string]string) {
	bb := r["biobank"]
	assert.Empty(c.t, r["withdrawal_id"])
	assert.Empty(c.t, r["dataset_id"])
	assert.Regexp(c.t, reLocalFile, r["file_id"])
	assert.Contains(c.t, []string{formatCRAM, formatVCF}, r["format"])
	assert.Contains(c.t, []string{assayWGS, assayWES}, r["assay"])
	require.True(c.t, c.studies[r["study_id"]], "file of unknown study %s", r["study_id"])
	s, ok := c.samples[key(bb, r["sample_ids"])]
	require.True(c.t, ok, "file %s lists sample %s not in %s", r["file_id"], r["sample_ids"], bb)
	assert.Equal(c.t, "MIABIS:DNA", s.material)
	assert.Equal(c.t, "S1", r["sample_aliases"])
	prefix := "s3://" + strings.ToLower(bb) + "-sequencing/" + r["study_id"] + "/" + r["sample_ids"] + "/" + r["file_id"]
	assert.True(c.t, strings.HasPrefix(r["location"], prefix), "location %s", r["location"])
}

func TestFilesPerDonor(t *testing.T) {
	for _, cfg := range []Config{{Donors: 1000, SamplesPerDonor: 10, FilesPerDonor: 2}, {Donors: 1000, FilesPerDonor: 0.5}} {
		b := generateBundle(t, cfg)
		files := b.files[FilesFile]
		assert.GreaterOrEqual(t, len(files), int(cfg.FilesPerDonor*float64(cfg.Donors)), "files for %+v", cfg)
		assert.LessOrEqual(t, len(files), int(cfg.FilesPerDonor*float64(cfg.Donors))+maxVCFSamples, "files for %+v", cfg)
	}
	for _, r := range generateBundle(t, Config{Donors: 1000}).files[FilesFile] {
		require.NotContains(t, r["location"], "-sequencing/", "no sequencing files without FilesPerDonor")
	}
}

func TestDSConsentsNameADisease(t *testing.T) {
	b := generateBundle(t, Config{Donors: 2000})
	ds := 0
	for _, r := range b.files[ConsentsFile] {
		if r["duo_permission"] == duoDS {
			ds++
			assert.True(t, slices.Contains(icd10Codes, r["disease"]), "DS consent %s has disease %q", r["consent_id"], r["disease"])
		}
	}
	assert.Positive(t, ds)
}
