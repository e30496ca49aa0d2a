/*
 * Audit view: every node's log (size, latest checkpoint, latest final one and who signed it, shed records) and the
 * forks its witness refused, from the admin API (/api/audit/nodes, same origin and login as this page). Refreshed
 * every 2 s while shown.
 */
(function () {
  'use strict';
  var H = window.HARP;
  var timer = null;

  function load() {
    // From the origin alone: a page opened as http://user:pass@host/ would resolve a relative URL with the
    // credentials in it, which fetch refuses; the browser sends the login it already has for this origin.
    fetch(location.origin + '/api/audit/nodes', {credentials: 'same-origin'}).then(function (r) {
      if (r.status === 404) { throw new Error('this node keeps no audit trail (no audit: block)'); }
      if (!r.ok) { throw new Error('HTTP ' + r.status); }
      return r.json();
    }).then(render).catch(function (err) {
      var v = document.getElementById('audit-verdict');
      v.textContent = err.message;
      v.className = 'badge bad';
    });
  }

  function checkpoint(c) {
    return c ? c.size + (c.final ? ' (final)' : ' (not yet final)') : '—';
  }

  /** 'harp.audit/<cluster>/node-1' signs as the log, 'harp.witness/<cluster>/node-2' cosigns: node names suffice. */
  function signer(name) {
    return name.split('/').pop() + (name.indexOf('harp.audit/') === 0 ? ' (log)' : '');
  }

  function render(r) {
    var tbody = document.querySelector('#audit-nodes tbody');
    tbody.textContent = '';
    var forks = 0, down = 0;
    r.nodes.forEach(function (n) {
      var tr = H.el('tr', {'data-node': n.node});
      if (n.error) {
        down++;
        tr.appendChild(H.el('td', {}, n.node));
        tr.appendChild(H.el('td', {colSpan: 6}, 'no answer: ' + n.error));
        tbody.appendChild(tr);
        return;
      }
      forks += (n.forks || []).length;
      var fin = n['final'];
      [n.node, String(n.size), checkpoint(n.checkpoint), checkpoint(fin),
        fin ? fin.signers.map(signer).join(', ') : '—', String(n.shed),
        (n.forks || []).map(function (f) { return f.origin + ' @' + f.size + ': ' + f.reason; }).join('; ') || '0']
        .forEach(function (v, i) {
          tr.appendChild(H.el('td', {className: i === 6 && v !== '0' ? 'bad' : ''}, v));
        });
      tbody.appendChild(tr);
    });
    var v = document.getElementById('audit-verdict');
    v.textContent = forks ? forks + ' FORK(S) REFUSED: a node presented a log inconsistent with what it signed before'
      : r.nodes.length + ' logs' + (down ? ', ' + down + ' node(s) not answering' : ', no forks');
    v.className = 'badge ' + (forks ? 'bad' : 'ok');
  }

  document.getElementById('audit-refresh').addEventListener('click', load);
  H.views.audit = {
    onShow: function () {
      load();
      if (timer === null) {
        timer = setInterval(function () {
          if (document.getElementById('view-audit').classList.contains('active')) { load(); }
        }, 2000);
      }
    }
  };
})();
