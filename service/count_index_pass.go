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
//     the request has one job or hundreds of buckets.
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

// passMasks are the bits of one pass: words uint64s per profile.
type passMasks struct {
	words  int
	sample []uint64 // sample profile p: sample[p*words : (p+1)*words]
	donor  []uint64 // donor profile q: donor[q*words : (q+1)*words]
	anyBit []bool   // by donor profile: some bit of its mask is set
	of     []bitJob // bit i counts bucket of[i].bucket of job of[i].job
}

// bitJob names a job's bucket.
type bitJob struct{ job, bucket int }

// count counts every job, in as few passes over the donors as their
// buckets allow.
func (ix *countIndex) count(jobs []indexJob) []indexCounts {
	out := make([]indexCounts, len(jobs))
	for j, job := range jobs {
		nb := max(job.buckets, 1)
		out[j] = indexCounts{samples: make([]int, nb), donors: make([]int, nb)}
	}
	for first := 0; first < len(jobs); {
		last, n := first, 0
		for last < len(jobs) && (last == first || n+max(jobs[last].buckets, 1) <= passBits) {
			n += max(jobs[last].buckets, 1)
			last++
		}
		m := ix.masks(jobs, first, last, n)
		ix.countSamples(&m, out)
		ix.countDonors(&m, out)
		first = last
	}
	return out
}

// masks sets the bits of jobs[first:last] (n buckets in all).
func (ix *countIndex) masks(jobs []indexJob, first, last, n int) passMasks {
	w := (n + 63) / 64
	m := passMasks{words: w, sample: make([]uint64, len(ix.profiles)*w), donor: make([]uint64, len(ix.donorProfiles)*w),
		anyBit: make([]bool, len(ix.donorProfiles)), of: make([]bitJob, 0, n)}
	set := func(mask []uint64, at, i int) { mask[at*w+i/64] |= 1 << (i % 64) }
	for j := first; j < last; j++ {
		job, base := &jobs[j], len(m.of)
		nb := max(job.buckets, 1)
		for b := range nb {
			m.of = append(m.of, bitJob{job: j, bucket: b})
		}
		for p := range ix.profiles {
			switch {
			case job.pred.sample != nil && !job.pred.sample[p]:
			case job.byProfile != nil:
				set(m.sample, p, base+int(job.byProfile[p]))
			default:
				for b := range nb {
					set(m.sample, p, base+b)
				}
			}
		}
		for q := range ix.donorProfiles {
			switch {
			case job.pred.donor != nil && !job.pred.donor[q]:
			case job.byDonor != nil:
				set(m.donor, q, base+int(job.byDonor[q]))
			default:
				for b := range nb {
					set(m.donor, q, base+b)
				}
			}
		}
	}
	for q := range ix.donorProfiles {
		for _, x := range m.donor[q*w : (q+1)*w] {
			m.anyBit[q] = m.anyBit[q] || x != 0
		}
	}
	return m
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
			out[b.job].donors[b.bucket] += c[i]
		}
	}
}

// donorsWithBits counts, for each bit, the donors of the sets [from, to)
// of whom some sample has it (in its mask and its donor's): a set's
// masks are ORed once, then ANDed with each kind of donor having it.
func (ix *countIndex) donorsWithBits(m *passMasks, from, to int) []int {
	c := bitCounters{total: make([]int, len(m.of)), levels: make([]uint64, m.words*counterLevels)}
	w := m.words
	acc := make([]uint64, w)
	for set := from; set < to; set++ {
		profiles := ix.setProfiles[ix.setStart[set]:ix.setStart[set+1]]
		kinds := ix.kinds[ix.kindStart[set]:ix.kindStart[set+1]]
		if w == 1 {
			var x uint64
			for _, p := range profiles {
				x |= m.sample[p]
			}
			if x == 0 {
				continue
			}
			for _, k := range kinds {
				if y := x & m.donor[k.donorProfile]; y != 0 {
					c.add(0, y, int(k.n))
				}
			}
			continue
		}
		clear(acc)
		for _, p := range profiles {
			s := m.sample[int(p)*w : int(p+1)*w]
			for i := range acc {
				acc[i] |= s[i]
			}
		}
		for _, k := range kinds {
			d := m.donor[int(k.donorProfile)*w : int(k.donorProfile+1)*w]
			for i := range acc {
				if y := acc[i] & d[i]; y != 0 {
					c.add(i, y, int(k.n))
				}
			}
		}
	}
	c.flush()
	return c.total
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
