package service

import (
	"bytes"
	"fmt"
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
	samples       int
	// textAsBytes: the database orders text as Go does, so facets'
	// buckets of equal counts come in the store's order (else facets
	// come from SQL)
	textAsBytes bool
}

// size is about how many bytes the index holds.
func (ix *countIndex) size() int {
	n := 8*len(ix.pairs) + 4*len(ix.donorProfile) + 4*len(ix.donorStart)
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

// countIndexBuilder fills a countIndex from the store's rows
// (Store.ReadCountIndex): donors in id order, then samples in donor
// order.
type countIndexBuilder struct {
	ix         *countIndex
	donorIDs   []string
	donorKeys  map[string]uint32
	sampleKeys map[string]uint32
	key        []byte
	cur        int // the donor of the samples being read
	pending    []profileCount
}

func newCountIndexBuilder(day string) *countIndexBuilder {
	return &countIndexBuilder{ix: &countIndex{day: day}, donorKeys: map[string]uint32{}, sampleKeys: map[string]uint32{}, cur: -1}
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
	if n := len(b.donorIDs); n > 0 && b.donorIDs[n-1] >= string(id) {
		return fmt.Errorf("count index: donors out of order at %s", id)
	}
	b.donorIDs = append(b.donorIDs, string(id))
	b.ix.donorProfile = append(b.ix.donorProfile, p)
	return nil
}

func (b *countIndexBuilder) sample(donorID, biobankID, materialType, status, files []byte) error {
	if b.cur < 0 || b.donorIDs[b.cur] != string(donorID) {
		next := b.cur + 1
		for next < len(b.donorIDs) && b.donorIDs[next] < string(donorID) {
			next++
		}
		if next == len(b.donorIDs) || b.donorIDs[next] != string(donorID) {
			return fmt.Errorf("count index: a sample of donor %s, not read or out of order", donorID)
		}
		b.flush(next)
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
	b.ix.samples++
	for i := range b.pending {
		if b.pending[i].profile == p {
			b.pending[i].n++
			return nil
		}
	}
	b.pending = append(b.pending, profileCount{profile: p, n: 1})
	return nil
}

// flush ends the pairs of the current donor and moves on to donor next
// (len(donorIDs): the end); the donors between have no current samples.
func (b *countIndexBuilder) flush(next int) {
	ix := b.ix
	for len(ix.donorStart) <= b.cur {
		ix.donorStart = append(ix.donorStart, uint32(len(ix.pairs)))
	}
	ix.pairs = append(ix.pairs, b.pending...)
	b.pending = b.pending[:0]
	for len(ix.donorStart) < next {
		ix.donorStart = append(ix.donorStart, uint32(len(ix.pairs)))
	}
	b.cur = next
}

// done completes the index.
func (b *countIndexBuilder) done() *countIndex {
	b.flush(len(b.donorIDs))
	b.ix.donorStart = append(b.ix.donorStart, uint32(len(b.ix.pairs)))
	return b.ix
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
