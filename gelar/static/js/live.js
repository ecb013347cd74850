// The live panel of the expo home: what is pinned, the announcement, the chat, the
// viewer count, kept current over a WebSocket (/ws/live/<session>/). The server
// renders the current state into the page, so without JavaScript a viewer still
// sees the pin and can buy it; this script only keeps it fresh.
//
// Reconnects with exponential backoff and jitter; after 3 connects in a row that
// fail (a proxy or network that blocks WebSockets) it polls the JSON API every 3 s
// instead, and tries the socket again now and then. A socket that closes within
// 5 s of opening counts as a failed connect (a proxy that accepts and drops), and
// one that stays silent 10 s after a ping is given up (a connection that died
// without a close). State comes as whole snapshots with a version: a snapshot
// older than the one shown is ignored, so an event that arrives late or twice
// cannot undo a newer pin.
//
// The page follows the clock: when the session ends or the next one takes the air
// (data-changes-at, on the server's clock) the script stops following it and
// reloads the page once, which then shows what is on now.
(() => {
  const panel = document.getElementById("live-panel");
  if (!panel) return;
  const urls = JSON.parse(document.getElementById("live-urls").textContent);
  const texts = JSON.parse(document.getElementById("live-texts").textContent);
  const part = (name) => panel.querySelector(`[data-live="${name}"]`);
  const POLL_MS = 3000;
  const FAILS_BEFORE_POLLING = 3;
  const SOCKET_RETRY_WHILE_POLLING_MS = 60000;
  const PING_MS = 25000;
  const PONG_TIMEOUT_MS = 10000;
  const SHORT_LIVED_MS = 5000;
  // The chat keeps the last messages only: a page open all day stays light.
  const MAX_MESSAGES = 200;
  const CLOCK_CHECK_MS = 5000;
  const RELOAD_MARGIN_MS = 1000;

  let version = Number(panel.dataset.version) || 0;
  let stopped = false;

  const fill = (template, values) =>
    template.replace(/%\((\w+)\)s/g, (match, name) =>
      name in values ? String(values[name]) : match,
    );

  // --- chat: an ordered list of at most MAX_MESSAGES -----------------------------

  const list = part("messages");
  // Ids shown or deleted (a late frame must not bring a deleted message back), at
  // most MAX_MESSAGES of them; ids at or below `floor` were let go and stay out.
  const seen = new Set();
  let floor = 0;
  let lastMessageId = 0;

  const idOf = (li) => Number(li.dataset.id);

  const forget = () => {
    while (list.children.length > MAX_MESSAGES) {
      floor = Math.max(floor, idOf(list.firstElementChild));
      list.firstElementChild.remove();
    }
    if (seen.size > MAX_MESSAGES) {
      const ids = Array.from(seen).sort((a, b) => a - b);
      ids.slice(0, ids.length - MAX_MESSAGES).forEach((id) => {
        seen.delete(id);
        floor = Math.max(floor, id);
      });
    }
  };

  list.querySelectorAll("li[data-id]").forEach((li) => {
    seen.add(idOf(li));
    lastMessageId = Math.max(lastMessageId, idOf(li));
  });
  forget();

  const insertMessage = (message) => {
    const id = Number(message.id);
    if (!Number.isSafeInteger(id) || id <= floor || seen.has(id)) return;
    seen.add(id);
    lastMessageId = Math.max(lastMessageId, id);
    const li = document.createElement("li");
    li.dataset.id = id;
    const name = document.createElement("strong");
    name.textContent = message.name;
    li.append(name, " ", message.text);
    // In id order: a message from a reconnect's history lands where it belongs.
    let before = list.lastElementChild;
    while (before && idOf(before) > id) before = before.previousElementSibling;
    const box = list.parentElement;
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    if (before) before.after(li);
    else list.prepend(li);
    forget();
    if (atBottom) box.scrollTop = box.scrollHeight;
  };

  const removeMessage = (id) => {
    const li = list.querySelector(`li[data-id="${Number(id)}"]`);
    if (li) li.remove();
    if (Number(id) > floor) seen.add(Number(id));
    forget();
  };

  // chat.history is the recent window as the server has it now: a message shown
  // here but not there was deleted while this viewer was away. Messages newer than
  // the window (posted while it was read) stay.
  const applyHistory = (messages) => {
    const kept = new Set(messages.map((m) => Number(m.id)));
    const newest = messages.length ? Math.max(...kept) : Infinity;
    list.querySelectorAll("li[data-id]").forEach((li) => {
      if (idOf(li) <= newest && !kept.has(idOf(li))) li.remove();
    });
    messages.forEach(insertMessage);
  };

  // --- pin, announcement, viewers -----------------------------------------------

  const buyForm = part("buy");
  let shownPin = part("card").hidden ? null : Number(buyForm.elements.pin.value) || null;

  const stockText = (product) =>
    product.sold_out ? texts.sold_out : fill(texts.left, { count: product.stock });

  // The card itself is not a live region (stock ticks would be read out again and
  // again); this says once what was pinned or that nothing is.
  const tellPin = (pin) => {
    const id = pin ? pin.id : null;
    if (id === shownPin) return;
    shownPin = id;
    part("pin-news").textContent = pin
      ? fill(texts.pinned, {
          name: pin.product.name,
          price: pin.product.price_text,
          stock: stockText(pin.product),
        })
      : texts.unpinned;
  };

  const renderSnapshot = (snapshot) => {
    if (!snapshot || snapshot.version < version) return;
    version = snapshot.version;
    const announcement = part("announcement");
    announcement.textContent = snapshot.announcement || "";
    announcement.hidden = !snapshot.announcement;
    const pin = snapshot.pin;
    part("empty").hidden = Boolean(pin);
    part("card").hidden = !pin;
    if (pin) {
      const product = pin.product;
      const image = part("image");
      if (product.image) {
        if (image.getAttribute("src") !== product.image) image.src = product.image;
        image.hidden = false;
      } else {
        image.hidden = true;
      }
      const name = part("name");
      name.textContent = product.name;
      name.href = product.url;
      part("exhibitor").textContent = product.exhibitor;
      part("price").textContent = product.price_text;
      const stock = part("stock");
      stock.textContent = stockText(product);
      stock.classList.toggle("out", product.sold_out);
      buyForm.action = pin.buy_url;
      buyForm.elements.product.value = product.id;
      buyForm.elements.pin.value = pin.id;
      buyForm.querySelector("button").disabled = product.sold_out;
    }
    tellPin(pin);
    renderChatRules(snapshot.chat);
    if (typeof snapshot.viewers === "number") renderViewers(snapshot.viewers);
  };

  const renderChatRules = (chat) => {
    if (!chat) return;
    part("chat-closed").hidden = chat.open;
    part("chat-form").hidden = !chat.open;
  };

  const renderViewers = (count) => {
    part("viewers").textContent = fill(texts.watching, { count });
  };

  const handle = (event) => {
    switch (event.type) {
      case "snapshot":
        renderSnapshot(event);
        break;
      case "chat.history":
        applyHistory(event.messages);
        break;
      case "chat.message":
        insertMessage(event.message);
        break;
      case "chat.deleted":
        removeMessage(event.id);
        break;
      case "chat.rules":
        if (typeof event.version === "number") version = Math.max(version, event.version);
        renderChatRules(event.chat);
        break;
      case "viewers":
        renderViewers(event.count);
        break;
      default:
        break;
    }
  };

  // --- transport: socket first, polling when sockets fail ---------------------------

  let socket = null;
  let dropSocket = () => {}; // closes the current socket without a retry
  let failures = 0;
  let pollTimer = null;
  let retryTimer = null;

  const setStatus = (text) => {
    part("status").textContent = text;
  };

  const backoff = (attempt) => {
    const base = Math.min(30000, 1000 * 2 ** attempt);
    return base / 2 + Math.random() * (base / 2);
  };

  const connect = () => {
    if (stopped) return;
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    let ws;
    try {
      ws = new WebSocket(`${scheme}//${window.location.host}${urls.socket}`);
    } catch (_) {
      failed(true);
      return;
    }
    socket = ws;
    let openedAt = 0;
    let heard = 0; // frames received: a ping is answered when this moves
    let pingTimer = null;
    let pongTimer = null;
    let stableTimer = null;
    const current = () => socket === ws;
    const forgetSocket = () => {
      socket = null;
      window.clearInterval(pingTimer);
      window.clearTimeout(pongTimer);
      window.clearTimeout(stableTimer);
    };
    // This socket is done: drop it (its late events are ignored) and retry or poll.
    dropSocket = () => {
      if (!current()) return;
      forgetSocket();
      try {
        ws.close();
      } catch (_) {
        // Closing a socket that never opened: nothing to do.
      }
    };
    const giveUp = (countsAsFailure) => {
      if (!current()) return;
      dropSocket();
      failed(countsAsFailure);
    };
    ws.addEventListener("open", () => {
      if (!current()) return;
      openedAt = Date.now();
      // Trusted only once it has lived a while: a proxy may accept and drop at once.
      stableTimer = window.setTimeout(() => {
        if (!current()) return;
        failures = 0;
        stopPolling();
        setStatus("");
      }, SHORT_LIVED_MS);
      pingTimer = window.setInterval(() => {
        const before = heard;
        try {
          ws.send(JSON.stringify({ type: "ping" }));
        } catch (_) {
          giveUp(false);
          return;
        }
        window.clearTimeout(pongTimer);
        pongTimer = window.setTimeout(() => {
          if (heard === before) giveUp(false);
        }, PONG_TIMEOUT_MS);
      }, PING_MS);
    });
    ws.addEventListener("message", (message) => {
      if (!current()) return;
      heard += 1;
      try {
        handle(JSON.parse(message.data));
      } catch (_) {
        // A frame we do not understand: the next snapshot sets things right.
      }
    });
    ws.addEventListener("close", (close) => {
      if (!current()) return;
      if (close.code === 4404) {
        forgetSocket(); // the session is gone: nothing to follow
        return;
      }
      giveUp(!openedAt || Date.now() - openedAt < SHORT_LIVED_MS);
    });
  };

  const failed = (countsAsFailure) => {
    if (stopped) return;
    if (countsAsFailure) failures += 1;
    window.clearTimeout(retryTimer);
    if (failures >= FAILS_BEFORE_POLLING) {
      startPolling();
      retryTimer = window.setTimeout(connect, SOCKET_RETRY_WHILE_POLLING_MS);
    } else {
      retryTimer = window.setTimeout(connect, backoff(failures));
    }
  };

  const poll = async () => {
    try {
      const response = await fetch(`${urls.state}?after=${lastMessageId}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok || stopped) return;
      const body = await response.json();
      if (stopped) return;
      renderSnapshot(body.snapshot);
      (body.hidden || []).forEach(removeMessage);
      body.chat.forEach(insertMessage);
    } catch (_) {
      // Offline for a moment: the next tick tries again.
    }
  };

  const startPolling = () => {
    if (pollTimer || stopped) return;
    setStatus(texts.offline);
    poll();
    pollTimer = window.setInterval(poll, POLL_MS);
  };

  const stopPolling = () => {
    if (!pollTimer) return;
    window.clearInterval(pollTimer);
    pollTimer = null;
  };

  // --- the clock: stop following and reload when the page's session changes --------

  const serverNow = Date.parse(panel.dataset.now);
  const changesAt = Date.parse(panel.dataset.changesAt);
  if (Number.isFinite(serverNow) && Number.isFinite(changesAt) && changesAt > serverNow) {
    // The client's clock may be off: count from the server's time of the page.
    const skew = serverNow - Date.now();
    let clockTimer = null;
    const followClock = () => {
      if (stopped || Date.now() + skew < changesAt + RELOAD_MARGIN_MS) return;
      stopped = true;
      window.clearInterval(clockTimer);
      window.clearTimeout(retryTimer);
      stopPolling();
      dropSocket();
      window.location.reload();
    };
    // An interval rather than one long timeout: a sleeping laptop or a background
    // tab may hold timers back, the wall clock moves on.
    clockTimer = window.setInterval(followClock, CLOCK_CHECK_MS);
    document.addEventListener("visibilitychange", followClock);
  }

  // --- actions --------------------------------------------------------------------

  buyForm.addEventListener("submit", (event) => {
    // Count the tap; the form itself goes on to the cart as it would without JS.
    const pinId = event.currentTarget.elements.pin.value;
    if (pinId && navigator.sendBeacon) {
      navigator.sendBeacon(urls.click.replace("/0/", `/${Number(pinId)}/`));
    }
  });

  const postJson = async (url, body) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(body),
    });
    let data = {};
    try {
      data = await response.json();
    } catch (_) {
      data = {};
    }
    return { ok: response.ok, data };
  };

  const chatForm = part("chat-form");
  const chatError = part("chat-error");
  let viewerName = chatForm.elements.display_name.value;
  const errorText = (data) =>
    data.detail || (data.errors && data.errors[0] && data.errors[0].message) || "";

  chatForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    chatError.textContent = "";
    const name = chatForm.elements.display_name.value.trim();
    const text = chatForm.elements.text.value;
    const button = chatForm.querySelector("button");
    button.disabled = true;
    try {
      if (name !== viewerName) {
        const set = await postJson(urls.viewer, { display_name: name });
        if (!set.ok) {
          chatError.textContent = errorText(set.data);
          return;
        }
        viewerName = set.data.display_name;
        chatForm.elements.display_name.value = viewerName;
      }
      // Over HTTP rather than the socket: the socket was opened before the viewer
      // cookie may have existed, and the answer tells this viewer why it was refused.
      const sent = await postJson(urls.chat, { text });
      if (!sent.ok) {
        chatError.textContent = errorText(sent.data);
        return;
      }
      insertMessage(sent.data);
      chatForm.elements.text.value = "";
    } catch (_) {
      chatError.textContent = texts.offline;
    } finally {
      button.disabled = false;
    }
  });
  chatForm.hidden = part("chat-closed").hidden === false;

  if ("WebSocket" in window) {
    connect();
  } else {
    startPolling();
  }
})();
