// The sign-out page (/akun/logout/): before the form is sent, remove what the booth till
// (static/js/pos.js) keeps on this device for offline use, so that a signed-out phone no
// longer opens the till's page, which holds the business's bank account and static QRIS:
// the till's caches ("pos-..." in Cache Storage, gelar.pos.views.till_worker), its service
// workers (scope .../kasir/<expo>/) and its IndexedDB databases ("gelar-pos-...").
//
// A database whose queue still holds sales made offline is kept: those sales were paid
// for and handed over, and are synced the next time the till is opened, signed in. The
// page says how many are waiting. The server's answer to the sign-out (Clear-Site-Data:
// "cache") empties the HTTP cache; it does not clear "storage", which would delete these
// sales and the gate scanner's pairing too. The form is sent after 3 s at the latest.
(() => {
  const form = document.querySelector("form[action*='logout']");
  if (!form) return;
  const TILL_CACHE = "pos-";
  const TILL_DATABASE = "gelar-pos-";
  const TILL_SCOPE = /\/kasir\/[^/]+\/$/;
  const GIVE_UP_MS = 3000;

  // How many sales wait in a till database's queue; Infinity when it cannot be read
  // (then the database is kept).
  const queued = (name) =>
    new Promise((resolve) => {
      const request = indexedDB.open(name);
      request.onerror = () => resolve(Infinity);
      request.onblocked = () => resolve(Infinity);
      request.onsuccess = () => {
        const db = request.result;
        const done = (count) => {
          db.close();
          resolve(count);
        };
        if (!db.objectStoreNames.contains("queue")) return done(0);
        try {
          const count = db.transaction("queue", "readonly").objectStore("queue").count();
          count.onsuccess = () => done(count.result);
          count.onerror = () => done(Infinity);
        } catch {
          done(Infinity);
        }
      };
    });

  const tillDatabases = async () => {
    if (!window.indexedDB?.databases) return [];
    const all = await indexedDB.databases();
    return all.map((d) => d.name).filter((name) => name?.startsWith(TILL_DATABASE));
  };

  const showPending = async () => {
    const note = document.querySelector("[data-signout-pending]");
    if (!note) return;
    let waiting = 0;
    for (const name of await tillDatabases()) {
      const count = await queued(name);
      if (Number.isFinite(count)) waiting += count;
    }
    if (!waiting) return;
    note.textContent = note.dataset.text.replace("%(count)s", String(waiting));
    note.hidden = false;
  };

  const forgetTill = async () => {
    if (window.caches) {
      const names = await caches.keys();
      await Promise.all(names.filter((n) => n.startsWith(TILL_CACHE)).map((n) => caches.delete(n)));
    }
    if (navigator.serviceWorker?.getRegistrations) {
      const registrations = await navigator.serviceWorker.getRegistrations();
      await Promise.all(
        registrations
          .filter((r) => TILL_SCOPE.test(new URL(r.scope).pathname))
          .map((r) => r.unregister()),
      );
    }
    for (const name of await tillDatabases()) {
      // The catalogue is the shop's public one; the queue may hold sales not synced yet.
      if ((await queued(name)) !== 0) continue;
      await new Promise((resolve) => {
        const request = indexedDB.deleteDatabase(name);
        // Blocked: a till still open in another tab; it goes once that tab closes.
        request.onsuccess = request.onerror = request.onblocked = resolve;
      });
    }
  };

  let state = "ready"; // then "clearing", then "done": the form is sent once
  form.addEventListener("submit", (event) => {
    if (state === "done") return;
    event.preventDefault();
    if (state === "clearing") return;
    state = "clearing";
    const giveUp = new Promise((resolve) => setTimeout(resolve, GIVE_UP_MS));
    Promise.race([forgetTill().catch(() => {}), giveUp]).then(() => {
      state = "done";
      form.submit();
    });
  });
  showPending().catch(() => {});
})();
