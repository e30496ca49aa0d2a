/*
 * Config view: every node's effective config (secrets masked on the node), fetched on demand through
 * harp.dashboard.config, and the settings on which they disagree. Per-node settings (names, addresses, ports) are
 * listed apart: they differ by design.
 */
(function () {
  'use strict';
  var H = window.HARP;
  var last = null;
  var select = document.getElementById('config-node');

  function load() {
    document.getElementById('config-verdict').textContent = 'asking every node…';
    H.bus.request('harp.dashboard.config', {}, 10000).then(render).catch(function (err) {
      document.getElementById('config-verdict').textContent = 'failed: ' + err.message;
    });
  }

  function render(r) {
    last = r;
    var verdict = document.getElementById('config-verdict');
    var errs = Object.keys(r.errors || {});
    verdict.textContent = (r.agree ? 'The ' + r.nodes.length + ' nodes agree' : 'The nodes DISAGREE')
      + (errs.length ? ' · no answer from ' + errs.join(', ') : '');
    verdict.className = 'badge ' + (r.agree ? 'ok' : 'bad');
    var thead = document.querySelector('#config-diff thead'), tbody = document.querySelector('#config-diff tbody');
    thead.textContent = '';
    tbody.textContent = '';
    var hr = H.el('tr', {});
    ['setting', 'kind'].concat(r.nodes).forEach(function (h) { hr.appendChild(H.el('th', {}, h)); });
    thead.appendChild(hr);
    r.differences.sort(function (a, b) { return (a.perNode - b.perNode) || a.path.localeCompare(b.path); })
      .forEach(function (d) {
        var tr = H.el('tr', {className: d.perNode ? 'diff-pernode' : 'diff-bad', 'data-path': d.path});
        tr.appendChild(H.el('td', {}, d.path));
        tr.appendChild(H.el('td', {}, d.perNode ? 'per node' : 'differs'));
        r.nodes.forEach(function (n) { tr.appendChild(H.el('td', {}, d.values[n])); });
        tbody.appendChild(tr);
      });
    var keep = select.value;
    select.textContent = '';
    r.nodes.forEach(function (n) { select.appendChild(H.el('option', {value: n}, n)); });
    if (keep && r.nodes.indexOf(keep) >= 0) { select.value = keep; }
    showNode();
  }

  function showNode() {
    if (!last) { return; }
    document.getElementById('config-json').textContent = JSON.stringify(last.configs[select.value], null, 2);
  }

  select.addEventListener('change', showNode);
  document.getElementById('config-refresh').addEventListener('click', load);
  H.views.config = {onShow: load};
})();
