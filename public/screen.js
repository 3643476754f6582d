// The open-day screen's live feed: listens to /stats/live (server-sent events; the browser
// reconnects on its own after a lost connection) and updates the figures, the ticker and the
// walk-through panel. Text is set with textContent; the walk-through panel is HTML built and
// escaped by the server.
//
// It starts once the page is hydrated (`data-hydrated` on <html>): hydration takes over the
// server's HTML and sets the attributes it rendered again, so a change made before then (the
// "live" state, a new ticker line) would be undone. Without WebAssembly, or if the page's module
// never arrives, it starts anyway after a while.
(function () {
  "use strict";
  var root = document.documentElement;
  var WAIT_MS = 15000;
  var MAX = 6;

  function hydrated() { return root.getAttribute("data-hydrated") === "1"; }

  function whenHydrated(start) {
    if (hydrated() || typeof WebAssembly !== "object") return start();
    var started = false;
    var observer = new MutationObserver(function () { if (hydrated()) once(); });
    function once() {
      if (started) return;
      started = true;
      observer.disconnect();
      start();
    }
    observer.observe(root, { attributes: true, attributeFilter: ["data-hydrated"] });
    setTimeout(once, WAIT_MS);
  }

  function listen() {
    var status = document.querySelector("[data-testid=live-status]");
    var ticker = document.getElementById("ticker");
    var walk = document.getElementById("walk");
    if (!ticker || !window.EventSource) return;
    function setStatus(s) { if (status) status.setAttribute("data-state", s); }
    var source = new EventSource("/stats/live");
    source.onopen = function () { setStatus("open"); };
    source.onerror = function () { setStatus("reconnecting"); };
    // The reader went to another page of the site (client-side navigation): stop listening.
    function gone() {
      if (ticker.isConnected) return false;
      source.close();
      return true;
    }
    source.addEventListener("tick", function (e) {
      if (gone()) return;
      var t = JSON.parse(e.data);
      var li = document.createElement("li");
      li.setAttribute("data-id", String(t.id));
      li.className = "new";
      [["t-at", t.at], ["t-what", t.kind + " · " + t.category + " · " + t.prefecture], ["t-state", t.state]]
        .forEach(function (p) {
          var span = document.createElement("span");
          span.className = p[0];
          span.textContent = p[1];
          li.appendChild(span);
        });
      ticker.insertBefore(li, ticker.firstChild);
      while (ticker.children.length > MAX) ticker.removeChild(ticker.lastChild);
    });
    source.addEventListener("figures", function (e) {
      if (gone()) return;
      var f = JSON.parse(e.data);
      Object.keys(f).forEach(function (k) {
        var el = document.querySelector('[data-fig="' + k + '"]');
        if (el) el.textContent = f[k];
      });
    });
    source.addEventListener("walk", function (e) {
      if (gone()) return;
      if (walk) walk.innerHTML = e.data;
    });
  }

  whenHydrated(listen);
})();
