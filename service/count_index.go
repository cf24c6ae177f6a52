package service

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"fmt"
	"maps"
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
// Samples are counted by cells (the samples of one sample profile whose
// donors have one donor profile); donors by the set of their samples'
// profiles and their own profile (a kind), so that a pass visits each
// set once and each kind once, not each sample (count_index_pass.go).
type countIndex struct {
	day   string // the day the consents in force were read for
	gen   uint64 // the registry changes seen when the read began
	epoch uint64 // the listener's connection the read began under

	profiles      []sampleProfile
	donorProfiles []donorProfile
	cells         []profileCell // those with some samples, by sample profile
	// setProfiles[setStart[i]:setStart[i+1]] are set i's sample
	// profiles; kinds[kindStart[i]:kindStart[i+1]] the kinds of donor
	// whose samples have exactly those
	setProfiles []uint32
	setStart    []uint32
	kinds       []donorKind
	kindStart   []uint32
	setDonors   []uint32 // set i's donors, of every kind
	donors      int      // with samples or not
	samples     int
	// textAsBytes: the database orders text as Go does, so facets'
	// buckets of equal counts come in the store's order (else facets
	// come from SQL)
	textAsBytes bool
}

// size is about how many bytes the index holds.
func (ix *countIndex) size() int {
	n := 16*len(ix.cells) + 4*len(ix.setProfiles) + 4*len(ix.setStart) + 8*len(ix.kinds) + 4*len(ix.kindStart) + 4*len(ix.setDonors)
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

// donorKind is how many donors (n) have one donor profile and one set of
// samples' profiles.
type donorKind struct {
	donorProfile uint32
	n            uint32
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
	profileOf  []uint32          // a donor's profile, by ordinal
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
	b.donors[string(id)] = uint32(len(b.profileOf))
	b.profileOf = append(b.profileOf, p)
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
// become the cells, and each donor's profiles a set.
func (b *countIndexBuilder) done() *countIndex {
	ix := b.ix
	slices.Sort(b.held)
	ix.samples, ix.donors = len(b.held), len(b.profileOf)
	cells := map[uint64]int{} // sample profile << 32 | donor profile → samples
	sets := map[string]int{}  // a set's profiles as bytes → its number
	kinds := map[uint64]int{} // set << 32 | donor profile → donors
	var key []byte
	for i := 0; i < len(b.held); {
		d := b.held[i] >> 32
		dp := b.profileOf[d]
		key = key[:0]
		for i < len(b.held) && b.held[i]>>32 == d {
			j := i + 1
			for j < len(b.held) && b.held[j] == b.held[i] {
				j++
			}
			p := uint32(b.held[i])
			cells[uint64(p)<<32|uint64(dp)] += j - i
			key = binary.LittleEndian.AppendUint32(key, p)
			i = j
		}
		set, ok := sets[string(key)]
		if !ok {
			set = len(sets)
			sets[string(key)] = set
		}
		kinds[uint64(set)<<32|uint64(dp)]++
	}
	b.held = nil
	ix.cells = make([]profileCell, 0, len(cells))
	for k, n := range cells {
		ix.cells = append(ix.cells, profileCell{profile: uint32(k >> 32), donorProfile: uint32(k), n: n})
	}
	slices.SortFunc(ix.cells, func(a, b profileCell) int {
		return cmp.Or(cmp.Compare(a.profile, b.profile), cmp.Compare(a.donorProfile, b.donorProfile))
	})
	byNumber := make([]string, len(sets))
	for k, set := range sets {
		byNumber[set] = k
	}
	ix.setStart = make([]uint32, 1, len(sets)+1)
	for _, k := range byNumber {
		for p := range len(k) / 4 {
			ix.setProfiles = append(ix.setProfiles, binary.LittleEndian.Uint32([]byte(k[4*p:])))
		}
		ix.setStart = append(ix.setStart, uint32(len(ix.setProfiles)))
	}
	sorted := slices.Sorted(maps.Keys(kinds))
	ix.kinds = make([]donorKind, len(sorted))
	ix.kindStart = make([]uint32, len(sets)+1)
	for i, k := range sorted {
		ix.kinds[i] = donorKind{donorProfile: uint32(k), n: uint32(kinds[k])}
		ix.kindStart[k>>32+1] = uint32(i + 1)
	}
	ix.setDonors = make([]uint32, len(sets))
	for i := 1; i < len(ix.kindStart); i++ {
		ix.kindStart[i] = max(ix.kindStart[i], ix.kindStart[i-1]) // every set has a kind: kept for safety
		for _, k := range ix.kinds[ix.kindStart[i-1]:ix.kindStart[i]] {
			ix.setDonors[i-1] += k.n
		}
	}
	return ix
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
