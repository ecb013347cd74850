"""Helpers of the reliability drills (bench/drills/*.sh), against the topology of
bench/topology.sh (nginx on 127.0.0.1:8080, PostgreSQL 5433, Redis 6380).

    drill.py setup --stock N --run R         (Django) a sale: prints expo, booth, product
    drill.py race EXPO BOOTH PRODUCT --buyers N --run R [--progress FILE]
    drill.py traffic EXPO BOOTH PRODUCT --seconds S --run R [--live SESSION] [--events FILE]
    drill.py timeline TRAFFIC.json --down EPOCH --up EPOCH   answers before/during/after
    drill.py ws-probe SESSION                the live socket through nginx: snapshot or not
    drill.py count PRODUCT --stock N --run R --answers FILE...   (Django) the sale's books
    drill.py reserve EXPO BOOTH PRODUCT --orders N --run R      checkouts left unpaid
    drill.py backdate --run R                (Django) their reservations end now
    drill.py reservations --run R            (Django) how many are still awaiting payment

The HTTP parts use the standard library only (asyncio streams, HTTP/1.1 keep-alive) and
send to 127.0.0.1:8080 only, from loopback source addresses 127.0.0.2-127.0.0.254:
buyers are many people, and the per-address checkout budget must see them so (a buyer
has its own address and connection; page readers one per connection). Each buyer
repeats its checkout with the same Idempotency-Key after a 502/503/504, a 429 or a lost
connection, as the checkout page's hidden key lets a person do, at most 10 times.
Every loop is bounded in count and time.
"""

import argparse
import asyncio
import datetime
import hashlib
import json
import os
import sys
import time
import uuid
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchlib  # noqa: E402

HOST, PORT = "127.0.0.1", 8080
MAX_BUYERS = 2000
RETRYABLE = {502, 503, 504}
ANSWERS = {"200", "201", "409", "429"}
ATTEMPTS = 10
NOTIFIERS = 8  # Midtrans' connections sending notifications


# --- Django parts -------------------------------------------------------------------


def setup(stock: int, run: str) -> None:
    """An organizer, a published expo, one accepted online booth paid by transfer or online
    (Midtrans: the topology has a server key of its own), one product."""
    benchlib.django_setup()
    import datetime

    from django.db import transaction

    with transaction.atomic():
        _, expo = benchlib.organizer_and_expo(
            f"drill-expo-{run}",
            f"Drill Expo {run}",
            datetime.date(2026, 12, 1),
            datetime.date(2026, 12, 2),
        )
        exhibitor, product = benchlib.online_booth(
            expo,
            f"batik-kilat-{run}",
            name=f"Batik Kilat {run}",
            product="Kemeja Batik Edisi Terbatas",
            stock=stock,
            gateway=True,
        )
    print(expo.slug, exhibitor.slug, product.pk)


def count(product_id: int, stock: int, run: str, answer_files: list[str]) -> dict:
    """The sale's books: what the buyers were told against what the database holds."""
    benchlib.django_setup()
    from django.db.models import Count, Sum

    from gelar.catalog.models import Product
    from gelar.orders.models import Checkout, OrderLine

    told = {}  # idempotency key -> token of its 201 answer(s)
    paid = {}  # order number -> what Midtrans was answered (with --pay)
    conflicting = 0
    for path in answer_files:
        with open(path) as f:
            answers = json.load(f)
        for key, token in answers["created"].items():
            if key in told and told[key] != token:
                conflicting += 1
            told[key] = token
        paid.update(answers.get("paid", {}))
    checkouts = dict(
        Checkout.objects.filter(idempotency_key__startswith=f"drill-{run}-").values_list(
            "idempotency_key", "token"
        )
    )
    lines = OrderLine.objects.filter(product_id=product_id).aggregate(
        sold=Sum("quantity"), orders=Count("order", distinct=True)
    )
    orders_per_checkout = Counter(
        Checkout.objects.filter(idempotency_key__startswith=f"drill-{run}-")
        .annotate(n=Count("orders"))
        .values_list("n", flat=True)
    )
    sold = lines["sold"] or 0
    left = Product.objects.values_list("stock", flat=True).get(pk=product_id)
    books = {}
    if paid:
        books = _payments(run, paid)
    return {
        **books,
        "answered_201": len(told),
        "lost": sum(1 for key, token in told.items() if checkouts.get(key) != token),
        "answers_disagreeing": conflicting,
        "checkouts": len(checkouts),
        "orders": lines["orders"] or 0,
        "duplicated": sum((n - 1) * c for n, c in orders_per_checkout.items() if n > 1),
        "unanswered": sum(1 for key in checkouts if key not in told),
        "sold": sold,
        "stock_left": left,
        "oversold": max(0, sold - stock),
        "consistent": sold + left == stock and left >= 0,
    }


def _payments(run: str, told: dict[str, str]) -> dict:
    """The payments' books: what Midtrans was answered against the orders and payments."""
    from django.db.models import Count, Q

    from gelar.orders.models import Order

    orders = Order.objects.filter(checkout__idempotency_key__startswith=f"drill-{run}-")
    status = dict(orders.values_list("number", "status"))
    counted = orders.annotate(
        confirmed=Count("payments", filter=Q(payments__status="confirmed"), distinct=True),
        notes=Count("gateway_notifications", distinct=True),
    ).values_list("number", "confirmed", "notes")
    paid_statuses = {"paid", "processing", "shipped", "ready_for_pickup", "completed"}
    paid = {number for number, state in status.items() if state in paid_statuses}
    return {
        "payments_answered_200": len(told),
        "payments_applied": sum(1 for action in told.values() if action == "apply"),
        # A notification taken just before the kill was answered "duplicate" to its retry.
        "payments_applied_before_a_lost_answer": sum(
            1 for action in told.values() if action == "duplicate"
        ),
        "orders_paid": len(paid),
        "payments_lost": sum(1 for number in told if number not in paid),
        "paid_without_a_200": sum(1 for number in paid if number not in told),
        # More than one confirmed payment for an order: paid twice.
        "payments_duplicated": sum(c - 1 for _, c, _ in counted if c > 1),
        # One stored notification per paid order (a repeat is answered, never stored).
        "notifications_stored": sum(n for _, _, n in counted),
    }


def backdate(run: str) -> int:
    """End now the reservations of the run's unpaid orders (as if 15 minutes had passed)."""
    benchlib.django_setup()
    from django.utils import timezone

    from gelar.orders.models import Order

    return Order.objects.filter(
        checkout__idempotency_key__startswith=f"drill-{run}-", status="awaiting_payment"
    ).update(reserved_until=timezone.now())


def reservations(run: str, product_id: int) -> dict:
    benchlib.django_setup()
    from gelar.catalog.models import Product
    from gelar.orders.models import Order

    statuses = Counter(
        Order.objects.filter(checkout__idempotency_key__startswith=f"drill-{run}-").values_list(
            "status", flat=True
        )
    )
    stock = Product.objects.values_list("stock", flat=True).get(pk=product_id)
    return {"statuses": dict(statuses), "stock": stock}


# --- HTTP (standard library only) ---------------------------------------------------


class Connection:
    """One keep-alive HTTP/1.1 connection to nginx from its own loopback address."""

    def __init__(self, source: str, timeout: float):
        self.source, self.timeout = source, timeout
        self.reader = self.writer = None
        self.headers: dict[str, str] = {}

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None

    async def request(self, method: str, path: str, body: bytes = b"", headers: dict | None = None):
        """(status, body) or raises OSError/TimeoutError/IncompleteReadError/ValueError."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.wait_for(
                asyncio.open_connection(HOST, PORT, local_addr=(self.source, 0)), self.timeout
            )
        head = f"{method} {path} HTTP/1.1\r\nHost: {HOST}:{PORT}\r\nAccept: application/json\r\n"
        for name, value in (headers or {}).items():
            head += f"{name}: {value}\r\n"
        if body:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        self.writer.write((head + "\r\n").encode() + body)
        try:
            answer = await asyncio.wait_for(benchlib.read_response(self.reader), self.timeout)
        except BaseException:
            self.close()
            raise
        self.headers = answer.headers
        if not answer.keep_alive:
            self.close()
        return answer.status, answer.body


class Book:
    """What the buyers were told: every answer and every try, and the 201s' tokens."""

    def __init__(self, started: float):
        self.started = started
        self.statuses: Counter[str] = Counter()  # every answer or error, retries included
        self.kinds: dict[str, Counter[str]] = defaultdict(Counter)  # the same by request kind
        self.outcomes: Counter[str] = Counter()  # each buyer's last answer
        self.created: dict[str, str] = {}  # key -> token
        self.events: list[tuple[float, str, str]] = []  # (s since start, kind, status)
        self.latencies: list[float] = []
        # With --pay: the orders of each 201, for Midtrans to pay (number, total).
        self.to_pay: asyncio.Queue[tuple[str, int] | None] = asyncio.Queue()

    def note(self, kind: str, status: str, latency: float) -> None:
        self.statuses[status] += 1
        self.kinds[kind][status] += 1
        self.events.append((round(time.perf_counter() - self.started, 3), kind, status))
        self.latencies.append(latency)


async def buy(book: Book, args, i: int, deadline: float) -> None:
    """One buyer's checkout, from the buyer's own address and connection, repeated with
    its key after a 5xx, a lost connection or a 429 (waiting what Retry-After says, at
    most 10 s), until another answer, ATTEMPTS tries or the deadline."""
    key = f"drill-{args.run}-{i}"
    method = "gateway" if getattr(args, "pay", False) else "transfer"
    body = benchlib.checkout_body(i, args.booth, args.product, method)
    path = f"/api/v1/expos/{args.expo}/checkout"
    conn = Connection(_source(i), args.timeout)
    outcome = "not sent"
    for attempt in range(ATTEMPTS):
        if time.perf_counter() > deadline:
            outcome = "deadline"
            break
        sent = time.perf_counter()
        try:
            status, data = await conn.request("POST", path, body, {"Idempotency-Key": key})
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as error:
            book.note("checkout", type(error).__name__, time.perf_counter() - sent)
            outcome = type(error).__name__
            await asyncio.sleep(0.2 * (attempt + 1))
            continue
        outcome = _label(status, conn)
        book.note("checkout", outcome, time.perf_counter() - sent)
        if status == 201:
            checkout = json.loads(data)
            book.created[key] = checkout["token"]
            if method == "gateway":
                for order in checkout["orders"]:
                    book.to_pay.put_nowait((order["number"], order["total"]))
        if status not in RETRYABLE and status != 429:
            break
        wait = conn.headers.get("retry-after", "")
        await asyncio.sleep(min(int(wait), 10) if wait.isdigit() else 0.2 * (attempt + 1))
    conn.close()
    book.outcomes[outcome] += 1


class Midtrans:
    """Midtrans' side of the sale (it cannot be reached from here; its documented
    contract: docs.midtrans.com/docs/https-notification-webhooks): each order a buyer was
    told of is paid by QRIS, and Midtrans posts its settlement notification, signed with
    the server key, to the notification URL -- again after a 5xx or a lost connection, as
    Midtrans retries, and once more after the 200, as Midtrans may repeat a notification.
    A few connections from 127.0.0.1, as Midtrans sends from a few addresses of its own."""

    PATH = "/api/v1/payments/midtrans/notification"

    def __init__(self, book: Book, args, server_key: str):
        self.book, self.args, self.server_key = book, args, server_key
        self.paid: dict[str, str] = {}  # order number -> action of its first 200
        self.repeats: Counter[str] = Counter()  # action answered to the repeat
        self.failed: Counter[str] = Counter()  # last answer of a notification never taken

    def payload(self, number: str, total: int) -> bytes:
        gross = f"{total}.00"
        signature = hashlib.sha512(f"{number}200{gross}{self.server_key}".encode()).hexdigest()
        now = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7)))
        stamp = now.strftime("%Y-%m-%d %H:%M:%S")
        return json.dumps(
            {
                "transaction_type": "on-us",
                "transaction_time": stamp,
                "transaction_status": "settlement",
                "transaction_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"drill:{number}")),
                "status_message": "midtrans payment notification",
                "status_code": "200",
                "signature_key": signature,
                "settlement_time": stamp,
                "payment_type": "qris",
                "order_id": number,
                "merchant_id": "G000000000",
                "issuer": "gopay",
                "gross_amount": gross,
                "fraud_status": "accept",
                "currency": "IDR",
                "acquirer": "gopay",
            }
        ).encode()

    async def notify(self, conn: Connection, body: bytes) -> tuple[str, str]:
        """(status, action): one notification, repeated until an answer that is not a 5xx."""
        status = "not sent"
        for attempt in range(ATTEMPTS):
            sent = time.perf_counter()
            try:
                code, data = await conn.request("POST", self.PATH, body)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as error:
                status = type(error).__name__
                self.book.note("notification", status, time.perf_counter() - sent)
                await asyncio.sleep(0.2 * (attempt + 1))
                continue
            status = _label(code, conn)
            self.book.note("notification", status, time.perf_counter() - sent)
            if code == 200:
                try:
                    return status, json.loads(data)["action"]
                except (ValueError, KeyError, TypeError):
                    return "200 without an action", ""
            if code not in RETRYABLE:
                break
            await asyncio.sleep(0.2 * (attempt + 1))
        return status, ""

    async def sender(self, deadline: float) -> None:
        conn = Connection("127.0.0.1", self.args.timeout)
        while (item := await self.book.to_pay.get()) is not None:
            number, total = item
            if time.perf_counter() > deadline:
                self.failed["deadline"] += 1
                continue
            body = self.payload(number, total)
            status, action = await self.notify(conn, body)
            if not action:
                self.failed[status] += 1
                continue
            self.paid[number] = action
            _, repeat = await self.notify(conn, body)
            self.repeats[repeat or "not answered 200"] += 1
        conn.close()


def _label(status: int, conn: Connection) -> str:
    """The status, and for a 503 whether it said when to come back."""
    if status == 503 and "retry-after" not in conn.headers:
        return "503 without Retry-After"
    return str(status)


def _source(n: int) -> str:
    return f"127.0.0.{2 + n % 253}"


async def race(args) -> dict:
    """N buyers at once over C connections; writes the answers so far to --progress."""
    start = time.perf_counter()
    deadline = start + args.deadline
    book = Book(start)
    buyers: asyncio.Queue[int] = asyncio.Queue()
    for i in range(args.buyers):
        buyers.put_nowait(i)

    async def connection(n: int) -> None:
        while time.perf_counter() < deadline:
            try:
                i = buyers.get_nowait()
            except asyncio.QueueEmpty:
                break
            await buy(book, args, i, deadline)

    async def progress() -> None:
        while True:
            if args.progress:
                with open(args.progress + ".tmp", "w") as f:
                    f.write(str(sum(book.statuses.values())))
                os.replace(args.progress + ".tmp", args.progress)
            await asyncio.sleep(0.05)

    reporter = asyncio.create_task(progress())
    midtrans = None
    if args.pay:
        midtrans = Midtrans(book, args, _server_key())
        senders = [asyncio.create_task(midtrans.sender(deadline)) for _ in range(NOTIFIERS)]
    await asyncio.gather(*(connection(n) for n in range(args.connections)))
    if midtrans is not None:
        for _ in senders:
            book.to_pay.put_nowait(None)
        await asyncio.gather(*senders)
    reporter.cancel()
    result = _summary(book, start, not_sent=buyers.qsize())
    if midtrans is not None:
        result["paid"] = midtrans.paid
        result["repeats"] = dict(midtrans.repeats)
        result["payments_failed"] = dict(midtrans.failed)
    return result


def _server_key() -> str:
    """The topology's Midtrans server key (MIDTRANS_SERVER_KEY_FILE, from its gelar.env)."""
    path = os.environ.get("MIDTRANS_SERVER_KEY_FILE", "")
    key = open(path).read().strip() if path else os.environ.get("MIDTRANS_SERVER_KEY", "")
    if not key:
        raise SystemExit("--pay needs the topology's MIDTRANS_SERVER_KEY(_FILE)")
    return key


async def traffic(args) -> dict:
    """Steady traffic for S seconds: C readers each on one connection, asking in turn for
    the expo page, an API read and the booth page (and the live session's polling
    endpoint with --live), and 4 (--buyers) buyers one after the other, each with a
    checkout of its own. Every answer is kept with its time, so the drill can tell what happened
    during an outage; readers never wait, so they see the recovery when it happens."""
    start, started_epoch = time.perf_counter(), time.time()
    stop = start + args.seconds
    book = Book(start)
    paths = [
        ("page", f"/expo/{args.expo}/"),
        ("api", f"/api/v1/expos/{args.expo}/products?limit=5"),
        ("page", f"/expo/{args.expo}/stan/{args.booth}/"),
    ]
    if args.live:
        paths.append(("poll", f"/api/v1/live/sessions/{args.live}"))
    buyer = iter(range(MAX_BUYERS))

    async def reader(n: int) -> None:
        conn = Connection(_source(n), args.timeout)
        turn = n
        while time.perf_counter() < stop:
            turn += 1
            kind, path = paths[turn % len(paths)]
            sent = time.perf_counter()
            try:
                status, _ = await conn.request("GET", path)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as error:
                book.note(kind, type(error).__name__, time.perf_counter() - sent)
                await asyncio.sleep(0.1)
                continue
            book.note(kind, _label(status, conn), time.perf_counter() - sent)
            await asyncio.sleep(args.pause)
        conn.close()

    async def buyers() -> None:
        while time.perf_counter() < stop:
            i = next(buyer, None)
            if i is None:
                return
            await buy(book, args, i, stop + 30)

    await asyncio.gather(
        *(reader(n) for n in range(args.connections)), *(buyers() for _ in range(args.buyers))
    )
    result = _summary(book, start, not_sent=0)
    result["events"] = book.events
    result["started_epoch"] = started_epoch
    return result


async def reserve(args) -> dict:
    start = time.perf_counter()
    book = Book(start)
    for i in range(args.orders):
        await buy(book, args, i, start + 60)
    return _summary(book, start, not_sent=0)


async def ws_probe(session_id: int, timeout: float) -> dict:
    """Open the live socket through nginx as live.js does; ok when the snapshot arrives."""
    import websockets

    started = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            async with websockets.connect(
                f"ws://{HOST}:{PORT}/ws/live/{session_id}/", origin=f"http://{HOST}:{PORT}"
            ) as socket:
                hello = json.loads(await socket.recv())
        ok, detail = hello.get("type") == "snapshot", hello.get("type")
    except Exception as error:  # refused, closed by the server, timed out
        ok, detail = False, f"{type(error).__name__}: {error}"[:120]
    return {"ok": ok, "detail": detail, "ms": round(1000 * (time.perf_counter() - started))}


def timeline(path: str, down: float, up: float, what: str = "database") -> dict:
    """Split a traffic run's answers into before the outage, during it (from `down` until
    the first good answer after `up`, both epoch seconds) and after; a line per second."""
    with open(path) as f:
        run = json.load(f)
    t0 = run["started_epoch"]
    good = ("200", "201")
    after_up = [at for at, _, status in run["events"] if t0 + at >= up and status in good]
    recovered = t0 + min(after_up) if after_up else float("inf")
    phases = {"before": Counter(), "during": Counter(), "after": Counter()}
    seconds: dict[int, Counter] = {}
    for at, _, status in run["events"]:
        when = t0 + at
        phase = "before" if when < down else "during" if when < recovered else "after"
        phases[phase][status] += 1
        seconds.setdefault(int(at), Counter())[status] += 1
    lines = []
    for second in sorted(seconds):
        counts = seconds[second]
        mark = ""
        if t0 + second <= down < t0 + second + 1:
            mark += f" <- {what} stopped"
        if t0 + second <= up < t0 + second + 1:
            mark += f" <- {what} started"
        lines.append(
            f"  {second:3d} s  " + "  ".join(f"{k} x{v}" for k, v in sorted(counts.items())) + mark
        )
    errors = {k: v for k, v in (phases["before"] + phases["during"] + phases["after"]).items()}
    return {
        "before": dict(phases["before"]),
        "during": dict(phases["during"]),
        "after": dict(phases["after"]),
        "outage_s": round(up - down, 1),
        "recovered_s_after_start": round(recovered - up, 2) if after_up else None,
        "count_500": errors.get("500", 0),
        "count_502_504": errors.get("502", 0) + errors.get("504", 0),
        "count_503": errors.get("503", 0),
        "count_503_without_retry_after": errors.get("503 without Retry-After", 0),
        "connection_errors": sum(v for k, v in errors.items() if not k[:3].isdigit()),
        # A 409 (sold out) and a 429 (the per-address checkout budget) are answers too.
        "bad_after": sum(v for k, v in phases["after"].items() if k not in ANSWERS),
        "bad_before": sum(v for k, v in phases["before"].items() if k not in ANSWERS),
        "count_429": errors.get("429", 0),
        "lines": lines,
    }


def _summary(book: Book, start: float, *, not_sent: int) -> dict:
    return {
        "elapsed_s": time.perf_counter() - start,
        "statuses": dict(sorted(book.statuses.items())),
        "by_kind": {kind: dict(sorted(found.items())) for kind, found in book.kinds.items()},
        "outcomes": dict(sorted(book.outcomes.items())),
        "created": book.created,
        "not_sent": not_sent,
        **benchlib.percentiles(book.latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("setup")
    p.add_argument("--stock", type=int, required=True)
    p.add_argument("--run", required=True)
    p = commands.add_parser("count")
    p.add_argument("product", type=int)
    p.add_argument("--stock", type=int, required=True)
    p.add_argument("--run", required=True)
    p.add_argument("--answers", nargs="+", required=True)
    for name in ("race", "traffic", "reserve"):
        p = commands.add_parser(name)
        p.add_argument("expo")
        p.add_argument("booth")
        p.add_argument("product", type=int)
        p.add_argument("--run", required=True)
        p.add_argument("--timeout", type=float, default=20, help="seconds per request")
        p.add_argument("--connections", type=int, default=32)
        if name == "race":
            p.add_argument("--buyers", type=int, default=1000)
            p.add_argument("--deadline", type=float, default=120)
            p.add_argument("--progress", default="")
            p.add_argument("--pay", action="store_true", help="paid online: Midtrans notifies")
        elif name == "traffic":
            p.add_argument("--seconds", type=float, required=True)
            p.add_argument("--pause", type=float, default=0.05)
            p.add_argument("--live", type=int, default=0)
            p.add_argument("--buyers", type=int, default=4, help="buyers at once (0-16)")
        else:
            p.add_argument("--orders", type=int, required=True)
    p = commands.add_parser("timeline")
    p.add_argument("traffic")
    p.add_argument("--down", type=float, required=True)
    p.add_argument("--up", type=float, required=True)
    p.add_argument("--what", default="database")
    p = commands.add_parser("ws-probe")
    p.add_argument("session", type=int)
    p.add_argument("--timeout", type=float, default=5)
    for name in ("backdate", "reservations"):
        p = commands.add_parser(name)
        p.add_argument("--run", required=True)
        if name == "reservations":
            p.add_argument("product", type=int)
    args = parser.parse_args()

    if args.command == "setup":
        setup(args.stock, args.run)
    elif args.command == "count":
        print(json.dumps(count(args.product, args.stock, args.run, args.answers)))
    elif args.command == "timeline":
        print(json.dumps(timeline(args.traffic, args.down, args.up, args.what)))
    elif args.command == "ws-probe":
        print(json.dumps(asyncio.run(ws_probe(args.session, min(args.timeout, 30)))))
    elif args.command == "backdate":
        print(backdate(args.run))
    elif args.command == "reservations":
        print(json.dumps(reservations(args.run, args.product)))
    else:
        if not 1 <= args.connections <= 256:
            raise SystemExit("--connections: 1 to 256")
        if args.command == "race":
            if not 1 <= args.buyers <= MAX_BUYERS:
                raise SystemExit(f"--buyers: 1 to {MAX_BUYERS}")
            args.deadline = min(args.deadline, 180)
            print(json.dumps(asyncio.run(race(args))))
        elif args.command == "traffic":
            args.seconds = min(args.seconds, 300)
            args.buyers = max(0, min(args.buyers, 16))
            print(json.dumps(asyncio.run(traffic(args))))
        else:
            if not 1 <= args.orders <= 200:
                raise SystemExit("--orders: 1 to 200")
            print(json.dumps(asyncio.run(reserve(args))))


if __name__ == "__main__":
    main()
