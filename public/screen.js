// The open-day screen's live feed: listens to /stats/live (server-sent events; the browser
// reconnects on its own after a lost connection) and updates the figures, the ticker and the
// walk-through panel. Text is set with textContent; the walk-through panel is HTML built and
// escaped by the server.
(function () {
  "use strict";
  var status = document.querySelector("[data-testid=live-status]");
  var ticker = document.getElementById("ticker");
  var walk = document.getElementById("walk");
  if (!ticker || !window.EventSource) return;
  var MAX = 6;
  function setStatus(s) { if (status) status.setAttribute("data-state", s); }
  var source = new EventSource("/stats/live");
  source.onopen = function () { setStatus("open"); };
  source.onerror = function () { setStatus("reconnecting"); };
  source.addEventListener("tick", function (e) {
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
    var f = JSON.parse(e.data);
    Object.keys(f).forEach(function (k) {
      var el = document.querySelector('[data-fig="' + k + '"]');
      if (el) el.textContent = f[k];
    });
  });
  source.addEventListener("walk", function (e) {
    if (walk) walk.innerHTML = e.data;
  });
})();
