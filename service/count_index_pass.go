package service

import (
	"math/bits"
	"runtime"
	"sync"
)

// A pass of the count index answers every job of a request at once, each
// bucket of each job as one bit of a profile's mask:
//
//   - a sample counts for bit i when its profile's mask and its donor's
//     profile's mask both have bit i, so the samples of every bit come
//     from the index's cells (how many samples each pair of a sample
//     profile and a donor profile has) without visiting a donor;
//   - a donor counts for bit i when any of its samples does: a pass over
//     the sets of samples' profiles that donors have ORs each set's
//     masks once, ANDs the result with the mask of each kind of donor
//     having that set (their profile), and adds it, once per donor of
//     the kind, to bit-sliced counters, so a donor costs the same whether
//     the request has one job or hundreds of buckets; the bits of jobs
//     that no donor's profile decides (samples' conditions and facets)
//     come first, in words of their own, and count once per set with
//     its number of donors, without visiting its kinds.
//
// The cost of a request thus follows the number of sets and kinds of
// donors (at 10M samples: 0.33M sets, 0.75M kinds, 1M donors), not the
// number of counts asked: a researcher's count checked against every
// neighbouring filter, bucket by bucket, costs about what one count does.

// passBits is how many bits one pass over the donors carries at most
// (more are counted in further passes); a single job with more buckets
// gets a pass of its own.
const passBits = 512

// counterLevels is how many bits each bit-sliced counter has: a pass
// adds at most 1<<counterLevels - 1 donors into them between flushes.
const counterLevels = 16

// passMasks are the bits of one pass: words uint64s per profile. The
// first uniform words hold bits that no donor's profile decides (their
// donor masks are all ones): those are counted per set of profiles,
// without visiting its kinds of donor.
type passMasks struct {
	words   int
	uniform int
	sample  []uint64 // sample profile p: sample[p*words : (p+1)*words]
	donor   []uint64 // donor profile q: donor[q*words : (q+1)*words]
	of      []bitJob // bit i counts bucket of[i].bucket of job of[i].job
}

// bitJob names a job's bucket.
type bitJob struct{ job, bucket int }

// count counts every job, in as few passes over the donors as their
// buckets allow.
func (ix *countIndex) count(jobs []indexJob) []indexCounts {
	out := make([]indexCounts, len(jobs))
	var order []int // the jobs no donor's profile decides first
	for j, job := range jobs {
		nb := max(job.buckets, 1)
		out[j] = indexCounts{samples: make([]int, nb), donors: make([]int, nb)}
		if job.donorFree() {
			order = append(order, j)
		}
	}
	for j, job := range jobs {
		if !job.donorFree() {
			order = append(order, j)
		}
	}
	for len(order) > 0 {
		last, n := 0, 0
		for last < len(order) && (last == 0 || n+max(jobs[order[last]].buckets, 1) <= passBits) {
			n += max(jobs[order[last]].buckets, 1)
			last++
		}
		m := ix.masks(jobs, order[:last])
		ix.countSamples(&m, out)
		ix.countDonors(&m, out)
		order = order[last:]
	}
	return out
}

// donorFree tells whether no donor's profile decides the job's counts.
func (job *indexJob) donorFree() bool { return job.pred.donor == nil && job.byDonor == nil }

// masks sets the bits of jobs[order[…]], in that order: the jobs no
// donor's profile decides first, in whole words (the last one padded with
// bits of no job).
func (ix *countIndex) masks(jobs []indexJob, order []int) passMasks {
	var m passMasks
	for k, j := range order {
		if k > 0 && !jobs[j].donorFree() && jobs[order[k-1]].donorFree() {
			for len(m.of)%64 != 0 {
				m.of = append(m.of, bitJob{job: -1})
			}
		}
		if jobs[j].donorFree() {
			m.uniform = (len(m.of) + max(jobs[j].buckets, 1) + 63) / 64
		}
		for b := range max(jobs[j].buckets, 1) {
			m.of = append(m.of, bitJob{job: j, bucket: b})
		}
	}
	w := (len(m.of) + 63) / 64
	m.words, m.sample, m.donor = w, make([]uint64, len(ix.profiles)*w), make([]uint64, len(ix.donorProfiles)*w)
	for i := 0; i < len(m.of); {
		j := m.of[i].job
		if j < 0 {
			i++
			continue
		}
		job, nb := &jobs[j], max(jobs[j].buckets, 1)
		setBits(m.sample, w, len(ix.profiles), job.pred.sample, job.byProfile, i, nb)
		setBits(m.donor, w, len(ix.donorProfiles), job.pred.donor, job.byDonor, i, nb)
		i += nb
	}
	return m
}

// setBits sets a job's bits (base, and nb buckets from it) in mask (words
// a profile) for each of n profiles that pred passes (nil: all): the bit
// of the profile's bucket (by), or of every bucket when by is nil.
func setBits(mask []uint64, words, n int, pred []bool, by []int32, base, nb int) {
	set := func(at, i int) { mask[at*words+i/64] |= 1 << (i % 64) }
	for p := range n {
		switch {
		case pred != nil && !pred[p]:
		case by != nil:
			set(p, base+int(by[p]))
		default:
			for b := range nb {
				set(p, base+b)
			}
		}
	}
}

// countSamples adds each bit's samples from the index's cells.
func (ix *countIndex) countSamples(m *passMasks, out []indexCounts) {
	w := m.words
	for _, c := range ix.cells {
		s, d := m.sample[int(c.profile)*w:], m.donor[int(c.donorProfile)*w:]
		for i := range w {
			for x := s[i] & d[i]; x != 0; x &= x - 1 {
				b := m.of[i*64+bits.TrailingZeros64(x)]
				out[b.job].samples[b.bucket] += c.n
			}
		}
	}
}

// countDonors adds each bit's donors, the sets of profiles split among
// the processors.
func (ix *countIndex) countDonors(m *passMasks, out []indexCounts) {
	n := len(ix.setStart) - 1
	parts := min(runtime.GOMAXPROCS(0), max(1, n/50_000))
	counts := make([][]int, parts)
	var wg sync.WaitGroup
	for k := range parts {
		wg.Go(func() { counts[k] = ix.donorsWithBits(m, k*n/parts, (k+1)*n/parts) })
	}
	wg.Wait()
	for _, c := range counts {
		for i, b := range m.of {
			if b.job >= 0 {
				out[b.job].donors[b.bucket] += c[i]
			}
		}
	}
}

// donorsWithBits counts, for each bit, the donors of the sets [from, to)
// of whom some sample has it (in its mask and its donor's): a set's
// masks are ORed once, then ANDed with each kind of donor having it.
// Words are swept two at a time (the sweep, not the words, costs).
func (ix *countIndex) donorsWithBits(m *passMasks, from, to int) []int {
	c := bitCounters{total: make([]int, len(m.of)), levels: make([]uint64, m.words*counterLevels)}
	for i := range m.uniform {
		ix.sweepSets(m, &c, i, from, to)
	}
	for i := m.uniform; i < m.words; i += 2 {
		if i+1 < m.words {
			ix.sweepTwo(m, &c, i, from, to)
		} else {
			ix.sweepOne(m, &c, i, from, to)
		}
	}
	c.flush()
	return c.total
}

// sweepSets counts word i's bits, which no donor's profile decides: a
// set's bits count once for each of its donors.
func (ix *countIndex) sweepSets(m *passMasks, c *bitCounters, i, from, to int) {
	for set := from; set < to; set++ {
		if x := ix.setWord(m, set, i); x != 0 {
			c.add(i, x, int(ix.setDonors[set]))
		}
	}
}

// setWord is word i of the OR of set's sample profiles' masks.
func (ix *countIndex) setWord(m *passMasks, set, i int) uint64 {
	var x uint64
	for _, p := range ix.setProfiles[ix.setStart[set]:ix.setStart[set+1]] {
		x |= m.sample[int(p)*m.words+i]
	}
	return x
}

// sweepOne counts word i's bits.
func (ix *countIndex) sweepOne(m *passMasks, c *bitCounters, i, from, to int) {
	w := m.words
	for set := from; set < to; set++ {
		x := ix.setWord(m, set, i)
		if x == 0 {
			continue
		}
		for _, k := range ix.kinds[ix.kindStart[set]:ix.kindStart[set+1]] {
			if y := x & m.donor[int(k.donorProfile)*w+i]; y != 0 {
				c.add(i, y, int(k.n))
			}
		}
	}
}

// sweepTwo counts the bits of words i and i+1.
func (ix *countIndex) sweepTwo(m *passMasks, c *bitCounters, i, from, to int) {
	w := m.words
	for set := from; set < to; set++ {
		var x0, x1 uint64
		for _, p := range ix.setProfiles[ix.setStart[set]:ix.setStart[set+1]] {
			at := int(p)*w + i
			x0 |= m.sample[at]
			x1 |= m.sample[at+1]
		}
		if x0|x1 == 0 {
			continue
		}
		for _, k := range ix.kinds[ix.kindStart[set]:ix.kindStart[set+1]] {
			at := int(k.donorProfile)*w + i
			if y := x0 & m.donor[at]; y != 0 {
				c.add(i, y, int(k.n))
			}
			if y := x1 & m.donor[at+1]; y != 0 {
				c.add(i+1, y, int(k.n))
			}
		}
	}
}

// bitCounters count, for each bit of words of 64, how many times it was
// added: bit-sliced (levels[i*counterLevels+l] holds bit l of word i's 64
// counters), so that adding a word costs a few operations whatever its
// bits, flushed into total before they could overflow.
type bitCounters struct {
	total  []int
	levels []uint64
	added  int // the most any counter holds since the last flush
}

// add adds n to the counters of word i's bits x.
func (c *bitCounters) add(i int, x uint64, n int) {
	if n >= 1<<8 { // many donors of one kind: counted directly
		for ; x != 0; x &= x - 1 {
			c.total[i*64+bits.TrailingZeros64(x)] += n
		}
		return
	}
	if c.added+n >= 1<<counterLevels {
		c.flush()
	}
	c.added += n
	level := c.levels[i*counterLevels : (i+1)*counterLevels]
	for l := 0; n != 0; l, n = l+1, n>>1 {
		if n&1 == 0 {
			continue
		}
		for y, at := x, l; y != 0; at++ { // add y at level at, carrying upwards
			carry := level[at] & y
			level[at] ^= y
			y = carry
		}
	}
}

// flush moves the counters into total.
func (c *bitCounters) flush() {
	for i := range len(c.levels) / counterLevels {
		level := c.levels[i*counterLevels : (i+1)*counterLevels]
		for l, x := range level {
			for ; x != 0; x &= x - 1 {
				if b := i*64 + bits.TrailingZeros64(x); b < len(c.total) {
					c.total[b] += 1 << l
				}
			}
			level[l] = 0
		}
	}
	c.added = 0
}
