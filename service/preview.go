package service

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"databank/domain"
)

// previewChunk is how many requested samples a preview decides at a
// time: each chunk costs a fixed number of statements, and memory stays
// bounded by the chunk, whatever the request's size. It is above the
// store's bound for lookups with generic plans (a page's records), so a
// chunk's reads are planned for their length, which measured faster.
const previewChunk = 1000

// previewReaders is how many chunks a preview reads at once, ahead of the
// one it decides, as far as the actor has shares of the connections free
// (one reader at least). Each reader's statements run one after another,
// and a connection waiting for the next one's round trip leaves its core
// idle: on two cores three readers keep PostgreSQL busier than two
// (BENCHMARKS.md, "Withdrawal preview", ninth session).
const previewReaders = 3

type previewStore interface {
	SampleIDs(ctx context.Context, f domain.SampleFilter, limit int) ([]string, error)
	BiobanksOfBarcodes(ctx context.Context, barcodes []string) (map[string][]string, error)
	MatchingDataFilesBySampleIDs(ctx context.Context, sampleIDs []string, want domain.DataFileFilter) (map[string][]domain.DataFile, error)
}

// WithdrawalPreview decides, for each requested sample in request order,
// whether the wanted data already exists and the purpose may use it, or
// material must be withdrawn (domain.DecidePreview), and passes each
// answer to emit as soon as its chunk is decided. It returns the summary.
func (s *Service) WithdrawalPreview(ctx context.Context, req domain.PreviewRequest, emit func(domain.PreviewItem) error) (domain.PreviewSummary, error) {
	return run(ctx, s, "WithdrawalPreview", func() (domain.PreviewSummary, error) {
		sum := domain.PreviewSummary{Counts: map[domain.PreviewStatus]int{}}
		sc, err := s.rowScope(ctx)
		if err != nil {
			return sum, err
		}
		if sc != nil && req.Filter != nil {
			if err := pseudonymsKept(domain.ActorFrom(ctx), req.Filter); err != nil {
				return sum, err
			}
			req.Filter.Scope = sc
		}
		requested, byBarcode, err := s.previewRequest(ctx, &req)
		if err != nil {
			return sum, err
		}
		if req.MaxListed > 0 && len(requested) > req.MaxListed {
			return sum, &domain.Error{Code: domain.ELIMIT, Message: fmt.Sprintf(
				"an answer listing its samples takes at most %d, %d were asked for: ask for the counts, or the CSV", req.MaxListed, len(requested))}
		}
		sum.Quantity = req.Quantity
		// One day for the whole preview: chunks read before midnight and
		// decided after it keep the consents in force when they were read.
		day := today()
		// The next chunks are read while this one is decided and written:
		// reading (the statements, scanning their rows) is most of the
		// work. One reader uses the preview's own share of the actor's
		// connections (deciding needs none); another one reads for each
		// further share free at once, up to previewReaders. Chunks are
		// decided in request order, so duplicates are found as before; at
		// most readers+1 chunks are in memory.
		readers := 1
		for readers < previewReaders {
			release, ok := s.share.tryAcquire(ctx)
			if !ok {
				break
			}
			defer release() // after the readers have stopped (deferred below)
			readers++
		}
		ctx, cancel := context.WithCancel(ctx)
		chunks := make(chan chan *previewData, readers)
		go func() {
			defer close(chunks)
			slots := make(chan struct{}, readers)
			for start := 0; start < len(requested); start += previewChunk {
				chunk := requested[start:min(start+previewChunk, len(requested))]
				next := make(chan *previewData, 1)
				if ctx.Err() != nil { // select would pick at random between the two
					return
				}
				select {
				case chunks <- next:
				case <-ctx.Done():
					return
				}
				slots <- struct{}{} // free once a reader has finished
				go func() {
					defer func() { <-slots }()
					next <- s.readPreviewChunkSafely(ctx, &req, sc, chunk, byBarcode, day)
				}()
			}
		}()
		defer func() {
			cancel()
			for next := range chunks { // every reader has stopped once they are all in
				<-next
			}
		}()
		seen := make(map[string]bool, len(requested))
		decided := 0
		trail := domain.TrailFrom(ctx)
		for next := range chunks {
			d := <-next
			if d.err != nil {
				return sum, d.err
			}
			for _, it := range s.decidePreviewChunk(&req, d, byBarcode, seen) {
				sum.Add(it)
				// the audit names every donor whose sample or consent state goes out
				if it.Sample != nil {
					trail.Saw(it.Sample.DonorID)
				}
				if it.Alternative != nil {
					trail.Saw(it.Alternative.DonorID)
				}
				if err := emit(it); err != nil {
					return sum, err
				}
			}
			decided += len(d.chunk)
		}
		if decided < len(requested) { // stopped early: the context ended
			return sum, domain.Errorf(domain.EUNAVAILABLE, "preview stopped after %d of %d samples: %v", decided, len(requested), context.Cause(ctx))
		}
		return sum, nil
	})
}

// readPreviewChunkSafely is readPreviewChunk with its error, or a panic,
// in the result: it runs on a goroutine of its own, where a panic would
// end the process.
func (s *Service) readPreviewChunkSafely(ctx context.Context, req *domain.PreviewRequest, sc *domain.RowScope, chunk []string,
	byBarcode bool, day time.Time) (d *previewData) {
	defer func() {
		if r := recover(); r != nil {
			d = &previewData{err: fmt.Errorf("service: preview: reading a chunk: %v", r)}
		}
	}()
	d, err := s.readPreviewChunk(ctx, req, sc, chunk, byBarcode, day)
	if err != nil {
		return &previewData{err: err}
	}
	return d
}

// previewRequest checks and normalises a request and returns the
// requested samples as given, and whether they are barcodes.
func (s *Service) previewRequest(ctx context.Context, req *domain.PreviewRequest) ([]string, bool, error) {
	given := 0
	for _, x := range []bool{len(req.SampleIDs) > 0, len(req.IDs) > 0, req.Filter != nil} {
		if x {
			given++
		}
	}
	if given != 1 {
		return nil, false, invalid("input", "", "give exactly one of sampleIds (with biobank), ids or filter")
	}
	if req.Data.Assay == "" {
		return nil, false, invalid("input.assay", "", "is required: the kind of data wanted, e.g. WGS")
	}
	w := s.walk(ctx)
	if err := w.dataFile(&req.Data, "input", 0); err != nil {
		return nil, false, err
	}
	p, err := s.purposeAt("input.purpose", req.Purpose)
	if err != nil {
		return nil, false, err
	}
	req.Purpose = p
	if err := quantityFilter("input.quantity", req.Quantity); err != nil {
		return nil, false, err
	}
	tooMany := func(n int) error {
		return &domain.Error{Code: domain.ELIMIT, Message: fmt.Sprintf("a preview takes at most %d samples, %d were asked for", domain.MaxPreviewSamples, n)}
	}
	switch {
	case req.Filter != nil:
		if err := w.sample(req.Filter, "input.filter", 0); err != nil {
			return nil, false, err
		}
		ids, err := s.store.SampleIDs(ctx, *req.Filter, domain.MaxPreviewSamples+1)
		if err != nil {
			return nil, false, err
		}
		if len(ids) > domain.MaxPreviewSamples {
			return nil, false, tooMany(len(ids))
		}
		if len(ids) == 0 {
			return nil, false, invalid("input.filter", "", "matches no sample")
		}
		return ids, false, nil
	case len(req.IDs) > 0:
		if len(req.IDs) > domain.MaxPreviewSamples {
			return nil, false, tooMany(len(req.IDs))
		}
		return req.IDs, false, nil
	}
	if len(req.SampleIDs) > domain.MaxPreviewSamples {
		return nil, false, tooMany(len(req.SampleIDs))
	}
	if req.BiobankCode == "" {
		return nil, false, invalid("input.biobank", "", "is required with sampleIds: barcodes are unique only within a biobank")
	}
	if _, err := s.biobankID(ctx, "input.biobank", req.BiobankCode); err != nil {
		return nil, false, err
	}
	return req.SampleIDs, true, nil
}

// previewData is what deciding a chunk of requested samples needs.
type previewData struct {
	chunk        []string
	day          time.Time                // the day the consents in force are taken at
	found        map[string]domain.Sample // by key
	consents     map[string][]domain.Consent
	decisions    map[string]domain.ConsentDecision // the consents' decisions for the purpose, by donor
	alternatives map[string]*domain.Sample         // the alternatives chosen, by the id of the sample they stand in for
	wanted       map[string][]domain.DataFile      // the wanted files, by sample
	elsewhere    map[string][]string               // biobanks of unknown barcodes
	donorNames   map[string]string
	biobanks     map[string]string
	confined     string // what a confined reader sees (Actor.SeesRows); "" for readers of every sample
	err          error
}

// readPreviewChunk reads what deciding a chunk of requested samples needs
// in a fixed number of statements: the samples, their donors' consents,
// their wanted data, and for the samples that need an alternative their
// donors' other current samples (with whether each holds the wanted data)
// and the chosen alternatives' wanted data.
// An approved researcher (sc not nil) previews approved samples only, and
// sees alternatives among them only.
func (s *Service) readPreviewChunk(ctx context.Context, req *domain.PreviewRequest, sc *domain.RowScope, chunk []string,
	byBarcode bool, day time.Time) (*previewData, error) {
	found := map[string]domain.Sample{}
	var err error
	if byBarcode {
		if found, err = s.store.SamplesByExternalIDs(ctx, req.BiobankCode, chunk); err != nil {
			return nil, err
		}
	} else {
		var valid []string
		for _, id := range chunk {
			if domain.IsID(id) {
				valid = append(valid, strings.ToLower(id))
			}
		}
		xs, err := s.store.SamplesByIDs(ctx, valid)
		if err != nil {
			return nil, err
		}
		for _, x := range xs {
			found[x.ID] = x
		}
	}
	if err := s.previewApproved(ctx, sc, found); err != nil {
		return nil, err
	}
	var donorIDs, unknown []string
	for _, x := range found {
		donorIDs = append(donorIDs, x.DonorID)
	}
	for _, r := range chunk {
		if _, ok := found[key(r, byBarcode)]; !ok && byBarcode {
			unknown = append(unknown, r)
		}
	}
	slices.Sort(donorIDs)
	donorIDs = slices.Compact(donorIDs)
	consents, err := s.store.ConsentsByDonorIDs(ctx, donorIDs)
	if err != nil {
		return nil, err
	}
	// The requested samples' own data first: only the samples that need
	// an alternative (material to withdraw, or too little of it) have
	// their donors' other samples read, with whether they hold the data.
	own := make([]string, 0, len(found))
	for _, x := range found {
		own = append(own, x.ID) // a retired sample is not among its donor's current ones
	}
	wanted := map[string][]domain.DataFile{}
	if err := s.readWanted(ctx, req, sc, own, wanted); err != nil {
		return nil, err
	}
	decisions := map[string]domain.ConsentDecision{}
	var needing []string // donors of the samples that need an alternative
	statuses := make(map[string]domain.PreviewStatus, len(found))
	for _, x := range found {
		st := s.previewStatus(req, &x, consents, wanted, decisions, day)
		if needsAlternative(st) {
			needing = append(needing, x.DonorID)
			statuses[x.ID] = st
		}
	}
	slices.Sort(needing)
	// the donors' samples with what choosing among them needs; the chosen
	// ones are read whole below, with their wanted data
	donorSamples, withData, err := s.store.SampleSiblingsByDonorIDs(ctx, slices.Compact(needing), wantedFiles(req, sc))
	if err == nil && sc != nil {
		donorSamples, err = keepReadableGroups(ctx, s, "Sample", sampleID, donorSamples)
	}
	if err != nil {
		return nil, err
	}
	alternatives, err := s.readAlternatives(ctx, req, sc, found, statuses, donorSamples, withData, wanted)
	if err != nil {
		return nil, err
	}
	elsewhere := map[string][]string{}
	if len(unknown) > 0 && sc == nil {
		if elsewhere, err = s.store.BiobanksOfBarcodes(ctx, unknown); err != nil {
			return nil, err
		}
	}
	donors, err := s.store.DonorsByIDs(ctx, donorIDs)
	if err != nil {
		return nil, err
	}
	donorNames := make(map[string]string, len(donors))
	for _, d := range donors {
		donorNames[d.ID] = d.ExternalID
	}
	biobanks, err := s.biobankCodes(ctx, found)
	if err != nil {
		return nil, err
	}
	d := &previewData{chunk: chunk, day: day, found: found, consents: consents, decisions: decisions, alternatives: alternatives, wanted: wanted,
		elsewhere: elsewhere, donorNames: donorNames, biobanks: biobanks}
	if sc != nil {
		d.confined = domain.ActorFrom(ctx).SeesRows()
	}
	return d, nil
}

// readAlternatives chooses the alternative (domain.PreviewAlternative)
// of each found sample that needs one (statuses, by sample id) among the
// partial records of its donor's samples (withData: those holding the
// wanted data), reads the wanted data of the chosen ones (into wanted),
// and, when the request asks for them (WholeAlternatives), their whole
// records. It returns them by the id of the sample they stand in for.
func (s *Service) readAlternatives(ctx context.Context, req *domain.PreviewRequest, sc *domain.RowScope, found map[string]domain.Sample,
	statuses map[string]domain.PreviewStatus, donorSamples map[string][]domain.Sample, withData map[string]bool,
	wanted map[string][]domain.DataFile) (map[string]*domain.Sample, error) {
	// Chosen for their data, alternatives have their files read; one whose
	// files are gone by then (retired or unlinked since the siblings were
	// read) no longer counts as holding the data, and the choice is made
	// again: an alternative offered for its data always comes with it.
	chosen := map[string]*domain.Sample{} // by the id of the sample it stands in for; partial records
	choosing := make([]*domain.Sample, 0, len(statuses))
	for k := range found {
		if x := found[k]; statuses[x.ID] != "" {
			choosing = append(choosing, &x)
		}
	}
	for len(choosing) > 0 {
		var unread []string
		for _, x := range choosing {
			st := statuses[x.ID]
			alt := domain.PreviewAlternative(x, donorSamples[x.DonorID], withData, req.Quantity, st == domain.PreviewInsufficientMaterial)
			if alt == nil {
				delete(chosen, x.ID)
				continue
			}
			chosen[x.ID] = alt
			if _, read := wanted[alt.ID]; withData[alt.ID] && !read {
				unread = append(unread, alt.ID)
			}
		}
		if len(unread) == 0 {
			break
		}
		slices.Sort(unread)
		unread = slices.Compact(unread)
		if err := s.readWanted(ctx, req, sc, unread, wanted); err != nil {
			return nil, err
		}
		gone := map[string]bool{}
		for _, id := range unread {
			if len(wanted[id]) == 0 {
				delete(withData, id)
				wanted[id] = nil // read: none
				gone[id] = true
			}
		}
		// only the samples whose alternative lost its data choose again
		choosing = slices.DeleteFunc(choosing, func(x *domain.Sample) bool {
			alt := chosen[x.ID]
			return alt == nil || !gone[alt.ID]
		})
	}
	if len(chosen) == 0 {
		return nil, nil
	}
	if !req.WholeAlternatives { // the partial records name them
		return chosen, nil
	}
	ids := make([]string, 0, len(chosen))
	for _, alt := range chosen {
		ids = append(ids, alt.ID)
	}
	slices.Sort(ids)
	whole, err := s.store.SamplesByIDs(ctx, slices.Compact(ids))
	if err != nil {
		return nil, err
	}
	byID := make(map[string]*domain.Sample, len(whole))
	for i := range whole {
		if whole[i].RetiredAt == nil {
			byID[whole[i].ID] = &whole[i]
		}
	}
	out := make(map[string]*domain.Sample, len(chosen))
	for id, alt := range chosen {
		if x := byID[alt.ID]; x != nil { // nil: retired since the siblings were read
			out[id] = x
		}
	}
	return out, nil
}

// readWanted adds the wanted data of the samples ids to wanted, by
// sample: the store selects it (the filter hasData compiles to, with the
// reader's scope), as it does for the siblings' withData.
func (s *Service) readWanted(ctx context.Context, req *domain.PreviewRequest, sc *domain.RowScope, ids []string, wanted map[string][]domain.DataFile) error {
	if len(ids) == 0 {
		return nil
	}
	files, err := s.store.MatchingDataFilesBySampleIDs(ctx, ids, wantedFiles(req, sc))
	if err != nil {
		return err
	}
	maps.Copy(wanted, files)
	return nil
}

// wantedFiles is the filter of the data a preview wants, for the store:
// its kind (codes match their descendants, as in filters), current files
// only, and for a confined reader (sc not nil) the files it may see.
func wantedFiles(req *domain.PreviewRequest, sc *domain.RowScope) domain.DataFileFilter {
	return domain.DataFileFilter{Assay: req.Data.Assay, Assembly: req.Data.Assembly, Format: req.Data.Format, Scope: sc}
}

// previewCase is what decides the preview of sample x: its wanted data,
// its donor's consent in force and that consent's decision for the
// purpose (kept in decisions, by donor), all at day.
func (s *Service) previewCase(req *domain.PreviewRequest, x *domain.Sample, consents map[string][]domain.Consent,
	wanted map[string][]domain.DataFile, decisions map[string]domain.ConsentDecision, day time.Time) domain.PreviewCase {
	current, withdrawn := domain.ConsentState(consents[x.DonorID], day)
	d, decided := decisions[x.DonorID]
	if !decided && current != nil {
		d = domain.DecideConsent(current, req.Purpose, day, s.vocab.IsA)
		decisions[x.DonorID] = d
	}
	return domain.PreviewCase{Sample: x, Files: wanted[x.ID], Consent: current, Withdrawn: withdrawn, Decision: d, Needed: req.Quantity}
}

// previewStatus is the status previewCase decides.
func (s *Service) previewStatus(req *domain.PreviewRequest, x *domain.Sample, consents map[string][]domain.Consent,
	wanted map[string][]domain.DataFile, decisions map[string]domain.ConsentDecision, day time.Time) domain.PreviewStatus {
	status, _ := domain.DecidePreview(s.previewCase(req, x, consents, wanted, decisions, day))
	return status
}

// needsAlternative tells whether a sample of this status is offered
// another of its donor's: one with the data, or with enough material.
func needsAlternative(st domain.PreviewStatus) bool {
	return st == domain.PreviewWithdrawalNeeded || st == domain.PreviewInsufficientMaterial
}

// decidePreviewChunk decides each requested sample of a chunk read by
// readPreviewChunk, in request order; seen holds the samples decided
// before, in this chunk or earlier ones.
func (s *Service) decidePreviewChunk(req *domain.PreviewRequest, data *previewData, byBarcode bool, seen map[string]bool) []domain.PreviewItem {
	found, consents, wanted := data.found, data.consents, data.wanted
	decisions := data.decisions
	items := make([]domain.PreviewItem, len(data.chunk))
	for i, r := range data.chunk {
		it := &items[i]
		it.Requested = r
		k := key(r, byBarcode)
		x, ok := found[k]
		switch {
		case seen[k] && k != "":
			it.Status, it.Reasons = domain.PreviewDuplicate, []string{"requested earlier in the same list"}
			continue
		case !ok && data.confined != "" && (byBarcode || domain.IsID(r)):
			it.Status, it.Reasons = domain.PreviewUnknownSample, []string{"not found, or outside what you may see: " + data.confined}
			continue
		case !ok:
			it.Status, it.Reasons = domain.PreviewUnknownSample, unknownReasons(r, byBarcode, req.BiobankCode, data.elsewhere[r])
			continue
		}
		seen[k] = true
		it.Sample, it.Biobank, it.Donor = &x, data.biobanks[x.BiobankID], data.donorNames[x.DonorID]
		it.Files = wanted[x.ID]
		c := s.previewCase(req, &x, consents, wanted, decisions, data.day)
		it.Status, it.Reasons = domain.DecidePreview(c)
		if it.Status == domain.PreviewDataNeedsReview || it.Status == domain.PreviewWithdrawalNeeded {
			it.Conditions = c.Decision.Conditions
		}
		if needsAlternative(it.Status) {
			if alt := data.alternatives[x.ID]; alt != nil { // chosen as the chunk was read
				it.Alternative, it.AlternativeFiles = alt, wanted[alt.ID]
				it.Reasons = append(it.Reasons, alternativeReason(alt, it.AlternativeFiles))
			}
		}
	}
	return items
}

// key is how a requested sample is found: its barcode, or its id in
// canonical spelling ("" for a malformed id, which no sample has).
func key(requested string, byBarcode bool) string {
	if byBarcode {
		return requested
	}
	if !domain.IsID(requested) {
		return ""
	}
	return strings.ToLower(requested)
}

func unknownReasons(requested string, byBarcode bool, biobank string, others []string) []string {
	switch {
	case !byBarcode && !domain.IsID(requested):
		return []string{"is not a sample id (a UUID)"}
	case !byBarcode:
		return []string{"no sample has this id"}
	case len(others) > 0:
		return []string{fmt.Sprintf("biobank %s has no sample with this barcode; %s does: ask with that biobank", strings.ToUpper(biobank), strings.Join(others, ", "))}
	}
	return []string{fmt.Sprintf("biobank %s has no sample with this barcode", strings.ToUpper(biobank))}
}

func alternativeReason(alt *domain.Sample, files []domain.DataFile) string {
	if len(files) > 0 {
		return fmt.Sprintf("sample %s of the same donor has the data", alt.ExternalID)
	}
	if alt.RemainingQuantity == nil { // not chosen so (domain.PreviewAlternative); never a panic
		return fmt.Sprintf("sample %s of the same donor may serve", alt.ExternalID)
	}
	return fmt.Sprintf("sample %s of the same donor has enough material (%s %s left)", alt.ExternalID, alt.RemainingQuantity.String(), alt.QuantityUnit)
}

// biobankCodes maps the ids of the samples' biobanks to their codes.
func (s *Service) biobankCodes(ctx context.Context, samples map[string]domain.Sample) (map[string]string, error) {
	var ids []string
	for _, x := range samples {
		ids = append(ids, x.BiobankID)
	}
	return s.codesOfBiobanks(ctx, ids)
}

// previewApproved drops from found the samples outside the approved
// scope sc (nil: every sample may be previewed): they are answered as
// UNKNOWN_SAMPLE with the reason a sample that does not exist gets, so
// that a preview cannot tell the two apart, and one sample outside does
// not fail a request of thousands.
func (s *Service) previewApproved(ctx context.Context, sc *domain.RowScope, found map[string]domain.Sample) error {
	if sc == nil || len(found) == 0 {
		return nil
	}
	ids := make([]string, 0, len(found))
	for _, x := range found {
		ids = append(ids, x.ID)
	}
	in, err := s.readableIDs(ctx, sc, "Sample", ids)
	if err != nil {
		return err
	}
	maps.DeleteFunc(found, func(_ string, x domain.Sample) bool { return !in(x.ID) })
	return nil
}
