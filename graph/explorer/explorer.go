// Package explorer serves the GraphiQL explorer for the Databank GraphQL API.
//
// Everything the page needs — GraphiQL, React and a small bootstrap script —
// is embedded in the binary and served by [Handler], so the explorer works
// without any network access beyond the Databank server itself (no CDN). The
// vendored files in assets/ are refreshed with assets/update.sh.
package explorer

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// AssetsPath is the URL path prefix under which [Handler] serves the
// explorer's JavaScript, CSS and license files. Each asset is served at
// AssetsPath + "<content hash>/<file name>", so its URL changes whenever its
// content does and it can be cached forever.
const AssetsPath = "/explorer/assets/"

// Defaults used by [Handler] for empty [Options] fields.
const (
	DefaultTitle    = "GraphiQL"
	DefaultEndpoint = "/graphql"
)

// Example is an example operation preloaded as a GraphiQL tab.
type Example struct {
	// Name describes the example; it is shown as a comment on the first
	// line of the query (GraphiQL names tabs after the operation name).
	Name string
	// Query is the GraphQL document.
	Query string
	// Variables is the JSON text of the variables, or empty.
	Variables string
	// Headers is the JSON text of the request headers, or empty (e.g. a
	// demo bearer token).
	Headers string
}

// Options configures [Handler].
type Options struct {
	// Title is the page title and the name shown in GraphiQL's logo area,
	// e.g. "Databank explorer". Empty means [DefaultTitle].
	Title string
	// Endpoint is the URL of the GraphQL endpoint, usually a path such as
	// "/graphql"; a relative one is resolved against the page's URL. An
	// absolute http(s) URL on another origin is allowed by the page's
	// Content-Security-Policy. Empty means [DefaultEndpoint].
	Endpoint string
	// Examples are opened as tabs, the first one shown, for visitors who
	// have no tabs saved by GraphiQL in their browser yet.
	Examples []Example
}

//go:embed assets/*.js assets/*.css assets/LICENSE.* assets/VERSIONS static/explorer.js static/explorer.css static/import.js
var files embed.FS

//go:embed static/import.html
var importSource string

var importTemplate = template.Must(template.New("import").Parse(importSource))

//go:embed static/page.html
var pageSource string

var pageTemplate = template.Must(template.New("page").Parse(pageSource))

// asset is one embedded file served under AssetsPath.
type asset struct {
	body        []byte
	contentType string
	hash        string // hex SHA-256 prefix, also the URL's version segment

	gzipOnce sync.Once
	gzipped  []byte // nil when compression does not pay
}

// gzipBody returns the gzip-compressed body, compressing on first use, or
// nil if compression does not make the asset smaller.
func (a *asset) gzipBody() []byte {
	a.gzipOnce.Do(func() {
		if len(a.body) < 1024 {
			return
		}
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression) // valid level: no error
		_, _ = zw.Write(a.body)                                  // bytes.Buffer writes do not fail
		_ = zw.Close()
		if buf.Len() < len(a.body) {
			a.gzipped = buf.Bytes()
		}
	})
	return a.gzipped
}

// loadAssets indexes the embedded files once per process, keyed by the
// asset name used in the page template's Assets map and by URL path.
var loadAssets = sync.OnceValues(func() (byName map[string]*asset, byPath map[string]*asset) {
	byName = make(map[string]*asset)
	byPath = make(map[string]*asset)
	err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		a := &asset{body: body, contentType: contentType(p), hash: hex.EncodeToString(sum[:8])}
		name := path.Base(p)
		byName[name] = a
		byPath[a.hash+"/"+name] = a
		return nil
	})
	if err != nil {
		panic("explorer: reading embedded assets: " + err.Error())
	}
	return byName, byPath
})

// contentType returns the Content-Type for an embedded file, independent of
// the host's MIME tables.
func contentType(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	default: // LICENSE.*, VERSIONS
		return "text/plain; charset=utf-8"
	}
}

// pageConfig is handed to static/explorer.js as JSON.
type pageConfig struct {
	Title    string        `json:"title"`
	Endpoint string        `json:"endpoint"`
	Examples []exampleJSON `json:"examples"`
}

type exampleJSON struct {
	Query     string `json:"query"`
	Variables string `json:"variables,omitempty"`
	Headers   string `json:"headers,omitempty"`
}

// Handler returns an http.Handler serving the GraphiQL explorer page at "/",
// an upload form for registry imports at "/import" (GraphiQL cannot send
// files), and their assets under [AssetsPath]. It answers only GET and HEAD (405
// otherwise) and 404 for any other path, so it can be mounted as the
// catch-all "/" route of a mux that routes the GraphQL endpoint elsewhere.
//
// The page carries a strict Content-Security-Policy (scripts from the
// server itself only), and references its assets by relative URLs, so it
// also works behind a reverse proxy that mounts the server under a prefix.
func Handler(opt Options) http.Handler {
	if opt.Title == "" {
		opt.Title = DefaultTitle
	}
	if opt.Endpoint == "" {
		opt.Endpoint = DefaultEndpoint
	}
	byName, byPath := loadAssets()

	assetURL := func(name string) string {
		a, ok := byName[name]
		if !ok {
			panic("explorer: no embedded asset " + name)
		}
		// Relative to the page at "/".
		return strings.TrimPrefix(AssetsPath, "/") + a.hash + "/" + name
	}
	cfg := pageConfig{Title: opt.Title, Endpoint: opt.Endpoint, Examples: make([]exampleJSON, 0, len(opt.Examples))}
	for _, ex := range opt.Examples {
		q := ex.Query
		if name := strings.Join(strings.Fields(ex.Name), " "); name != "" {
			q = "# " + name + "\n" + q
		}
		cfg.Examples = append(cfg.Examples, exampleJSON{Query: q, Variables: ex.Variables, Headers: ex.Headers})
	}

	var page bytes.Buffer
	err := pageTemplate.Execute(&page, map[string]any{
		"Title":  opt.Title,
		"Config": cfg, // html/template JSON-encodes it, escaping "<" and friends
		"Assets": map[string]string{
			"react":       assetURL("react.production.min.js"),
			"reactDOM":    assetURL("react-dom.production.min.js"),
			"graphiqlJS":  assetURL("graphiql.min.js"),
			"graphiqlCSS": assetURL("graphiql.min.css"),
			"explorerJS":  assetURL("explorer.js"),
			"explorerCSS": assetURL("explorer.css"),
		},
	})
	if err != nil {
		panic("explorer: rendering page: " + err.Error())
	}
	var imp bytes.Buffer
	err = importTemplate.Execute(&imp, map[string]any{
		"Title":  opt.Title,
		"Config": map[string]string{"endpoint": opt.Endpoint},
		"JS":     assetURL("import.js"),
		"CSS":    assetURL("explorer.css"),
	})
	if err != nil {
		panic("explorer: rendering import page: " + err.Error())
	}
	sum := sha256.Sum256(page.Bytes())
	isum := sha256.Sum256(imp.Bytes())
	return &handler{
		page:       page.Bytes(),
		pageETag:   strconv.Quote(hex.EncodeToString(sum[:8])),
		importPage: imp.Bytes(),
		importETag: strconv.Quote(hex.EncodeToString(isum[:8])),
		csp:        contentSecurityPolicy(opt.Endpoint),
		assets:     byPath,
	}
}

// contentSecurityPolicy allows scripts, styles and fonts from the server
// only. Inline styles are allowed because GraphiQL's dialogs (via
// react-remove-scroll) insert a <style> element; the stylesheet embeds its
// fonts and icons as data: URLs. The page may talk to its own origin and to
// the GraphQL endpoint's origin.
func contentSecurityPolicy(endpoint string) string {
	connect := "'self'"
	if u, err := url.Parse(endpoint); err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" {
		connect += " " + u.Scheme + "://" + u.Host
	}
	return strings.Join([]string{
		"default-src 'none'",
		"script-src 'self'",
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data:",
		"font-src 'self' data:",
		"connect-src " + connect,
		"base-uri 'none'",
		"form-action 'none'",
		"frame-ancestors 'none'",
	}, "; ")
}

type handler struct {
	page       []byte
	pageETag   string
	importPage []byte // the upload form for registry imports, at /import
	importETag string
	csp        string
	assets     map[string]*asset // by "<hash>/<name>"
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("X-Content-Type-Options", "nosniff")
	hdr.Set("Referrer-Policy", "no-referrer")

	var a *asset
	page, etag := h.page, h.pageETag
	switch p := r.URL.Path; {
	case p == "/":
	case p == "/import":
		page, etag = h.importPage, h.importETag
	case strings.HasPrefix(p, AssetsPath):
		if a = h.assets[strings.TrimPrefix(p, AssetsPath)]; a == nil {
			http.NotFound(w, r)
			return
		}
	default:
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}

	if a == nil {
		hdr.Set("Content-Type", "text/html; charset=utf-8")
		hdr.Set("Content-Security-Policy", h.csp)
		hdr.Set("X-Frame-Options", "DENY")
		// Revalidate every time: the page names the current asset versions.
		hdr.Set("Cache-Control", "no-cache")
		hdr.Set("ETag", etag)
		http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(page))
		return
	}

	hdr.Set("Content-Type", a.contentType)
	hdr.Set("Cache-Control", "public, max-age=31536000, immutable")
	hdr.Set("Vary", "Accept-Encoding")
	body, etag := a.body, a.hash
	if acceptsGzip(r.Header.Values("Accept-Encoding")) {
		if gz := a.gzipBody(); gz != nil {
			body, etag = gz, a.hash+"-gzip"
			hdr.Set("Content-Encoding", "gzip")
		}
	}
	hdr.Set("ETag", strconv.Quote(etag))
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(body))
}

// acceptsGzip reports whether Accept-Encoding header values list gzip with
// a non-zero quality.
func acceptsGzip(values []string) bool {
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			coding, params, _ := strings.Cut(part, ";")
			if !strings.EqualFold(strings.TrimSpace(coding), "gzip") {
				continue
			}
			for _, param := range strings.Split(params, ";") {
				k, val, _ := strings.Cut(strings.TrimSpace(param), "=")
				if strings.EqualFold(strings.TrimSpace(k), "q") {
					if q, err := strconv.ParseFloat(strings.TrimSpace(val), 64); err == nil && q == 0 {
						return false
					}
				}
			}
			return true
		}
	}
	return false
}
