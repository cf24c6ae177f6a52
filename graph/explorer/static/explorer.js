// Bootstrap for the Databank GraphiQL explorer.
//
// Served from the binary as a file (not inline) so that the page's
// Content-Security-Policy can allow scripts from 'self' only. The page
// passes its settings in a <script type="application/json"
// id="explorer-config"> block, which is data and never executed.
(function () {
  'use strict';

  var root = document.getElementById('graphiql');
  var configElement = document.getElementById('explorer-config');
  if (!root || !configElement || !window.React || !window.ReactDOM || !window.GraphiQL) {
    if (root) {
      root.textContent = 'The GraphQL explorer failed to load.';
    }
    return;
  }

  var config = JSON.parse(configElement.textContent);
  var examples = config.examples || [];

  // The endpoint may be relative to the page (e.g. behind a path-prefixing
  // proxy); GraphiQL's fetcher wants an absolute URL.
  var baseFetcher = GraphiQL.createFetcher({
    url: new URL(config.endpoint, window.location.href).toString(),
  });

  // A token pasted into one tab's headers serves every tab of this page
  // (a new tab starts with empty headers): the last Authorization header
  // sent is kept in memory, never in storage, and added to a request
  // that has none.
  var lastAuthorization = '';
  function fetcher(params, options) {
    var headers = (options && options.headers) || {};
    var auth = headers.Authorization || headers.authorization || '';
    if (auth) {
      lastAuthorization = auth;
    } else if (lastAuthorization) {
      options = Object.assign({}, options, { headers: Object.assign({}, headers, { Authorization: lastAuthorization }) });
    }
    return baseFetcher(params, options);
  }

  var props = {
    fetcher: fetcher,
    // The API takes a bearer token in the Authorization header: keep the
    // headers editor, but never write its content to localStorage.
    isHeadersEditorEnabled: true,
    shouldPersistHeaders: false,
  };
  var storage = headerlessStorage();
  if (storage) {
    props.storage = storage;
  }
  if (examples.length > 0) {
    props.defaultTabs = examples.map(function (ex) {
      return { query: ex.query, variables: ex.variables || undefined, headers: ex.headers || undefined };
    });
    if (examples[0].headers) {
      props.headers = examples[0].headers;
      props.defaultHeaders = examples[0].headers; // for tabs opened with "+"
    }
    // GraphiQL 3 fills the query editor from the first default tab but not
    // the variables editor, so the first example would run without its
    // variables. Pass them explicitly, but only on a first visit: with tabs
    // saved in the browser, the prop would add a tab instead.
    if (examples[0].variables && !(storage && storage.getItem('graphiql:tabState'))) {
      props.variables = examples[0].variables;
    }
  }

  // headerlessStorage wraps localStorage so that GraphiQL's history never
  // stores request headers: GraphiQL 3 keeps the headers of every executed
  // operation in the "queries" and "favorites" entries whatever
  // shouldPersistHeaders says. It returns null where localStorage is
  // unavailable, leaving GraphiQL to its own fallback.
  function headerlessStorage() {
    var local;
    try {
      local = window.localStorage;
      if (!local) {
        return null;
      }
    } catch (e) {
      return null;
    }
    function setItem(key, value) {
      if (key === 'graphiql:headers') {
        return; // only written when headers are persisted; never allow it
      }
      if (key === 'graphiql:queries' || key === 'graphiql:favorites') {
        try {
          value = JSON.stringify(JSON.parse(value), function (k, v) {
            return k === 'headers' ? undefined : v;
          });
        } catch (e) {
          return; // not the expected JSON: store nothing rather than a token
        }
      }
      local.setItem(key, value);
    }
    function graphiqlKeys() {
      var keys = [];
      for (var i = 0; i < local.length; i++) {
        var key = local.key(i);
        if (key.indexOf('graphiql:') === 0) {
          keys.push(key);
        }
      }
      return keys;
    }
    // The same shape as GraphiQL's own default wrapper of localStorage.
    return {
      getItem: function (key) {
        return local.getItem(key);
      },
      setItem: setItem,
      removeItem: function (key) {
        local.removeItem(key);
      },
      get length() {
        return graphiqlKeys().length;
      },
      clear: function () {
        graphiqlKeys().forEach(function (key) {
          local.removeItem(key);
        });
      },
    };
  }

  var logo = React.createElement(GraphiQL.Logo, null, config.title);
  ReactDOM.createRoot(root).render(React.createElement(GraphiQL, props, logo));
})();
