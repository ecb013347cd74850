// The host console kept current: every few seconds the viewer count and the recent
// chat (with its moderation forms) are fetched as an HTML fragment of the console
// (?part=now) and put in place of the elements with the same data-host name. The
// forms stay plain POST forms, so a row that arrived this way moderates like one
// rendered with the page, and without JavaScript the "Refresh" link does the job.
(() => {
  const source = document.querySelector("[data-host-refresh]");
  if (!source) return;
  const url = source.dataset.hostRefresh;
  const EVERY_MS = 5000;
  // Every render masks the CSRF token anew: leave it out when asking "did it change?".
  const comparable = (element) =>
    element.innerHTML.replace(/name="csrfmiddlewaretoken" value="[^"]*"/g, "");

  let busy = false;
  const refresh = async () => {
    if (busy || document.hidden) return;
    busy = true;
    try {
      const response = await fetch(url, {
        credentials: "same-origin",
        cache: "no-store",
        headers: { Accept: "text/html" },
      });
      // Signed out meanwhile (a redirect to the login page): keep what is shown.
      if (!response.ok || response.redirected) return;
      const fragment = document.createElement("template");
      fragment.innerHTML = await response.text();
      fragment.content.querySelectorAll("[data-host]").forEach((fresh) => {
        const shown = document.querySelector(`[data-host="${fresh.dataset.host}"]`);
        if (!shown || comparable(shown) === comparable(fresh)) return;
        // Not under a keyboard: a moderator on a button keeps it until they move on.
        if (shown.contains(document.activeElement)) return;
        shown.innerHTML = fresh.innerHTML;
      });
    } catch (_) {
      // Offline for a moment: the next tick tries again.
    } finally {
      busy = false;
    }
  };
  window.setInterval(refresh, EVERY_MS);
  document.addEventListener("visibilitychange", refresh);
})();
