package service

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// The count index holds what discovery counts (the samples' biobank,
// material type, status and kinds of data, their donors' sex and consent
// in force) in memory, so that a researcher's totalCount, donorCount and
// facets over millions of samples are answered in milliseconds instead
// of by a scan in PostgreSQL. It answers only while it is known to hold
// the registry as it is (count_index_watch.go), only filters and facets
// it holds the fields of (count_index_query.go), and only for readers
// who may count every sample; everything else goes to SQL, which stays
// the definition of every count: a test compares the two.
//
// Samples with the same biobank, material type, status and kinds of data
// share one sample profile, donors with the same sex and consent one
// donor profile: a filter is decided once per profile, not per sample.
// Samples are held by donor, as (profile, number of samples) pairs, so
// that a pass over the donors counts samples and distinct donors alike.
type countIndex struct {
	day   string // the day the consents in force were read for
	gen   uint64 // the registry changes seen when the read began
	epoch uint64 // the listener's connection the read began under

	profiles      []sampleProfile
	donorProfiles []donorProfile
	donorProfile  []uint32 // by donor, in id order
	donorStart    []uint32 // donor d's pairs are pairs[donorStart[d]:donorStart[d+1]]
	pairs         []profileCount
	cells         []profileCell // how many samples each (sample profile, donor profile) has, those with some
	samples       int
	// textAsBytes: the database orders text as Go does, so facets'
	// buckets of equal counts come in the store's order (else facets
	// come from SQL)
	textAsBytes bool
}

// size is about how many bytes the index holds.
func (ix *countIndex) size() int {
	n := 8*len(ix.pairs) + 4*len(ix.donorProfile) + 4*len(ix.donorStart) + 16*len(ix.cells)
	for _, p := range ix.profiles {
		n += 100 + 48*len(p.files)
	}
	return n + 64*len(ix.donorProfiles)
}

// sampleProfile is what the index holds of a sample.
type sampleProfile struct {
	biobankID    string
	materialType string
	hasMaterial  bool // material type not NULL
	status       string
	files        []fileKind // its current data files' kinds, distinct
}

// fileKind is a data file's assay, assembly and format ("": none).
type fileKind struct{ assay, assembly, format string }

// donorProfile is what the index holds of a donor.
type donorProfile struct {
	sex        string
	hasSex     bool
	consentKey string // consent_in_force_key, "" when none is in force
}

// profileCount is how many of a donor's samples have one profile.
type profileCount struct {
	profile uint32
	n       uint32
}

// profileCell is how many samples have one sample profile and a donor
// of one donor profile.
type profileCell struct {
	profile, donorProfile uint32
	n                     int
}

// countIndexBuilder fills a countIndex from the store's rows
// (Store.ReadCountIndex): every donor, then every sample, in any order.
type countIndexBuilder struct {
	ix         *countIndex
	donors     map[string]uint32 // a donor's ordinal, by id
	donorKeys  map[string]uint32
	sampleKeys map[string]uint32
	key        []byte
	held       []uint64 // a sample each: its donor's ordinal << 32 | its profile
}

func newCountIndexBuilder(day string) *countIndexBuilder {
	return &countIndexBuilder{ix: &countIndex{day: day}, donors: map[string]uint32{}, donorKeys: map[string]uint32{}, sampleKeys: map[string]uint32{}}
}

func (b *countIndexBuilder) donor(id, sex, consentKey []byte) error {
	b.key = append(append(append(b.key[:0], boolByte(sex != nil)), sex...), 0)
	b.key = append(b.key, consentKey...)
	p, ok := b.donorKeys[string(b.key)]
	if !ok {
		p = uint32(len(b.ix.donorProfiles))
		b.donorKeys[string(b.key)] = p
		b.ix.donorProfiles = append(b.ix.donorProfiles, donorProfile{sex: string(sex), hasSex: sex != nil, consentKey: string(consentKey)})
	}
	if _, dup := b.donors[string(id)]; dup {
		return fmt.Errorf("count index: donor %s read twice", id)
	}
	b.donors[string(id)] = uint32(len(b.ix.donorProfile))
	b.ix.donorProfile = append(b.ix.donorProfile, p)
	return nil
}

func (b *countIndexBuilder) sample(donorID, biobankID, materialType, status, files []byte) error {
	d, ok := b.donors[string(donorID)]
	if !ok {
		return fmt.Errorf("count index: a sample of donor %s, who was not read", donorID)
	}
	k := append(b.key[:0], biobankID...)
	k = append(append(append(k, 0, boolByte(materialType != nil)), materialType...), 0)
	k = append(append(append(k, status...), 0), files...)
	b.key = k
	p, ok := b.sampleKeys[string(k)]
	if !ok {
		p = uint32(len(b.ix.profiles))
		b.sampleKeys[string(k)] = p
		b.ix.profiles = append(b.ix.profiles, sampleProfile{biobankID: string(biobankID), materialType: string(materialType),
			hasMaterial: materialType != nil, status: string(status), files: fileKinds(files)})
	}
	b.held = append(b.held, uint64(d)<<32|uint64(p))
	return nil
}

// done completes the index: the samples sorted by donor and profile
// become each donor's (profile, number) pairs.
func (b *countIndexBuilder) done() *countIndex {
	ix := b.ix
	slices.Sort(b.held)
	ix.samples = len(b.held)
	ix.donorStart = make([]uint32, 0, len(ix.donorProfile)+1)
	for i := 0; i < len(b.held); {
		j := i + 1
		for j < len(b.held) && b.held[j] == b.held[i] {
			j++
		}
		d := int(b.held[i] >> 32)
		for len(ix.donorStart) <= d {
			ix.donorStart = append(ix.donorStart, uint32(len(ix.pairs)))
		}
		ix.pairs = append(ix.pairs, profileCount{profile: uint32(b.held[i]), n: uint32(j - i)})
		i = j
	}
	for len(ix.donorStart) <= len(ix.donorProfile) {
		ix.donorStart = append(ix.donorStart, uint32(len(ix.pairs)))
	}
	b.held = nil
	ix.cells = cells(ix)
	return ix
}

// cells sums the pairs of every donor by sample profile and donor
// profile.
func cells(ix *countIndex) []profileCell {
	sum := map[uint64]int{}
	for d, dp := range ix.donorProfile {
		for _, pc := range ix.pairs[ix.donorStart[d]:ix.donorStart[d+1]] {
			sum[uint64(pc.profile)<<32|uint64(dp)] += int(pc.n)
		}
	}
	out := make([]profileCell, 0, len(sum))
	for k, n := range sum {
		out = append(out, profileCell{profile: uint32(k >> 32), donorProfile: uint32(k), n: n})
	}
	slices.SortFunc(out, func(a, b profileCell) int {
		return cmp.Or(cmp.Compare(a.profile, b.profile), cmp.Compare(a.donorProfile, b.donorProfile))
	})
	return out
}

func boolByte(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// fileKinds parses the store's spelling of a sample's kinds of data.
func fileKinds(b []byte) []fileKind {
	if len(b) == 0 {
		return nil
	}
	var out []fileKind
	for k := range bytes.SplitSeq(b, []byte{0x1e}) {
		f := strings.Split(string(k), "\x1f")
		for len(f) < 3 {
			f = append(f, "")
		}
		out = append(out, fileKind{assay: f[0], assembly: f[1], format: f[2]})
	}
	return out
}
