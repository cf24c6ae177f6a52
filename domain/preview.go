package domain

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// PreviewStatus is what a withdrawal preview answers for one requested
// sample.
type PreviewStatus string

// Preview statuses, from "served as data" to "cannot be served".
const (
	PreviewDataAvailable        PreviewStatus = "DATA_AVAILABLE"        // data exists; the consent permits the purpose
	PreviewDataNeedsReview      PreviewStatus = "DATA_NEEDS_REVIEW"     // data exists; a committee must confirm the conditions
	PreviewDataNotPermitted     PreviewStatus = "DATA_NOT_PERMITTED"    // data exists; the consent denies the purpose
	PreviewWithdrawalNeeded     PreviewStatus = "WITHDRAWAL_NEEDED"     // no such data; material remains; consent permits or needs review
	PreviewInsufficientMaterial PreviewStatus = "INSUFFICIENT_MATERIAL" // no such data, and not enough material left
	PreviewConsentDenied        PreviewStatus = "CONSENT_DENIED"        // no such data; the consent denies the purpose
	PreviewConsentWithdrawn     PreviewStatus = "CONSENT_WITHDRAWN"     // the donor withdrew consent
	PreviewNoConsent            PreviewStatus = "NO_CONSENT"            // no consent is recorded for the donor
	PreviewSampleRetired        PreviewStatus = "SAMPLE_RETIRED"        // the sample was retired from the registry
	PreviewUnknownSample        PreviewStatus = "UNKNOWN_SAMPLE"        // no sample has this id or barcode
	PreviewDuplicate            PreviewStatus = "DUPLICATE"             // requested earlier in the same list
)

// PreviewStatuses lists every status in summary order.
var PreviewStatuses = []PreviewStatus{PreviewDataAvailable, PreviewDataNeedsReview, PreviewDataNotPermitted,
	PreviewWithdrawalNeeded, PreviewInsufficientMaterial, PreviewConsentDenied, PreviewConsentWithdrawn,
	PreviewNoConsent, PreviewSampleRetired, PreviewUnknownSample, PreviewDuplicate}

// MaxPreviewSamples bounds the samples of one preview.
const MaxPreviewSamples = 100_000

// PreviewRequest asks which of a set of samples can be served as data
// rather than by withdrawing material. The samples are barcodes of one
// biobank (BiobankCode with SampleIDs), ids (IDs), or a Filter.
type PreviewRequest struct {
	BiobankCode string
	SampleIDs   []string
	IDs         []string
	Filter      *SampleFilter
	Data        DataFileFilter // the data wanted: Assay (required), Assembly, Format
	Purpose     ResearchPurpose
	Quantity    *QuantityFilter // material needed per sample, when withdrawn
	// WholeAlternatives asks for the alternatives' whole records, for an
	// answer that shows them (GraphQL's alternative: Sample); otherwise an
	// alternative holds its id, barcode, donor, parent, status and
	// remaining quantity, what a CSV row and its reason use.
	WholeAlternatives bool
	// MaxListed, when above zero, is the most samples an answer that
	// keeps every item until it is sent (GraphQL's list) takes: a longer
	// request is refused (ELIMIT) once authorised and checked, before
	// anything is read.
	MaxListed int
}

// PreviewItem is the answer for one requested sample, in request order.
type PreviewItem struct {
	Requested   string // as given: a barcode or an id
	Status      PreviewStatus
	Sample      *Sample
	Biobank     string     // the sample's biobank code
	Donor       string     // the sample's donor's external id
	Files       []DataFile // the wanted data held by the sample
	Reasons     []string
	Conditions  []string // DUO CURIEs a committee must confirm
	Alternative *Sample  // another sample of the donor that serves better
	// AlternativeFiles are the wanted data the alternative holds; empty
	// when it was chosen for its material.
	AlternativeFiles []DataFile
}

// PreviewSummary counts a preview's items by status and the material
// that serving data instead of withdrawals saves.
type PreviewSummary struct {
	Counts   map[PreviewStatus]int
	Total    int
	Quantity *QuantityFilter // per sample, as requested
	// ByAlternative counts the items without the data themselves whose
	// alternative, another sample of the same donor (same consent), holds
	// it: data can serve them too.
	ByAlternative int
}

// Add counts an item.
func (s *PreviewSummary) Add(it PreviewItem) {
	if s.Counts == nil {
		s.Counts = map[PreviewStatus]int{}
	}
	s.Counts[it.Status]++
	s.Total++
	if len(it.AlternativeFiles) > 0 {
		s.ByAlternative++
	}
}

// AsData is the number of samples that can be served as data (with or
// without a committee's review).
func (s PreviewSummary) AsData() int {
	return s.Counts[PreviewDataAvailable] + s.Counts[PreviewDataNeedsReview]
}

// Line is the summary in one sentence a researcher can paste into a
// request.
func (s PreviewSummary) Line() string {
	line := fmt.Sprintf("%d of %d requested samples can be served as existing data (%d of them after a committee's review); %d need a withdrawal of material",
		s.AsData(), s.Total, s.Counts[PreviewDataNeedsReview], s.Counts[PreviewWithdrawalNeeded])
	if q := s.Quantity; q != nil {
		line += fmt.Sprintf("; material saved: %s %s", (q.Amount * Quantity(s.AsData())).String(), q.Unit)
	}
	if s.ByAlternative > 0 {
		line += fmt.Sprintf("; %d of the others could be served by data of another sample of the same donor instead", s.ByAlternative)
	}
	if rest := s.Total - s.AsData() - s.Counts[PreviewWithdrawalNeeded]; rest > 0 {
		line += fmt.Sprintf("; %d cannot be served", rest)
	}
	return line + "."
}

// ConsentState is what a preview needs of a donor's consents on a day:
// the consent in force (CurrentConsent), or whether the latest consent was
// withdrawn rather than never recorded.
func ConsentState(cs []Consent, t time.Time) (current *Consent, withdrawn *Consent) {
	if c := CurrentConsent(cs, t); c != nil {
		return c, nil
	}
	return nil, latestConsent(cs, t) // nil, or the latest, withdrawn by t
}

// PreviewCase is everything the rule needs about one requested sample.
type PreviewCase struct {
	Sample    *Sample
	Files     []DataFile // the wanted data the sample holds
	Consent   *Consent   // the donor's consent in force
	Withdrawn *Consent   // the donor's latest consent, withdrawn
	Decision  ConsentDecision
	Needed    *QuantityFilter
}

// DecidePreview decides one requested (known, not duplicate) sample.
// Consent comes first (nothing is served without it), then data, then
// material.
func DecidePreview(c PreviewCase) (PreviewStatus, []string) {
	s := c.Sample
	switch {
	case s.RetiredAt != nil:
		return PreviewSampleRetired, []string{"the sample was retired from the registry on " + s.RetiredAt.Format(DateLayout)}
	case c.Withdrawn != nil:
		return PreviewConsentWithdrawn, []string{"the donor withdrew consent on " + c.Withdrawn.WithdrawnOn.Format(DateLayout)}
	case c.Consent == nil:
		return PreviewNoConsent, []string{"no consent is recorded for the donor"}
	}
	d := c.Decision
	if len(c.Files) > 0 {
		switch d.Outcome {
		case ConsentPermitted:
			return PreviewDataAvailable, append([]string{fmt.Sprintf("%d data file(s) of the wanted kind hold the sample", len(c.Files))}, d.Reasons...)
		case ConsentNeedsReview:
			return PreviewDataNeedsReview, d.Reasons
		}
		return PreviewDataNotPermitted, d.Reasons
	}
	if d.Outcome == ConsentDenied {
		return PreviewConsentDenied, d.Reasons
	}
	if ok, why := EnoughMaterial(s, c.Needed); !ok {
		return PreviewInsufficientMaterial, []string{why}
	}
	reasons := []string{"no data of the wanted kind holds the sample"}
	if s.Status == SampleReserved {
		reasons = append(reasons, "the sample is reserved: the biobank must release or assign the reservation before material is withdrawn")
	}
	if d.Outcome == ConsentNeedsReview {
		reasons = append(reasons, d.Reasons...)
	}
	return PreviewWithdrawalNeeded, reasons
}

// EnoughMaterial reports whether s can give needed (unit-aware, as the
// remainingAtLeast filter compares), with the reason when not. With
// nothing needed it asks only that material remains: a remaining quantity
// of zero gives none, one not recorded is taken on the status's word.
func EnoughMaterial(s *Sample, needed *QuantityFilter) (bool, string) {
	switch checkMaterial(s, needed) {
	case materialEnough:
		return true, ""
	case materialNotGiven:
		return false, "the sample is " + s.Status
	case materialNoneLeft:
		return false, "no material is left (0 " + s.QuantityUnit + ")"
	case materialNotRecorded:
		return false, "the sample's remaining quantity is not recorded"
	case materialIncomparable:
		return false, fmt.Sprintf("the sample's quantity is in %s, which does not compare with %s", s.QuantityUnit, needed.Unit)
	}
	return false, fmt.Sprintf("%s %s left, %s %s needed", s.RemainingQuantity.String(), s.QuantityUnit, needed.Amount.String(), needed.Unit)
}

// materialCheck is the verdict of checkMaterial.
type materialCheck int

const (
	materialEnough materialCheck = iota
	materialNotGiven
	materialNoneLeft
	materialNotRecorded
	materialIncomparable
	materialTooLittle
)

// checkMaterial is the rule of EnoughMaterial, without the words: the
// alternatives are checked with it by the hundred thousand.
func checkMaterial(s *Sample, needed *QuantityFilter) materialCheck {
	if !SampleGivesMaterial(s.Status) {
		return materialNotGiven
	}
	if needed == nil { // only that material remains, when recorded
		if s.RemainingQuantity != nil && *s.RemainingQuantity <= 0 {
			return materialNoneLeft
		}
		return materialEnough
	}
	if s.RemainingQuantity == nil || s.QuantityUnit == "" {
		return materialNotRecorded
	}
	want, ok := AtLeastIn(needed.Amount, needed.Unit, s.QuantityUnit)
	if !ok {
		return materialIncomparable
	}
	if *s.RemainingQuantity < want {
		return materialTooLittle
	}
	return materialEnough
}

// PreviewAlternative names, for a requested sample without the wanted
// data, the donor's sample that serves better: the closest relative in
// its lineage (parent, child, sibling aliquot …; then other samples of
// the donor) holding the data; failing that, when the requested sample
// lacks material, the sample with the most material left that has
// enough. donorSamples are the donor's current samples; withData holds
// the ids of those that hold the wanted data. It returns nil when none
// serves.
func PreviewAlternative(s *Sample, donorSamples []Sample, withData map[string]bool, needed *QuantityFilter, lacksMaterial bool) *Sample {
	var best *Sample
	var dist []int // of donorSamples from s; the lineage matters only if another sample has the data
	bestDist := 0
	for i := range donorSamples {
		o := &donorSamples[i]
		if o.ID == s.ID || !withData[o.ID] {
			continue
		}
		if dist == nil {
			dist = lineageDistances(s, donorSamples)
		}
		d := dist[i]
		if d < 0 {
			d = len(donorSamples) + 1 // another lineage of the donor
		}
		if best == nil || d < bestDist || d == bestDist && o.ID < best.ID {
			best, bestDist = o, d
		}
	}
	if best != nil || !lacksMaterial {
		return best
	}
	for i := range donorSamples {
		o := &donorSamples[i]
		if o.ID == s.ID || o.RemainingQuantity == nil {
			continue
		}
		if checkMaterial(o, needed) != materialEnough {
			continue
		}
		if best == nil || moreMaterial(o, best) {
			best = o
		}
	}
	return best
}

// moreMaterial compares remaining quantities across comparable units;
// incomparable ones compare by id, for a stable answer.
func moreMaterial(a, b *Sample) bool {
	if bq, ok := AtLeastIn(*b.RemainingQuantity, b.QuantityUnit, a.QuantityUnit); ok && bq != *a.RemainingQuantity {
		return *a.RemainingQuantity > bq
	}
	return a.ID < b.ID
}

// lineageDistances gives each of the donor's samples its distance from s
// in the lineage tree (parent and children 1, siblings 2 …; -1 for another
// lineage), walking parent links among the donor's samples, through
// parents that are not among them (retired) too. A donor has a handful
// of samples, most often: the tree is kept in slices, and ids are looked
// up by scanning them, or in a map for a donor with many.
func lineageDistances(s *Sample, samples []Sample) []int {
	n := len(samples)
	ids := make([]string, n, n+4) // the tree's nodes: the samples first, then s and parents not among them
	for i := range samples {
		ids[i] = samples[i].ID
	}
	var byID map[string]int
	if n > 32 {
		byID = make(map[string]int, n)
		for i := n - 1; i >= 0; i-- { // a duplicated id is its first sample
			byID[ids[i]] = i
		}
	}
	parent := make([]int, n, n+4)
	node := func(id string) int {
		i, ok := -1, false
		if byID != nil {
			i, ok = byID[id]
		} else if i = slices.Index(ids, id); i >= 0 {
			ok = true
		}
		if ok {
			return i
		}
		ids, parent = append(ids, id), append(parent, -1)
		if byID != nil {
			byID[id] = len(ids) - 1
		}
		return len(ids) - 1
	}
	for i := range samples {
		parent[i] = -1
		if samples[i].ParentID != "" {
			p := node(samples[i].ParentID)
			parent[i] = p
		}
	}
	start := node(s.ID)
	if start >= n && s.ParentID != "" {
		p := node(s.ParentID)
		parent[start] = p
	}
	children := make([][]int, len(ids))
	for v, p := range parent {
		if p >= 0 {
			children[p] = append(children[p], v)
		}
	}
	dist := make([]int, len(ids))
	for i := range dist {
		dist[i] = -1
	}
	dist[start] = 0
	queue := []int{start}
	visit := func(u, v int) {
		if v >= 0 && dist[v] < 0 {
			dist[v] = dist[u] + 1
			queue = append(queue, v)
		}
	}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		visit(u, parent[u])
		for _, v := range children[u] {
			visit(u, v)
		}
	}
	return dist[:n]
}

// PreviewCSVHeader is the header row of a preview as CSV, one row per
// requested sample, in request order; a request form can take it.
var PreviewCSVHeader = []string{"requested", "status", "sample_id", "biobank", "donor_id", "files", "alternative_sample_id", "alternative_files", "conditions", "reasons"}

// CSVRecord is the item as a CSV row under PreviewCSVHeader; barcodes and
// file ids stand for samples and files, lists are ;-separated, and no
// cell reads as a spreadsheet formula (SpreadsheetCell).
func (it PreviewItem) CSVRecord() []string {
	var sampleID, alt string
	if it.Sample != nil {
		sampleID = it.Sample.ExternalID
	}
	if it.Alternative != nil {
		alt = it.Alternative.ExternalID
	}
	return SpreadsheetRow([]string{it.Requested, string(it.Status), sampleID, it.Biobank, it.Donor, fileIDs(it.Files), alt, fileIDs(it.AlternativeFiles),
		strings.Join(it.Conditions, ";"), strings.Join(it.Reasons, "; ")})
}

func fileIDs(fs []DataFile) string {
	ids := make([]string, len(fs))
	for i, f := range fs {
		ids[i] = f.ExternalID
	}
	return strings.Join(ids, ";")
}
