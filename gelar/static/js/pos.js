// The booth till (/umkm/<slug>/kasir/<expo>/): a product grid with search, product labels
// read by a USB scanner (a line ending in Enter in the search field) or the camera
// (BarcodeDetector, the vendored jsQR otherwise), the sale's lines and total, payment by
// cash (amount given, change), QRIS (the dynamic code of the total, from the server) or
// transfer, then a receipt on screen, printable on 58 mm paper and sendable by WhatsApp.
//
// One stock: a sale goes to the server at once (POST .../sales, session + CSRF header), which
// takes the stock under the same lock as online checkout. The catalogue (GET .../catalogue)
// is kept in IndexedDB and refreshed every 2 minutes and after every sale.
//
// Offline: when the browser is offline, or the request fails, takes more than 5 s, or the
// answer is not the API's (a captive portal), the sale is kept in IndexedDB with its
// idempotency key (client_key, crypto.randomUUID) and the device's time of sale, so it
// survives a reload; the receipt is shown from the device's data. The queue is synced in
// batches (POST .../sync) when the network is back (the "online" event and every 15 s).
// The server stores one sale per (exhibitor, client_key): a repeated sync, or a sale whose
// online request timed out after reaching the server, changes nothing the second time. A
// queued sale is recorded at the server's prices and flagged when the stock could not
// cover it (the goods were handed over): never dropped. An item the server rejects is
// dropped from the queue (it would be rejected again) and counted on screen with the reason.
// Signed out (401/403): sales are queued, and synced once the person signs in again.
//
// The service worker (static/js/shell_worker.js) keeps this page and its files for offline reloads.
// Signing out (/akun/logout/, static/pos/signout.js) deletes that kept page, the worker and
// this database, unless its queue still holds sales: they sync at the next signed-in visit.
(() => {
  const urls = JSON.parse(document.getElementById("pos-urls").textContent);
  const config = JSON.parse(document.getElementById("pos-config").textContent);
  const texts = JSON.parse(document.getElementById("pos-texts").textContent);
  const part = (name) => document.querySelector(`[data-pos="${name}"]`);
  const SALE_TIMEOUT_MS = 5000;
  const SYNC_TIMEOUT_MS = 20000;
  const SYNC_EVERY_MS = 15000;
  const CATALOGUE_EVERY_MS = 2 * 60 * 1000;
  const SYNC_BATCH = 100; // the API takes at most 200 sales a request
  const MAX_QUANTITY = 100;
  // The server's limits (pos.services MAX_SALE_LINES, MAX_AMOUNT): a sale beyond them is
  // refused there, so the till refuses it here, before the goods leave the booth.
  const MAX_LINES = 50;
  const MAX_CASH_DIGITS = 12;
  const LABEL = /^GLRP\.(\d{1,12})$/i; // a USB scanner with Caps Lock on types "glrp."
  const CAMERA_EVERY_MS = 250;
  const CAMERA_REPEAT_MS = 2500;

  const fill = (template, values) =>
    template.replace(/%\((\w+)\)s/g, (match, name) =>
      name in values ? String(values[name]) : match,
    );
  const rupiah = (amount) => `Rp${Math.abs(amount).toLocaleString("id-ID")}`.replace(/,/g, ".");
  const methodName = (method) => texts[`method_${method}`] || method;

  // --- IndexedDB: catalogue (by id), queue (by client_key), meta --------------------------

  const transact = GelarOffline.database(config.store, {
    catalogue: "id",
    queue: "client_key",
    meta: null,
  });
  const getMeta = (key) => transact(["meta"], "readonly", (s) => s.meta.get(key));
  const putMeta = (key, value) => transact(["meta"], "readwrite", (s) => s.meta.put(value, key));

  // --- the API ---------------------------------------------------------------------------

  const csrfToken = () => {
    // The cookie first: the page may be an older copy from the service worker.
    const match = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
    if (match) return decodeURIComponent(match[1]);
    return document.querySelector("[name=csrfmiddlewaretoken]")?.value || "";
  };

  // Only JSON is the API's answer: a captive portal or a proxy answers HTML; null when
  // there was no answer (no network, timed out, refused).
  const request = (url, { method = "GET", body, timeout }) =>
    GelarOffline.requestJson(url, {
      method,
      body,
      timeout,
      headers: body === undefined ? {} : { "X-CSRFToken": csrfToken() },
      credentials: "same-origin",
      redirect: "manual",
    });

  const errorText = (data, status) => {
    for (const key of ["message", "detail", "reason"]) {
      const value = data?.[key];
      if (typeof value === "string") return value;
    }
    if (Array.isArray(data?.errors)) {
      const lines = data.errors.map((e) => e?.message).filter(Boolean);
      if (lines.length) return lines.join("; ");
    }
    return String(status);
  };

  // --- network state -----------------------------------------------------------------------

  let reachable = true;
  let signedOut = false;
  const showNetwork = () => {
    const online = navigator.onLine && reachable;
    const line = part("network");
    line.dataset.online = online ? "1" : "0";
    line.textContent = signedOut ? texts.signed_out : online ? texts.online : texts.offline;
  };

  // --- the catalogue -------------------------------------------------------------------------

  let products = new Map(); // id -> {id, name, price, stock, sku, label_code, image}

  const showCatalogueInfo = async () => {
    const at = await getMeta("catalogue_at");
    part("catalogue-info").textContent = at
      ? fill(texts.catalogue_info, { time: clock(at) })
      : texts.no_catalogue;
  };

  const clock = (iso) => {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return "";
    try {
      return new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
        day: "numeric",
        month: "short",
        hour: "2-digit",
        minute: "2-digit",
        timeZone: config.time_zone || undefined,
      }).format(date);
    } catch {
      return date.toLocaleString();
    }
  };

  const loadStoredCatalogue = async () => {
    const stored = await transact(["catalogue"], "readonly", (s) => s.catalogue.getAll());
    products = new Map(stored.map((p) => [p.id, p]));
  };

  const loadCatalogue = async () => {
    if (!navigator.onLine) return;
    const response = await request(urls.catalogue, { timeout: SYNC_TIMEOUT_MS });
    if (!response || !response.data) {
      reachable = false;
      showNetwork();
      return;
    }
    reachable = true;
    if (response.status === 401 || response.status === 403) {
      signedOut = true;
      showNetwork();
      return;
    }
    signedOut = false;
    showNetwork();
    const list = Array.isArray(response.data) ? response.data : response.data.products;
    if (response.status !== 200 || !Array.isArray(list)) return;
    // Sales still queued here took stock the server does not know of yet.
    const queued = await transact(["queue"], "readonly", (s) => s.queue.getAll());
    const held = new Map();
    for (const sale of queued) {
      for (const line of sale.lines) {
        held.set(line.product_id, (held.get(line.product_id) || 0) + line.quantity);
      }
    }
    const fresh = list
      .filter((p) => p && Number.isInteger(p.id))
      .map((p) => ({ ...p, stock: Math.max(0, (p.stock ?? 0) - (held.get(p.id) || 0)) }));
    await transact(["catalogue", "meta"], "readwrite", (s) => {
      s.catalogue.clear();
      for (const product of fresh) s.catalogue.put(product);
      s.meta.put(new Date().toISOString(), "catalogue_at");
    });
    products = new Map(fresh.map((p) => [p.id, p]));
    showGrid();
    showCart();
    await showCatalogueInfo();
  };

  const takeLocalStock = async (lines) => {
    await transact(["catalogue"], "readwrite", (s) => {
      for (const line of lines) {
        const product = products.get(line.product_id);
        if (!product) continue;
        product.stock = Math.max(0, (product.stock ?? 0) - line.quantity);
        s.catalogue.put(product);
      }
    });
  };

  // --- the grid and search --------------------------------------------------------------------

  const findInput = part("find");
  const normal = (text) =>
    String(text || "")
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "");

  const showGrid = () => {
    const grid = part("grid");
    const words = normal(findInput.value).split(/\s+/).filter(Boolean);
    const shown = [...products.values()]
      .filter((p) => {
        const hay = normal(`${p.name} ${p.sku || ""}`);
        return words.every((word) => hay.includes(word));
      })
      .sort((a, b) => a.name.localeCompare(b.name));
    grid.replaceChildren(
      ...shown.map((product) => {
        const item = document.createElement("li");
        const button = document.createElement("button");
        button.type = "button";
        button.dataset.product = String(product.id);
        if (product.image) {
          const image = document.createElement("img");
          image.src = product.image;
          image.alt = "";
          image.loading = "lazy";
          button.append(image);
        }
        const name = document.createElement("span");
        name.className = "pos-name";
        name.textContent = product.name;
        const price = document.createElement("span");
        price.className = "price";
        price.textContent = rupiah(product.price);
        const stock = document.createElement("span");
        stock.className = product.stock > 0 ? "pos-stock" : "pos-stock none";
        stock.textContent =
          product.stock > 0 ? fill(texts.in_stock, { count: product.stock }) : texts.out_of_stock;
        button.append(name, price, stock);
        button.addEventListener("click", () => addToCart(product.id));
        item.append(button);
        return item;
      }),
    );
  };

  findInput.addEventListener("input", showGrid);
  part("find-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const value = findInput.value.trim();
    part("find-error").textContent = "";
    const label = LABEL.exec(value);
    if (label) {
      findInput.value = "";
      const id = Number(label[1]);
      if (products.has(id)) addToCart(id);
      else part("find-error").textContent = fill(texts.unknown_label, { code: value });
      showGrid();
      return;
    }
    // Enter on a search with one match adds it.
    const matches = part("grid").querySelectorAll("button[data-product]");
    if (matches.length === 1) {
      addToCart(Number(matches[0].dataset.product));
      findInput.value = "";
      showGrid();
    }
  });

  // --- the sale's lines -------------------------------------------------------------------------

  let cart = new Map(); // product id -> quantity

  const addToCart = (id, step = 1) => {
    if (!cart.has(id) && step > 0 && cart.size >= MAX_LINES) return;
    const quantity = Math.min(MAX_QUANTITY, Math.max(0, (cart.get(id) || 0) + step));
    if (quantity) cart.set(id, quantity);
    else cart.delete(id);
    showCart();
  };

  const cartLines = () =>
    [...cart.entries()]
      .filter(([id]) => products.has(id))
      .map(([id, quantity]) => ({ product: products.get(id), quantity }));

  const cartTotal = () => cartLines().reduce((sum, l) => sum + l.product.price * l.quantity, 0);

  const showCart = () => {
    const lines = cartLines();
    part("empty").hidden = lines.length > 0;
    part("lines").replaceChildren(
      ...lines.map(({ product, quantity }) => {
        const item = document.createElement("li");
        item.className = "pos-line";
        item.dataset.product = String(product.id);
        const name = document.createElement("span");
        name.className = "pos-line-name";
        name.textContent = `${product.name} · ${rupiah(product.price)}`;
        const qty = document.createElement("span");
        qty.className = "pos-line-qty";
        const less = document.createElement("button");
        less.type = "button";
        less.className = "button secondary";
        less.textContent = "−";
        less.setAttribute("aria-label", fill(texts.remove_one, { name: product.name }));
        less.addEventListener("click", () => addToCart(product.id, -1));
        const count = document.createElement("output");
        count.textContent = String(quantity);
        count.dataset.pos = "quantity";
        const more = document.createElement("button");
        more.type = "button";
        more.className = "button secondary";
        more.textContent = "+";
        more.setAttribute("aria-label", fill(texts.add_one, { name: product.name }));
        more.addEventListener("click", () => addToCart(product.id, 1));
        qty.append(less, count, more);
        const total = document.createElement("span");
        total.className = "pos-line-total";
        total.textContent = rupiah(product.price * quantity);
        item.append(name, qty, total);
        if (quantity > (product.stock ?? 0)) {
          const warning = document.createElement("p");
          warning.className = "pos-line-warning";
          warning.textContent = fill(texts.short_warning, { count: product.stock ?? 0 });
          item.append(warning);
        }
        return item;
      }),
    );
    // The total's paragraph is a polite live region: a screen reader says the new total
    // after each change, and only then (the same text is not written again).
    const total = rupiah(cartTotal());
    if (part("total").textContent !== total) part("total").textContent = total;
    showPayment();
  };

  // --- payment ------------------------------------------------------------------------------------

  const payForm = part("pay-form");
  const cashInput = part("cash");
  const method = () => payForm.querySelector("[name=method]:checked")?.value || "cash";
  const cashGiven = () => {
    const digits = cashInput.value.replace(/[^0-9]/g, "").slice(0, MAX_CASH_DIGITS);
    return digits ? Number(digits) : null;
  };
  let qrisFor = null; // {total, key}: the dynamic code shown

  const showChange = () => {
    const given = cashGiven();
    const total = cartTotal();
    const line = part("change");
    if (given === null || !total) {
      line.textContent = "";
      return;
    }
    line.dataset.short = given < total ? "1" : "0";
    line.textContent =
      given < total ? texts.cash_short : fill(texts.change, { amount: rupiah(given - total) });
  };

  const showQuick = () => {
    const total = cartTotal();
    const quick = part("quick");
    const amounts = new Set([total]);
    for (const note of [10000, 20000, 50000, 100000]) {
      if (total) amounts.add(Math.ceil(total / note) * note);
    }
    quick.replaceChildren(
      ...[...amounts]
        .filter((a) => a > 0)
        .sort((a, b) => a - b)
        .slice(0, 4)
        .map((amount) => {
          const button = document.createElement("button");
          button.type = "button";
          button.className = "button secondary";
          button.textContent = rupiah(amount);
          button.addEventListener("click", () => {
            cashInput.value = String(amount);
            showChange();
          });
          return button;
        }),
    );
  };

  const showQris = async () => {
    const box = part("qris");
    if (!box) return;
    const total = cartTotal();
    const note = part("qris-note");
    const fallback = part("qris-static");
    if (!total) {
      box.replaceChildren();
      note.textContent = "";
      fallback.hidden = true;
      qrisFor = null;
      return;
    }
    if (qrisFor && qrisFor.total === total) return;
    qrisFor = { total, key: saleKey() };
    const asked = qrisFor;
    const offline = () => {
      box.replaceChildren();
      fallback.hidden = false;
      note.textContent = fill(texts.qris_offline, { amount: rupiah(total) });
    };
    if (!navigator.onLine) return offline();
    const query = new URLSearchParams({ amount: String(total), ref: asked.key.slice(0, 20) });
    const response = await request(`${urls.qris}?${query}`, { timeout: SALE_TIMEOUT_MS });
    if (qrisFor !== asked) return; // the total changed meanwhile
    if (!response || !response.data) return offline();
    if (response.status !== 200 || typeof response.data.svg !== "string") {
      box.replaceChildren();
      note.textContent = fill(texts.qris_error, {
        reason: errorText(response.data, response.status),
      });
      return;
    }
    fallback.hidden = true;
    note.textContent = rupiah(total);
    // The server's SVG (qrcode's), not user input.
    box.innerHTML = response.data.svg;
    box.dataset.payload = response.data.payload || "";
  };

  const showPayment = () => {
    const chosen = method();
    for (const box of payForm.querySelectorAll(".pos-method")) {
      box.hidden = box.dataset.method !== chosen;
    }
    if (chosen === "cash") {
      showQuick();
      showChange();
    } else if (chosen === "qris") {
      showQris();
    } else if (chosen === "transfer" && config.bank) {
      part("bank").textContent =
        `${config.bank.name} ${config.bank.number} a.n. ${config.bank.holder} · ${rupiah(cartTotal())}`;
    }
  };

  for (const radio of payForm.querySelectorAll("[name=method]")) {
    radio.addEventListener("change", showPayment);
  }
  cashInput.addEventListener("input", showChange);

  // --- completing a sale --------------------------------------------------------------------------

  const newKey = () =>
    crypto.randomUUID
      ? crypto.randomUUID()
      : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) =>
          b.toString(16).padStart(2, "0"),
        ).join("");
  let pendingKey = null; // one key per sale being made: a retried tap sends the same
  const saleKey = () => (pendingKey ??= newKey());

  const receiptUrl = (data) => {
    if (typeof data?.receipt_url === "string" && data.receipt_url) return data.receipt_url;
    if (typeof data?.receipt_token === "string" && data.receipt_token) {
      return urls.receipt.replace("TOKEN", encodeURIComponent(data.receipt_token));
    }
    return "";
  };

  const payError = part("pay-error");

  payForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    payError.textContent = "";
    const lines = cartLines();
    if (!lines.length) {
      payError.textContent = texts.empty_cart;
      return;
    }
    const total = cartTotal();
    const chosen = method();
    const given = chosen === "cash" ? cashGiven() : null;
    if (chosen === "cash" && given !== null && given < total) {
      payError.textContent = texts.cash_short;
      cashInput.focus();
      return;
    }
    const sale = {
      client_key: saleKey(),
      lines: lines.map(({ product, quantity }) => ({ product_id: product.id, quantity })),
      payment_method: chosen,
      // Cash with no amount typed: the exact amount was given.
      cash_given: chosen === "cash" ? (given ?? total) : null,
      sold_at: new Date().toISOString(),
      total,
    };
    const shown = lines.map(({ product, quantity }) => ({
      name: product.name,
      quantity,
      price: product.price,
    }));
    const button = part("complete");
    button.disabled = true;
    try {
      const response = navigator.onLine
        ? await request(urls.sale, { method: "POST", body: sale, timeout: SALE_TIMEOUT_MS })
        : null;
      const answered = response && response.data;
      if (answered && response.status >= 200 && response.status < 300) {
        reachable = true;
        signedOut = false;
        showNetwork();
        await takeLocalStock(sale.lines);
        showReceipt({ sale, shown, data: response.data, offline: false });
        loadCatalogue();
        return;
      }
      if (answered && response.status >= 400 && response.status < 500) {
        reachable = true;
        if (response.status === 401 || response.status === 403) {
          signedOut = true; // kept for the next sign-in
        } else {
          // A refusal (a changed price, an unknown product): nothing was sold; fix and retry.
          showNetwork();
          payError.textContent = fill(texts.refused, {
            reason: errorText(response.data, response.status),
          });
          pendingKey = null;
          loadCatalogue();
          return;
        }
      } else {
        reachable = false;
      }
      showNetwork();
      // Offline, failed, too slow or not the API: keep the sale on this phone.
      await transact(["queue"], "readwrite", (s) => s.queue.put(sale));
      await takeLocalStock(sale.lines);
      showReceipt({ sale, shown, data: null, offline: true });
      await showPending();
    } finally {
      button.disabled = false;
    }
  });

  // --- the receipt ------------------------------------------------------------------------------------

  const receiptBox = part("receipt");

  const showReceipt = ({ sale, shown, data, offline }) => {
    // What the buyer was charged is this till's total. The server's answer has it as
    // charged_total; its total (the listed prices) differs only for a sale it had
    // recorded from this phone's offline queue at outdated prices (a replayed key).
    const charged = data?.charged_total ?? sale.total;
    const listed = data?.total ?? charged;
    const number = data?.number || "";
    part("receipt-state").textContent = offline ? texts.recorded_offline : texts.recorded;
    receiptBox.dataset.state = offline ? "offline" : data?.status || "completed";
    part("receipt-number").textContent = number;
    part("receipt-time").textContent = clock(data?.sold_at || sale.sold_at);
    part("receipt-lines").replaceChildren(
      ...shown.map((line) => {
        const row = document.createElement("tr");
        const name = document.createElement("td");
        name.textContent = `${line.name} (${line.quantity} × ${rupiah(line.price)})`;
        const amount = document.createElement("td");
        amount.className = "num";
        amount.textContent = rupiah(line.price * line.quantity);
        row.append(name, amount);
        return row;
      }),
    );
    const sums =
      listed === charged
        ? [[texts.total, rupiah(charged)]]
        : [
            [texts.charged, rupiah(charged)],
            [texts.listed_total, rupiah(listed)],
            [texts.difference, (charged < listed ? "-" : "") + rupiah(charged - listed)],
          ];
    sums.push([texts.payment, methodName(sale.payment_method)]);
    if (sale.payment_method === "cash") {
      const given = data?.cash_given ?? sale.cash_given;
      const change = data?.change ?? given - charged;
      sums.push([texts.cash_given, rupiah(given)]);
      sums.push([texts.change_label, rupiah(change)]);
    }
    part("receipt-sums").replaceChildren(
      ...sums.map(([label, value]) => {
        const row = document.createElement("div");
        const dt = document.createElement("dt");
        dt.textContent = label;
        const dd = document.createElement("dd");
        dd.textContent = value;
        row.append(dt, dd);
        return row;
      }),
    );
    const flagged = data && (data.status === "flagged" || data.flagged);
    const notes = [];
    if (listed !== charged) {
      notes.push(fill(texts.charge_note, { charged: rupiah(charged), total: rupiah(listed) }));
    }
    if (flagged) notes.push(fill(texts.flagged, { reason: data.flag_reason || data.reason || "" }));
    part("receipt-flag").textContent = notes.join(" ");
    const url = data ? receiptUrl(data) : "";
    const link = part("receipt-link");
    const whatsapp = part("whatsapp");
    link.hidden = !url;
    whatsapp.hidden = !url;
    part("receipt-note").textContent = url ? "" : texts.receipt_pending;
    if (url) {
      const absolute = new URL(url, location.origin).href;
      link.href = absolute;
      const text = fill(texts.whatsapp_text, {
        number,
        exhibitor: config.exhibitor,
        url: absolute,
      });
      whatsapp.href = `https://wa.me/?text=${encodeURIComponent(text)}`;
    }
    receiptBox.hidden = false;
    receiptBox.focus();
    // The sale is done: the next one starts empty with a new key.
    cart = new Map();
    pendingKey = null;
    qrisFor = null;
    cashInput.value = "";
    showGrid();
    showCart();
  };

  part("print").addEventListener("click", () => window.print());
  part("next").addEventListener("click", () => {
    receiptBox.hidden = true;
    findInput.focus();
  });
  part("clear").addEventListener("click", () => {
    cart = new Map();
    pendingKey = null;
    qrisFor = null;
    cashInput.value = "";
    payError.textContent = "";
    showCart();
  });

  // --- the queue and sync ------------------------------------------------------------------------------

  const pendingCount = () => transact(["queue"], "readonly", (s) => s.queue.count());

  const showPending = async () => {
    const count = await pendingCount();
    const pending = part("pending");
    pending.textContent = String(count);
    pending.dataset.count = String(count);
    const rejected = (await getMeta("rejected")) || { count: 0, reason: "" };
    part("rejected").textContent = String(rejected.count);
    part("rejected-reason").textContent = rejected.reason || "";
    part("rejected-row").hidden = !rejected.count;
  };

  let syncing = false;
  const syncNow = async () => {
    if (syncing || !navigator.onLine) return;
    syncing = true;
    try {
      for (;;) {
        const queued = await transact(["queue"], "readonly", (s) => s.queue.getAll());
        if (!queued.length) break;
        queued.sort((a, b) => a.sold_at.localeCompare(b.sold_at));
        const batch = queued.slice(0, SYNC_BATCH);
        const response = await request(urls.sync, {
          method: "POST",
          timeout: SYNC_TIMEOUT_MS,
          body: { sales: batch },
        });
        if (!response || !response.data) {
          reachable = false;
          break;
        }
        reachable = true;
        if (response.status === 401 || response.status === 403) {
          signedOut = true;
          break;
        }
        signedOut = false;
        if (response.status >= 300) break; // try again later; nothing is dropped
        const results = Array.isArray(response.data)
          ? response.data
          : Array.isArray(response.data.results)
            ? response.data.results
            : [];
        const keys = new Set(batch.map((sale) => sale.client_key));
        const done = results.filter((item) => item && keys.has(item.client_key));
        if (!done.length) break;
        const rejected = done.filter((item) => item.status === "rejected");
        await transact(["queue", "meta"], "readwrite", (s) => {
          for (const item of done) s.queue.delete(item.client_key);
          if (!rejected.length) return;
          const counter = s.meta.get("rejected");
          counter.onsuccess = () => {
            const before = counter.result || { count: 0, reason: "" };
            s.meta.put(
              {
                count: before.count + rejected.length,
                reason: rejected.at(-1).reason || before.reason,
              },
              "rejected",
            );
          };
        });
        part("synced").textContent = fill(texts.synced, { time: clock(new Date().toISOString()) });
      }
    } finally {
      syncing = false;
      showNetwork();
      await showPending();
    }
  };

  // --- the camera --------------------------------------------------------------------------------------

  GelarOffline.camera({
    video: part("video"),
    button: part("camera"),
    jsqrUrl: urls.jsqr,
    formats: ["qr_code", "code_128", "ean_13"],
    everyMs: CAMERA_EVERY_MS,
    repeatMs: CAMERA_REPEAT_MS,
    texts,
    onStart: () => {
      part("find-error").textContent = "";
    },
    onCode: (code) => {
      const label = LABEL.exec(code);
      if (label && products.has(Number(label[1]))) addToCart(Number(label[1]));
      else part("find-error").textContent = fill(texts.unknown_label, { code });
    },
    onError: () => {
      part("find-error").textContent = texts.camera_unavailable;
    },
  });

  // --- start -----------------------------------------------------------------------------------------------

  const start = async () => {
    showNetwork();
    await loadStoredCatalogue();
    showGrid();
    showCart();
    await showCatalogueInfo();
    await showPending();
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(urls.worker, { scope: urls.scope }).catch(() => {});
    }
    navigator.storage?.persist?.().catch(() => {});
    window.addEventListener("online", () => {
      reachable = true;
      showNetwork();
      syncNow().then(loadCatalogue);
    });
    window.addEventListener("offline", showNetwork);
    setInterval(syncNow, SYNC_EVERY_MS);
    setInterval(loadCatalogue, CATALOGUE_EVERY_MS);
    await syncNow();
    await loadCatalogue();
    document.body.dataset.ready = "1";
  };

  start();
})();
