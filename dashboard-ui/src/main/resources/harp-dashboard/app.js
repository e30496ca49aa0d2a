/*
 * Wiring: one event-bus connection to the node that served the page, the tabs, and the feeds each view listens to.
 * Views register with HARP.views; each exposes optional onShow(), and subscribes to the feeds it needs.
 */
(function () {
  'use strict';
  var H = window.HARP;
  var bus = new HarpBus(location.pathname.replace(/\/dashboard\/.*$/, '') + '/eventbus');
  H.bus = bus;

  bus.onstate = function (state) {
    var dot = document.getElementById('conn');
    dot.className = 'dot ' + (state === 'open' ? 'ready' : 'gone');
    document.getElementById('conn-text').textContent = state === 'open'
      ? 'live via ' + (H.self || 'this node') : 'disconnected, retrying…';
    if (state === 'open') {
      bus.request('harp.dashboard.snapshot', {}, 5000).then(function (snap) {
        H.self = snap.self;
        H.goneAfterMs = snap.goneAfterMs || 1500;
        document.getElementById('conn-text').textContent = 'live via ' + snap.self;
        H.emit('snapshot', snap);
        (snap.feeds || []).forEach(function (address) { H.subscribe(address); });
      }).catch(function (err) { console.warn('snapshot failed: ' + err.message); });
    }
  };

  document.querySelectorAll('#tabs button').forEach(function (b) {
    b.addEventListener('click', function () { H.show(b.dataset.view); });
  });
  H.show = function (name) {
    document.querySelectorAll('#tabs button').forEach(function (x) {
      x.classList.toggle('active', x.dataset.view === name);
    });
    document.querySelectorAll('.view').forEach(function (v) {
      v.classList.toggle('active', v.id === 'view-' + name);
    });
    var view = H.views[name];
    if (view && view.onShow) { view.onShow(); }
    history.replaceState(null, '', '#' + name);
  };
  var initial = location.hash.replace('#', '');
  if (H.views[initial]) { H.show(initial); }
  document.getElementById('detail-close').addEventListener('click', function () {
    document.getElementById('detail').hidden = true;
  });
})();
