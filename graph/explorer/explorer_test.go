package explorer

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostile is an example whose text tries to end the JSON <script> block
// and inject markup; it must reach GraphiQL verbatim and do nothing else.
const hostile = "query Hostile { x(s: \"</script><script>alert(1)</script><!--\") } # \u2028 & <b>"

var testOptions = Options{
	Title:    "Databank explorer",
	Endpoint: "/graphql",
	Examples: []Example{
		{Name: "Datasets", Query: "query Datasets {\n  datasets { id }\n}", Variables: `{"first": 10}`},
		{Name: "Escape\ntest", Query: hostile},
	},
}

func get(t *testing.T, h http.Handler, method, target string, header http.Header) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return string(b)
}

var (
	configRE = regexp.MustCompile(`(?s)<script type="application/json" id="explorer-config">(.*?)</script>`)
	scriptRE = regexp.MustCompile(`<script\b[^>]*>`)
	srcRE    = regexp.MustCompile(`\bsrc="([^"]*)"`)
	linkRE   = regexp.MustCompile(`<link\b[^>]*\bhref="([^"]*)"`)
)

func TestPage(t *testing.T) {
	h := Handler(testOptions)
	res := get(t, h, http.MethodGet, "/", nil)
	html := body(t, res)

	require.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "text/html; charset=utf-8", res.Header.Get("Content-Type"))
	assert.Contains(t, html, "<title>Databank explorer</title>")
	assert.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))
	assert.Equal(t, "no-referrer", res.Header.Get("Referrer-Policy"))
	assert.Equal(t, "DENY", res.Header.Get("X-Frame-Options"))
	assert.Equal(t, "no-cache", res.Header.Get("Cache-Control"))
	assert.NotEmpty(t, res.Header.Get("ETag"))

	csp := res.Header.Get("Content-Security-Policy")
	directives := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		directives[name] = value
	}
	assert.Equal(t, "'none'", directives["default-src"], csp)
	assert.Equal(t, "'self'", directives["script-src"], "only scripts from the server itself: %s", csp)
	assert.Equal(t, "'none'", directives["frame-ancestors"], csp)
	assert.Equal(t, "'self'", directives["connect-src"], csp)
	assert.Equal(t, "'none'", directives["base-uri"], csp)

	// The hostile example must not end the JSON block early nor add markup.
	assert.NotContains(t, html, "<script>alert")
	assert.NotContains(t, html, "<b>")
	assert.NotContains(t, html, "<!--")
	m := configRE.FindStringSubmatch(html)
	require.NotNil(t, m, html)
	assert.NotContains(t, m[1], "<")
	var cfg pageConfig
	require.NoError(t, json.Unmarshal([]byte(m[1]), &cfg), m[1])
	assert.Equal(t, pageConfig{
		Title:    "Databank explorer",
		Endpoint: "/graphql",
		Examples: []exampleJSON{
			{Query: "# Datasets\nquery Datasets {\n  datasets { id }\n}", Variables: `{"first": 10}`},
			{Query: "# Escape test\n" + hostile},
		},
	}, cfg)

	// Every script other than the JSON block is an external file.
	for _, tag := range scriptRE.FindAllString(html, -1) {
		if strings.Contains(tag, `type="application/json"`) {
			continue
		}
		assert.Regexp(t, srcRE, tag, "inline scripts are blocked by the CSP")
	}

	head := get(t, h, http.MethodHead, "/", nil)
	assert.Equal(t, http.StatusOK, head.StatusCode)
	assert.Empty(t, body(t, head))

	notModified := get(t, h, http.MethodGet, "/", http.Header{"If-None-Match": {res.Header.Get("ETag")}})
	assert.Equal(t, http.StatusNotModified, notModified.StatusCode)
}

func TestDefaults(t *testing.T) {
	res := get(t, Handler(Options{}), http.MethodGet, "/", nil)
	html := body(t, res)
	require.Equal(t, http.StatusOK, res.StatusCode)
	assert.Contains(t, html, "<title>GraphiQL</title>")
	var cfg pageConfig
	m := configRE.FindStringSubmatch(html)
	require.NotNil(t, m)
	require.NoError(t, json.Unmarshal([]byte(m[1]), &cfg))
	assert.Equal(t, pageConfig{Title: DefaultTitle, Endpoint: DefaultEndpoint, Examples: []exampleJSON{}}, cfg)
}

func TestCrossOriginEndpoint(t *testing.T) {
	res := get(t, Handler(Options{Endpoint: "https://api.example.org:8443/graphql"}), http.MethodGet, "/", nil)
	assert.Contains(t, res.Header.Get("Content-Security-Policy"), "connect-src 'self' https://api.example.org:8443;")
}

// pageAssets returns the src and href URLs the page references.
func pageAssets(t *testing.T, html string) []string {
	t.Helper()
	var refs []string
	for _, tag := range scriptRE.FindAllString(html, -1) {
		if m := srcRE.FindStringSubmatch(tag); m != nil {
			refs = append(refs, m[1])
		}
	}
	for _, m := range linkRE.FindAllStringSubmatch(html, -1) {
		refs = append(refs, m[1])
	}
	return refs
}

func TestAssets(t *testing.T) {
	h := Handler(testOptions)
	html := body(t, get(t, h, http.MethodGet, "/", nil))
	refs := pageAssets(t, html)

	wantType := map[string]string{
		".js":  "text/javascript; charset=utf-8",
		".css": "text/css; charset=utf-8",
	}
	var scripts, styles int
	for _, ref := range refs {
		if ref == "data:," { // the empty favicon
			continue
		}
		t.Run(path.Base(ref), func(t *testing.T) {
			u, err := url.Parse(ref)
			require.NoError(t, err)
			assert.Empty(t, u.Scheme, "no external URL: %s", ref)
			assert.Empty(t, u.Host, "no external URL: %s", ref)
			assert.False(t, strings.HasPrefix(ref, "/"), "relative to the page, for path-prefixing proxies: %s", ref)

			target := "/" + ref // as resolved against the page at "/"
			res := get(t, h, http.MethodGet, target, nil)
			content := body(t, res)
			require.Equal(t, http.StatusOK, res.StatusCode, target)
			assert.Equal(t, wantType[path.Ext(ref)], res.Header.Get("Content-Type"))
			assert.Equal(t, "public, max-age=31536000, immutable", res.Header.Get("Cache-Control"))
			assert.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))
			assert.Empty(t, res.Header.Get("Content-Encoding"))
			assert.NotEmpty(t, content)
			etag := res.Header.Get("ETag")
			assert.NotEmpty(t, etag)

			switch path.Ext(ref) {
			case ".js":
				scripts++
				// No script loads more code or styles from elsewhere.
				assert.NotRegexp(t, `["'\x60]https?://[^"'\x60]*\.(js|css|mjs)\b`, content)
				assert.NotRegexp(t, `(?i)<(script|link)[^>]+(src|href)=\\?["']?https?:`, content)
			case ".css":
				styles++
				assert.NotRegexp(t, `(?i)url\(\s*["']?(https?:)?//`, content)
				assert.NotContains(t, content, "@import")
			}

			nm := get(t, h, http.MethodGet, target, http.Header{"If-None-Match": {etag}})
			assert.Equal(t, http.StatusNotModified, nm.StatusCode)

			gz := get(t, h, http.MethodGet, target, http.Header{"Accept-Encoding": {"br, gzip"}})
			require.Equal(t, http.StatusOK, gz.StatusCode)
			assert.Equal(t, "Accept-Encoding", gz.Header.Get("Vary"))
			if gz.Header.Get("Content-Encoding") == "gzip" {
				assert.NotEqual(t, etag, gz.Header.Get("ETag"))
				zr, err := gzip.NewReader(gz.Body)
				require.NoError(t, err)
				unzipped, err := io.ReadAll(zr)
				require.NoError(t, err)
				assert.Equal(t, content, string(unzipped))
			} else {
				assert.Less(t, len(content), 1024, "large assets are compressed")
			}

			head := get(t, h, http.MethodHead, target, nil)
			assert.Equal(t, http.StatusOK, head.StatusCode)
			assert.Empty(t, body(t, head))
		})
	}
	assert.Equal(t, 4, scripts, "react, react-dom, graphiql, bootstrap: %v", refs)
	assert.Equal(t, 2, styles, "graphiql and explorer CSS: %v", refs)
	assert.NotRegexp(t, `(?i)(src|href)="(https?:)?//`, html)
}

func TestLicensesEmbedded(t *testing.T) {
	byName, _ := loadAssets()
	for _, name := range []string{"LICENSE.graphiql", "LICENSE.react", "LICENSE.react-dom", "VERSIONS"} {
		a := byName[name]
		if assert.NotNil(t, a, name) {
			res := get(t, Handler(Options{}), http.MethodGet, AssetsPath+a.hash+"/"+name, nil)
			assert.Equal(t, http.StatusOK, res.StatusCode)
			assert.Equal(t, "text/plain; charset=utf-8", res.Header.Get("Content-Type"))
		}
	}
	assert.Contains(t, string(byName["LICENSE.graphiql"].body), "MIT License")
}

func TestNotFound(t *testing.T) {
	h := Handler(testOptions)
	html := body(t, get(t, h, http.MethodGet, "/", nil))
	js := ""
	for _, ref := range pageAssets(t, html) {
		if strings.HasSuffix(ref, "/graphiql.min.js") {
			js = "/" + ref
		}
	}
	require.NotEmpty(t, js)
	hash := path.Base(path.Dir(js))

	for _, target := range []string{
		"/index.html",
		"/graphql",
		"/favicon.ico",
		"/explorer",
		"/explorer/",
		AssetsPath,
		AssetsPath + "graphiql.min.js",
		AssetsPath + "0000000000000000/graphiql.min.js", // stale or made-up version
		AssetsPath + hash + "/",
		AssetsPath + hash + "/missing.js",
		AssetsPath + hash + "/update.sh",
		AssetsPath + hash + "/../graphiql.min.js",
		js + "/",
		js + ".map",
	} {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			res := get(t, h, method, target, nil)
			assert.Equal(t, http.StatusNotFound, res.StatusCode, "%s %s", method, target)
		}
	}
}

func TestMethodNotAllowed(t *testing.T) {
	h := Handler(testOptions)
	html := body(t, get(t, h, http.MethodGet, "/", nil))
	targets := []string{"/"}
	for _, ref := range pageAssets(t, html) {
		if !strings.HasPrefix(ref, "data:") {
			targets = append(targets, "/"+ref)
		}
	}
	for _, target := range targets {
		for _, method := range []string{http.MethodPost, http.MethodPut, http.MethodDelete, http.MethodOptions} {
			req := httptest.NewRequest(method, target, bytes.NewReader([]byte(`{"query":"{x}"}`)))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			assert.Equal(t, http.StatusMethodNotAllowed, rec.Code, "%s %s", method, target)
			assert.Equal(t, "GET, HEAD", rec.Header().Get("Allow"))
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"":                     false,
		"gzip":                 true,
		"GZIP":                 true,
		"gzip, deflate, br":    true,
		"br;q=1.0, gzip;q=0.8": true,
		"gzip;q=0":             false,
		"gzip; q=0.000":        false,
		"deflate, br":          false,
		"x-gzip":               false,
		"identity":             false,
	} {
		assert.Equal(t, want, acceptsGzip([]string{header}), "%q", header)
	}
	assert.True(t, acceptsGzip([]string{"br", "gzip"}))
}

// The import form is served with the same headers, and its script is an
// embedded asset (no inline script but the JSON configuration).
func TestImportPage(t *testing.T) {
	h := Handler(Options{Endpoint: "/graphql"})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/import", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	body := rec.Body.String()
	assert.Contains(t, body, `<form id="import-form">`)
	assert.Contains(t, body, `{"endpoint":"/graphql"}`)
	assert.Contains(t, rec.Header().Get("Content-Security-Policy"), "script-src 'self'")
	i := strings.Index(body, `<script src="`)
	require.Positive(t, i)
	src := body[i+len(`<script src="`):]
	src = src[:strings.Index(src, `"`)]
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/"+src, nil))
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Contains(t, rec.Body.String(), "importRegistry")
}
