/*
 * Transactions view: the live tail (harp.traffic from every node) and search over every node's recent
 * transactions (harp.dashboard.search, fanned out and merged server-side). A row opens the detail view, fetched
 * from the node that served it; its headers and previews arrive redacted, the page never sees the secrets.
 */
(function () {
  'use strict';
  var H = window.HARP;
  var MAX_ROWS = 200;
  var tbody = document.querySelector('#tx tbody');
  var note = document.getElementById('tx-note');
  var liveBtn = document.getElementById('q-live');
  var live = true;

  H.on('harp.traffic', function (batch) {
    if (!live) { return; }
    var events = batch.events || [];
    for (var i = 0; i < events.length; i++) {
      tbody.insertBefore(row(events[i]), tbody.firstChild);
    }
    while (tbody.children.length > MAX_ROWS) { tbody.removeChild(tbody.lastChild); }
  });
  H.on('proxy-seen', function (p) { document.getElementById('q-proxy').appendChild(H.el('option', {value: p}, p)); });
  H.on('node-seen', function (n) { document.getElementById('q-node').appendChild(H.el('option', {value: n}, n)); });

  function row(e) {
    var tr = H.el('tr', {'data-request-id': e.requestId, 'data-node': e.node});
    var cls = 's-' + Math.floor((e.status || 0) / 100);
    [H.time(e.ts), e.node, e.proxy, e.method, e.path, (e.status || '—') + (e.failure ? ' ' + e.failure : ''),
      e.durationMs, H.bytes(e.bytesOut), e.requestId].forEach(function (c, i) {
      tr.appendChild(H.el('td', i === 5 ? {className: cls} : {}, c));
    });
    tr.addEventListener('click', function () { openDetail(e); });
    return tr;
  }

  function setLive(on) {
    live = on;
    liveBtn.classList.toggle('on', on);
    if (on) { tbody.textContent = ''; note.textContent = 'Live tail: newest first, every node.'; }
  }

  function epoch(id) {
    var v = document.getElementById(id).value;
    return v ? new Date(v).getTime() : null;
  }

  document.getElementById('search').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var q = {requestId: val('q-requestId'), proxy: val('q-proxy'), node: val('q-node'), method: val('q-method'),
      status: val('q-status'), path: val('q-path'), from: epoch('q-from'), to: epoch('q-to'), limit: 200};
    setLive(false);
    note.textContent = 'searching every node…';
    H.bus.request('harp.dashboard.search', q, 10000).then(function (r) {
      tbody.textContent = '';
      r.items.forEach(function (e) { tbody.appendChild(row(e)); });
      var parts = Object.keys(r.nodes).sort().map(function (n) {
        var s = r.nodes[n];
        return n + ': ' + (s.error ? s.error : s.matched + ' matched');
      });
      note.textContent = r.items.length + ' shown, newest first · ' + parts.join(' · ');
      tbody.dataset.searched = String(Date.now());
    }).catch(function (err) { note.textContent = 'search failed: ' + err.message; });
  });
  liveBtn.addEventListener('click', function () { setLive(true); });

  function val(id) {
    var v = document.getElementById(id).value.trim();
    return v || null;
  }

  function openDetail(e) {
    var panel = document.getElementById('detail'), body = document.getElementById('detail-body');
    panel.hidden = false;
    body.textContent = 'loading from ' + e.node + '…';
    var ask = e.id ? {node: e.node, id: e.id} : {node: e.node, requestId: e.requestId, ts: e.ts};
    H.bus.request('harp.dashboard.detail', ask, 5000).then(function (d) { renderDetail(body, d); })
      .catch(function (err) { body.textContent = 'not available: ' + err.message; });
  }

  function renderDetail(body, t) {
    var d = t.detail || {};
    body.textContent = '';
    body.dataset.requestId = t.requestId;
    body.appendChild(H.el('h2', {}, t.method + ' ' + t.path + ' → ' + (t.status || '—')));
    body.appendChild(kv([['request id', t.requestId], ['node', t.node], ['proxy', t.proxy], ['upstream', t.upstream],
      ['client', d.client], ['HTTP', d.httpVersion], ['received', new Date(t.ts).toISOString()],
      ['failure', t.failure], ['bytes in / out', t.bytesIn + ' / ' + t.bytesOut],
      ['query parameters', d.queryParams ? d.queryParams.join(', ') + ' (values not kept)' : null]]));
    if (d.audit) {
      body.appendChild(kv([['audit log', d.audit.origin + ' #' + d.audit.index],
        ['cosigned', d.audit['final'] ? 'yes: covered by the final checkpoint of size ' + d.audit.finalSize
          : 'not yet (latest final checkpoint: size ' + d.audit.finalSize + ')']], 'audit-log'));
    }
    var tm = d.timing || {};
    body.appendChild(H.el('h3', {}, 'Timing'));
    body.appendChild(kv([['total', tm.totalMs + ' ms'], ['upstream, to response head', tm.upstreamMs == null ? '—'
      : tm.upstreamMs + ' ms']]));
    if (tm.upstreamMs != null && tm.totalMs) {
      var bar = H.el('div', {className: 'timing'}), span = H.el('span', {});
      span.style.width = Math.min(100, 100 * tm.upstreamMs / tm.totalMs) + '%';
      bar.appendChild(span);
      body.appendChild(bar);
    }
    section(body, 'Request', d.request);
    section(body, 'Response', d.response);
    var cap = d.capture || {};
    body.appendChild(H.el('p', {className: 'note'}, 'Redacted: ' + (cap.redactedHeaders || []).join(', ')
      + ', configured body fields and any secret value seen in the exchange. Body previews: '
      + (cap.bodyPreview ? 'first ' + cap.bodyPreview + ' bytes' : 'off for this proxy (capture.bodyPreview)') + '.'));
  }

  function section(body, title, part) {
    body.appendChild(H.el('h3', {}, title + ' headers'));
    if (!part) { body.appendChild(H.el('p', {}, 'not captured')); return; }
    body.appendChild(kv(part.headers || [], 'headers-' + title.toLowerCase()));
    var b = part.body;
    if (b) {
      body.appendChild(H.el('h3', {}, title + ' body (' + H.bytes(b.size) + (b.truncated ? ', first '
        + H.bytes(b.kept) + ' shown' : '') + ')'));
      if (b.preview) { body.appendChild(H.el('pre', {className: 'body-' + title.toLowerCase()}, b.preview)); }
    }
  }

  function kv(rows, id) {
    var t = H.el('table', {className: 'grid kv'});
    if (id) { t.id = id; }
    rows.forEach(function (r) {
      if (r[1] === null || r[1] === undefined) { return; }
      var tr = H.el('tr', {});
      tr.appendChild(H.el('td', {}, r[0]));
      tr.appendChild(H.el('td', {}, r[1]));
      t.appendChild(tr);
    });
    return t;
  }

  setLive(true);
  H.views.transactions = {};
})();
