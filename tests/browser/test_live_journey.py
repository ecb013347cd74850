"""Live shopping in three browsers: the host pins, the viewer sees it without a reload
and buys it, a latecomer sees what is pinned; a viewer whose WebSockets are blocked
gets the pin by polling.

The demo is served as `make demo` serves it (asgi_demo_site: one granian ASGI
worker, the in-memory channel layer), with the 2027 session the demo puts on air
at load time. The tests find what to pin on the host console itself (a run sheet
row that is not pinned now), so they hold whichever runs first.

Elements are found by stable attributes (data-live parts, URLs, aria-current);
data (names, prices, "Sisa N") is compared as the console shows it.
"""

import json

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, axe_violations

pytestmark = [pytest.mark.browser]

EXPO = "pekalongan-hybrid-expo-2027"
HOST_EMAIL = "host.dinas@gelar.test"
PASSWORD = "gelar-demo"
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
# The socket's snapshot reaches the viewer "within a second"; polling every 3 s.
PUSH_MS = 5000
POLL_MS = 10000


def _host_console(browser, site: str):
    """A desktop context signed in as the demo host, on the on-air session's console."""
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.goto(f"{site}/akun/login/")
    page.locator("[name=login]").fill(HOST_EMAIL)
    page.locator("[name=password]").fill(PASSWORD)
    page.locator("form:has([name=password]) button[type=submit]").first.click()
    page.wait_for_url(lambda url: "/akun/login/" not in url)
    # The console home links the host to the expo's live pages.
    page.goto(f"{site}/console/")
    page.locator(f"a[href='/console/{EXPO}/live/']").click()
    # The session on air is marked; its first link is its host console.
    page.locator("li:has(.status-live) a[href*='/live/']").first.click()
    expect(page.locator("#run-sheet tbody tr")).to_have_count(5)
    return context, page


def _pin_another(page) -> dict:
    """Pin the first run sheet product that is not pinned now; what the console shows of it."""
    row = page.locator("#run-sheet tbody tr:not([aria-current])").first
    name, details = row.locator("td").nth(1).inner_text().split("\n", 1)
    _exhibitor, price, stock = (part.strip() for part in details.split(" · "))
    row.locator("form[action$='/pin/'] button").click()
    pinned = page.locator("#run-sheet tbody tr[aria-current]")
    expect(pinned.locator("td").nth(1).locator("strong")).to_have_text(name)
    return {"name": name.strip(), "price": price, "stock": stock}


def _watch_sockets(page) -> list[dict]:
    """The frames the page's WebSockets receive, parsed, as they come."""
    frames: list[dict] = []

    def on_socket(socket):
        socket.on("framereceived", lambda payload: frames.append(json.loads(payload)))

    page.on("websocket", on_socket)
    return frames


def _wait_for(page, condition, timeout_ms: int = PUSH_MS) -> None:
    # Playwright dispatches the socket events while the page waits.
    for _ in range(timeout_ms // 100):
        if condition():
            return
        page.wait_for_timeout(100)
    assert condition()


def _card(page):
    return page.locator("#live-panel [data-live=card]")


def _mark(page) -> None:
    """A marker only this document holds: a reload or a navigation would lose it."""
    page.evaluate("() => { window.__liveMarker = 'no reload'; }")


def _marked(page) -> bool:
    return page.evaluate("() => window.__liveMarker") == "no reload"


def test_the_host_pins_the_viewer_sees_it_at_once_buys_it_and_a_latecomer_sees_it(
    asgi_demo_site, browser
):
    site = asgi_demo_site
    home = f"{site}/expo/{EXPO}/"
    contexts = []
    try:
        viewer_context = browser.new_context(**PHONE)
        contexts.append(viewer_context)
        viewer = viewer_context.new_page()
        frames = _watch_sockets(viewer)
        viewer.goto(home)
        expect(_card(viewer)).to_be_visible()
        _wait_for(viewer, lambda: any(f["type"] == "snapshot" for f in frames))
        _mark(viewer)
        navigations = []
        viewer.on("framenavigated", lambda frame: navigations.append(frame.url))
        news = viewer.locator("#live-panel [data-live=pin-news]")
        expect(news).to_have_text("")  # nothing is read out at page load

        host_context, host = _host_console(browser, site)
        contexts.append(host_context)
        pinned = _pin_another(host)

        # The viewer's card changes in place, from the pushed snapshot.
        expect(_card(viewer).locator("[data-live=name]")).to_have_text(
            pinned["name"], timeout=PUSH_MS
        )
        expect(_card(viewer).locator("[data-live=price]")).to_have_text(pinned["price"])
        expect(_card(viewer).locator("[data-live=stock]")).to_have_text(pinned["stock"])
        assert pinned["stock"].startswith("Sisa ")
        # Said once by the one live region: name, price and stock.
        expect(news).to_contain_text(pinned["name"])
        expect(news).to_contain_text(pinned["price"])
        expect(news).to_contain_text(pinned["stock"])
        assert _marked(viewer)
        assert navigations == []
        assert viewer.url == home
        pushed = [f for f in frames if f["type"] == "snapshot" and f["pin"]]
        assert pushed[-1]["pin"]["product"]["name"] == pinned["name"]

        # One tap on "Beli sekarang" puts it in the cart.
        buy = _card(viewer).locator("[data-live=buy] button")
        expect(buy).to_have_text("Beli sekarang")
        buy.click()
        viewer.wait_for_url(home)
        cart_url = f"/expo/{EXPO}/keranjang/"
        expect(viewer.locator(f".expo-bar a[href='{cart_url}'] .count")).to_have_text("1")
        viewer.goto(site + cart_url)
        expect(viewer.locator("section.shop-booth")).to_have_count(1)
        expect(viewer.locator("section.shop-booth")).to_contain_text(pinned["name"])

        # Someone opening the expo home afterwards sees the pin in the page itself.
        late_context = browser.new_context(**PHONE)
        contexts.append(late_context)
        late = late_context.new_page()
        late.goto(home)
        expect(_card(late)).to_be_visible()
        expect(_card(late).locator("[data-live=name]")).to_have_text(pinned["name"])
        expect(_card(late).locator("[data-live=stock]")).to_have_text(pinned["stock"])
    finally:
        for context in contexts:
            context.close()


def test_a_viewer_without_websockets_gets_the_pin_by_polling(asgi_demo_site, browser):
    site = asgi_demo_site
    home = f"{site}/expo/{EXPO}/"
    contexts = []
    try:
        viewer_context = browser.new_context(**PHONE)
        contexts.append(viewer_context)
        # As behind a proxy that blocks WebSockets: the script must poll instead.
        viewer_context.add_init_script("delete window.WebSocket;")
        viewer = viewer_context.new_page()
        sockets = []
        viewer.on("websocket", lambda socket: sockets.append(socket.url))
        polls = []
        viewer.on(
            "request",
            lambda request: polls.append(request.url) if "/api/v1/live/" in request.url else None,
        )
        viewer.goto(home)
        expect(viewer.locator("#live-panel [data-live=status]")).not_to_be_empty()
        _mark(viewer)

        host_context, host = _host_console(browser, site)
        contexts.append(host_context)
        pinned = _pin_another(host)

        expect(_card(viewer).locator("[data-live=name]")).to_have_text(
            pinned["name"], timeout=POLL_MS
        )
        expect(_card(viewer).locator("[data-live=stock]")).to_have_text(pinned["stock"])
        assert _marked(viewer)
        assert sockets == []
        assert polls and all("/api/v1/live/sessions/" in url for url in polls)
    finally:
        for context in contexts:
            context.close()


def test_the_host_console_shows_new_chat_live_and_a_deletion_reaches_every_viewer(
    asgi_demo_site, browser
):
    site = asgi_demo_site
    home = f"{site}/expo/{EXPO}/"
    contexts = []
    try:
        host_context, host = _host_console(browser, site)
        contexts.append(host_context)
        _mark(host)

        viewer_context = browser.new_context(**PHONE)
        contexts.append(viewer_context)
        viewer = viewer_context.new_page()
        viewer.goto(home)
        polling_context = browser.new_context(**PHONE)
        contexts.append(polling_context)
        polling_context.add_init_script("delete window.WebSocket;")
        polling = polling_context.new_page()
        polling.goto(home)

        text = "Apakah kemejanya ada ukuran XXL?"
        form = viewer.locator("#live-panel [data-live=chat-form]")
        form.locator("[name=display_name]").fill("Penonton Uji")
        form.locator("[name=text]").fill(text)
        form.locator("button[type=submit]").click()
        mine = "#live-panel [data-live=messages] li:has-text('ukuran XXL')"
        expect(viewer.locator(mine)).to_have_count(1)
        expect(polling.locator(mine)).to_have_count(1, timeout=POLL_MS)

        # The host's console lists it within a refresh (every 5 s), without a reload.
        row = host.locator(f"[data-host=messages] tr:has-text('{text}')")
        expect(row).to_have_count(1, timeout=POLL_MS)
        assert _marked(host)
        row.locator("form[action$='/delete/'] button").click()
        expect(host.locator(f"[data-host=messages] tr:has-text('{text}') del")).to_have_count(1)

        # Gone for the viewer on the socket (chat.deleted) and the one polling (hidden).
        expect(viewer.locator(mine)).to_have_count(0, timeout=PUSH_MS)
        expect(polling.locator(mine)).to_have_count(0, timeout=POLL_MS)
    finally:
        for context in contexts:
            context.close()


def test_the_live_panel_and_the_host_console_have_no_serious_accessibility_violation(
    asgi_demo_site, browser
):
    contexts = []
    try:
        viewer_context = browser.new_context(**PHONE)
        contexts.append(viewer_context)
        viewer = viewer_context.new_page()
        frames = _watch_sockets(viewer)
        viewer.goto(f"{asgi_demo_site}/expo/{EXPO}/")
        expect(_card(viewer)).to_be_visible()
        _wait_for(viewer, lambda: any(f["type"] == "chat.history" for f in frames))
        found = {"expo home": axe_violations(viewer)}

        host_context, host = _host_console(browser, asgi_demo_site)
        contexts.append(host_context)
        found["host console"] = axe_violations(host)
        assert found == {"expo home": [], "host console": []}
    finally:
        for context in contexts:
            context.close()


# --- what live.js does on its own: chat window, heartbeat, fallback, the clock ---------

SOCKETS = "**/ws/live/**"


def _viewer(browser, contexts: list):
    context = browser.new_context(**PHONE)
    contexts.append(context)
    return context.new_page()


def _messages(page) -> list[int]:
    return [
        int(i)
        for i in page.locator("#live-panel [data-live=messages] li").evaluate_all(
            "(items) => items.map((li) => li.dataset.id)"
        )
    ]


def _message(id_: int) -> str:
    return json.dumps(
        {"type": "chat.message", "message": {"id": id_, "name": "Ayu", "text": f"pesan {id_}"}}
    )


def test_the_chat_keeps_the_last_200_and_follows_the_server_s_window(asgi_demo_site, browser):
    """A mocked socket feeds the page: the list keeps the newest 200 in id order, and a
    reconnect's chat.history removes what a moderator deleted meanwhile."""
    contexts = []
    routes = []
    try:
        viewer = _viewer(browser, contexts)
        viewer.route_web_socket(SOCKETS, lambda route: routes.append(route))
        viewer.goto(f"{asgi_demo_site}/expo/{EXPO}/")
        _wait_for(viewer, lambda: bool(routes))
        shown = _messages(viewer)
        assert shown  # the demo's chat, rendered by the server
        base = max(shown) + 1000
        (server,) = routes
        server.send(json.dumps({"type": "chat.history", "messages": []}))
        _wait_for(viewer, lambda: _messages(viewer) == [])

        for id_ in range(base + 250, base, -1):  # newest first: each lands in order
            server.send(_message(id_))
        _wait_for(viewer, lambda: len(_messages(viewer)) == 200)
        assert _messages(viewer) == list(range(base + 51, base + 251))
        server.send(_message(base + 10))  # older than everything kept: stays out
        server.send(json.dumps({"type": "chat.deleted", "id": base + 100}))
        _wait_for(viewer, lambda: base + 100 not in _messages(viewer))
        server.send(_message(base + 100))  # a late copy of a deleted message
        window = [
            {"id": id_, "name": "Ayu", "text": f"pesan {id_}"}
            for id_ in range(base + 200, base + 251)
            if id_ != base + 210
        ]
        server.send(json.dumps({"type": "chat.history", "messages": window}))
        _wait_for(viewer, lambda: len(_messages(viewer)) == 50)
        assert _messages(viewer) == [m["id"] for m in window]
    finally:
        for context in contexts:
            context.close()


def test_a_silent_socket_is_replaced_and_one_dropped_at_once_ends_in_polling(
    asgi_demo_site, browser
):
    contexts = []
    try:
        # A connection that died without a close: pings go unanswered.
        silent = _viewer(browser, contexts)
        silent.clock.install()
        opened, pings = [], []

        def mute_server(route):
            opened.append(route)
            route.on_message(lambda message: pings.append(json.loads(message)))

        silent.route_web_socket(SOCKETS, mute_server)
        silent.goto(f"{asgi_demo_site}/expo/{EXPO}/")
        _wait_for(silent, lambda: len(opened) == 1)
        silent.clock.run_for(25_000)
        _wait_for(silent, lambda: pings == [{"type": "ping"}])
        silent.clock.run_for(9_000)
        assert len(opened) == 1
        silent.clock.run_for(3_000)  # 10 s without an answer, then a new socket
        _wait_for(silent, lambda: len(opened) == 2)

        # A proxy that accepts the socket and drops it at once: three times, then polling.
        dropped = _viewer(browser, contexts)
        accepted = []
        polls = []

        def dropping_proxy(route):
            accepted.append(route.url)
            route.close()

        dropped.route_web_socket(SOCKETS, dropping_proxy)
        dropped.on(
            "request",
            lambda request: polls.append(request.url) if "/api/v1/live/" in request.url else None,
        )
        dropped.goto(f"{asgi_demo_site}/expo/{EXPO}/")
        expect(dropped.locator("#live-panel [data-live=status]")).not_to_be_empty(timeout=POLL_MS)
        _wait_for(dropped, lambda: bool(polls), POLL_MS)
        assert len(accepted) == 3
    finally:
        for context in contexts:
            context.close()


def test_the_page_reloads_once_when_its_session_ends(asgi_demo_site, browser):
    contexts = []
    try:
        viewer = _viewer(browser, contexts)
        viewer.clock.install()
        viewer.goto(f"{asgi_demo_site}/expo/{EXPO}/")
        panel = viewer.locator("#live-panel")
        times = panel.evaluate(
            "(p) => [Date.parse(p.dataset.now), Date.parse(p.dataset.changesAt)]"
        )
        now, changes_at = times
        assert changes_at > now
        _mark(viewer)
        loads = []
        viewer.on("load", lambda page: loads.append(page.url))

        # As a laptop closed until a minute before the end: nothing happens yet.
        viewer.clock.fast_forward(int(changes_at - now) - 60_000)
        viewer.wait_for_timeout(500)
        assert _marked(viewer) and loads == []
        viewer.clock.fast_forward(70_000)
        _wait_for(viewer, lambda: len(loads) == 1)
        assert not _marked(viewer)
        # The server's clock has not moved here, so the reloaded page shows the same
        # session: it must not reload again, however late the browser's clock is.
        viewer.clock.fast_forward(3_600_000)
        viewer.wait_for_timeout(1000)
        assert len(loads) == 1
    finally:
        for context in contexts:
            context.close()
