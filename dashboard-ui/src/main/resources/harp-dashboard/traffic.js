/*
 * Traffic view: harp.stats (one message per proxy per node per second) bucketed by second, grouped by proxy or by
 * node, drawn once a second. Request rates and errors add up across the group; latency percentiles cannot be merged
 * from percentiles, so the chart shows the worst node's value, and says so.
 */
(function () {
  'use strict';
  var H = window.HARP;
  var WINDOW = 120;
  var buckets = {};                 // sec -> {"node|proxy": stats}
  var proxies = {}, nodeNames = {};
  var charts = {
    rps: new LineChart(document.getElementById('chart-rps'), {windowSec: WINDOW}),
    errors: new LineChart(document.getElementById('chart-errors'), {windowSec: WINDOW, unit: '%'}),
    p50: new LineChart(document.getElementById('chart-p50'), {windowSec: WINDOW}),
    p99: new LineChart(document.getElementById('chart-p99'), {windowSec: WINDOW})
  };
  var groupBy = document.getElementById('group-by');
  var proxyFilter = document.getElementById('traffic-proxy');
  var cardsEl = document.getElementById('features');

  var pending = null;
  H.on('harp.stats', function (s) {
    var key = s.node + '|' + s.proxy;
    var sec = Math.floor(s.ts / 1000);
    // Nodes tick at their own phase: a tick landing in a second its previous tick already filled belongs to the next
    // one, otherwise the sums would zig-zag between one and two windows of a node.
    if (buckets[sec] && buckets[sec][key] && !(buckets[sec + 1] && buckets[sec + 1][key])) { sec++; }
    // Draw as soon as a second's figures arrive (the nodes' messages of one second come within a few ms).
    if (!pending) { pending = setTimeout(function () { pending = null; redraw(); }, 30); }
    (buckets[sec] = buckets[sec] || {})[key] = s;
    if (!proxies[s.proxy]) { proxies[s.proxy] = true; addOption(proxyFilter, s.proxy); H.emit('proxy-seen', s.proxy); }
    if (!nodeNames[s.node]) { nodeNames[s.node] = true; H.emit('node-seen', s.node); }
    H.features.cards.forEach(function (card) {
      if (card.fromStats) {
        var v = card.fromStats(s);
        if (v !== null && v !== undefined) { card.value = v; card.where = s.node + ' / ' + s.proxy; }
      }
    });
  });
  H.on('nodes-changed', function (nodes) {
    Object.keys(nodes).forEach(function (n) {
      if (!nodeNames[n]) { nodeNames[n] = true; H.emit('node-seen', n); }
    });
  });

  // Feature counters from heartbeats: cumulative per node, turned into counts over the last 10 s.
  var history = {};   // node -> [[ts, features]]
  H.on('harp.nodes', function (hb) {
    if (!hb.features) { return; }
    var h = history[hb.node] = history[hb.node] || [];
    h.push([hb.ts, hb.features]);
    while (h.length > 2 && h[1][0] <= hb.ts - 10000) { h.shift(); }
    var rate = function (meter) {
      var total = null;
      Object.keys(history).forEach(function (node) {
        var list = history[node], first = list[0][1][meter], last = list[list.length - 1][1][meter];
        if (!last) { return; }
        Object.keys(last).forEach(function (proxy) {
          if (proxyFilter.value && proxy !== proxyFilter.value) { return; }
          total = (total || 0) + last[proxy] - ((first && first[proxy]) || 0);
        });
      });
      return total;
    };
    H.features.cards.forEach(function (card) {
      if (card.fromHeartbeats) {
        var v = card.fromHeartbeats(rate);
        if (v !== null && v !== undefined) { card.value = v; card.where = 'all nodes'; }
      }
    });
  });

  H.features.cards.forEach(function (card) {
    if (!card.address) { return; }
    H.on(card.address, function (e) {
      card.value = card.fromEvent ? card.fromEvent(card.state, e) : (card.count = (card.count || 0) + 1) + ' events';
      card.where = (e.node || '') + (e.proxy ? ' / ' + e.proxy : '');
      H.unhandled(card.address, e);
    });
  });

  function addOption(select, value) {
    select.appendChild(H.el('option', {value: value}, value));
  }

  function redraw() {
    var nowSec = Math.floor(Date.now() / 1000);
    var by = groupBy.value, only = proxyFilter.value;
    Object.keys(buckets).forEach(function (sec) {
      if (sec < nowSec - WINDOW - 2) { delete buckets[sec]; return; }
      var groups = {};
      Object.keys(buckets[sec]).forEach(function (k) {
        var s = buckets[sec][k];
        if (only && s.proxy !== only) { return; }
        var g = groups[by === 'node' ? s.node : s.proxy] = groups[by === 'node' ? s.node : s.proxy]
          || {count: 0, errors: 0, p50: 0, p99: 0, seconds: 0};
        g.count += s.count;
        g.errors += s.errors;
        g.p50 = Math.max(g.p50, s.p50Ms);
        g.p99 = Math.max(g.p99, s.p99Ms);
        g.seconds = Math.max(g.seconds, (s.windowMs || 1000) / 1000);
      });
      Object.keys(groups).forEach(function (name) {
        var g = groups[name];
        charts.rps.put(name, +sec, g.count / (g.seconds || 1));
        charts.errors.put(name, +sec, g.count ? 100 * g.errors / g.count : 0);
        charts.p50.put(name, +sec, g.p50);
        charts.p99.put(name, +sec, g.p99);
      });
    });
    Object.keys(charts).forEach(function (k) { charts[k].draw(nowSec); });
    sampling(nowSec);
    renderCards();
  }

  function sampling(nowSec) {
    var note = [];
    for (var sec = nowSec - 3; sec <= nowSec; sec++) {
      Object.keys(buckets[sec] || {}).forEach(function (k) {
        var s = buckets[sec][k];
        if (s.events && s.events.sampledOut > 0) {
          note.push(s.node + '/' + s.proxy + ' ' + Math.round(100 * s.events.sampleRate) + '% ('
            + s.events.sampledOut + ' sampled out)');
        }
      });
    }
    document.getElementById('sampling').textContent = note.length
      ? 'Event sampling: ' + note.slice(-4).join(', ') + ' — the tail and search miss those' : '';
  }

  function renderCards() {
    cardsEl.textContent = '';
    H.features.cards.forEach(function (card) {
      var on = card.value !== undefined;
      var div = H.el('div', {className: 'card' + (on ? '' : ' off'), 'data-feature': card.id});
      div.appendChild(H.el('div', {className: 'k'}, card.title));
      div.appendChild(H.el('div', {className: 'v'}, on ? card.value : 'no data (feature off or not yet reporting)'));
      if (on && card.where) { div.appendChild(H.el('div', {className: 'k'}, card.where)); }
      cardsEl.appendChild(div);
    });
  }

  groupBy.addEventListener('change', function () { Object.keys(charts).forEach(function (k) { charts[k].series = {}; charts[k].order = []; }); redraw(); });
  proxyFilter.addEventListener('change', function () { Object.keys(charts).forEach(function (k) { charts[k].series = {}; charts[k].order = []; }); redraw(); });
  setInterval(redraw, 1000);
  H.views.traffic = {onShow: redraw};
})();
