package domain

// MaxPageSize bounds every listing; DefaultPageSize applies when the
// caller does not say.
const (
	MaxPageSize     = 500
	DefaultPageSize = 50
)

// PageRequest asks for the page of items after the cursor After (the id of
// the last item of the previous page, "" for the first page). Items are
// ordered by id, which is time-ordered (UUIDv7), so pages are stable.
type PageRequest struct {
	First     int
	After     string
	WantTotal bool // count all matching items (costs a second query)
	// WantDonorCount counts the distinct donors of all matching items
	// (listings of samples).
	WantDonorCount bool
	// CountOnly asks for the counts alone, without any item (the only
	// listing readers who see aggregates only may make).
	CountOnly bool
	// Order sorts the listing by a field the listing names (SampleOrder…);
	// the zero Order sorts by id. Cursors then carry the field's value.
	Order Order
}

// Order is a listing's sort: a field, ascending unless Desc; ties, and
// items without a value (last), in id order.
type Order struct {
	Field string
	Desc  bool
}

// Orders of sample listings.
const (
	SampleOrderCollectedOn = "collectedOn"
	SampleOrderRemaining   = "remainingQuantity"
	SampleOrderSampleID    = "sampleId"
	SampleOrderCreatedAt   = "createdAt"
)

// Limit returns the page size to use, clamped to [1, MaxPageSize].
func (p PageRequest) Limit() int {
	switch {
	case p.First <= 0:
		return DefaultPageSize
	case p.First > MaxPageSize:
		return MaxPageSize
	}
	return p.First
}

// Validate rejects page sizes above the maximum instead of silently
// truncating them.
func (p PageRequest) Validate() error {
	if p.First < 0 || p.First > MaxPageSize {
		return &Error{Code: EINVALID, Message: "invalid page request", Fields: []FieldError{{Field: "first", Message: "must be between 0 and 500"}}}
	}
	return nil
}

// Page is one page of a listing.
type Page[T any] struct {
	Items   []T
	HasNext bool
	Total   int // valid only when the request set WantTotal
	// DonorCount is valid only when the request set WantDonorCount.
	DonorCount int
	// Suppressed: the counts were too small to show (CountsSuppressed);
	// Total and DonorCount are 0.
	Suppressed bool
	// Cursors holds each item's cursor when they are not the items' ids
	// (sorted listings).
	Cursors []string
}
