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
//     the donors ORs its samples' masks, ANDs its own, and adds the
//     result to bit-sliced counters, so a donor costs the same whether
//     the request has one job or hundreds of buckets.
//
// The cost of a request thus follows the number of samples' pairs, not
// the number of counts asked: a researcher's count checked against every
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

// countDonors adds each bit's donors, the donors split among the
// processors.
func (ix *countIndex) countDonors(m *passMasks, out []indexCounts) {
	n := len(ix.donorProfile)
	parts := min(runtime.GOMAXPROCS(0), max(1, n/100_000))
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

// donorsWithBits counts, for each bit, the donors in [from, to) of whom
// some sample has it (in its mask and its donor's).
func (ix *countIndex) donorsWithBits(m *passMasks, from, to int) []int {
	w := m.words
	total := make([]int, len(m.of))
	levels := make([]uint64, w*counterLevels) // word i's counter level l: levels[i*counterLevels+l]
	acc := make([]uint64, w)
	added := 0
	flush := func() {
		for i := range w {
			level := levels[i*counterLevels : (i+1)*counterLevels]
			for l, x := range level {
				for ; x != 0; x &= x - 1 {
					if b := i*64 + bits.TrailingZeros64(x); b < len(total) {
						total[b] += 1 << l
					}
				}
				level[l] = 0
			}
		}
		added = 0
	}
	for d := from; d < to; d++ {
		lo, hi := ix.donorStart[d], ix.donorStart[d+1]
		dp := ix.donorProfile[d]
		if lo == hi || !m.anyBit[dp] {
			continue
		}
		if added == 1<<counterLevels-1 {
			flush()
		}
		added++
		if w == 1 {
			var x uint64
			for _, pc := range ix.pairs[lo:hi] {
				x |= m.sample[pc.profile]
			}
			addBits(levels, x&m.donor[dp])
			continue
		}
		clear(acc)
		for _, pc := range ix.pairs[lo:hi] {
			s := m.sample[int(pc.profile)*w : int(pc.profile+1)*w]
			for i := range acc {
				acc[i] |= s[i]
			}
		}
		dm := m.donor[int(dp)*w : int(dp+1)*w]
		for i := range acc {
			addBits(levels[i*counterLevels:(i+1)*counterLevels], acc[i]&dm[i])
		}
	}
	flush()
	return total
}

// addBits adds x's bits, one each, to the bit-sliced counters level
// (level[l] holds bit l of each of 64 counters).
func addBits(level []uint64, x uint64) {
	for l := 0; x != 0; l++ {
		carry := level[l] & x
		level[l] ^= x
		x = carry
	}
}
