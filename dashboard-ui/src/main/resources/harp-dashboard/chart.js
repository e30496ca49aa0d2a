/*
 * A small canvas line chart for the Traffic view: a fixed time window, one line per series (node or proxy), a
 * legend and a y scale that fits the visible data. Redrawn once a second; no library needed for that.
 */
(function () {
  'use strict';

  var COLORS = ['#58a6ff', '#3fb950', '#d29922', '#f778ba', '#a371f7', '#39c5cf', '#f85149', '#8b949e'];

  function LineChart(canvas, opts) {
    this.canvas = canvas;
    this.windowSec = (opts && opts.windowSec) || 120;
    this.unit = (opts && opts.unit) || '';
    this.series = {};   // name -> {color, values: {sec: value}}
    this.order = [];
  }

  LineChart.prototype.color = function (name) {
    if (!this.series[name]) {
      this.series[name] = {color: COLORS[this.order.length % COLORS.length], values: {}};
      this.order.push(name);
    }
    return this.series[name];
  };

  /** Sets the value of series name at second sec (replacing a value already there). */
  LineChart.prototype.put = function (name, sec, value) {
    this.color(name).values[sec] = value;
  };

  LineChart.prototype.draw = function (nowSec) {
    var c = this.canvas;
    var ratio = window.devicePixelRatio || 1;
    var w = c.clientWidth || c.width, h = c.clientHeight || c.height;
    if (c.width !== Math.round(w * ratio)) {
      c.width = Math.round(w * ratio);
      c.height = Math.round(h * ratio);
    }
    var g = c.getContext('2d');
    g.setTransform(ratio, 0, 0, ratio, 0, 0);
    g.clearRect(0, 0, w, h);
    var from = nowSec - this.windowSec;
    var max = 0, last = 0, self = this;
    this.order.forEach(function (name) {
      var values = self.series[name].values;
      Object.keys(values).forEach(function (sec) { if (+sec < from - 1) { delete values[sec]; } });
      var pts = self.series[name].points = Object.keys(values).map(Number).sort(function (a, b) { return a - b; })
        .map(function (sec) { return [sec, values[sec]]; });
      pts.forEach(function (p) { max = Math.max(max, p[1]); });
      // Nodes close their one-second windows at their own phase, so the newest second may hold only the nodes that
      // already reported it (a node's traffic can sit in the second before while another node opens the next one):
      // the larger of the two newest seconds is the figure now.
      var recent = pts.slice(-2).filter(function (p) { return p[0] >= nowSec - 2; });
      if (recent.length) { last += Math.max.apply(null, recent.map(function (p) { return p[1]; })); }
    });
    max = niceMax(max);
    var left = 44, right = 8, top = 8, bottom = 18;
    var x = function (sec) { return left + (sec - from) / self.windowSec * (w - left - right); };
    var y = function (v) { return top + (1 - v / max) * (h - top - bottom); };
    g.strokeStyle = '#2a323c';
    g.fillStyle = '#8b96a3';
    g.font = '10px system-ui, sans-serif';
    for (var i = 0; i <= 4; i++) {
      var v = max * i / 4, yy = y(v);
      g.beginPath(); g.moveTo(left, yy); g.lineTo(w - right, yy); g.stroke();
      g.fillText(fmt(v) + this.unit, 2, yy + 3);
    }
    g.fillText('-' + this.windowSec + 's', left, h - 4);
    g.fillText('now', w - right - 20, h - 4);
    var lx = left + 6;
    this.order.forEach(function (name) {
      var s = self.series[name];
      if (!s.points || !s.points.length) { return; }
      g.strokeStyle = s.color;
      g.lineWidth = 1.5;
      g.beginPath();
      s.points.forEach(function (p, k) { k ? g.lineTo(x(p[0]), y(p[1])) : g.moveTo(x(p[0]), y(p[1])); });
      g.stroke();
      g.fillStyle = s.color;
      g.fillText(name, lx, top + 10);
      lx += g.measureText(name).width + 14;
    });
    // For people who read numbers and for tests: the latest total, in the DOM.
    c.dataset.last = String(Math.round(last * 1000) / 1000);
    c.dataset.max = String(max);
  };

  function niceMax(v) {
    if (v <= 0) { return 1; }
    var p = Math.pow(10, Math.floor(Math.log10(v)));
    var n = v / p;
    return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 5 ? 5 : 10) * p;
  }

  function fmt(v) {
    return v >= 100 ? Math.round(v) : Math.round(v * 10) / 10;
  }

  window.LineChart = LineChart;
})();
