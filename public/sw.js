// The portal's service worker: after one visit, the home page, the filing form, the tracking
// form and the guide open without a connection (the filing form keeps a filing made offline and
// sends it when the connection returns). Pages: from the network, kept for later, and from the
// cache only when the network fails. The build's files (/pkg, hashed names, never changed) and
// the fonts: from the cache once kept. Nothing else is kept: never a receipt, a tracking page, a
// staff page or anything posted. The cache's name carries VERSION: a new version drops the old.
"use strict";
var VERSION = "portal-v2";
var PAGES = ["/", "/file", "/track", "/guide"];

function keepable(url) {
  return url.origin === self.location.origin &&
    (url.pathname.indexOf("/pkg/") === 0 || url.pathname.indexOf("/fonts/") === 0 ||
     url.pathname === "/favicon.svg" || url.pathname === "/manifest.webmanifest");
}

// The pages, and the build files they name: the stylesheet and, in the start script of a page
// that hydrates, the main module, its loader and the modules of the page's group (three or four
// files, shared by the consumer's pages), so that the pages also work offline as they do online.
self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(VERSION).then(function (cache) {
    var files = {};
    return Promise.all(PAGES.map(function (page) {
      return fetch(page, { credentials: "same-origin" }).then(function (res) {
        if (!res.ok) return;
        return res.clone().text().then(function (html) {
          (html.match(/\/pkg\/[^"'\s)]+/g) || []).forEach(function (f) {
            files[f] = true;
          });
          return cache.put(page, res);
        });
      }).catch(function () {});
    })).then(function () {
      return Promise.all(Object.keys(files).map(function (f) { return cache.add(f).catch(function () {}); }));
    });
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== VERSION; }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var req = event.request;
  if (req.method !== "GET") return;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.mode === "navigate" && PAGES.indexOf(url.pathname) >= 0 && url.search === "") {
    event.respondWith(fetch(req).then(function (res) {
      if (res.ok) {
        var copy = res.clone();
        caches.open(VERSION).then(function (cache) { cache.put(url.pathname, copy); });
      }
      return res;
    }).catch(function () {
      return caches.match(url.pathname).then(function (hit) { return hit || Response.error(); });
    }));
    return;
  }
  if (keepable(url)) {
    event.respondWith(caches.match(req).then(function (hit) {
      return hit || fetch(req).then(function (res) {
        if (res.ok) {
          var copy = res.clone();
          caches.open(VERSION).then(function (cache) { cache.put(req, copy); });
        }
        return res;
      });
    }));
  }
});
