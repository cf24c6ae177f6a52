package explorer

import (
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const chromium = "/usr/bin/chromium"

// introspection is the smallest introspection result GraphiQL's schema
// builder accepts: a Query type with one String field.
const introspection = `{"data":{"__schema":{
 "description":null,
 "queryType":{"name":"Query"},"mutationType":null,"subscriptionType":null,
 "types":[
  {"kind":"OBJECT","name":"Query","description":"The root.","specifiedByURL":null,
   "fields":[{"name":"datasets","description":null,"args":[],
     "type":{"kind":"SCALAR","name":"String","ofType":null},
     "isDeprecated":false,"deprecationReason":null}],
   "inputFields":null,"interfaces":[],"enumValues":null,"possibleTypes":null},
  {"kind":"SCALAR","name":"String","description":null,"specifiedByURL":null,
   "fields":null,"inputFields":null,"interfaces":null,"enumValues":null,"possibleTypes":null},
  {"kind":"SCALAR","name":"Boolean","description":null,"specifiedByURL":null,
   "fields":null,"inputFields":null,"interfaces":null,"enumValues":null,"possibleTypes":null}
 ],
 "directives":[]}}}`

// probeSecret is typed into GraphiQL's headers editor by probeJS.
const probeSecret = "Bearer probe-secret-7f3a"

// probeJS acts as a user on the rendered explorer: it opens the headers
// editor, enters an Authorization header, runs the current query, opens a
// new tab and runs a query from it, opens a dialog (which makes GraphiQL insert a <style> element), and then writes
// the content of localStorage into the DOM for the test to read.
const probeJS = `(function () {
  function out(id, text) {
    var pre = document.createElement('pre');
    pre.id = id;
    pre.textContent = text;
    document.body.appendChild(pre);
  }
  function visibleHeadersEditor() {
    var editors = document.querySelectorAll('.graphiql-editor-tool .graphiql-editor');
    for (var i = 0; i < editors.length; i++) {
      var cm = editors[i].querySelector('.CodeMirror');
      if (cm && cm.CodeMirror && !editors[i].classList.contains('hidden')) return cm.CodeMirror;
    }
    return null;
  }
  var steps = [
    function () {
      var tab = Array.prototype.find.call(document.querySelectorAll('button'), function (b) {
        return b.textContent === 'Headers';
      });
      tab.click();
    },
    function () {
      visibleHeadersEditor().setValue(JSON.stringify({ Authorization: '` + probeSecret + `' }));
    },
    function () { document.querySelector('.graphiql-execute-button').click(); },
    // a new tab starts with empty headers: the token typed above must
    // still be sent from it (kept in memory by the explorer, not stored)
    function () { document.querySelector('[aria-label="Add tab"]').click(); },
    function () {
      document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue('query NewTab { datasets }');
    },
    function () { document.querySelector('.graphiql-execute-button').click(); },
    function () { document.querySelector('[aria-label="Open settings dialog"]').click(); },
    function () {
      out('probe-dialog', String(!!document.querySelector('.graphiql-dialog')));
      var items = {};
      for (var i = 0; i < localStorage.length; i++) {
        var k = localStorage.key(i);
        items[k] = localStorage.getItem(k);
      }
      out('probe-storage', JSON.stringify(items));
    },
  ];
  var i = 0;
  function next() {
    if (!document.querySelector('.graphiql-container .CodeMirror')) return setTimeout(next, 100);
    try {
      steps[i++]();
    } catch (e) {
      out('probe-error', 'step ' + i + ': ' + e);
      return;
    }
    if (i < steps.length) setTimeout(next, 500);
  }
  setTimeout(next, 100);
})();`

// browserServer serves the explorer, a fake GraphQL endpoint, and a CSP
// violation report sink, and records what the browser sent.
type browserServer struct {
	mu             sync.Mutex
	operations     []string // operation names posted to /graphql
	variables      []string // their variables
	authorizations []string // their Authorization headers
	violations     []string
}

func (s *browserServer) handler(t *testing.T, explorer http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /graphql", func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			OperationName string          `json:"operationName"`
			Query         string          `json:"query"`
			Variables     json.RawMessage `json:"variables"`
		}
		_ = json.NewDecoder(r.Body).Decode(&req)
		s.mu.Lock()
		s.operations = append(s.operations, req.OperationName)
		s.variables = append(s.variables, string(req.Variables))
		s.authorizations = append(s.authorizations, r.Header.Get("Authorization"))
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if strings.Contains(req.Query, "__schema") {
			_, _ = io.WriteString(w, introspection)
			return
		}
		_, _ = io.WriteString(w, `{"data":{"datasets":"ok"}}`)
	})
	mux.HandleFunc("POST /csp-report", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.violations = append(s.violations, string(b))
		s.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("GET /probe.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		_, _ = io.WriteString(w, probeJS)
	})
	// The page as the explorer serves it, with a report-uri added to its
	// CSP so that the test sees anything the policy blocks, and with
	// probe.js added when asked for with "?probe".
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		explorer.ServeHTTP(rec, r)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		csp := rec.Header().Get("Content-Security-Policy")
		assert.NotEmpty(t, csp) // not require: this is the server goroutine
		w.Header().Set("Content-Security-Policy", csp+"; report-uri /csp-report")
		page := rec.Body.String()
		if r.URL.RawQuery == "probe" {
			page = strings.Replace(page, "</body>", `<script src="/probe.js"></script></body>`, 1)
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		_, _ = io.WriteString(w, page)
	})
	mux.Handle("/", explorer)
	return mux
}

func runChromium(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync",
		"--disable-dev-shm-usage",
		"--user-data-dir=" + t.TempDir(),
		"--virtual-time-budget=5000",
	}
	cmd := exec.CommandContext(ctx, chromium, append(base, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "chromium: %s", stderr.String())
	return string(out)
}

// TestExplorerInBrowser loads the explorer in headless Chromium with no
// network but the test server, proving that the embedded JavaScript runs
// under the page's Content-Security-Policy and renders GraphiQL, and that
// a bearer token entered in the headers editor is sent but not stored.
//
// Set EXPLORER_SCREENSHOT=/tmp/explorer.png to also save a screenshot.
func TestExplorerInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a browser")
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("%s not installed (apt-get install chromium)", chromium)
	}

	s := &browserServer{}
	srv := httptest.NewServer(s.handler(t, Handler(testOptions)))
	defer srv.Close()

	t.Run("render", func(t *testing.T) {
		dom := runChromium(t, "--dump-dom", srv.URL+"/")
		assert.Contains(t, dom, "graphiql-container", "GraphiQL rendered")
		assert.Contains(t, dom, "CodeMirror", "editors rendered")
		assert.Contains(t, dom, "Databank explorer", "title shown in the logo area")
		assert.Contains(t, dom, ">Datasets<", "first example loaded into the editor")
		assert.Contains(t, dom, ">Hostile<", "second example opened as a tab")
		assert.NotContains(t, dom, "failed to load")

		s.mu.Lock()
		defer s.mu.Unlock()
		assert.Contains(t, s.operations, "IntrospectionQuery", "GraphiQL fetched the schema from the endpoint")
	})

	t.Run("headers", func(t *testing.T) {
		dom := runChromium(t, "--dump-dom", srv.URL+"/?probe")
		probe := func(id string) string {
			m := regexp.MustCompile(`<pre id="` + id + `">([^<]*)</pre>`).FindStringSubmatch(dom)
			if m == nil {
				return ""
			}
			return html.UnescapeString(m[1])
		}
		require.Empty(t, probe("probe-error"))
		require.Equal(t, "true", probe("probe-dialog"), "settings dialog opened")

		s.mu.Lock()
		assert.Contains(t, s.operations, "Datasets", "the first example was run")
		assert.Contains(t, s.variables, `{"first":10}`, "with its variables")
		assert.Contains(t, s.authorizations, probeSecret, "the header from the editor was sent")
		sentFromNewTab := ""
		for i, op := range s.operations {
			if op == "NewTab" {
				sentFromNewTab = s.authorizations[i]
			}
		}
		assert.Equal(t, probeSecret, sentFromNewTab, "a new tab sends the token typed in another tab")
		s.mu.Unlock()

		storage := probe("probe-storage")
		require.NotEmpty(t, storage, "localStorage read")
		assert.Contains(t, storage, "graphiql:queries", "history was saved")
		assert.NotContains(t, storage, "probe-secret", "the token stays out of localStorage")
	})

	if file := os.Getenv("EXPLORER_SCREENSHOT"); file != "" {
		runChromium(t, "--screenshot="+file, "--window-size=1280,800", srv.URL+"/")
		t.Logf("screenshot saved to %s", file)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	assert.Empty(t, s.violations, "Content-Security-Policy violations")
}
