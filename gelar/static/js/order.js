// The buyer's order page: while a payment is awaited, ask the API every N seconds
// and reload only when an order's status changed. A timed <meta refresh> would
// reload under the reader's eyes whether anything changed or not (WCAG 2.2.1);
// without JS the page has a "refresh the status" link instead.
(() => {
  const el = document.getElementById("order-status");
  if (!el) return;
  const seconds = Number(el.dataset.seconds) || 30;
  const shown = el.dataset.statuses;
  const check = async () => {
    try {
      const response = await fetch(el.dataset.url, { headers: { Accept: "application/json" } });
      if (!response.ok) return;
      const body = await response.json();
      const now = body.orders.map((o) => `${o.number}=${o.status};`).join("");
      // The page's own address, not reload(): after a refused "pay online" POST the
      // browser shows the POST's answer, and reloading it would post again.
      if (now !== shown) window.location.assign(el.dataset.page);
    } catch (_) {
      // Offline for a moment: try again at the next tick.
    }
  };
  window.setInterval(check, seconds * 1000);
})();
