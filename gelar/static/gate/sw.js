// The gate scanner's service worker: keeps the app shell so the scanner opens and
// reloads with no network. The view that serves it (tickets/views_gate.py) puts two
// constants in front of this file: SHELL, the URLs to keep (the page, its manifest and
// static files), and CACHE, a name that changes with their content, so a new release
// replaces the old shell and the old cache is deleted.
//
// The page is fetched network first (a gate that is online gets the new release), with
// a 3 s limit, then from the cache; static files come from the cache. The gate API is
// never touched here: the page decides what to do when a request fails.
/* global SHELL, CACHE */
const NAVIGATION_TIMEOUT_MS = 3000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(SHELL))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith("gate-") && key !== CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

const fromNetwork = (request) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), NAVIGATION_TIMEOUT_MS);
    fetch(request).then(
      (response) => {
        clearTimeout(timer);
        resolve(response);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });

const page = async (request) => {
  const url = new URL(request.url);
  const cache = await caches.open(CACHE);
  try {
    const response = await fromNetwork(request);
    if (response.ok) await cache.put(url.pathname, response.clone());
    return response;
  } catch (error) {
    const kept = (await cache.match(url.pathname)) || (await cache.match(SHELL[0]));
    if (kept) return kept;
    throw error;
  }
};

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    event.respondWith(page(request));
    return;
  }
  event.respondWith(
    caches.match(request, { cacheName: CACHE }).then((kept) => kept || fetch(request)),
  );
});
