// What Gelar's offline apps (the gate scanner, gate.js; the booth till, pos.js) share:
// an IndexedDB database opened once with its object stores, a transaction helper, and a
// JSON request that tells the API's answer from a network failure and from a page some
// box on the way (a captive portal, a proxy) sent instead; and the camera that reads
// codes (tickets' QR codes, product labels). Loaded before the app's script.
window.GelarOffline = (() => {
  // database(name, stores): stores is {storeName: keyPath or null (out-of-line keys)}.
  // Returns transact(names, mode, work): runs work(stores) in one transaction and
  // resolves with what it returned (a request's result when it returned a request)
  // once the transaction has committed.
  const database = (name, stores) => {
    let opened = null;
    const open = () => {
      opened ??= new Promise((resolve, reject) => {
        const request = indexedDB.open(name, 1);
        request.onupgradeneeded = () => {
          const db = request.result;
          for (const [store, keyPath] of Object.entries(stores)) {
            db.createObjectStore(store, keyPath ? { keyPath } : undefined);
          }
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      return opened;
    };
    return async (names, mode, work) => {
      const db = await open();
      return new Promise((resolve, reject) => {
        const tx = db.transaction(names, mode);
        const handles = Object.fromEntries(names.map((store) => [store, tx.objectStore(store)]));
        const value = work(handles);
        tx.oncomplete = () => resolve(value instanceof IDBRequest ? value.result : value);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    };
  };

  // requestJson(url, {method, body, timeout, headers, ...fetch options}) ->
  // {status, data} where data is the answer's JSON object or null (HTML, a list, empty);
  // null when there was no answer at all (no network, timed out, refused): the caller
  // decides offline.
  const requestJson = async (url, { method = "GET", body, timeout, headers = {}, ...options }) => {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeout);
    try {
      const all = { Accept: "application/json", ...headers };
      if (body !== undefined) all["Content-Type"] = "application/json";
      const response = await fetch(url, {
        method,
        headers: all,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
        cache: "no-store",
        ...options,
      });
      let data = null;
      try {
        data = await response.json();
      } catch {
        data = null;
      }
      return { status: response.status, data: data && typeof data === "object" ? data : null };
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
    }
  };

  // camera({video, button, jsqrUrl, formats, everyMs, repeatMs, texts, onStart, onReady,
  //         onStop, onCode, onError}): the button starts and stops the back camera; each
  // code read (BarcodeDetector for the `formats` it supports, else the vendored jsQR,
  // loaded on first use, for QR codes) goes to onCode(code) once, and again only after
  // repeatMs: the camera sees one code in many frames. Without a camera the button hides.
  const camera = (options) => {
    const { video, button, jsqrUrl, formats: wanted, everyMs, repeatMs, texts } = options;
    let stream = null;
    let lastSeen = { code: "", at: 0 };

    const loadJsQR = () =>
      window.jsQR
        ? Promise.resolve(window.jsQR)
        : new Promise((resolve, reject) => {
            const script = document.createElement("script");
            script.src = jsqrUrl;
            script.onload = () => resolve(window.jsQR);
            script.onerror = reject;
            document.head.append(script);
          });

    const makeReader = async () => {
      if ("BarcodeDetector" in window) {
        try {
          const formats = await window.BarcodeDetector.getSupportedFormats();
          if (formats.includes("qr_code")) {
            const detector = new window.BarcodeDetector({
              formats: formats.filter((f) => wanted.includes(f)),
            });
            return async () => (await detector.detect(video))[0]?.rawValue || "";
          }
        } catch {
          // fall through to jsQR
        }
      }
      const jsQR = await loadJsQR();
      const canvas = document.createElement("canvas");
      const context = canvas.getContext("2d", { willReadFrequently: true });
      return async () => {
        const scale = Math.min(1, 640 / (video.videoWidth || 640));
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        if (!canvas.width || !canvas.height) return "";
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        const image = context.getImageData(0, 0, canvas.width, canvas.height);
        const found = jsQR(image.data, image.width, image.height, {
          inversionAttempts: "dontInvert",
        });
        return found?.data || "";
      };
    };

    const stop = () => {
      if (stream) for (const track of stream.getTracks()) track.stop();
      stream = null;
      video.hidden = true;
      video.srcObject = null;
      button.textContent = texts.camera_start;
      options.onStop?.();
    };

    const start = async () => {
      options.onStart?.();
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: "environment" },
          audio: false,
        });
        video.srcObject = stream;
        video.hidden = false;
        await video.play();
        const read = await makeReader();
        button.textContent = texts.camera_stop;
        options.onReady?.();
        const tick = async () => {
          if (!stream) return;
          try {
            const code = (await read()).trim();
            const now = Date.now();
            if (code && (code !== lastSeen.code || now - lastSeen.at > repeatMs)) {
              lastSeen = { code, at: now };
              await options.onCode(code);
            } else if (code) {
              lastSeen.at = now;
            }
          } catch {
            // a frame that cannot be read: try the next one
          }
          setTimeout(tick, everyMs);
        };
        tick();
      } catch {
        stop();
        options.onError();
      }
    };

    button.addEventListener("click", () => (stream ? stop() : start()));
    if (!navigator.mediaDevices?.getUserMedia) button.hidden = true;
  };

  return { database, requestJson, camera };
})();
