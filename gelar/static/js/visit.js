// Counts a visit to the online expo (and to a booth): one small POST after the page
// has loaded, from every expo page a visitor may land on (home, directory, search,
// floor plan; booth and product pages name the booth). The server keeps one row per
// visitor per day, so reloads and further pages count once; the page itself stays
// cacheable. Markup:
//   <script src=".../visit.js" defer data-url="/expo/<slug>/jejak/" data-booth="<exhibitor slug>">
(function () {
  "use strict";
  var script = document.currentScript;
  var url = script && script.getAttribute("data-url");
  if (!url) return;
  var body = new URLSearchParams();
  var booth = script.getAttribute("data-booth");
  if (booth) body.append("booth", booth);
  var sent = false;
  try {
    // Queued by the browser even when the visitor leaves at once.
    sent = !!(navigator.sendBeacon && navigator.sendBeacon(url, body));
  } catch (error) {
    sent = false;
  }
  if (!sent && window.fetch) {
    fetch(url, { method: "POST", body: body, keepalive: true, credentials: "same-origin" })
      .catch(function () { /* a lost count is not worth bothering the visitor */ });
  }
})();
