package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"databank/domain"
)

// Limits bound what one request may ask. They are checked on the query
// text before gqlgen validates it, because validation costs grow faster
// than the query (30,000 copies of one field took 50 s of CPU to
// validate), and before anything else runs.
type Limits struct {
	// MaxBodyBytes bounds the body of a query request (not a file
	// upload) from a client that has not signed in.
	MaxBodyBytes int64
	// MaxSignedInBodyBytes bounds it for a signed-in actor: room for the
	// longest lists an operation takes (the 100,000 barcodes or ids of a
	// withdrawal preview or an approval), which only signed-in actors
	// may send; an actor's requests running at once are bounded
	// (withFairShare). The audit reads no more than MaxBodyBytes of a
	// request refused before this limit is applied.
	MaxSignedInBodyBytes int64
	// MaxQueryBytes bounds the query text (variables may be larger):
	// checked before it is parsed, it refuses a flood for the cost of a
	// length comparison.
	MaxQueryBytes int
	// MaxTokens bounds the lexical tokens of the query text.
	MaxTokens int
	// MaxFields bounds the fields of an operation, fragments expanded.
	MaxFields int
	// MaxAliases bounds the aliased fields of an operation.
	MaxAliases int
	// MaxRootFields bounds the fields directly under the operation.
	MaxRootFields int
}

// DefaultLimits fit every query a researcher writes by hand or the
// explorer sends (its schema query has about 200 fields) with room.
var DefaultLimits = Limits{MaxBodyBytes: 256 << 10, MaxSignedInBodyBytes: 8 << 20, MaxQueryBytes: 32 << 10, MaxTokens: 5000, MaxFields: 3000, MaxAliases: 50, MaxRootFields: 25}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits
	if l.MaxBodyBytes > 0 {
		d.MaxBodyBytes = l.MaxBodyBytes
	}
	if l.MaxSignedInBodyBytes > 0 {
		d.MaxSignedInBodyBytes = l.MaxSignedInBodyBytes
	}
	if l.MaxQueryBytes > 0 {
		d.MaxQueryBytes = l.MaxQueryBytes
	}
	if l.MaxTokens > 0 {
		d.MaxTokens = l.MaxTokens
	}
	if l.MaxFields > 0 {
		d.MaxFields = l.MaxFields
	}
	if l.MaxAliases > 0 {
		d.MaxAliases = l.MaxAliases
	}
	if l.MaxRootFields > 0 {
		d.MaxRootFields = l.MaxRootFields
	}
	return d
}

// bodyBytes is the limit on the body of a request of the actor in ctx:
// MaxSignedInBodyBytes for a signed-in actor, MaxBodyBytes for anybody
// else; never less than MaxBodyBytes.
func (l Limits) bodyBytes(ctx context.Context) int64 {
	if domain.ActorFrom(ctx).Name != "" {
		return max(l.MaxSignedInBodyBytes, l.MaxBodyBytes)
	}
	return l.MaxBodyBytes
}

// limitErr names the limit a request exceeded.
func limitErr(limit string, got, max int) error {
	return &domain.Error{Code: domain.ELIMIT, Message: "the request exceeds a limit",
		Fields: []domain.FieldError{{Field: limit, Message: fmt.Sprintf("%d, more than the limit of %d", got, max)}}}
}

// invalidArg names an argument (or variable) that holds a value no
// operation accepts.
func invalidArg(arg, why string) error {
	return &domain.Error{Code: domain.EINVALID, Message: "invalid input", Fields: []domain.FieldError{{Field: arg, Message: why}}}
}

// request is the part of a GraphQL request the limits look at (and the
// audit describes: sentRequest).
type request struct {
	Query         string                     `json:"query"`
	OperationName string                     `json:"operationName"`
	Variables     map[string]json.RawMessage `json:"variables"`
}

// withLimits refuses, before gqlgen sees it, a query request that is too
// large (413), not UTF-8, holds NUL characters in an argument or
// variable, or exceeds the token, field, alias or root-field limits
// (400). Anything it cannot read (not JSON, a persisted-query hash) goes
// on to gqlgen, which reports it. Multipart requests (uploads, staff
// only) are bounded by guardUploads and gqlgen's own token limit.
func withLimits(l Limits, next http.Handler) http.Handler {
	l = l.withDefaults()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req request
		sent := sentRequestFrom(r.Context())
		switch {
		case r.Method == http.MethodGet:
			req.Query, req.OperationName = r.URL.Query().Get("query"), r.URL.Query().Get("operationName")
			if v := r.URL.Query().Get("variables"); v != "" {
				_ = json.Unmarshal([]byte(v), &req.Variables)
			}
			if sent != nil {
				sent.decoded, sent.req = true, req
			}
		case r.Method == http.MethodPost && mediaType(r) == "application/json":
			maxBody := l.bodyBytes(r.Context())
			if r.ContentLength > maxBody {
				writeError(w, http.StatusRequestEntityTooLarge, limitErr("body bytes", int(r.ContentLength), int(maxBody)))
				return
			}
			body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
			if sent != nil { // what is left of the body is not the request: the audit must not read it
				sent.read = true
			}
			var tooBig *http.MaxBytesError
			switch {
			case errors.As(err, &tooBig):
				writeError(w, http.StatusRequestEntityTooLarge, limitErr("body bytes", int(maxBody)+1, int(maxBody)))
				return
			case err != nil:
				writeError(w, http.StatusBadRequest, domain.Errorf(domain.EINVALID, "the request body could not be read"))
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
			if sent != nil {
				sent.body = body
			}
			if !utf8.Valid(body) {
				writeError(w, http.StatusBadRequest, invalidArg("body", "is not valid UTF-8"))
				return
			}
			_ = json.Unmarshal(body, &req) // gqlgen reports a body it cannot read
			if sent != nil {
				sent.decoded, sent.req = true, req
			}
		}
		if err := l.check(req); err != nil {
			status := http.StatusBadRequest
			writeError(w, status, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// mediaType returns the request's content type, lower case, without
// parameters.
func mediaType(r *http.Request) string {
	t, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil {
		return strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Type")))
	}
	return t
}

// check applies the limits to one request.
func (l Limits) check(req request) error {
	for name, raw := range req.Variables {
		if bytes.Contains(raw, []byte(`\u0000`)) {
			return invalidArg("variables."+name, `holds a NUL character (\u0000), which no value may contain`)
		}
	}
	if req.Query == "" {
		return nil
	}
	if len(req.Query) > l.MaxQueryBytes {
		return limitErr("query bytes", len(req.Query), l.MaxQueryBytes)
	}
	if !utf8.ValidString(req.Query) {
		return invalidArg("query", "is not valid UTF-8")
	}
	doc, err := parser.ParseQueryWithTokenLimit(&ast.Source{Input: req.Query}, l.MaxTokens)
	if err != nil {
		if strings.Contains(err.Error(), "token limit") {
			return limitErr("tokens", l.MaxTokens+1, l.MaxTokens)
		}
		return nil // a syntax error: gqlgen reports it with its position
	}
	c := counter{doc: doc, fragments: map[string]*fragmentCount{}}
	for _, op := range doc.Operations {
		if n := len(op.SelectionSet); n > l.MaxRootFields {
			return limitErr("root fields", n, l.MaxRootFields)
		}
		n, err := c.count(op.SelectionSet)
		if err != nil {
			return err
		}
		switch {
		case n.fields > l.MaxFields:
			return limitErr("fields", n.fields, l.MaxFields)
		case n.aliases > l.MaxAliases:
			return limitErr("aliases", n.aliases, l.MaxAliases)
		}
	}
	return nil
}

// fragmentCount is what one fragment adds wherever it is spread.
type fragmentCount struct {
	fields, aliases int
	done            bool // false while its own selections are counted
}

// counter counts an operation's fields and aliases with each fragment
// counted once and multiplied by its spreads, so that fragments that
// spread each other twice over cost linear time, not exponential.
type counter struct {
	doc       *ast.QueryDocument
	fragments map[string]*fragmentCount
}

// maxCount saturates counts well above every limit.
const maxCount = 1 << 30

func (c *counter) count(set ast.SelectionSet) (fragmentCount, error) {
	var n fragmentCount
	add := func(f, a int) {
		n.fields, n.aliases = min(n.fields+f, maxCount), min(n.aliases+a, maxCount)
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			alias := 0
			if s.Alias != "" && s.Alias != s.Name {
				alias = 1
			}
			if err := checkArgs(s.Name, s.Arguments); err != nil {
				return n, err
			}
			sub, err := c.count(s.SelectionSet)
			if err != nil {
				return n, err
			}
			add(1+sub.fields, alias+sub.aliases)
		case *ast.InlineFragment:
			sub, err := c.count(s.SelectionSet)
			if err != nil {
				return n, err
			}
			add(sub.fields, sub.aliases)
		case *ast.FragmentSpread:
			fc, ok := c.fragments[s.Name]
			switch {
			case ok && !fc.done:
				return n, domain.Errorf(domain.EINVALID, "fragment %s spreads itself", s.Name)
			case !ok:
				def := c.doc.Fragments.ForName(s.Name)
				if def == nil {
					continue // gqlgen reports the unknown fragment
				}
				fc = &fragmentCount{}
				c.fragments[s.Name] = fc
				sub, err := c.count(def.SelectionSet)
				if err != nil {
					return n, err
				}
				fc.fields, fc.aliases, fc.done = sub.fields, sub.aliases, true
			}
			add(fc.fields, fc.aliases)
		}
	}
	return n, nil
}

// checkArgs refuses NUL characters in the literal string arguments of
// a field, naming the argument.
func checkArgs(field string, args ast.ArgumentList) error {
	for _, a := range args {
		if hasNUL(a.Value) {
			return invalidArg(field+"."+a.Name, `holds a NUL character (\u0000), which no value may contain`)
		}
	}
	return nil
}

func hasNUL(v *ast.Value) bool {
	if v == nil {
		return false
	}
	if (v.Kind == ast.StringValue || v.Kind == ast.BlockValue) && strings.ContainsRune(v.Raw, 0) {
		return true
	}
	for _, c := range v.Children {
		if hasNUL(c.Value) {
			return true
		}
	}
	return false
}
