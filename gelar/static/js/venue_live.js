// The venue's occupancy kept current: every 10 s the block is fetched as an HTML
// fragment of the venue page (?part=occupancy) and each data-venue-live element that
// changed takes the fresh content. The three numbers are aria-live="polite", so a
// screen reader hears a number when it changes, not the whole table; without
// JavaScript the "Refresh" link does the job.
(() => {
  const source = document.querySelector("[data-venue-refresh]");
  if (!source) return;
  const url = source.dataset.venueRefresh;
  const EVERY_MS = 10000;

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
      fragment.content.querySelectorAll("[data-venue-live]").forEach((fresh) => {
        const name = fresh.dataset.venueLive;
        const shown = source.querySelector(`[data-venue-live="${name}"]`);
        if (shown && shown.innerHTML !== fresh.innerHTML) shown.innerHTML = fresh.innerHTML;
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
