"""Helpers of bench/live.sh: the live session, the viewers, the baseline server, the table.

    python bench/live.py setup --chatters 200 --suffix 1 > world.json   (Django: an expo,
                           its session on air, a product, the host signed in, viewers)
    python bench/live.py claim-redis                 (prints an empty Redis database 1..15)
    python bench/live.py release-redis N             (empties it)
    python bench/live.py viewers world.json --ws URL [--ws URL] --viewers 2000 [--pin URL]
    python bench/live.py baseline-server --port P [--snapshot pinned.json]
    python bench/live.py report app-1.json [app-2.json] baseline.json --viewers 2000

`viewers` is one asyncio process holding every viewer's WebSocket (the `websockets`
client), spread over the given URLs (127.0.0.1 only). Once every viewer has its
first snapshot, the host pins the product: with --pin, one HTTP POST to the
console's pin URL with the host's session cookie; without it (the baseline) one
socket asks the server to broadcast. Then the first --chatters viewers each post
one chat message over their socket (one each: the flood rule allows 5 per 10 s per
viewer), and every socket counts the messages it receives. Times are taken in this
one process (time.perf_counter), so sender and receiver share a clock. Bounded:
at most 5,000 viewers, deadlines for connecting, the pin and the chat.
"""

import argparse
import asyncio
import http.client
import json
import os
import sys
import time
import urllib.parse

import benchlib

MAX_VIEWERS = 5000
CONNECT_CONCURRENCY = 100
CONNECT_SECONDS = 60
PIN_SECONDS = 10
CHAT_SECONDS = 30
CLOSE_SECONDS = 5
CLAIM_KEY = "gelar:cross-process-test:claim"  # the same claim as the cross-process test
REDIS = ("127.0.0.1", 6379)


# --- Django parts -------------------------------------------------------------------


def setup(chatters: int, suffix: str) -> None:
    """An expo with a session on air, a product on its run sheet, a host signed in, viewers.

    Each run of the bench gets its own (`suffix` tells them apart): a run never sees
    the pin or the chat of the run before it."""
    benchlib.django_setup()
    import datetime

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.urls import reverse
    from django.utils import timezone

    from gelar.catalog.models import Product
    from gelar.events.models import AgendaSession, OrganizerMember
    from gelar.exhibitors.models import Category, Exhibitor, Participation
    from gelar.live import runsheet
    from gelar.live.models import Viewer
    from gelar.regions.models import Regency

    pekalongan = Regency.objects.get(code="33.75")
    now = timezone.now()
    with transaction.atomic():
        organizer, expo = benchlib.organizer_and_expo(
            f"live-expo-{suffix}",
            "Live Expo",
            now.date(),
            now.date() + datetime.timedelta(days=1),
        )
        session = AgendaSession.objects.create(
            expo=expo,
            title="Promosi Produk UMKM oleh Wali Kota",
            starts_at=now - datetime.timedelta(minutes=10),
            ends_at=now + datetime.timedelta(hours=2),
        )
        category, _ = Category.objects.get_or_create(
            slug="batik-fashion", defaults={"name": "Batik & Fesyen", "name_en": "Batik & Fashion"}
        )
        exhibitor = Exhibitor.objects.create(
            name="Batik Sekar Jagad",
            slug=f"batik-sekar-jagad-{suffix}",
            owner_name="Siti Rahmawati",
            region=pekalongan,
            category=category,
            whatsapp="6281234567890",
        )
        Participation.objects.create(
            expo=expo, exhibitor=exhibitor, mode="online", status=Participation.Status.ACCEPTED
        )
        product = Product.objects.create(
            exhibitor=exhibitor,
            name="Kemeja Batik Tulis Sekar Jagad",
            slug="kemeja-batik-tulis",
            price=150000,
            stock=1000,
        )
        host = get_user_model().objects.create_user(
            username=f"host-{suffix}@live.test", email=f"host-{suffix}@live.test", password=None
        )
        OrganizerMember.objects.create(
            organizer=organizer, user=host, role=OrganizerMember.Role.HOST
        )
        item = runsheet.runsheet_add(session=session, product=product, actor=host, note="")
        viewers = Viewer.objects.bulk_create(
            Viewer(expo=expo, display_name=f"Penonton {i + 1}") for i in range(chatters)
        )
    # The host's signed-in session, as the login view would store it.
    store = SessionStore()
    store[SESSION_KEY] = str(host.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = host.get_session_auth_hash()
    store.create()
    json.dump(
        {
            "session": session.pk,
            "product": product.pk,
            "ws_path": f"/ws/live/{session.pk}/",
            "pin_path": reverse("console:live_pin", args=[expo.slug, session.pk, item.pk]),
            "poll_path": reverse("api-v1:live_session", args=[session.pk]),
            "session_cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}",
            "csrf_cookie": settings.CSRF_COOKIE_NAME,
            "viewer_keys": [viewer.key for viewer in viewers],
        },
        sys.stdout,
    )


# --- Redis ---------------------------------------------------------------------------


def claim_redis() -> None:
    """Print the number of an empty Redis database (1..15), claimed for 10 minutes."""
    import secrets

    import redis

    token = secrets.token_hex(8)
    for number in range(15, 0, -1):
        client = redis.Redis(host=REDIS[0], port=REDIS[1], db=number, socket_timeout=2)
        if client.set(CLAIM_KEY, token, nx=True, ex=600):
            if client.dbsize() == 1:
                print(number)
                return
            client.delete(CLAIM_KEY)
    sys.exit("no empty Redis database among 1..15")


def release_redis(number: int) -> None:
    import redis

    redis.Redis(host=REDIS[0], port=REDIS[1], db=number, socket_timeout=2).flushdb()


# --- the viewers ----------------------------------------------------------------------


def _percentiles(values: list[float]) -> dict:
    if not values:
        return {"p50": None, "p95": None, "p99": None, "max": None}
    ordered = sorted(values)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    return {"p50": at(0.50), "p95": at(0.95), "p99": at(0.99), "max": ordered[-1]}


class ViewerSocket:
    def __init__(self, index: int, url: str, cookie: str) -> None:
        self.index = index
        self.url = url
        self.cookie = cookie
        self.ws = None
        self.error: str | None = None
        self.ready = asyncio.Event()
        self.pinned_at: float | None = None
        self.received: dict[int, float] = {}  # chat message number -> when it arrived
        self.refusals: list[str] = []
        self.leaving = False  # set when the bench closes the socket itself
        self.dropped = False  # closed by the server (or the network) during the run


def _post(url: str, headers: dict) -> tuple[int, float]:
    """(status, seconds) of one POST with an empty form to 127.0.0.1."""
    parsed = urllib.parse.urlsplit(url)
    assert parsed.hostname == "127.0.0.1", "the bench talks to 127.0.0.1 only"
    started = time.perf_counter()
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=PIN_SECONDS)
    try:
        conn.request("POST", parsed.path, body=b"", headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        conn.close()


async def _watch(viewer: ViewerSocket, gate: asyncio.Semaphore, snapshot_file: str | None) -> None:
    from websockets.asyncio.client import connect

    origin = "http://" + urllib.parse.urlsplit(viewer.url).netloc
    async with gate:
        try:
            viewer.ws = await connect(
                viewer.url,
                origin=origin,
                additional_headers={"Cookie": viewer.cookie} if viewer.cookie else None,
                proxy=None,
                compression=None,
                ping_interval=None,
                open_timeout=CONNECT_SECONDS,
                close_timeout=CLOSE_SECONDS,
                max_queue=None,
            )
        except Exception as error:  # counted and reported, the others go on
            viewer.error = f"{type(error).__name__}: {error}"[:200]
            return
    try:
        async for frame in viewer.ws:
            now = time.perf_counter()
            event = json.loads(frame)
            kind = event.get("type")
            if kind == "snapshot":
                viewer.ready.set()
                if event.get("pin") and viewer.pinned_at is None:
                    viewer.pinned_at = now
                    if snapshot_file and viewer.index == 0:
                        with open(snapshot_file, "w") as out:
                            json.dump(event, out)
            elif kind == "chat.message":
                text = event["message"]["text"]
                if text.startswith("Pesan nomor "):
                    viewer.received.setdefault(int(text.rsplit(" ", 1)[1]), now)
            elif kind == "error":
                viewer.refusals.append(event.get("code", "?"))
    except Exception as error:
        viewer.error = viewer.error or f"{type(error).__name__}: {error}"[:200]
    viewer.dropped = not viewer.leaving


async def _until(predicate, seconds: float) -> None:
    deadline = time.perf_counter() + seconds
    while not predicate() and time.perf_counter() < deadline:
        await asyncio.sleep(0.01)


async def _viewers(args) -> dict:
    with open(args.world) as world_file:
        world = json.load(world_file)
    keys = world["viewer_keys"][: args.chatters]
    if len(keys) < args.chatters:
        sys.exit(f"the world has {len(keys)} viewers with a name, fewer than --chatters")
    for url in args.ws:
        if urllib.parse.urlsplit(url).hostname != "127.0.0.1":
            sys.exit("the bench talks to 127.0.0.1 only")
    viewers = [
        ViewerSocket(
            i,
            args.ws[i % len(args.ws)],
            f"gelar_viewer={keys[i]}" if i < len(keys) else "",
        )
        for i in range(args.viewers)
    ]
    result: dict = {"viewers": args.viewers, "chatters": args.chatters, "label": args.label}

    # 1. Every viewer connects and gets its first snapshot.
    gate = asyncio.Semaphore(CONNECT_CONCURRENCY)
    started = time.perf_counter()
    tasks = [asyncio.create_task(_watch(v, gate, args.snapshot_out)) for v in viewers]
    await _until(lambda: all(v.ready.is_set() or v.error for v in viewers), CONNECT_SECONDS + 5)
    ready = [v for v in viewers if v.ready.is_set()]
    result["connect"] = {
        "seconds": time.perf_counter() - started,
        "ready": len(ready),
        "errors": sum(1 for v in viewers if v.error),
        "first_error": next((v.error for v in viewers if v.error), None),
    }
    await asyncio.sleep(1)  # the servers' presence tickers settle

    # 2. The host pins the product; each viewer's delay from the request to the snapshot.
    pin_started = time.perf_counter()
    if args.pin:
        csrf = os.urandom(16).hex()
        headers = {
            "Host": urllib.parse.urlsplit(args.pin).netloc,
            "Cookie": f"{world['session_cookie']}; {world['csrf_cookie']}={csrf}",
            "X-CSRFToken": csrf,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        status, seconds = await asyncio.to_thread(_post, args.pin, headers)
    else:
        await ready[0].ws.send(json.dumps({"type": "pin"}))
        status, seconds = None, None
    await _until(lambda: all(v.pinned_at for v in ready), PIN_SECONDS)
    delays = [v.pinned_at - pin_started for v in ready if v.pinned_at]
    result["pin"] = {
        "status": status,
        "request_seconds": seconds,
        "reached": sum(1 for d in delays if d <= PIN_SECONDS),
        "ms": _percentiles([d * 1000 for d in delays]),
    }

    # 3. Chat fan-out: the first --chatters viewers post one message each.
    chatters = [v for v in ready if v.index < args.chatters]
    sent: dict[int, float] = {}
    chat_started = time.perf_counter()
    unsent = 0
    for number, viewer in enumerate(chatters):
        sent[number] = time.perf_counter()
        try:
            await viewer.ws.send(json.dumps({"type": "chat.send", "text": f"Pesan nomor {number}"}))
        except Exception:  # its socket was closed under it: counted below
            del sent[number]
            unsent += 1
    expected = len(sent) * len(ready)
    await _until(lambda: sum(len(v.received) for v in ready) >= expected, CHAT_SECONDS)
    latencies = [
        (arrived - sent[number]) * 1000
        for v in ready
        for number, arrived in v.received.items()
        if number in sent
    ]
    delivered = len(latencies)
    last = max((a for v in ready for a in v.received.values()), default=chat_started)
    refusals: dict[str, int] = {}
    for v in ready:
        for code in v.refusals:
            refusals[code] = refusals.get(code, 0) + 1
    result["chat"] = {
        "messages": len(sent),
        "unsent": unsent,
        "expected": expected,
        "delivered": delivered,
        "seconds": last - chat_started,
        "per_second": delivered / (last - chat_started) if last > chat_started else 0.0,
        "refusals": refusals,
        "ms": _percentiles(latencies),
    }

    result["dropped"] = sum(1 for v in ready if v.dropped)
    result["first_drop"] = next((v.error for v in ready if v.dropped and v.error), None)
    for v in viewers:
        v.leaving = True
    # Closed all at once: a server still busy would make closing one by one take minutes.
    closing = [v.ws.close() for v in viewers if v.ws is not None]
    try:
        await asyncio.wait_for(asyncio.gather(*closing, return_exceptions=True), CLOSE_SECONDS)
    except TimeoutError:
        pass
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return result


def viewers(args) -> None:
    if not 0 < args.viewers <= MAX_VIEWERS:
        sys.exit(f"--viewers: 1 to {MAX_VIEWERS}")
    result = asyncio.run(_viewers(args))
    json.dump(result, sys.stdout)
    print(
        f"   ready {result['connect']['ready']}, pin reached {result['pin']['reached']}"
        f" (p50 {_ms(result['pin']['ms']['p50'])} ms), chat {result['chat']['delivered']}"
        f" of {result['chat']['expected']} in {result['chat']['seconds']:.1f} s,"
        f" dropped {result['dropped']} {result['first_drop'] or ''}",
        file=sys.stderr,
    )


# --- the baseline: a bare websockets broadcast server -------------------------------------


def baseline_server(port: int, snapshot_file: str | None) -> None:
    """One asyncio process, no Django: a snapshot on connect, broadcasts on request."""
    from websockets.asyncio.server import broadcast, serve

    pinned = {"type": "snapshot", "version": 1, "pin": {"id": 1, "product": {}}}
    if snapshot_file and os.path.exists(snapshot_file):
        with open(snapshot_file) as snapshot:
            pinned = json.load(snapshot)
    hello = json.dumps({**pinned, "version": 0, "pin": None})
    clients = set()
    numbers = iter(range(1, 10**9))

    async def handler(ws) -> None:
        clients.add(ws)
        try:
            await ws.send(hello)
            await ws.send(json.dumps({"type": "chat.history", "messages": []}))
            async for frame in ws:
                event = json.loads(frame)
                if event.get("type") == "pin":
                    broadcast(clients, json.dumps(pinned))
                elif event.get("type") == "chat.send":
                    message = {"id": next(numbers), "name": "Penonton", "text": event["text"]}
                    message["at"] = time.strftime("%H:%M")
                    broadcast(clients, json.dumps({"type": "chat.message", "message": message}))
        finally:
            clients.discard(ws)

    async def main() -> None:
        async with serve(handler, "127.0.0.1", port, compression=None, ping_interval=None):
            await asyncio.Future()

    asyncio.run(main())


# --- the table ------------------------------------------------------------------------


def _ms(value) -> str:
    return "-" if value is None else f"{value:.0f}"


def report(paths: list[str], requested: int) -> None:
    runs = []
    for path in paths:
        with open(path) as run:
            runs.append(json.load(run))
    baseline = runs[-1]
    rows = [["", *[run["label"] for run in runs]]]

    def row(name: str, cell) -> None:
        rows.append([name, *[cell(run) for run in runs]])

    row("viewers (requested)", lambda r: str(r["viewers"]))
    row("connected, first snapshot", lambda r: str(r["connect"]["ready"]))
    row("connect errors", lambda r: str(r["connect"]["errors"]))
    row("time to connect all (s)", lambda r: f"{r['connect']['seconds']:.1f}")
    row("pin: HTTP status | request ms", lambda r: _pin_request(r))
    row(
        f"pin: viewers reached <= {PIN_SECONDS} s",
        lambda r: f"{r['pin']['reached']} ({100 * r['pin']['reached'] / r['viewers']:.1f} %)",
    )
    for p in ("p50", "p95", "p99", "max"):
        row(f"pin: latency {p} ms", lambda r, p=p: _ms(r["pin"]["ms"][p]))
    row("sockets closed by the server", lambda r: str(r["dropped"]))
    row("chat: messages posted", lambda r: str(r["chat"]["messages"]))
    row(
        "chat: deliveries | expected",
        lambda r: f"{r['chat']['delivered']} | {r['chat']['expected']}",
    )
    row("chat: fan-out time (s)", lambda r: f"{r['chat']['seconds']:.2f}")
    row("chat: deliveries/s", lambda r: f"{r['chat']['per_second']:.0f}")
    for p in ("p50", "p95", "p99"):
        row(f"chat: delivery latency {p} ms", lambda r, p=p: _ms(r["chat"]["ms"][p]))
    row(
        "chat: refusals",
        lambda r: ", ".join(f"{k} {v}" for k, v in r["chat"]["refusals"].items()) or "0",
    )
    widths = [max(len(cells[i]) for cells in rows) for i in range(len(rows[0]))]
    for cells in rows:
        print(
            "  ".join(
                cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                for i, cell in enumerate(cells)
            ).rstrip()
        )
    print()
    base_pin = baseline["pin"]["ms"]["p50"]
    base_rate = baseline["chat"]["per_second"]
    for run in runs[:-1]:
        pin = run["pin"]["ms"]["p50"]
        rate = run["chat"]["per_second"]
        pin_ratio = f"{pin / base_pin:.1f} x" if pin and base_pin else "-"
        rate_ratio = f"{rate / base_rate:.3f} (1 : {base_rate / rate:.0f})" if rate else "-"
        print(
            f"{run['label']}: pin latency p50 over the baseline's {pin_ratio}; "
            f"chat deliveries/s over the baseline's {rate_ratio}"
        )
    problems = [
        run["label"]
        for run in runs
        if run["pin"]["reached"] < requested
        or run["chat"]["delivered"] < run["chat"]["expected"]
        or run["chat"]["messages"] < run["chatters"]
        or run["dropped"]
    ]
    for run in runs:
        for name, error in (
            ("connect", run["connect"]["first_error"]),
            ("drop", run["first_drop"]),
        ):
            if error:
                print(f"{run['label']}: first {name} error: {error}")
    if problems:
        print(f"not every viewer got everything in: {', '.join(problems)}")
        sys.exit(1)
    print(f"every viewer got the pin within {PIN_SECONDS} s and every chat message")


def _pin_request(run: dict) -> str:
    if run["pin"]["status"] is None:
        return "(a socket frame)"
    return f"{run['pin']['status']} | {run['pin']['request_seconds'] * 1000:.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("setup")
    p.add_argument("--chatters", type=int, default=20)
    p.add_argument("--suffix", default="1")
    commands.add_parser("claim-redis")
    p = commands.add_parser("release-redis")
    p.add_argument("number", type=int)
    p = commands.add_parser("viewers")
    p.add_argument("world")
    p.add_argument("--ws", action="append", required=True, help="ws://127.0.0.1:PORT/ws/...")
    p.add_argument("--viewers", type=int, default=2000)
    p.add_argument("--chatters", type=int, default=20)
    p.add_argument("--pin", help="the console's pin URL; without it, a socket frame asks")
    p.add_argument("--label", default="app")
    p.add_argument("--snapshot-out", help="write the first pinned snapshot here")
    p = commands.add_parser("baseline-server")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--snapshot", help="the pinned snapshot to broadcast (the app's)")
    p = commands.add_parser("report")
    p.add_argument("runs", nargs="+")
    p.add_argument("--viewers", type=int, required=True)
    args = parser.parse_args()
    if args.command == "setup":
        setup(args.chatters, args.suffix)
    elif args.command == "claim-redis":
        claim_redis()
    elif args.command == "release-redis":
        release_redis(args.number)
    elif args.command == "viewers":
        viewers(args)
    elif args.command == "baseline-server":
        baseline_server(args.port, args.snapshot)
    else:
        report(args.runs, args.viewers)


if __name__ == "__main__":
    main()
