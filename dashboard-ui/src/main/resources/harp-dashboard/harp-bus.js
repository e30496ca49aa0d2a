/*
 * The Vert.x event-bus bridge protocol over SockJS, in the few lines HARP needs: register for feeds, request/reply
 * with a timeout, pings, and reconnection (feeds are re-registered, pending requests fail). The official client
 * (vertx3-eventbus-client) speaks the same frames; this one avoids an unmaintained WebJar.
 */
(function () {
  'use strict';

  function HarpBus(url) {
    this.url = url;
    this.handlers = {};
    this.pending = {};
    this.seq = 0;
    this.onstate = function () {};
    this.connect();
  }

  HarpBus.prototype.connect = function () {
    var self = this;
    var sock = new SockJS(this.url);
    this.sock = sock;
    sock.onopen = function () {
      self.open = true;
      Object.keys(self.handlers).forEach(function (a) { self.frame({type: 'register', address: a, headers: {}}); });
      self.pinger = setInterval(function () { self.frame({type: 'ping'}); }, 5000);
      self.onstate('open');
    };
    sock.onmessage = function (e) { self.dispatch(JSON.parse(e.data)); };
    sock.onclose = function () {
      var wasOpen = self.open;
      self.open = false;
      clearInterval(self.pinger);
      Object.keys(self.pending).forEach(function (k) {
        self.pending[k].reject(new Error('connection lost'));
        delete self.pending[k];
      });
      self.onstate('closed', wasOpen);
      setTimeout(function () { self.connect(); }, 1000);
    };
  };

  HarpBus.prototype.frame = function (msg) {
    if (this.open) {
      this.sock.send(JSON.stringify(msg));
    }
  };

  HarpBus.prototype.dispatch = function (msg) {
    var p = this.pending[msg.address];
    if (p) {
      delete this.pending[msg.address];
      clearTimeout(p.timer);
      if (msg.type === 'err') {
        p.reject(new Error(msg.message || msg.failureType || 'failed'));
      } else {
        p.resolve(msg.body);
      }
      return;
    }
    if (msg.type === 'err') {
      console.warn('event bus: ' + (msg.message || msg.failureType) + (msg.address ? ' on ' + msg.address : ''));
      return;
    }
    (this.handlers[msg.address] || []).forEach(function (h) {
      try {
        h(msg.body);
      } catch (err) {
        console.error('handler for ' + msg.address + ' failed', err);
      }
    });
  };

  /** Receives every message published on address (re-registered after a reconnect). */
  HarpBus.prototype.register = function (address, handler) {
    if (!this.handlers[address]) {
      this.handlers[address] = [];
      this.frame({type: 'register', address: address, headers: {}});
    }
    this.handlers[address].push(handler);
  };

  /** Sends body to address and resolves with the reply's body. */
  HarpBus.prototype.request = function (address, body, timeoutMs) {
    var self = this;
    if (!this.open) {
      return Promise.reject(new Error('not connected'));
    }
    var replyAddress = 'harp.reply.' + Date.now().toString(36) + '.' + (++this.seq);
    return new Promise(function (resolve, reject) {
      var timer = setTimeout(function () {
        delete self.pending[replyAddress];
        reject(new Error('no reply within ' + (timeoutMs || 10000) + ' ms'));
      }, timeoutMs || 10000);
      self.pending[replyAddress] = {resolve: resolve, reject: reject, timer: timer};
      self.frame({type: 'send', address: address, body: body, headers: {}, replyAddress: replyAddress});
    });
  };

  window.HarpBus = HarpBus;
})();
