// What Gelar's offline apps (the gate scanner, gate.js; the booth till, pos.js) share:
// an IndexedDB database opened once with its object stores, a transaction helper, and a
// JSON request that tells the API's answer from a network failure and from a page some
// box on the way (a captive portal, a proxy) sent instead. Loaded before the app's script.
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

  return { database, requestJson };
})();
