/* Balai: keeps the last copy of an attempt page and its CSS and JS, for a reload without signal.
   Network first: online, the server's page is shown (and kept); offline, the kept copy. The
   answers themselves live in localStorage (attempt.js) and are put back on top of the copy. */
"use strict";
var CACHE = "balai-attempts";
var ATTEMPT = /^\/belajar\/percobaan\/\d+\/$/;

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });
self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (!ATTEMPT.test(url.pathname) && url.pathname.indexOf("/static/") !== 0) return;
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && !response.redirected && response.type === "basic") {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    } else if (ATTEMPT.test(url.pathname)) {  // submitted or gone: nothing to keep
      caches.open(CACHE).then(function (cache) { cache.delete(request); });
    }
    return response;
  }).catch(function () {
    return caches.match(request, {ignoreVary: true, ignoreSearch: true}).then(function (kept) {
      return kept || Response.error();
    });
  }));
});
