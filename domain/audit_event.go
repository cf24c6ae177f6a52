package domain

import (
	"context"
	"slices"
	"sync"
	"time"
)

// AuditEvent records one request: who, how authenticated, when, what
// (the operation's name, a hash of its text, its variables with every
// value hashed), the decision, how many rows and which donors it returned,
// how long it took and from where. Audit events are append-only.
type AuditEvent struct {
	ID         int64
	At         time.Time
	Actor      string // "" for an anonymous request
	Via        string
	Role       string
	Operation  string // the GraphQL operation name, or its first root field
	QueryHash  string // SHA-256 of the query text, hex
	Variables  string // JSON, every string value replaced by a hash
	Operations []string
	Decision   string // AuditAllowed, AuditDenied or AuditFailed
	Rows       int
	DonorIDs   []string
	Duration   time.Duration
	Client     string
	Write      bool // the request ran a mutation
}

// Audit decisions.
const (
	AuditAllowed = "allowed"
	AuditDenied  = "denied"
	AuditFailed  = "failed"
)

// AuditFilter selects audit events.
type AuditFilter struct {
	Actor   string
	DonorID string // events that returned the donor ("who looked at donor D?")
	Since   *time.Time
	Until   *time.Time
}

// Trail gathers, during one request, what its audit event records: the
// service operations run (each named once, in the order first run: a
// page of 100 samples with their consent decisions runs DecideConsent a
// hundred times), whether one was denied, the rows and donors returned.
// Safe for concurrent resolvers.
type Trail struct {
	mu     sync.Mutex
	ops    []string
	denied bool
	failed bool
	rows   int
	donors map[string]bool
	// the GraphQL operation run (Executed)
	executed  bool
	operation string
	mutation  bool
}

type trailKey struct{}

// WithTrail returns a context carrying a new trail.
func WithTrail(ctx context.Context) (context.Context, *Trail) {
	t := &Trail{donors: map[string]bool{}}
	return context.WithValue(ctx, trailKey{}, t), t
}

// TrailFrom returns the request's trail, or nil outside a request.
func TrailFrom(ctx context.Context) *Trail {
	t, _ := ctx.Value(trailKey{}).(*Trail)
	return t
}

// Executed notes the GraphQL operation the request ran, as the executor
// parsed it: its name (empty when anonymous) and whether it is a
// mutation. The request's text is no guide: a comment, a fragment or a
// second operation may come before the one that runs. A nil trail notes
// nothing.
func (t *Trail) Executed(name string, mutation bool) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.executed, t.operation, t.mutation = true, name, mutation
}

// Saw notes donors whose data went out other than in an operation's
// result: a streamed answer, such as the withdrawal preview's items. A
// nil trail notes nothing.
func (t *Trail) Saw(donorIDs ...string) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, id := range donorIDs {
		if id != "" {
			t.donors[id] = true
		}
	}
}

// Record notes an operation, its error and what it returned. A nil trail
// records nothing.
func (t *Trail) Record(op Operation, result any, err error) {
	if t == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if !slices.Contains(t.ops, string(op)) {
		t.ops = append(t.ops, string(op))
	}
	switch ErrorCode(err) {
	case "":
	case EFORBIDDEN, EUNAUTHORIZED:
		t.denied = true
	case ENOTFOUND, EINVALID:
	default:
		t.failed = true
	}
	if err == nil {
		t.count(result)
	}
}

// Join adds what another trail recorded: work done for this request in
// a trail of its own, until it was known to be used (graph's lookups
// fetch a record's relations while the record itself is fetched). The
// other trail's GraphQL operation is not taken. A nil trail, or a nil
// other, adds nothing.
func (t *Trail) Join(o *Trail) {
	if t == nil || o == nil || t == o {
		return
	}
	o.mu.Lock()
	ops, denied, failed, rows := slices.Clone(o.ops), o.denied, o.failed, o.rows
	donors := make([]string, 0, len(o.donors))
	for id := range o.donors {
		donors = append(donors, id)
	}
	o.mu.Unlock()
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, op := range ops {
		if !slices.Contains(t.ops, op) {
			t.ops = append(t.ops, op)
		}
	}
	t.denied, t.failed, t.rows = t.denied || denied, t.failed || failed, t.rows+rows
	for _, id := range donors {
		t.donors[id] = true
	}
}

// count adds the rows and donors of a result.
func (t *Trail) count(result any) {
	sample := func(s Sample) { t.rows++; t.donors[s.DonorID] = true }
	donor := func(d Donor) { t.rows++; t.donors[d.ID] = true }
	switch r := result.(type) {
	case Sample:
		sample(r)
	case []Sample:
		for _, s := range r {
			sample(s)
		}
	case Page[Sample]:
		for _, s := range r.Items {
			sample(s)
		}
	case map[string][]Sample:
		for _, xs := range r {
			for _, s := range xs {
				sample(s)
			}
		}
	case map[string]Sample:
		for _, s := range r {
			sample(s)
		}
	case Donor:
		donor(r)
	case []Donor:
		for _, d := range r {
			donor(d)
		}
	case Page[Donor]:
		for _, d := range r.Items {
			donor(d)
		}
	case map[string][]Consent:
		for id, cs := range r {
			t.rows += len(cs)
			t.donors[id] = true
		}
	case map[string][]Diagnosis:
		for id, ds := range r {
			t.rows += len(ds)
			t.donors[id] = true
		}
	case Consent:
		t.rows++
		t.donors[r.DonorID] = true
	case Diagnosis:
		t.rows++
		t.donors[r.DonorID] = true
	case PreviewSummary: // its items' donors are noted as they are sent (Saw)
		t.rows += r.Total
	case []DataFile:
		t.rows += len(r)
	case Page[DataFile]:
		t.rows += len(r.Items)
	case map[string][]DataFile:
		for _, fs := range r {
			t.rows += len(fs)
		}
	case []Withdrawal:
		t.rows += len(r)
	case Page[Withdrawal]:
		t.rows += len(r.Items)
	}
}

// Fill copies the trail into ev: the operations, the decision, the rows
// and the donors.
func (t *Trail) Fill(ev *AuditEvent) {
	t.mu.Lock()
	defer t.mu.Unlock()
	ev.Operations = append([]string(nil), t.ops...)
	if t.executed {
		ev.Write = t.mutation
		if t.operation != "" {
			ev.Operation = t.operation
		}
	}
	switch {
	case t.denied:
		ev.Decision = AuditDenied
	case t.failed:
		ev.Decision = AuditFailed
	case ev.Decision == "":
		ev.Decision = AuditAllowed
	}
	ev.Rows = t.rows
	ev.DonorIDs = make([]string, 0, len(t.donors))
	for id := range t.donors {
		if id != "" {
			ev.DonorIDs = append(ev.DonorIDs, id)
		}
	}
}
