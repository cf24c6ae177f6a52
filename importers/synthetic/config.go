package synthetic

import (
	"errors"
	"math"
)

// Defaults and limits of Config.
const (
	DefaultSeed            = 1
	DefaultBiobanks        = 3
	DefaultSamplesPerDonor = 5.0
	MaxBiobanks            = 99
	MaxSamplesPerDonor     = 100.0
	MaxFilesPerDonor       = 100.0
	ProgressInterval       = 10_000 // donors between Progress calls
)

// Config says what to generate. Only Donors is required; zero values of
// the other fields mean their defaults.
type Config struct {
	Donors   int    // number of donors; required, > 0
	Seed     uint64 // random seed; 0 means DefaultSeed
	Biobanks int    // number of biobanks; 0 means DefaultBiobanks

	// SamplesPerDonor is the average number of samples per donor; 0 means
	// DefaultSamplesPerDonor. The total is never below Donors ×
	// SamplesPerDonor (rounded), so 2,000 donors give at least 10,000
	// samples by default.
	SamplesPerDonor float64

	// FilesPerDonor, if > 0, is the least average number of data files
	// per donor: beyond the files returned for withdrawals and the joint
	// VCFs, the generator registers files of the biobank's own sequencing
	// of DNA samples until, after donor i, at least round(FilesPerDonor ×
	// (i+1)) files exist. 0 adds none (and draws nothing, so bundles of
	// earlier versions stay byte-identical).
	FilesPerDonor float64

	// Progress, if set, is called with the number of donors done after
	// every ProgressInterval donors, on the calling goroutine.
	Progress func(donorsDone int)
}

// withDefaults returns cfg with defaults filled in, or an error if a field
// is out of range.
func (cfg Config) withDefaults() (Config, error) {
	if cfg.Donors <= 0 {
		return cfg, errors.New("synthetic: donors must be > 0")
	}
	if cfg.Seed == 0 {
		cfg.Seed = DefaultSeed
	}
	switch {
	case cfg.Biobanks == 0:
		cfg.Biobanks = DefaultBiobanks
	case cfg.Biobanks < 0 || cfg.Biobanks > MaxBiobanks:
		return cfg, errors.New("synthetic: biobanks must be between 1 and 99")
	}
	switch {
	case cfg.SamplesPerDonor == 0:
		cfg.SamplesPerDonor = DefaultSamplesPerDonor
	case math.IsNaN(cfg.SamplesPerDonor) || cfg.SamplesPerDonor < 0 || cfg.SamplesPerDonor > MaxSamplesPerDonor:
		return cfg, errors.New("synthetic: samples per donor must be between 0 and 100")
	}
	if math.IsNaN(cfg.FilesPerDonor) || cfg.FilesPerDonor < 0 || cfg.FilesPerDonor > MaxFilesPerDonor {
		return cfg, errors.New("synthetic: files per donor must be between 0 and 100")
	}
	return cfg, nil
}

// Summary reports what Generate wrote.
type Summary struct {
	Files map[string]int // data rows (without the header) per file name
}
