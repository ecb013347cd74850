// The gate scanner's service worker: keeps the app shell so the scanner opens and
// reloads with no network. The view that serves it (tickets/views_gate.py) puts two
// constants in front of this file: SHELL, the URLs to keep (the page, its manifest and
// static files), and CACHE, a name that changes with their content, so a new release
// replaces the old shell and the old cache is deleted.
//
// The page is fetched network first (a gate that is online gets the new release), with
// a 3 s limit, then from the cache; a page that is not the scanner's (a captive portal's)
// is never kept and gives way to the kept shell. Static files come from the cache. The gate API is
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

// The scanner's own page, not one that a captive portal or a proxy answered in its
// place (with a redirect, or with its own HTML at the same address).
const isShell = async (response) =>
  response.ok &&
  !response.redirected &&
  (await response.clone().text()).includes('id="gate-urls"');

const page = async (request) => {
  const url = new URL(request.url);
  const cache = await caches.open(CACHE);
  const kept = async () => (await cache.match(url.pathname)) || (await cache.match(SHELL[0]));
  let response;
  try {
    response = await fromNetwork(request);
  } catch (error) {
    const shell = await kept();
    if (shell) return shell;
    throw error;
  }
  if (await isShell(response)) {
    await cache.put(url.pathname, response.clone());
    return response;
  }
  // Not the scanner: keep scanning with the kept shell (its requests will decide
  // offline); with none kept yet, show what came (a portal's login page, say).
  return (await kept()) || response;
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
