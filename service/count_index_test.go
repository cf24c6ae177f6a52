package service

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"databank/domain"
	"databank/importers/registry"
	"databank/importers/synthetic"
)

// seedSynthetic imports a synthetic registry of donors donors (with data
// files) through the services.
func seedSynthetic(t *testing.T, s *Service, donors int) {
	t.Helper()
	dir := t.TempDir()
	_, err := synthetic.Generate(context.Background(), synthetic.Config{Donors: donors, Seed: 3, FilesPerDonor: 2}, dir)
	require.NoError(t, err)
	files, err := registry.OpenBundle(dir, registry.Options{})
	require.NoError(t, err)
	defer registry.CloseAll(files)
	_, err = s.Import(staffCtx(), domain.ImportRequest{Sources: registry.Sources(files)})
	require.NoError(t, err)
}

func staffCtx() context.Context {
	return domain.WithActor(context.Background(), domain.Actor{Name: "curator", Role: domain.RoleStaff, Biobanks: []string{domain.AllBiobanks}})
}

func researcherCtx() context.Context {
	return domain.WithActor(context.Background(), domain.Actor{Name: "rita", Role: domain.RoleResearcher})
}

// useIndex reads the count index as WatchCountIndex would, with its
// listener taken as listening, and answering for the next hour.
func useIndex(t *testing.T, s *Service) {
	t.Helper()
	s.countIndex.epoch.Add(1)
	s.countIndex.listening.Store(true)
	s.countIndex.seenAlive(time.Now().Add(time.Hour))
	require.NoError(t, s.readCountIndex(context.Background()))
	require.NotNil(t, s.countIndex.current())
}

func boolp(b bool) *bool { return &b }

// TestCountIndexAnswersAsSQL asks the same counts and facets of the
// services without the count index (SQL) and with it, as a staff member
// who may count everything and as a researcher who sees aggregates only
// (suppression, the differencing guard), and requires the same answers;
// and that the index did answer those it holds the fields of.
func TestCountIndexAnswersAsSQL(t *testing.T) {
	s := New(newTestStore(t), Options{MinCount: 3})
	seedSynthetic(t, s, 120)
	purpose := &domain.ResearchPurpose{Category: "HMB"}
	all := []domain.SampleFacet{domain.FacetBiobank, domain.FacetMaterialType, domain.FacetStatus, domain.FacetSex,
		domain.FacetHasData, domain.FacetConsentOutcome}
	cases := []struct {
		name    string
		filter  domain.SampleFilter
		indexed bool // the index answers it
	}{
		{"everything", domain.SampleFilter{}, true},
		{"discovery's (a)", domain.SampleFilter{MaterialType: "DNA", Statuses: []string{"available"},
			HasData: &domain.DataFileFilter{Assay: "WGS", Assembly: "GRCh38"}}, true},
		{"material above", domain.SampleFilter{MaterialType: "MIABIS:Blood"}, true},
		{"status", domain.SampleFilter{Status: "available"}, true},
		{"sex", domain.SampleFilter{Sex: "female"}, true},
		{"biobank", domain.SampleFilter{BiobankCode: "DNB"}, true},
		{"with files", domain.SampleFilter{HasDataFiles: boolp(true)}, true},
		{"without files", domain.SampleFilter{HasDataFiles: boolp(false)}, true},
		{"format", domain.SampleFilter{HasData: &domain.DataFileFilter{Format: "CRAM"}}, true},
		{"consent permits", domain.SampleFilter{Consent: &domain.ConsentFilter{Purpose: *purpose,
			Outcomes: []domain.ConsentOutcome{domain.ConsentPermitted}}}, true},
		{"or of samples", domain.SampleFilter{Or: []domain.SampleFilter{{MaterialType: "DNA"}, {Status: "depleted"}}}, true},
		{"not a donor's", domain.SampleFilter{Not: &domain.SampleFilter{Sex: "male"}}, true},
		{"and of both", domain.SampleFilter{And: []domain.SampleFilter{{Sex: "female"}, {MaterialType: "DNA"}}}, true},
		{"or of both kinds", domain.SampleFilter{Or: []domain.SampleFilter{{Sex: "female"}, {MaterialType: "DNA"}}}, false},
		{"diagnosis", domain.SampleFilter{Diagnosis: "E11"}, false},
		{"collected from", domain.SampleFilter{CollectedFrom: func() *time.Time { d := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC); return &d }()}, false},
	}
	type answer struct {
		Counts    domain.Page[domain.Sample]
		CountsErr string
		Facets    []domain.Facet
		FacetsErr string
	}
	ask := func(ctx context.Context, f domain.SampleFilter) answer {
		var a answer
		var err error
		if a.Counts, err = s.Samples(ctx, f, domain.PageRequest{CountOnly: true, WantTotal: true, WantDonorCount: true}); err != nil {
			a.CountsErr = err.Error()
		}
		if a.Facets, err = s.SampleFacets(ctx, f, all, domain.FacetOptions{Purpose: purpose}); err != nil {
			a.FacetsErr = err.Error()
		}
		return a
	}
	readers := map[string]context.Context{"staff": staffCtx(), "researcher": researcherCtx()}
	want := map[string]answer{}
	for _, c := range cases {
		for who, ctx := range readers {
			want[c.name+"/"+who] = ask(ctx, c.filter)
		}
	}
	useIndex(t, s)
	for _, c := range cases {
		for who, ctx := range readers {
			t.Run(c.name+"/"+who, func(t *testing.T) {
				before := s.countIndex.answered.Load()
				got := ask(ctx, c.filter)
				assert.Equal(t, want[c.name+"/"+who], got)
				if c.indexed && who == "staff" {
					assert.Greater(t, s.countIndex.answered.Load(), before, "the index answered")
				}
				if !c.indexed && who == "staff" {
					assert.Equal(t, before, s.countIndex.answered.Load(), "SQL answered")
				}
			})
		}
	}
	// the fixture has something to count
	require.Positive(t, want["discovery's (a)/staff"].Counts.Total)
	require.Positive(t, want["consent permits/staff"].Counts.Total)
}

// TestCountIndexFollowsWrites runs WatchCountIndex: the index is read,
// answers, and after a write is read again, so that counts follow the
// registry.
func TestCountIndexFollowsWrites(t *testing.T) {
	s := New(newTestStore(t), Options{CountIndexInterval: 20 * time.Millisecond})
	seedSynthetic(t, s, 10)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { s.WatchCountIndex(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	require.Eventually(t, func() bool { return s.countIndex.current() != nil }, 10*time.Second, 10*time.Millisecond)

	count := func() int {
		p, err := s.Samples(staffCtx(), domain.SampleFilter{}, domain.PageRequest{CountOnly: true, WantTotal: true})
		require.NoError(t, err)
		return p.Total
	}
	answered := s.countIndex.answered.Load()
	before := count()
	require.Positive(t, before)
	assert.Greater(t, s.countIndex.answered.Load(), answered, "the index answered")

	page, err := s.Samples(staffCtx(), domain.SampleFilter{}, domain.PageRequest{First: 1})
	require.NoError(t, err)
	_, err = s.RetireSample(staffCtx(), page.Items[0].ID)
	require.NoError(t, err)
	// whoever wrote counts the write at once: the services mark the index
	// behind before they answer, not when the announcement arrives
	assert.Nil(t, s.countIndex.current(), "behind")
	assert.Equal(t, before-1, count())
	// SQL answers until the index is read again; then the index does
	require.Eventually(t, func() bool { return count() == before-1 && s.countIndex.current() != nil }, 10*time.Second, 10*time.Millisecond)
	answered = s.countIndex.answered.Load()
	assert.Equal(t, before-1, count())
	assert.Greater(t, s.countIndex.answered.Load(), answered, "the index answered again")

	// a listener not seen to answer for longer than countIndexAlive (its
	// connection silently gone) may have missed announcements: SQL
	// answers until its next heartbeat
	stale := false
	for try := 0; try < 3 && !stale; try++ { // the listener's own heartbeat may come in between: try again
		s.countIndex.seenAlive(time.Now().Add(-countIndexAlive - time.Second))
		stale = s.countIndex.current() == nil
	}
	assert.True(t, stale, "not seen to answer")
	require.Eventually(t, func() bool { return s.countIndex.current() != nil }, 10*time.Second, 10*time.Millisecond, "the next heartbeat")
}

// TestCountIndexKeepsThePageRules: a count through the index refuses what
// the SQL path refuses.
func TestCountIndexKeepsThePageRules(t *testing.T) {
	s := New(newTestStore(t), Options{})
	seedSynthetic(t, s, 5)
	useIndex(t, s)
	_, err := s.Samples(staffCtx(), domain.SampleFilter{}, domain.PageRequest{First: 1000, CountOnly: true, WantTotal: true})
	require.Error(t, err)
	assert.Equal(t, domain.EINVALID, domain.ErrorCode(err))
}
