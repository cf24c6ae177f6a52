package service

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
)

// TestCountIndexPassCountsEachSample builds count indexes of random
// registries and asks random jobs of every kind (plain counts, facets by
// sample and by donor profile, more buckets than one pass carries), and
// requires ix.count to give what counting sample by sample gives. Registry
// 12 has more donors than the counters hold between flushes; in registry
// 13 thousands of donors are alike (one kind of donor counts for many).
func TestCountIndexPassCountsEachSample(t *testing.T) {
	for seed := range uint64(14) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 7))
			b := newCountIndexBuilder("2026-12-07")
			donors := 1 + r.IntN(3000)
			perDonor, materials, statuses, keys := min(12, 2+2*int(seed)), 9, 4, 1+int(seed)
			switch seed {
			case 12:
				donors = 1<<counterLevels*2 + 17
			case 13:
				donors, perDonor, materials, statuses, keys = 20_000, 2, 2, 1, 1
			}
			sexes := []string{"female", "male", "other"}
			type sample struct{ donor, material, status int }
			var held []sample
			for d := range donors {
				id := fmt.Appendf(nil, "d%06d", d)
				require.NoError(t, b.donor(id, []byte(sexes[r.IntN(3)]), fmt.Appendf(nil, "k%d", r.IntN(keys))))
			}
			for d := range donors {
				for range r.IntN(perDonor) { // some donors have none
					s := sample{donor: d, material: r.IntN(materials), status: r.IntN(statuses)}
					held = append(held, s)
					require.NoError(t, b.sample(fmt.Appendf(nil, "d%06d", d), []byte("b"), fmt.Appendf(nil, "m%d", s.material),
						fmt.Appendf(nil, "s%d", s.status), nil))
				}
			}
			ix := b.done()
			profiles := map[[2]string]int{}
			for p, x := range ix.profiles {
				profiles[[2]string{x.materialType, x.status}] = p
			}
			profileOf := func(s sample) int {
				p, ok := profiles[[2]string{fmt.Sprintf("m%d", s.material), fmt.Sprintf("s%d", s.status)}]
				require.True(t, ok, "no profile for %v", s)
				return p
			}
			randomTable := func(n int) []bool {
				if r.IntN(3) == 0 {
					return nil
				}
				out := make([]bool, n)
				for i := range out {
					out[i] = r.IntN(4) != 0
				}
				return out
			}
			randomBuckets := func(n, buckets int) []int32 {
				out := make([]int32, n)
				for i := range out {
					out[i] = int32(r.IntN(buckets))
				}
				return out
			}
			jobs := make([]indexJob, 1+r.IntN(120))
			for j := range jobs {
				jobs[j].pred = indexPred{sample: randomTable(len(ix.profiles)), donor: randomTable(len(ix.donorProfiles))}
				switch r.IntN(4) {
				case 1:
					jobs[j].buckets = 1 + r.IntN(12)
					jobs[j].byProfile = randomBuckets(len(ix.profiles), jobs[j].buckets)
				case 2:
					jobs[j].buckets = 1 + r.IntN(5)
					jobs[j].byDonor = randomBuckets(len(ix.donorProfiles), jobs[j].buckets)
				case 3:
					jobs[j].buckets = 600 // more than a pass carries
					jobs[j].byProfile = randomBuckets(len(ix.profiles), jobs[j].buckets)
				}
			}
			got := ix.count(jobs)
			pq := make([][2]int, len(held)) // each sample's profile and its donor's
			for i, s := range held {
				pq[i] = [2]int{profileOf(s), int(b.profileOf[s.donor])}
			}
			for j, job := range jobs {
				nb := max(job.buckets, 1)
				want := indexCounts{samples: make([]int, nb), donors: make([]int, nb)}
				seen := map[[2]int]bool{}
				for i, s := range held {
					p, q := pq[i][0], pq[i][1]
					if job.pred.sample != nil && !job.pred.sample[p] || job.pred.donor != nil && !job.pred.donor[q] {
						continue
					}
					bucket := 0
					if job.byProfile != nil {
						bucket = int(job.byProfile[p])
					}
					if job.byDonor != nil {
						bucket = int(job.byDonor[q])
					}
					want.samples[bucket]++
					if !seen[[2]int{s.donor, bucket}] {
						seen[[2]int{s.donor, bucket}] = true
						want.donors[bucket]++
					}
				}
				require.Equal(t, want, got[j], "job %d of %d", j, len(jobs))
			}
		})
	}
}

// TestCountIndexPassBits requires a pass to lay its jobs' buckets out as
// documented: the jobs no donor's profile decides first, in whole words,
// then the others one after the other, in one pass while they fit.
func TestCountIndexPassBits(t *testing.T) {
	ix := &countIndex{profiles: make([]sampleProfile, 3), donorProfiles: make([]donorProfile, 2)}
	jobs := []indexJob{
		{byDonor: []int32{0, 1}, buckets: 2},
		{},
		{byProfile: []int32{0, 1, 2}, buckets: 3},
		{pred: indexPred{donor: []bool{true, false}}},
	}
	m := ix.masks(jobs, []int{1, 2, 0, 3})
	require.Len(t, m.of, 64+3, "the free jobs' 4 bits padded to a word, then 3 bits")
	require.Equal(t, 1, m.uniform)
	require.Equal(t, 2, m.words)
	require.Equal(t, bitJob{job: 0, bucket: 1}, m.of[65])
	require.Equal(t, bitJob{job: 3, bucket: 0}, m.of[66])
}

// TestCountIndexLeavesKeptApart compiles, with one set of leaf tables,
// conditions whose values differ only by an empty list against a list of
// one empty value, and requires each its own answer: a consent outcome no
// consent gives (no keys) against donors without a consent (the key ""),
// a biobank against the same with an empty id added.
func TestCountIndexLeavesKeptApart(t *testing.T) {
	day := time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC)
	b := newCountIndexBuilder(day.Format(time.DateOnly))
	require.NoError(t, b.donor([]byte("d0"), []byte("female"), nil))             // no consent in force
	require.NoError(t, b.donor([]byte("d1"), []byte("female"), []byte("HMB||"))) // HMB
	for _, d := range []string{"d0", "d1"} {
		require.NoError(t, b.sample([]byte(d), []byte("B1"), []byte("DNA"), []byte("available"), nil))
	}
	ix := b.done()
	isA := func(code, ancestor string) bool { return code == ancestor }
	cases := []struct {
		name   string
		filter domain.SampleFilter
		want   int
	}{
		{"an outcome no consent gives", domain.SampleFilter{Consent: &domain.ConsentFilter{At: day, Keys: nil}}, 0},
		{"donors without a consent", domain.SampleFilter{Consent: &domain.ConsentFilter{At: day, Keys: []string{domain.NoConsentKey}}}, 1},
		{"not the biobank with an empty id too", domain.SampleFilter{BiobankID: "B1", Not: &domain.SampleFilter{BiobankID: "B1", BiobankIDs: []string{""}}}, 2},
		{"the biobank", domain.SampleFilter{BiobankID: "B1"}, 2},
	}
	leaves := newLeafTables(isA)
	jobs := make([]indexJob, len(cases))
	for i, c := range cases {
		p, ok := ix.compile(&c.filter, leaves)
		require.True(t, ok, c.name)
		jobs[i] = indexJob{pred: p}
	}
	got := ix.count(jobs)
	for i, c := range cases {
		assert.Equal(t, c.want, got[i].samples[0], c.name)
	}
}
