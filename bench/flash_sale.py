"""Helpers of bench/flash_sale.sh: the smallest sale, the buyers, the count.

    python bench/flash_sale.py setup --stock 100      (Django: prints expo, booth, product)
    python bench/flash_sale.py race URL EXPO BOOTH PRODUCT --buyers 1000 --connections 64
    python bench/flash_sale.py count PRODUCT --stock 100 (Django: orders and stock after)
    python bench/flash_sale.py report RACE.json COUNT.json PGBENCH.txt PGBENCH_LOG... --5xx N
    python bench/flash_sale.py compare RACE.json COUNT.json TOPO_RACE.json TOPO_COUNT.json

`race` uses only the standard library (asyncio streams, HTTP/1.1 keep-alive) and
sends to 127.0.0.1 only: each buyer posts one checkout of quantity 1 with its own
Idempotency-Key. It is bounded: at most 2,000 buyers, a timeout per request and a
deadline for the whole race. It prints one JSON object with what it saw.
"""

import argparse
import asyncio
import json
import os
import sys
import time
import urllib.parse
from collections import Counter

import benchlib

MAX_BUYERS = 2000


# --- Django parts -------------------------------------------------------------------


def setup(stock: int, suffix: str = "") -> None:
    """An organizer, a published expo, one accepted online booth paid by transfer, one
    product; `suffix` tells its slugs apart in a database that holds more (the topology's)."""
    benchlib.django_setup()
    import datetime

    from django.db import transaction

    with transaction.atomic():
        _, expo = benchlib.organizer_and_expo(
            f"flash-sale-expo{suffix}",
            "Flash Sale Expo",
            datetime.date(2026, 12, 1),
            datetime.date(2026, 12, 2),
        )
        exhibitor, product = benchlib.online_booth(
            expo,
            f"batik-kilat{suffix}",
            name="Batik Kilat",
            product="Kemeja Batik Edisi Terbatas",
            stock=stock,
        )
    print(expo.slug, exhibitor.slug, product.pk)


def count(product_id: int, stock: int) -> None:
    """What the database holds after the race, as JSON."""
    benchlib.django_setup()
    from django.db.models import Count, Sum

    from gelar.catalog.models import Product
    from gelar.orders.models import Checkout, Order, OrderLine

    lines = OrderLine.objects.filter(product_id=product_id).aggregate(
        sold=Sum("quantity"), orders=Count("order", distinct=True)
    )
    sold = lines["sold"] or 0
    product = Product.objects.get(pk=product_id)
    left = product.stock
    print(
        json.dumps(
            {
                # The sale's booth only: the topology's database holds the demo's orders.
                "orders": Order.objects.filter(exhibitor_id=product.exhibitor_id).count(),
                "orders_with_product": lines["orders"],
                "checkouts": Checkout.objects.filter(orders__exhibitor_id=product.exhibitor_id)
                .distinct()
                .count(),
                "sold": sold,
                "stock_left": left,
                "oversold": max(0, sold - stock),
                # Every unit is either sold or still in stock: none lost, none invented.
                "consistent": sold + left == stock and left >= 0,
            }
        )
    )


# --- the buyers (standard library only) ---------------------------------------------


async def _race(args) -> dict:
    url = urllib.parse.urlsplit(args.url)
    if url.hostname != "127.0.0.1":
        raise SystemExit("the race only sends to 127.0.0.1")
    path = f"/api/v1/expos/{args.expo}/checkout"
    buyers: asyncio.Queue[int] = asyncio.Queue()
    for i in range(args.buyers):
        buyers.put_nowait(i)
    results: list[tuple[int, float, float]] = []  # (status, latency s, done at s)
    errors: Counter[str] = Counter()
    start = time.perf_counter()
    deadline = start + args.deadline

    async def connection(n: int) -> None:
        reader = writer = None
        # --sources N: connection n from 127.0.0.(2 + n % N), as many buyers on many
        # addresses meet the per-address checkout budget (the topology keeps it on).
        local = (f"127.0.0.{2 + n % args.sources}", 0) if args.sources else None
        while time.perf_counter() < deadline:
            try:
                i = buyers.get_nowait()
            except asyncio.QueueEmpty:
                break
            body = benchlib.checkout_body(i, args.booth, args.product)
            request = (
                f"POST {path} HTTP/1.1\r\nHost: {url.netloc}\r\n"
                "Content-Type: application/json\r\nAccept: application/json\r\n"
                f"Idempotency-Key: flash-{args.run}-{i}\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode() + body
            sent = time.perf_counter()
            try:
                if writer is None:
                    reader, writer = await asyncio.wait_for(
                        asyncio.open_connection(url.hostname, url.port, local_addr=local),
                        args.timeout,
                    )
                writer.write(request)
                answer = await asyncio.wait_for(benchlib.read_response(reader), args.timeout)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as e:
                errors[type(e).__name__] += 1
                if writer is not None:
                    writer.close()
                reader = writer = None
                continue
            done = time.perf_counter()
            results.append((answer.status, done - sent, done - start))
            if not answer.keep_alive:
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    await asyncio.gather(*(connection(n) for n in range(args.connections)))
    elapsed = time.perf_counter() - start
    created = sorted(at for status, _, at in results if status == 201)
    statuses = Counter(status for status, _, _ in results)
    return {
        "buyers": args.buyers,
        "sent": len(results) + sum(errors.values()),
        "answered": len(results),
        "not_sent": buyers.qsize(),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": dict(errors),
        "elapsed_s": elapsed,
        # From the first request to the response of the last successful checkout.
        "sell_out_s": created[-1] if created else None,
        "orders_per_s": len(created) / created[-1] if created else 0.0,
        "requests_per_s": len(results) / elapsed if elapsed else 0.0,
        **benchlib.percentiles([latency for _, latency, _ in results]),
    }


# --- the table ----------------------------------------------------------------------


def report(args) -> None:
    with open(args.race) as f:
        race = json.load(f)
    with open(args.count) as f:
        db = json.load(f)
    pg = benchlib.pgbench_summary(args.pgbench, args.pgbench_logs)
    statuses = dict(race["statuses"])
    ok, sold_out = statuses.pop("201", 0), statuses.pop("409", 0)
    other = sum(statuses.values()) + sum(race["errors"].values()) + race["not_sent"]
    other_note = ", ".join(
        [f"{n} x HTTP {s}" for s, n in statuses.items()]
        + [f"{n} x {e}" for e, n in race["errors"].items()]
        + ([f"{race['not_sent']} not sent (deadline)"] if race["not_sent"] else [])
    )
    checks = []

    def check(label: str, good: bool) -> str:
        checks.append(good)
        return label if good else f"{label}  <-- WRONG"

    consistent = "yes" if db["consistent"] else "no"
    tps, elapsed = f"{pg['tps']:.1f}", f"{race['elapsed_s']:.2f} s in all"
    slowest = f"max {race['max_ms']:.0f} ms"
    rows = [
        ("buyers (one checkout of 1 each)", f"{race['buyers']}", "", ""),
        ("stock before", f"{args.stock}", "", ""),
        ("orders created (database)", check(str(db["orders"]), db["orders"] == args.stock), "", ""),
        ("units sold / stock left", f"{db['sold']} / {db['stock_left']}", "", ""),
        ("oversold", check(str(db["oversold"]), db["oversold"] == 0), "", ""),
        ("sold + left == stock, left >= 0", check(consistent, db["consistent"]), "", ""),
        ("HTTP 201 (order)", check(str(ok), ok == db["orders"]), "", ""),
        ("HTTP 409 (out of stock)", check(str(sold_out), ok + sold_out == race["buyers"]), "", ""),
        ("other statuses / errors", check(str(other), other == 0), "", other_note),
        ("server 5xx (its access log)", check(str(args.server_5xx), args.server_5xx == 0), "", ""),
        ("time to sell out | run", f"{race['sell_out_s'] or 0:.2f} s", f"{pg['seconds']} s", ""),
        ("orders/s (201s until sold out) | tps", f"{race['orders_per_s']:.1f}", tps, ""),
        ("requests/s (all answers)", f"{race['requests_per_s']:.1f}", "", elapsed),
        ("latency p50 ms", f"{race['p50_ms']:.1f}", f"{pg['p50_ms']:.2f}", ""),
        ("latency p95 ms", f"{race['p95_ms']:.1f}", f"{pg['p95_ms']:.2f}", ""),
        ("latency p99 ms", f"{race['p99_ms']:.1f}", f"{pg['p99_ms']:.2f}", slowest),
        ("transactions | failed", "", f"{pg['transactions']} | {pg['failed']}", ""),
    ]
    header = ("", "checkout (HTTP)", "pgbench hot row", "notes")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
    for row in [header, *rows]:
        line = f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]:>{widths[2]}}  {row[3]}"
        print(line.rstrip())
    ratio = race["orders_per_s"] / pg["tps"] if pg["tps"] else 0.0
    print(f"\norders/s over pgbench tps: {ratio:.3f} (1 : {1 / ratio:.0f})" if ratio else "")
    print("checks: " + ("all passed" if all(checks) else "FAILED (see WRONG)"))
    if not all(checks):
        sys.exit(1)


def compare(args) -> None:
    """The same race on one server and through the topology, side by side."""
    runs = []
    for race_path, count_path in ((args.race, args.count), (args.topo_race, args.topo_count)):
        with open(race_path) as f, open(count_path) as g:
            runs.append((json.load(f), json.load(g)))
    (one, one_db), (topo, topo_db) = runs

    def statuses(race: dict) -> str:
        return ", ".join(f"{n} x {s}" for s, n in race["statuses"].items()) or "-"

    def both(key: str, digits: int = 1) -> tuple[str, str]:
        return f"{one[key] or 0:.{digits}f}", f"{topo[key] or 0:.{digits}f}"

    rows = [
        ("orders created (database)", one_db["orders"], topo_db["orders"]),
        ("oversold", one_db["oversold"], topo_db["oversold"]),
        ("sold + left == stock", one_db["consistent"], topo_db["consistent"]),
        ("answers", statuses(one), statuses(topo)),
        ("5xx (server / nginx log)", args.server_5xx, args.topo_5xx),
        ("time to sell out (s)", *both("sell_out_s", 2)),
        ("orders/s (201s until sold out)", *both("orders_per_s")),
        ("requests/s (all answers)", *both("requests_per_s")),
        ("latency p50 ms", *both("p50_ms")),
        ("latency p95 ms", *both("p95_ms")),
        ("latency p99 ms", *both("p99_ms")),
    ]
    header = ("", "one server", "topology")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(3)]
    for row in [header, *rows]:
        print(f"{row[0]:<{widths[0]}}  {row[1]!s:>{widths[1]}}  {row[2]!s:>{widths[2]}}")
    good = (
        topo_db["oversold"] == 0
        and topo_db["consistent"]
        and topo_db["orders"] == args.stock
        and args.topo_5xx == 0
    )
    print("topology checks: " + ("all passed" if good else "FAILED"))
    if not good:
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("setup")
    p.add_argument("--stock", type=int, default=100)
    p.add_argument("--suffix", default="", help="appended to the slugs")
    p = commands.add_parser("count")
    p.add_argument("product", type=int)
    p.add_argument("--stock", type=int, default=100)
    p = commands.add_parser("report")
    p.add_argument("race")
    p.add_argument("count")
    p.add_argument("pgbench")
    p.add_argument("pgbench_logs", nargs="*")
    p.add_argument("--stock", type=int, default=100)
    p.add_argument("--5xx", dest="server_5xx", type=int, default=0)
    p = commands.add_parser("compare")
    p.add_argument("race")
    p.add_argument("count")
    p.add_argument("topo_race")
    p.add_argument("topo_count")
    p.add_argument("--stock", type=int, default=100)
    p.add_argument("--5xx", dest="server_5xx", type=int, default=0)
    p.add_argument("--topo-5xx", dest="topo_5xx", type=int, default=0)
    p = commands.add_parser("race")
    p.add_argument("url")
    p.add_argument("expo")
    p.add_argument("booth")
    p.add_argument("product", type=int)
    p.add_argument("--buyers", type=int, default=1000)
    p.add_argument("--connections", type=int, default=64)
    p.add_argument("--timeout", type=float, default=30, help="seconds per request")
    p.add_argument("--deadline", type=float, default=120, help="seconds for the whole race")
    p.add_argument("--run", default=str(os.getpid()), help="makes the idempotency keys unique")
    p.add_argument("--sources", type=int, default=0, help="loopback source addresses (0-253)")
    args = parser.parse_args()
    if args.command == "setup":
        setup(args.stock, args.suffix)
    elif args.command == "report":
        report(args)
    elif args.command == "compare":
        compare(args)
    elif args.command == "count":
        count(args.product, args.stock)
    else:
        if not 1 <= args.buyers <= MAX_BUYERS:
            raise SystemExit(f"--buyers: 1 to {MAX_BUYERS}")
        if not 1 <= args.connections <= 256:
            raise SystemExit("--connections: 1 to 256")
        if not 0 <= args.sources <= 253:
            raise SystemExit("--sources: 0 to 253")
        args.deadline = min(args.deadline, 120)
        print(json.dumps(asyncio.run(_race(args))))


if __name__ == "__main__":
    main()
