// Registers the service worker (/sw.js), which keeps the home page, the filing form, the tracking
// form and the guide for use without a connection.
(function () {
  "use strict";
  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js").catch(function () {});
    });
  }
})();
