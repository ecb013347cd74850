// The gate scanner (/gerbang/): reads ticket codes from a USB scanner that types like
// a keyboard (a line ending in Enter in an input that keeps the focus) or from the
// camera (BarcodeDetector where the browser has it, the vendored jsQR otherwise), and
// shows a big green or red answer with the reason and the holder's name.
//
// Pairing: the organizer's console gives each gate device a token, as a link
// /gerbang/#token=<token> or a code to type. It is kept in localStorage and sent as
// "Authorization: Bearer <token>" to the gate API (/api/v1/gate/tickets, /scan, /sync);
// the fragment never reaches a server, and is removed from the address bar at once.
//
// Offline: the device keeps the ticket list of its expo (SHA-256 of each secret, name,
// slot, status) in IndexedDB, refreshed every 5 minutes. A scan goes to the server
// first; when the browser is offline, or the request fails or takes more than 3 s,
// the device decides by itself: it hashes the scanned secret (SubtleCrypto, which
// browsers give only to secure contexts: https, or http on 127.0.0.1/localhost; on plain
// http elsewhere every offline scan is "unknown" but still queued), looks it up, checks
// cancelled / the slot's time window (30 minutes' grace, as the server) / already
// inside by this device's own scans (online or offline; another gate's admissions are
// not known offline: the sync makes them a conflict), answers, and queues the scan
// {nonce, code, direction, scanned_at, verdict} in IndexedDB, so it survives a reload.
// Every offline scan is queued, refusals too: "verdict" is what the screen showed
// ("admitted" -- an entry or an exit let through -- or "refused"), and the server stores
// a refusal as a refusal, which moves nothing; only an admission can become a conflict.
// A code that is not "GLR1." + a 43-character secret (the server's pattern; a bare
// secret copied from the ticket's URL is not a ticket code) is "unknown". An answer
// that is not the API's (no "result": a captive portal's or a proxy's page) counts as
// no network. The queue is synced in batches when the network is back (the "online"
// event, and a retry every 10 s), with the token the device holds then (the queue
// keeps no token). Each scan has its own nonce (crypto.randomUUID) and the server
// stores one scan per (device, nonce): a sync that is repeated, or a scan whose online
// request timed out after reaching the server, changes nothing the second time. An item
// the server rejects is dropped (it would be rejected again) and counted on screen,
// except one timed in the future ("time_future": this device's clock is ahead), which
// stays queued until the server's clock has caught up. Only the server sees every gate,
// so an offline device can admit a ticket that another gate admitted; the sync records
// it as a conflict for the organizer.
//
// Unpairing, or a 401 (the device was revoked), removes the token, the ticket list and
// what this device knows of admissions. Unpairing with scans still queued asks first
// and discards them; a 401 keeps them, for the device paired again to send.
//
// Secure context: SubtleCrypto, crypto.randomUUID and service workers exist only on
// https (or http://127.0.0.1 and localhost, as in the tests). Served over plain http
// from another address the scanner still works online, but offline it cannot check
// codes or reload: deploy it behind https.
(() => {
  const urls = JSON.parse(document.getElementById("gate-urls").textContent);
  const texts = JSON.parse(document.getElementById("gate-texts").textContent);
  const part = (name) => document.querySelector(`[data-gate="${name}"]`);
  const TOKEN_KEY = "gelar.gate.token";
  const SCAN_TIMEOUT_MS = 3000;
  const SYNC_TIMEOUT_MS = 20000;
  const SYNC_EVERY_MS = 10000;
  const LIST_EVERY_MS = 5 * 60 * 1000;
  const SYNC_BATCH = 500; // the API takes at most 1000 scans a request
  const CAMERA_EVERY_MS = 200;
  const CAMERA_REPEAT_MS = 3000; // the camera sees one code in many frames
  const GRACE_MINUTES = 30; // unless the ticket list says otherwise
  const GOOD = new Set(["admitted", "exited"]);

  const fill = (template, values) =>
    template.replace(/%\((\w+)\)s/g, (match, name) =>
      name in values ? String(values[name]) : match,
    );

  // --- IndexedDB: tickets (by hash), queue (by nonce), admitted (by hash), meta --------

  const transact = GelarOffline.database("gelar-gate", {
    tickets: "h",
    queue: "nonce",
    admitted: "h",
    meta: null,
  });
  const get = (store, key) => transact([store], "readonly", (s) => s[store].get(key));
  const put = (store, value, key) =>
    transact([store], "readwrite", (s) => {
      if (key === undefined) s[store].put(value);
      else s[store].put(value, key);
    });

  // --- token and the API -------------------------------------------------------------

  const token = () => localStorage.getItem(TOKEN_KEY) || "";

  // Only a JSON object is the API's answer: a captive portal or a proxy answers HTML.
  const request = (url, { method = "GET", body, timeout, bearer = token() } = {}) =>
    GelarOffline.requestJson(url, {
      method,
      body,
      timeout,
      headers: { Authorization: `Bearer ${bearer}` },
      credentials: "omit",
    });

  // The API's own answer, as opposed to a page some box on the way sent instead.
  const fromApi = (response) => {
    if (!response || !response.data) return false;
    if (response.status >= 200 && response.status < 300) {
      return typeof response.data.result === "string";
    }
    return "detail" in response.data || "message" in response.data;
  };

  // A refusal's reason; a validation error (422) lists its problems: [{loc, msg}, ...].
  const errorText = (data, status) => {
    for (const key of ["message", "detail", "reason"]) {
      const value = data?.[key];
      if (typeof value === "string") return value;
      if (Array.isArray(value)) {
        const lines = value
          .map((item) => {
            if (typeof item === "string") return item;
            const where = Array.isArray(item?.loc) ? item.loc.at(-1) : "";
            const msg = typeof item?.msg === "string" ? item.msg : "";
            return where && msg ? `${where}: ${msg}` : msg;
          })
          .filter(Boolean);
        if (lines.length) return lines.join("; ");
      }
    }
    return String(status);
  };

  // --- what the screen shows -----------------------------------------------------------

  const timeZone = () => meta.time_zone || undefined;
  const clock = (iso) => {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return "";
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
        hour: "2-digit",
        minute: "2-digit",
        timeZone: timeZone(),
      }).format(date);
    } catch {
      return date.toLocaleTimeString();
    }
  };

  // The expo's calendar day of a time: the server starts everyone outside each day.
  const dayOf = (iso) => {
    try {
      return new Intl.DateTimeFormat("en-CA", { timeZone: timeZone() }).format(new Date(iso));
    } catch {
      return new Date(iso).toDateString();
    }
  };

  let meta = {}; // the ticket list's header: expo, gate, time zone, generated_at, count

  const showMeta = () => {
    part("expo").textContent = meta.expo || "";
    part("gate-name").textContent = meta.gate || "";
    part("list").textContent = meta.generated_at
      ? fill(meta.count === 1 && texts.list_info_one ? texts.list_info_one : texts.list_info, {
          count: meta.count ?? 0,
          time: clock(meta.generated_at),
        })
      : texts.no_list;
  };

  let reachable = true; // the last request reached the server
  const showNetwork = () => {
    part("network").textContent = navigator.onLine && reachable ? texts.online : texts.offline;
  };

  const pendingCount = () => transact(["queue"], "readonly", (s) => s.queue.count());

  const showPending = async () => {
    const count = await pendingCount();
    const pending = part("pending");
    pending.textContent = String(count);
    pending.dataset.count = String(count);
  };

  // Queued scans the server rejected for good, dropped from the queue (kept in meta).
  const showRejected = async () => {
    const count = (await get("meta", "rejected")) || 0;
    part("rejected").textContent = String(count);
    part("rejected-row").hidden = count === 0;
  };

  const answer = ({ result, reason, holder, offline }) => {
    const box = part("answer");
    const good = GOOD.has(result);
    box.dataset.result = result;
    box.dataset.offline = offline ? "1" : "0";
    box.classList.toggle("good", good);
    box.classList.toggle("bad", !good);
    part("verdict").textContent = good
      ? result === "exited"
        ? texts.exited
        : texts.admitted
      : texts.refused;
    part("reason").textContent = reason || "";
    part("holder").textContent = holder || "";
    part("note").textContent = offline ? texts.offline_note : "";
    if (!good && navigator.vibrate) navigator.vibrate([120, 80, 120]);
  };

  // --- deciding on this device -----------------------------------------------------------

  // The server's pattern (tickets.services.parse_ticket_code): anything else is unknown.
  const secretOf = (code) => {
    const match = /^GLR1\.([A-Za-z0-9_-]{43})$/.exec(code);
    return match ? match[1] : null;
  };

  const hashOf = async (code) => {
    const secret = secretOf(code);
    if (!secret) return null;
    if (!crypto.subtle) return null; // not a secure context: nothing can be checked here
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret));
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  };

  const outsideSlot = (ticket, at) => {
    if (!Array.isArray(ticket.slot)) {
      // An invited guest's ticket: every day of the expo, in the expo's zone.
      if (!meta.start_date || !meta.end_date) return false;
      const day = dayOf(at);
      return day < meta.start_date || day > meta.end_date;
    }
    const grace = (meta.grace_minutes ?? GRACE_MINUTES) * 60000;
    const time = new Date(at).getTime();
    return (
      time < new Date(ticket.slot[0]).getTime() - grace ||
      time > new Date(ticket.slot[1]).getTime() + grace
    );
  };

  const decideHere = async (scan) => {
    const h = await hashOf(scan.code);
    const ticket = h && (await get("tickets", h));
    if (!ticket) {
      const known = meta.generated_at || !secretOf(scan.code);
      return { result: "unknown", reason: known ? texts.unknown : texts.no_list };
    }
    const holder = ticket.name;
    if (ticket.status !== "valid") return { result: "cancelled", reason: texts.cancelled, holder };
    const here = await get("admitted", h);
    if (scan.direction === "exit") {
      await put("admitted", { ...(here || { h }), inside: false });
      return { result: "exited", reason: "", holder };
    }
    if (outsideSlot(ticket, scan.scanned_at)) {
      return { result: "wrong_day", reason: texts.wrong_day, holder };
    }
    // Re-entry after an exit is allowed, as on the server; two entries in a row are not.
    if (here && here.inside && dayOf(here.at) === dayOf(scan.scanned_at)) {
      const reason = fill(texts.already_used, {
        gate: here.gate || meta.gate || "",
        time: clock(here.at),
      });
      return { result: "already_used", reason, holder };
    }
    await put("admitted", { h, at: scan.scanned_at, gate: meta.gate || "", inside: true });
    return { result: "admitted", reason: "", holder };
  };

  // What the server answered, remembered here for the next offline decision.
  const remember = async (scan, data) => {
    const first = data.first_admission;
    let seen = null;
    if (data.result === "admitted") {
      seen = { at: data.scanned_at || scan.scanned_at, gate: meta.gate || "", inside: true };
    } else if (data.result === "exited") {
      seen = { at: data.scanned_at || scan.scanned_at, gate: meta.gate || "", inside: false };
    } else if (data.result === "already_used" && first) {
      seen = { at: first.at, gate: first.gate, inside: true };
    }
    const h = seen && (await hashOf(scan.code));
    if (h) await put("admitted", { h, ...seen });
  };

  // --- a scan ------------------------------------------------------------------------------

  const direction = () =>
    document.querySelector("[data-gate=scan-form] [name=direction]:checked")?.value || "entry";

  const newNonce = () =>
    crypto.randomUUID
      ? crypto.randomUUID()
      : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
          b.toString(16).padStart(2, "0"),
        ).join("");

  const handleScan = async (raw) => {
    const code = raw.trim();
    if (!code) return;
    const scan = {
      nonce: newNonce(),
      code,
      direction: direction(),
      scanned_at: new Date().toISOString(),
    };
    // Online the server's clock times the scan; the device's only when it is queued.
    const { scanned_at: _deviceTime, ...asked } = scan;
    const online = navigator.onLine
      ? await request(urls.scan, { method: "POST", body: asked, timeout: SCAN_TIMEOUT_MS })
      : null;
    if (fromApi(online) && online.status === 401) {
      reachable = true;
      showNetwork();
      await revoked();
      return;
    }
    if (fromApi(online) && online.status < 500) {
      reachable = true;
      showNetwork();
      if (online.status >= 400) {
        const reason = errorText(online.data, online.status);
        answer({ result: "refused", reason: fill(texts.server_refused, { reason }) });
        return;
      }
      const data = online.data;
      answer({ result: data.result, reason: data.reason, holder: data.ticket?.holder_name });
      await remember(scan, data);
      return;
    }
    // Offline, failed, too slow or not the API answering: decide here and keep the scan
    // for the server, with what the screen showed (a refusal moves nothing there).
    reachable = false;
    showNetwork();
    const decided = await decideHere(scan);
    const verdict = GOOD.has(decided.result) ? "admitted" : "refused";
    await put("queue", { ...scan, verdict });
    answer({ ...decided, offline: true });
    await showPending();
  };

  // --- sync and the ticket list ---------------------------------------------------------

  let syncing = false;
  const syncNow = async () => {
    if (syncing || !navigator.onLine || !token()) return;
    syncing = true;
    const later = new Set(); // timed in the future by this device's clock: next time
    try {
      for (;;) {
        const queued = await transact(["queue"], "readonly", (s) => s.queue.getAll());
        const open = queued.filter((scan) => !later.has(scan.nonce));
        if (!open.length) break;
        open.sort((a, b) => a.scanned_at.localeCompare(b.scanned_at));
        const batch = open.slice(0, SYNC_BATCH);
        const response = await request(urls.sync, {
          method: "POST",
          timeout: SYNC_TIMEOUT_MS,
          body: {
            scans: batch.map(({ nonce, code, direction, scanned_at, verdict }) => ({
              nonce,
              code,
              direction,
              scanned_at,
              verdict,
            })),
          },
        });
        if (!response || !response.data) {
          reachable = false; // no network, or a page that is not the API's
          break;
        }
        reachable = true;
        if (response.status === 401) {
          await revoked();
          break;
        }
        if (response.status >= 300) break; // try again in 10 s; nothing is dropped
        // Results name their item by its index in the batch. The server keeps what it
        // accepted; a rejected item would be rejected again, unless its time was ahead
        // of the server's clock.
        const results = Array.isArray(response.data.results) ? response.data.results : [];
        const done = [];
        for (const item of results) {
          const scan = batch[item?.index];
          if (!scan) continue;
          if (item.result === "rejected" && item.code === "time_future") later.add(scan.nonce);
          else done.push({ nonce: scan.nonce, rejected: item.result === "rejected" });
        }
        if (!done.length) break;
        await transact(["queue", "meta"], "readwrite", (s) => {
          for (const { nonce } of done) s.queue.delete(nonce);
          const rejected = done.filter((item) => item.rejected).length;
          if (!rejected) return;
          const counter = s.meta.get("rejected");
          counter.onsuccess = () => s.meta.put((counter.result || 0) + rejected, "rejected");
        });
        part("synced").textContent = fill(texts.synced, { time: clock(new Date().toISOString()) });
      }
    } finally {
      syncing = false;
      showNetwork();
      await showPending();
      await showRejected();
    }
  };

  const loadList = async () => {
    if (!token() || !navigator.onLine) return;
    const response = await request(urls.tickets, { timeout: SYNC_TIMEOUT_MS });
    if (!response || !response.data) {
      reachable = false;
      showNetwork();
      return;
    }
    reachable = true;
    showNetwork();
    if (response.status === 401) {
      await revoked();
      return;
    }
    if (response.status !== 200 || !Array.isArray(response.data?.tickets)) return;
    const data = response.data;
    const gate = data.gate ?? data.device;
    meta = {
      expo: typeof data.expo === "object" && data.expo ? data.expo.name : data.expo,
      gate: typeof gate === "object" && gate ? gate.name : gate,
      time_zone: data.time_zone ?? data.expo?.time_zone,
      start_date: data.expo?.start_date,
      end_date: data.expo?.end_date,
      grace_minutes: data.grace_minutes,
      generated_at: data.generated_at,
      count: data.tickets.length,
    };
    await transact(["tickets", "meta"], "readwrite", (s) => {
      s.tickets.clear();
      for (const ticket of data.tickets) if (ticket && ticket.h) s.tickets.put(ticket);
      s.meta.put(meta, "list");
    });
    showMeta();
  };

  // --- pairing -------------------------------------------------------------------------------

  const showPaired = (paired) => {
    part("pairing").hidden = paired;
    part("scanner").hidden = !paired;
    if (paired) focusCode();
    else document.getElementById("gate-token").focus();
  };

  // What this device knows of its expo: the ticket list, admissions, the list's header.
  const forget = async ({ queue = false } = {}) => {
    const names = ["tickets", "admitted", "meta", ...(queue ? ["queue"] : [])];
    await transact(names, "readwrite", (s) => {
      for (const name of names) s[name].clear();
    });
    meta = {};
    showMeta();
  };

  // The server no longer knows this token (revoked, or another server): the device is
  // unpaired, but its queued scans stay for the token it is paired with next.
  const revoked = async () => {
    localStorage.removeItem(TOKEN_KEY);
    await forget();
    showPaired(false);
    part("pair-error").textContent = texts.revoked;
    await showPending();
    await showRejected();
  };

  // A new token is another device: its list and admissions start afresh. Queued scans
  // stay and are synced with the new token.
  const pair = async (value) => {
    const fresh = value.trim();
    if (!fresh) return;
    if (fresh !== token()) await forget();
    localStorage.setItem(TOKEN_KEY, fresh);
  };

  part("pair-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const input = document.getElementById("gate-token");
    const error = part("pair-error");
    error.textContent = "";
    if (navigator.onLine) {
      const check = await request(urls.tickets, {
        bearer: input.value.trim(),
        timeout: SYNC_TIMEOUT_MS,
      });
      if (fromApi(check) && check.status === 401) {
        error.textContent = texts.bad_token;
        return;
      }
    }
    await pair(input.value);
    input.value = "";
    showPaired(true);
    await loadList();
    await syncNow(); // scans kept from a revoked pairing go with this one
  });

  const unpair = async () => {
    localStorage.removeItem(TOKEN_KEY);
    await forget({ queue: true });
    showPaired(false);
    await showPending();
    await showRejected();
  };

  // Queued scans would be lost with the device's pairing: ask first, saying how many.
  const unpairDialog = part("unpair-dialog");
  part("unpair").addEventListener("click", async () => {
    const count = await pendingCount();
    if (!count) {
      await unpair();
      return;
    }
    part("lost-count").textContent = String(count);
    unpairDialog.returnValue = ""; // Escape keeps the last value: it must not unpair
    unpairDialog.showModal();
  });
  unpairDialog.addEventListener("close", async () => {
    if (unpairDialog.returnValue === "unpair") await unpair();
    else focusCode();
  });

  // --- the keyboard wedge: an input that keeps the focus ---------------------------------

  const codeInput = part("code");
  const focusCode = () => {
    if (!part("scanner").hidden) codeInput.focus({ preventScroll: true });
  };

  part("scan-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = codeInput.value;
    codeInput.value = "";
    handleScan(value).finally(focusCode);
  });
  // Clicking the page elsewhere, or a control, must not leave the scanner typing into
  // nothing: the focus comes back unless it went to another field or button.
  codeInput.addEventListener("blur", () => {
    setTimeout(() => {
      const active = document.activeElement;
      if (!active || active === document.body) focusCode();
    }, 0);
  });
  for (const radio of document.querySelectorAll("[data-gate=scan-form] [name=direction]")) {
    radio.addEventListener("change", focusCode);
  }
  document.addEventListener("keydown", (event) => {
    if (document.activeElement === document.body && event.key.length === 1) focusCode();
  });

  // --- the camera ------------------------------------------------------------------------------

  GelarOffline.camera({
    video: part("video"),
    button: part("camera"),
    jsqrUrl: urls.jsqr,
    formats: ["qr_code"],
    everyMs: CAMERA_EVERY_MS,
    repeatMs: CAMERA_REPEAT_MS,
    texts,
    onStart: () => {
      part("camera-error").textContent = "";
    },
    onReady: focusCode, // a USB scanner still works while the camera runs
    onStop: focusCode,
    onCode: handleScan,
    onError: () => {
      part("camera-error").textContent = texts.camera_unavailable;
    },
  });

  // --- start -------------------------------------------------------------------------------------

  const start = async () => {
    const match = /(?:^|&)token=([^&]+)/.exec(location.hash.slice(1));
    if (match) {
      history.replaceState(null, "", location.pathname + location.search);
      await pair(decodeURIComponent(match[1]));
    }
    // Scans queued by an earlier version carry the token they were made under: drop it.
    await transact(["queue"], "readwrite", (s) => {
      s.queue.openCursor().onsuccess = (event) => {
        const cursor = event.target.result;
        if (!cursor) return;
        if ("token" in cursor.value) {
          const { token: _old, ...scan } = cursor.value;
          cursor.update(scan);
        }
        cursor.continue();
      };
    });
    meta = (await get("meta", "list")) || {};
    showMeta();
    showNetwork();
    await showPending();
    await showRejected();
    showPaired(Boolean(token()));
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(urls.worker, { scope: urls.scope }).catch(() => {});
    }
    // Ask the browser not to evict the list and the queue when space runs low.
    navigator.storage?.persist?.().catch(() => {});
    window.addEventListener("online", () => {
      showNetwork();
      syncNow().then(loadList);
    });
    window.addEventListener("offline", showNetwork);
    setInterval(syncNow, SYNC_EVERY_MS);
    setInterval(loadList, LIST_EVERY_MS);
    if (token()) {
      await loadList();
      await syncNow();
    }
    document.body.dataset.ready = "1";
  };

  start();
})();
