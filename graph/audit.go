package graph

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"databank/domain"
)

// Every request to /graphql is audited (domain.AuditEvent): who, how
// authenticated, the operation's name, a hash of its text, its variables
// with every value hashed, the decision, the rows and donors returned,
// the duration and the client's address. The answer is held until its
// event is committed: a request that cannot be audited is not answered
// (503, fail closed), unless the answer is a refusal that carries no data.
// Writes of the events are batched by the services.

// auditRecorder is what the audit needs of the services.
type auditRecorder interface {
	RecordAudit(ctx context.Context, ev domain.AuditEvent) error
}

// withAudit audits each request; the limits' body limit for clients that
// have not signed in bounds how much of a body it reads itself, for a
// request refused before the limits read it.
func withAudit(rec auditRecorder, log *slog.Logger, limits Limits, next http.Handler) http.Handler {
	limits = limits.withDefaults()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		a := domain.ActorFrom(r.Context())
		ev := domain.AuditEvent{At: start, Actor: a.Name, Via: a.Via, Role: a.Role, Client: clientAddress(r)}
		ctx, trail := domain.WithTrail(r.Context())
		sent := &sentRequest{}
		ctx = context.WithValue(ctx, sentRequestKey{}, sent)
		// headers go to w's (sent with the first byte written, after the
		// audit), the body is held in a buffer of the pool; those set
		// outside (none so far) are kept should the answer be replaced
		var outer http.Header
		if len(w.Header()) > 0 {
			outer = w.Header().Clone()
		}
		buf := &heldResponse{header: w.Header(), status: http.StatusOK, body: heldBodies.Get().(*bytes.Buffer)}
		defer buf.release()
		next.ServeHTTP(buf, r.WithContext(ctx))
		ev.Duration = time.Since(start)
		describeRequest(r, sent, limits.MaxBodyBytes, &ev)
		if buf.status >= 400 {
			ev.Decision = domain.AuditFailed
			if buf.status == http.StatusUnauthorized || buf.status == http.StatusForbidden {
				ev.Decision = domain.AuditDenied
			}
		}
		trail.Fill(&ev)
		// the event is stored even when the client has gone: it did ask
		// A refusal (a status of 400 and above, and no data in its body)
		// is answered even when its event cannot be stored; anything else
		// is not: an answer of 503 or 401 for one field may carry the
		// others' data.
		err := rec.RecordAudit(context.WithoutCancel(r.Context()), ev)
		refusal := buf.status >= 400 && carriesNoData(buf.body.Bytes())
		if err != nil {
			log.ErrorContext(r.Context(), "audit failed", "err", err, "operation", ev.Operation, "answered", refusal)
		}
		if err != nil && !refusal {
			clear(w.Header()) // the answer's, which is not sent
			maps.Copy(w.Header(), outer)
			w.Header().Set("Retry-After", retryAfterSeconds)
			writeError(w, http.StatusServiceUnavailable, domain.Errorf(domain.EUNAVAILABLE, "the request could not be audited, so it is not answered"))
			return
		}
		w.WriteHeader(buf.status)
		_, _ = w.Write(buf.body.Bytes())
	})
}

// carriesNoData reports whether a GraphQL answer's body holds no data:
// no "data" member, or null (a body that is not such JSON, a plain
// error, counts as none).
func carriesNoData(body []byte) bool {
	var answer struct {
		Data json.RawMessage `json:"data"`
	}
	if json.Unmarshal(body, &answer) != nil {
		return true
	}
	return len(answer.Data) == 0 || string(answer.Data) == "null"
}

// heldResponse holds an answer until its audit event is committed: its
// status and body (its headers are the real response's, which go out with
// the status).
type heldResponse struct {
	header http.Header
	status int
	body   *bytes.Buffer
	wrote  bool
}

// heldBodies are the buffers answers are held in; one that grew past
// maxPooledBody is left to the collector.
var heldBodies = sync.Pool{New: func() any { return new(bytes.Buffer) }}

const maxPooledBody = 1 << 20

// release returns the body's buffer to the pool, once the answer is sent.
func (h *heldResponse) release() {
	if h.body.Cap() <= maxPooledBody {
		h.body.Reset()
		heldBodies.Put(h.body)
	}
	h.body = nil
}

func (h *heldResponse) Header() http.Header { return h.header }

func (h *heldResponse) WriteHeader(code int) {
	if !h.wrote {
		h.status, h.wrote = code, true
	}
}

func (h *heldResponse) Write(b []byte) (int, error) {
	h.wrote = true
	return h.body.Write(b)
}

// sentRequest is what a request sent, as the limits (withLimits) read it
// on its way in: the audit describes the request from it rather than
// reading and decoding the body a second time.
type sentRequest struct {
	read    bool    // the limits read the body, whole or in part
	body    []byte  // the body as read, when it was whole and within the limit
	decoded bool    // req holds the body's (or a GET's) fields
	req     request // the query, operation name and variables sent
}

type sentRequestKey struct{}

// sentRequestFrom returns the request's sentRequest, nil outside the
// audit.
func sentRequestFrom(ctx context.Context) *sentRequest {
	s, _ := ctx.Value(sentRequestKey{}).(*sentRequest)
	return s
}

// describeRequest fills the operation's name, the hash of its text and
// its hashed variables: from what the limits read of the request (sent),
// or, for a request refused before they read it, from its JSON body of
// at most maxUnread bytes (an anonymous client's limit, whoever sent it:
// a refused request gets no more work than that) or a GET's parameters.
// Uploads are described by their operations field.
func describeRequest(r *http.Request, sent *sentRequest, maxUnread int64, ev *domain.AuditEvent) {
	req := sent.req
	switch {
	case sent.decoded:
	case r.Method == http.MethodPost && strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/"):
		ev.Operation, ev.Write = "upload", true
		return
	case r.Method == http.MethodGet:
		q := r.URL.Query()
		req.Query, req.OperationName = q.Get("query"), q.Get("operationName")
		_ = json.Unmarshal([]byte(q.Get("variables")), &req.Variables)
	case strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") && r.Body != nil:
		// as the limits read it, within the actor's limit; or, refused
		// before they read it (429), read here
		body := sent.body
		if !sent.read {
			var err error
			if body, err = io.ReadAll(io.LimitReader(r.Body, maxUnread+1)); err != nil || int64(len(body)) > maxUnread {
				body = nil
			}
		}
		_ = json.Unmarshal(body, &req)
	}
	sum := sha256.Sum256([]byte(req.Query))
	ev.QueryHash = hex.EncodeToString(sum[:])
	ev.Operation = req.OperationName
	if ev.Operation == "" {
		ev.Operation = firstField(req.Query)
	}
	// a first guess, for requests refused before they are parsed; the
	// executor tells the trail what actually ran (auditOperation)
	ev.Write = strings.HasPrefix(strings.TrimSpace(req.Query), "mutation")
	if len(req.Variables) == 0 {
		return
	}
	vars := make(map[string]any, len(req.Variables))
	for name, raw := range req.Variables {
		var v any
		if json.Unmarshal(raw, &v) == nil {
			vars[name] = v
		}
	}
	if b, err := json.Marshal(hashValues(vars)); err == nil {
		ev.Variables = string(b)
	}
}

// firstField names an operation by the name its text gives it
// ("query Samples(…)"), or else by its first root field.
func firstField(query string) string {
	words := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool {
			return !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
		})
	}
	head, body, _ := strings.Cut(query, "{")
	if w := words(head); len(w) >= 2 && (w[0] == "query" || w[0] == "mutation" || w[0] == "subscription") {
		return w[1]
	}
	if f := words(body); len(f) > 0 {
		return f[0]
	}
	return "anonymous"
}

// hashValues replaces every string and number of v by a short hash: the
// audit shows a request's shape and lets equal values be matched, never
// the identifiers themselves. What it writes is bounded, whatever was
// sent: a list longer than maxHashedItems (the 100,000 barcodes of a
// preview), and any list or object met once maxHashedNodes values and
// keys have been written, is one hash of the whole with its length (equal
// ones still match; the donors a request returned are listed in full,
// AuditEvent.DonorIDs), and a key longer than maxKeptKey is hashed.
func hashValues(v any) any {
	budget := maxHashedNodes
	return hashNode(v, &budget)
}

// The bounds of hashValues.
const (
	maxHashedItems = 100
	maxHashedNodes = 1000
	maxKeptKey     = 64
)

func hashNode(v any, budget *int) any {
	switch x := v.(type) {
	case map[string]any:
		if *budget < len(x) {
			return wholeHash(x, len(x), "members")
		}
		*budget -= len(x)
		out := make(map[string]any, len(x))
		for _, k := range slices.Sorted(maps.Keys(x)) { // the same request, the same event
			e := x[k]
			if len(k) > maxKeptKey {
				k = hashLeaf(k)
			}
			// jsonb refuses \u0000, which a key could hold
			out[strings.ReplaceAll(k, "\x00", "\uFFFD")] = hashNode(e, budget)
		}
		return out
	case []any:
		if len(x) > maxHashedItems || *budget < len(x) {
			return wholeHash(x, len(x), "items")
		}
		*budget -= len(x)
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = hashNode(e, budget)
		}
		return out
	case string, float64, json.Number:
		return hashLeaf(x)
	}
	return v
}

// hashLeaf is the short hash of one value.
func hashLeaf(v any) string {
	b, _ := json.Marshal(v)
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:8])
}

// wholeHash is one hash of a list or object of n items or members.
func wholeHash(v any, n int, what string) string {
	return fmt.Sprintf("%s of %d %s", hashLeaf(v), n, what)
}

// clientAddress is the peer's address (without port); a proxy's
// forwarding headers are not trusted.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
