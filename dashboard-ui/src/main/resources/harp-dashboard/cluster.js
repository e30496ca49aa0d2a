/*
 * Cluster view: one row per node from its heartbeat (harp.nodes). A node turns red when it says goodbye, when
 * Hazelcast drops it (harp.cluster.members), or when no heartbeat came for goneAfterMs (a crash says nothing).
 */
(function () {
  'use strict';
  var H = window.HARP;
  var nodes = H.nodes;        // name -> {hb, seenAt, state, goneReason}
  var vip = {};               // name -> state
  var tbody = document.querySelector('#nodes tbody');
  var log = document.getElementById('member-log');

  function heartbeat(hb, ageMs) {
    var n = nodes[hb.node];
    var seenAt = Date.now() - (ageMs || 0);
    if (n && n.state === 'gone' && n.hb.memberUuid === hb.memberUuid && hb.state !== 'gone') {
      return; // a heartbeat that was in flight when the node left
    }
    if (!n) {
      addLog(hb.node + ' seen (' + hb.state + ')');
    } else if (n.state !== hb.state) {
      addLog(hb.node + ': ' + n.state + ' → ' + hb.state);
    }
    nodes[hb.node] = {hb: hb, seenAt: seenAt, state: hb.state, goneReason: hb.state === 'gone' ? 'left' : null};
    H.emit('nodes-changed', nodes);
  }

  function markGone(name, reason) {
    var n = nodes[name];
    if (n && n.state !== 'gone') {
      n.state = 'gone';
      n.goneReason = reason;
      addLog(name + ' is gone: ' + reason);
      H.emit('nodes-changed', nodes);
    }
  }

  function addLog(text) {
    log.insertBefore(H.el('li', {}, H.time(Date.now()) + ' ' + text), log.firstChild);
    while (log.children.length > 50) { log.removeChild(log.lastChild); }
  }

  H.on('snapshot', function (snap) {
    (snap.nodes || []).forEach(function (hb) { heartbeat(hb, hb.ageMs); });
    Object.keys(snap.vip || {}).forEach(function (k) { vip[k] = snap.vip[k].state; });
    render();
  });
  H.on('harp.nodes', function (hb) { heartbeat(hb, 0); render(); });
  H.on('harp.cluster.members', function (e) {
    if (e.event !== 'removed') { return; }
    Object.keys(nodes).forEach(function (name) {
      if (nodes[name].hb.memberUuid === e.memberUuid) { markGone(name, 'left the Hazelcast cluster'); }
    });
    render();
  });
  H.on('harp.cluster.vip', function (e) {
    vip[e.node] = e.state;
    addLog('VIP: ' + e.node + ' is ' + e.state);
    render();
  });

  setInterval(function () {
    var now = Date.now();
    Object.keys(nodes).forEach(function (name) {
      if (nodes[name].state !== 'gone' && now - nodes[name].seenAt > H.goneAfterMs) {
        markGone(name, 'no heartbeat for ' + (now - nodes[name].seenAt) + ' ms');
      }
    });
    render();
  }, 250);

  function majorityDigest() {
    var counts = {};
    Object.keys(nodes).forEach(function (k) {
      if (nodes[k].state !== 'gone') { counts[nodes[k].hb.configDigest] = (counts[nodes[k].hb.configDigest] || 0) + 1; }
    });
    return Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a]; })[0];
  }

  function render() {
    var names = Object.keys(nodes).sort();
    var digest = majorityDigest();
    var ready = 0, holder = null, now = Date.now();
    tbody.textContent = '';
    names.forEach(function (name) {
      var n = nodes[name], hb = n.hb;
      if (n.state === 'ready') { ready++; }
      var v = vip[name];
      if (v && String(v).toUpperCase() === 'MASTER') { holder = name; }
      var tr = H.el('tr', {'data-node': name, 'data-state': n.state, className: n.state});
      tr.title = n.goneReason || ('last heartbeat ' + (now - n.seenAt) + ' ms ago');
      var heap = hb.heap ? H.bytes(hb.heap.usedBytes) + ' / ' + H.bytes(hb.heap.maxBytes) : '';
      var store = hb.store || {};
      var shed = (store.sampledOut || 0) + ' sampled out, ' + (store.evictedByCount || 0) + ' evicted';
      var cells = [null, name, n.state, hb.admin, hb.member || '', null, hb.version,
        n.state === 'gone' ? '' : H.duration(hb.uptimeMs), heap, hb.loopLagMs + ' ms',
        (store.size || 0) + ' / ' + (store.maxCount || 0), shed, null];
      cells.forEach(function (c, i) {
        var td = H.el('td', {}, c);
        if (i === 0) { td.appendChild(H.el('span', {className: 'dot ' + n.state})); }
        if (i === 5 && v) { td.appendChild(H.el('span', {className: 'badge' + (holder === name ? ' master' : '')}, v)); }
        if (i === 12) {
          var same = hb.configDigest === digest;
          td.appendChild(H.el('span', {className: 'badge ' + (same ? 'ok' : 'bad'),
            title: 'digest ' + hb.configDigest}, same ? 'same' : 'differs'));
        }
        tr.appendChild(td);
      });
      tbody.appendChild(tr);
    });
    document.getElementById('cluster-summary').textContent = names.length + ' nodes · ' + ready + ' ready'
      + (holder ? ' · VIP on ' + holder : Object.keys(vip).length ? ' · no VIP holder reported' : '');
  }

  H.views.cluster = {onShow: render};
})();
