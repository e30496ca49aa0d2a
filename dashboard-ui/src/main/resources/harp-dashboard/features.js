/*
 * Shared state and the extension points of the page. HARP.on(address, fn) subscribes a view to a feed;
 * HARP.features.register({...}) adds a card to the Traffic view's feature slots, fed from harp.stats fields or from a
 * feature's own event address. A feed with no registered handler still shows up in the "Feature events" log, so a new
 * kind of event is visible the day its address is added to the server's outbound list.
 */
(function () {
  'use strict';
  var listeners = {};      // address -> [fn]
  var subscribed = {};
  var H = window.HARP = {views: {}, nodes: {}, self: null, goneAfterMs: 1500};

  H.on = function (address, fn) {
    (listeners[address] = listeners[address] || []).push(fn);
  };
  H.emit = function (address, body) {
    var fns = listeners[address];
    if (fns && fns.length) {
      fns.forEach(function (fn) { fn(body); });
    } else if (address.indexOf('harp.') === 0) {
      H.unhandled(address, body);
    }
  };
  H.subscribe = function (address) {
    if (!subscribed[address]) {
      subscribed[address] = true;
      H.bus.register(address, function (body) { H.emit(address, body); });
    }
  };
  H.el = function (tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k.indexOf('data-') === 0) { e.setAttribute(k, attrs[k]); } else { e[k] = attrs[k]; }
    });
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  };
  H.time = function (ts) {
    var d = new Date(ts);
    return d.toLocaleTimeString([], {hour12: false}) + '.' + String(d.getMilliseconds()).padStart(3, '0');
  };
  H.bytes = function (n) {
    if (n == null) { return ''; }
    return n < 1024 ? n + ' B' : n < 1048576 ? (n / 1024).toFixed(1) + ' KiB' : (n / 1048576).toFixed(1) + ' MiB';
  };
  H.duration = function (ms) {
    var s = Math.floor(ms / 1000);
    return s < 60 ? s + 's' : s < 3600 ? Math.floor(s / 60) + 'm ' + (s % 60) + 's'
      : Math.floor(s / 3600) + 'h ' + Math.floor(s % 3600 / 60) + 'm';
  };

  // Feature slots ------------------------------------------------------------------------------------------------
  var cards = [];
  H.features = {
    register: function (card) { cards.push(card); card.state = {}; },
    cards: cards
  };
  H.unhandled = function (address, body) {
    var log = document.getElementById('feature-log');
    if (!log) { return; }
    var text = address + ' ' + (body.node || '') + ' ' + (body.proxy || '') + ' ' + JSON.stringify(body).slice(0, 200);
    log.insertBefore(H.el('li', {}, H.time(body.ts || Date.now()) + ' ' + text), log.firstChild);
    while (log.children.length > 100) { log.removeChild(log.lastChild); }
  };

  // Cards for features as they land. Each reads the counters in the nodes' heartbeats (fromHeartbeats), a
  // harp.stats field (fromStats), or counts its own events (address, fromEvent).
  H.features.register({id: 'cache', title: 'Cache hit ratio, last 10 s', fromHeartbeats: function (rate) {
    var hits = rate('harp_cache_hits'), misses = rate('harp_cache_misses');
    if (hits === null && misses === null) { return null; }
    return hits + misses > 0 ? Math.round(100 * hits / (hits + misses)) + ' % of ' + Math.round(hits + misses)
      + ' lookups' : 'no lookups';
  }});
  H.features.register({id: 'ratelimit', title: 'Rate-limited, last 10 s', fromHeartbeats: function (rate) {
    var n = rate('harp_ratelimit_limited');
    return n === null ? null : n + ' requests';
  }});
  H.features.register({id: 'bans', title: 'Refused as banned, last 10 s', fromHeartbeats: function (rate) {
    var n = rate('harp_bans_rejected');
    return n === null ? null : n + ' requests';
  }});
  H.features.register({id: 'breakers', title: 'Open breakers', address: 'harp.breakers', fromEvent: function (st, e) {
    st[(e.proxy || '') + ' ' + (e.endpoint || '')] = e.state;
    var open = Object.keys(st).filter(function (k) { return st[k] && st[k] !== 'closed'; });
    return open.length ? open.length + ' (' + open.map(function (k) { return k + ' ' + st[k]; }).join(', ') + ')'
      : 'all closed';
  }});
})();
