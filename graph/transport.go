package graph

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"
	"sync"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/errcode"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// postJSON serves GraphQL over POST with a JSON body, as gqlgen's
// transport.POST does, and writes the answer itself: transport.POST
// encodes it with json.Marshal, which validates and compacts the data
// gqlgen has already written as compact JSON (a page of 100 samples is
// 21 KB: 6 % of the server's CPU). A body that cannot be decoded is left
// to transport.POST, before anything has run. (transport.POST's options
// are not supported: the server sets none.)
type postJSON struct{}

// Supports takes the requests transport.POST takes.
func (postJSON) Supports(r *http.Request) bool { return transport.POST{}.Supports(r) }

// Content types of a GraphQL answer (GraphQL over HTTP).
const (
	contentJSON            = "application/json"
	contentGraphQLResponse = "application/graphql-response+json"
)

// Do runs the request's operation and writes its answer.
func (postJSON) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	start := graphql.Now()
	ctx := r.Context()
	contentType := answerContentType(r.Header.Get("Accept"))
	body, err := io.ReadAll(r.Body)
	if err != nil {
		w.Header().Set("Content-Type", contentType)
		writeAnswer(w, exec.DispatchError(ctx, gqlerror.List{gqlerror.Errorf("could not read request body: %+v", err)}))
		return
	}
	var params graphql.RawParams
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&params); err != nil {
		// transport.POST answers it, as it always has
		r.Body = io.NopCloser(bytes.NewReader(body))
		transport.POST{}.Do(w, r, exec)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	w.Header().Set("Content-Type", contentType)
	oc, errs := exec.CreateOperationContext(ctx, &params)
	if errs != nil {
		if errcode.GetErrorKind(errs) == errcode.KindProtocol {
			// a request that is not a valid operation
			w.WriteHeader(invalidRequestStatus(contentType))
		}
		writeAnswer(w, exec.DispatchError(graphql.WithOperationContext(ctx, oc), errs))
		return
	}
	responses, ctx := exec.DispatchOperation(ctx, oc)
	writeAnswer(w, responses(ctx))
}

// invalidRequestStatus is the status of an answer to a request that is
// not a valid operation, by the answer's content type (GraphQL over HTTP:
// 400 for the GraphQL response type; gqlgen's 422 for plain JSON).
func invalidRequestStatus(contentType string) int {
	if contentType == contentGraphQLResponse {
		return http.StatusBadRequest
	}
	return http.StatusUnprocessableEntity
}

// answerContentType chooses the answer's content type from the request's
// Accept header: JSON when it asks for nothing in particular or for JSON
// first, the GraphQL response type otherwise (gqlgen's choice).
func answerContentType(accept string) string {
	if accept == "" {
		return contentJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		mediaType, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mediaType {
		case "*/*", "application/*", contentJSON:
			return contentJSON
		case contentGraphQLResponse:
			return contentGraphQLResponse
		}
	}
	return contentGraphQLResponse
}

// answers are the buffers answers are written into.
var answers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// writeAnswer writes res as json.Marshal would, in one write, with its
// data copied as it is but for json.Marshal's escapes: gqlgen's
// marshallers write compact, valid JSON.
func writeAnswer(w io.Writer, res *graphql.Response) {
	if res == nil {
		// the request's context ended before the operation ran
		w.Write([]byte("null"))
		return
	}
	if res.Label != "" || res.Path != nil || res.HasNext != nil {
		// an incremental part, which no transport of ours sends
		b, err := json.Marshal(res)
		if err != nil {
			panic(err)
		}
		w.Write(b)
		return
	}
	buf := answers.Get().(*bytes.Buffer)
	defer func() {
		buf.Reset()
		answers.Put(buf)
	}()
	buf.WriteByte('{')
	if len(res.Errors) > 0 {
		buf.WriteString(`"errors":`)
		writeJSON(buf, res.Errors)
		buf.WriteByte(',')
	}
	buf.WriteString(`"data":`)
	if len(res.Data) == 0 {
		buf.WriteString("null")
	} else {
		// the escapes json.Marshal adds (<, >, & and U+2028, U+2029
		// in strings), without its validation and compaction
		json.HTMLEscape(buf, res.Data)
	}
	if len(res.Extensions) > 0 {
		buf.WriteString(`,"extensions":`)
		writeJSON(buf, res.Extensions)
	}
	buf.WriteByte('}')
	w.Write(buf.Bytes())
}

// writeJSON appends v's JSON encoding to buf, as json.Marshal makes it.
func writeJSON(buf *bytes.Buffer, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // errors and extensions are plain values
	}
	buf.Write(b)
}

var _ graphql.Transport = postJSON{}
