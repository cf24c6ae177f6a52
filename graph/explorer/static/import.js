// The import page: sends one registry file as a GraphQL multipart request
// (the importRegistry mutation) and shows the report. Everything the
// server returns is written with textContent, never as HTML.
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('import-config').textContent);
  var form = document.getElementById('import-form');
  var result = document.getElementById('result');
  var mutation = 'mutation($kind: ImportKind!, $file: Upload!, $dryRun: Boolean) {' +
    ' importRegistry(kind: $kind, file: $file, dryRun: $dryRun) {' +
    ' dryRun committed errorCount warningCount elapsedMs' +
    ' counts { kind rows created updated unchanged rejected }' +
    ' errors { file line column value message } warnings { file line column value message } } }';

  function el(tag, text) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) {
      e.textContent = String(text);
    }
    return e;
  }

  function table(headers, rows) {
    var t = el('table');
    var tr = el('tr');
    headers.forEach(function (h) { tr.appendChild(el('th', h)); });
    t.appendChild(tr);
    rows.forEach(function (r) {
      var row = el('tr');
      r.forEach(function (c) { row.appendChild(el('td', c)); });
      t.appendChild(row);
    });
    return t;
  }

  function problems(title, list, count) {
    var section = el('div');
    section.appendChild(el('h3', title + ' (' + count + ')'));
    section.appendChild(table(['file', 'line', 'column', 'value', 'message'], list.map(function (p) {
      return [p.file, p.line || '', p.column || '', p.value || '', p.message];
    })));
    return section;
  }

  function show(body) {
    result.textContent = '';
    if (body.errors && body.errors.length) {
      body.errors.forEach(function (e) {
        var code = e.extensions && e.extensions.code ? e.extensions.code + ': ' : '';
        result.appendChild(el('p', code + e.message)).className = 'error';
      });
      return;
    }
    var r = body.data.importRegistry;
    var status = r.committed ? 'Imported: the changes were written.' :
      r.dryRun && r.errorCount === 0 ? 'Dry run: nothing was written; this is what the import would do.' :
      'Rejected: nothing was written.';
    result.appendChild(el('h2', status));
    result.appendChild(table(['kind', 'rows', 'created', 'updated', 'unchanged', 'rejected'], r.counts.map(function (c) {
      return [c.kind, c.rows, c.created, c.updated, c.unchanged, c.rejected];
    })));
    result.appendChild(el('p', r.elapsedMs + ' ms'));
    if (r.errorCount > 0) {
      result.appendChild(problems('Errors', r.errors, r.errorCount));
    }
    if (r.warningCount > 0) {
      result.appendChild(problems('Warnings', r.warnings, r.warningCount));
    }
  }

  form.addEventListener('submit', function (ev) {
    ev.preventDefault();
    var file = document.getElementById('file').files[0];
    if (!file) {
      return;
    }
    var data = new FormData();
    data.append('operations', JSON.stringify({
      query: mutation,
      variables: { kind: document.getElementById('kind').value.toUpperCase(), file: null, dryRun: document.getElementById('dry-run').checked }
    }));
    data.append('map', JSON.stringify({ '0': ['variables.file'] }));
    data.append('0', file, file.name);
    result.textContent = 'Importing…';
    fetch(config.endpoint, {
      method: 'POST',
      headers: { Authorization: 'Bearer ' + document.getElementById('token').value.trim() },
      body: data
    }).then(function (res) {
      return res.json();
    }).then(show, function (err) {
      result.textContent = 'The request failed: ' + err;
    });
  });
})();
