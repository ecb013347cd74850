// The live panel of the expo home: what is pinned, the announcement, the chat, the
// viewer count, kept current over a WebSocket (/ws/live/<session>/). The server
// renders the current state into the page, so without JavaScript a viewer still
// sees the pin and can buy it; this script only keeps it fresh.
//
// Reconnects with exponential backoff and jitter; after 3 connects in a row that
// fail (a proxy or network that blocks WebSockets) it polls the JSON API every 3 s
// instead, and tries the socket again now and then. State comes as whole
// snapshots with a version: a snapshot older than the one shown is ignored, so an
// event that arrives late or twice cannot undo a newer pin.
(() => {
  const panel = document.getElementById("live-panel");
  if (!panel) return;
  const urls = JSON.parse(document.getElementById("live-urls").textContent);
  const texts = JSON.parse(document.getElementById("live-texts").textContent);
  const part = (name) => panel.querySelector(`[data-live="${name}"]`);
  const POLL_MS = 3000;
  const FAILS_BEFORE_POLLING = 3;
  const SOCKET_RETRY_WHILE_POLLING_MS = 60000;

  let version = Number(panel.dataset.version) || 0;
  let lastMessageId = 0;
  const seen = new Set();
  part("messages").querySelectorAll("li[data-id]").forEach((li) => {
    const id = Number(li.dataset.id);
    seen.add(id);
    lastMessageId = Math.max(lastMessageId, id);
  });

  const fill = (template, count) => template.replace("%(count)s", String(count));

  // --- rendering ------------------------------------------------------------------

  const renderSnapshot = (snapshot) => {
    if (snapshot.version < version) return;
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
      stock.textContent = product.sold_out ? texts.sold_out : fill(texts.left, product.stock);
      stock.classList.toggle("out", product.sold_out);
      const form = part("buy");
      form.action = pin.buy_url;
      form.elements.product.value = product.id;
      form.elements.pin.value = pin.id;
      form.querySelector("button").disabled = product.sold_out;
    }
    renderChatRules(snapshot.chat);
    if (typeof snapshot.viewers === "number") renderViewers(snapshot.viewers);
  };

  const renderChatRules = (chat) => {
    if (!chat) return;
    part("chat-closed").hidden = chat.open;
    part("chat-form").hidden = !chat.open;
  };

  const renderViewers = (count) => {
    part("viewers").textContent = fill(texts.watching, count);
  };

  const appendMessage = (message) => {
    if (seen.has(message.id)) return;
    seen.add(message.id);
    lastMessageId = Math.max(lastMessageId, message.id);
    const li = document.createElement("li");
    li.dataset.id = message.id;
    const name = document.createElement("strong");
    name.textContent = message.name;
    li.append(name, " ", message.text);
    const list = part("messages");
    const box = list.parentElement;
    const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
    list.append(li);
    if (atBottom) box.scrollTop = box.scrollHeight;
  };

  const removeMessage = (id) => {
    const li = part("messages").querySelector(`li[data-id="${Number(id)}"]`);
    if (li) li.remove();
  };

  const handle = (event) => {
    switch (event.type) {
      case "snapshot":
        renderSnapshot(event);
        break;
      case "chat.history":
        event.messages.forEach(appendMessage);
        break;
      case "chat.message":
        appendMessage(event.message);
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
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    let opened = false;
    try {
      socket = new WebSocket(`${scheme}//${window.location.host}${urls.socket}`);
    } catch (_) {
      failed(false);
      return;
    }
    socket.addEventListener("open", () => {
      opened = true;
      failures = 0;
      stopPolling();
      setStatus("");
    });
    socket.addEventListener("message", (message) => {
      try {
        handle(JSON.parse(message.data));
      } catch (_) {
        // A frame we do not understand: the next snapshot sets things right.
      }
    });
    socket.addEventListener("close", (close) => {
      socket = null;
      if (close.code === 4404) return; // the session is gone: nothing to follow
      failed(opened);
    });
  };

  const failed = (hadOpened) => {
    if (!hadOpened) failures += 1;
    if (failures >= FAILS_BEFORE_POLLING) {
      startPolling();
      window.clearTimeout(retryTimer);
      retryTimer = window.setTimeout(connect, SOCKET_RETRY_WHILE_POLLING_MS);
    } else {
      window.clearTimeout(retryTimer);
      retryTimer = window.setTimeout(connect, backoff(failures));
    }
  };

  const poll = async () => {
    try {
      const response = await fetch(`${urls.state}?after=${lastMessageId}`, {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      const body = await response.json();
      renderSnapshot(body.snapshot);
      body.chat.forEach(appendMessage);
    } catch (_) {
      // Offline for a moment: the next tick tries again.
    }
  };

  const startPolling = () => {
    if (pollTimer) return;
    setStatus(texts.offline);
    poll();
    pollTimer = window.setInterval(poll, POLL_MS);
  };

  const stopPolling = () => {
    if (!pollTimer) return;
    window.clearInterval(pollTimer);
    pollTimer = null;
  };

  // --- actions --------------------------------------------------------------------

  part("buy").addEventListener("submit", (event) => {
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
      appendMessage(sent.data);
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
