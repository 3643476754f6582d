// Registers the service worker (/sw.js), which keeps the home page, the filing form, the tracking
// form and the guide for use without a connection: a few seconds after the page has loaded, so
// that its fetches never compete with the page's own.
(function () {
  "use strict";
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      setTimeout(function () { navigator.serviceWorker.register("/sw.js").catch(function () {}); }, 3000);
    });
  }
})();
