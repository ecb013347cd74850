// The service worker of Gelar's offline apps -- the gate scanner (/gerbang/) and the booth
// till (/umkm/<slug>/kasir/<expo>/): it keeps the app shell so the app opens and reloads
// with no network. The view that serves it (gelar.common.shell_worker) puts four
// constants in front of this file: SHELL, the URLs to keep (the app's page, its manifest
// and static files); CACHE, a name that changes with their content, so a new release
// replaces the old shell; CACHE_PREFIX, the app's cache names (older ones are deleted);
// MARKER, a piece of HTML only the app's own page holds.
//
// The page is fetched network first (an app that is online gets the new release and a
// fresh sign-in check), with a 3 s limit, then from the cache; a page that is not the
// app's (the sign-in page after a redirect, a captive portal's) is never kept and gives
// way to the kept shell, so scanning or selling goes on; the app's script says when a
// sign-in or pairing is needed to sync. Static files come from the cache. The API is
// never touched here.
/* global SHELL, CACHE, CACHE_PREFIX, MARKER */
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
            .filter((key) => key.startsWith(CACHE_PREFIX) && key !== CACHE)
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

// The app's own page (it holds MARKER), not one that a captive portal, a proxy or the
// sign-in redirect answered in its place.
const isShell = async (response) =>
  response.ok &&
  !response.redirected &&
  (await response.clone().text()).includes(MARKER);

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
  // Our server said no (signed out of the team, the booth or device gone): show it, never
  // the kept page (the till's holds the business's payment details).
  if (response.status === 403 || response.status === 404) return response;
  // Not the app (a captive portal, a proxy page): keep going with the kept shell (its
  // requests will decide offline); with none kept yet, show what came.
  return (await kept()) || response;
};

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;
  if (request.mode === "navigate") {
    // Only the app's page itself: other pages under the same path (the till's closing of
    // the day, its sales to check) are ordinary pages, always from the network.
    if (url.pathname === new URL(SHELL[0], self.location.origin).pathname) {
      event.respondWith(page(request));
    }
    return;
  }
  event.respondWith(
    caches.match(request, { cacheName: CACHE }).then((kept) => kept || fetch(request)),
  );
});
