"""Helpers of bench/checkin.sh: the tickets, the gates, the counts, the table.

    python bench/checkin.py setup DIR --tickets 10000 --gates 4   (Django: expo, tickets,
                                  gate devices; writes DIR/codes.txt and DIR/tokens.txt)
    python bench/checkin.py online URL DIR                        (the gates scan online)
    python bench/checkin.py count DIR online                      (Django: what the DB holds)
    python bench/checkin.py reset                                 (Django: a new day)
    python bench/checkin.py offline URL DIR --share-twice 0.05    (the gates sync their queues)
    python bench/checkin.py count DIR offline
    python bench/checkin.py report DIR PGBENCH.txt PGBENCH_LOG... --5xx N

The gates use only the standard library (asyncio streams, HTTP/1.1 keep-alive) and send
to 127.0.0.1 only. Online, each gate is one device holding one connection and scanning
one ticket after the other, as a phone at a door does; every ticket is scanned once, at
one gate. Offline, the same tickets after a reset (a new day): each gate has queued its
scans with their nonces and times, 5 % of the tickets at two gates, and all four gates
sync at once in batches of 1,000. Each step prints one JSON object into DIR.
"""

import argparse
import asyncio
import datetime
import json
import os
import random
import sys
import time
import urllib.parse
import zoneinfo
from collections import Counter

import benchlib

MAX_TICKETS = 20_000
MAX_GATES = 8
SYNC_BATCH = 1000
SEED = "gelar-checkin-bench"
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")


# --- Django parts -------------------------------------------------------------------


def setup(directory: str, n_tickets: int, n_gates: int) -> None:
    """An expo open today, one slot around now holding every ticket, the gate devices.

    The tickets are written in bulk (registration is another bench's subject); each has a
    random secret whose code goes to DIR/codes.txt, as the holders' phones would show it.
    """
    benchlib.django_setup()
    from django.db import transaction
    from django.utils import timezone

    from gelar.tickets import services as tickets
    from gelar.tickets.models import Ticket, TimeSlot, new_ticket_secret, secret_hash

    now = timezone.now()
    with transaction.atomic():
        _, expo = benchlib.organizer_and_expo(
            "checkin-expo",
            "Check-in Expo",
            timezone.localdate(now, WIB),
            timezone.localdate(now, WIB) + datetime.timedelta(days=1),
            venue_name="Gedung HA Djunaid Convention Center",
        )
        slot = TimeSlot.objects.create(
            expo=expo,
            name="Bench",
            starts_at=now - datetime.timedelta(hours=2),
            ends_at=now + datetime.timedelta(hours=6),
            capacity=n_tickets,
        )
        secrets = [new_ticket_secret() for _ in range(n_tickets)]
        Ticket.objects.bulk_create(
            [
                Ticket(
                    expo=expo,
                    kind=Ticket.Kind.PUBLIC,
                    slot=slot,
                    number=f"B{i:06d}",
                    secret_hash=secret_hash(secret),
                    holder_name=f"Pengunjung {i}",
                    whatsapp=f"62812{i:08d}",
                )
                for i, secret in enumerate(secrets)
            ],
            batch_size=1000,
        )
        TimeSlot.objects.filter(pk=slot.pk).update(taken=n_tickets)
        tokens = [
            tickets.gate_device_create(expo=expo, actor=None, name=f"Gerbang {chr(65 + g)}")[1]
            for g in range(n_gates)
        ]
    with open(os.path.join(directory, "codes.txt"), "w") as f:
        f.writelines(tickets.ticket_code(secret) + "\n" for secret in secrets)
    with open(os.path.join(directory, "tokens.txt"), "w") as f:
        f.writelines(token + "\n" for token in tokens)
    print(expo.slug, n_tickets, n_gates)


def reset() -> None:
    """A new day for the offline round: no scan, nobody admitted, nobody inside."""
    benchlib.django_setup()
    from django.db import transaction

    from gelar.tickets.models import Scan, Ticket

    with transaction.atomic():
        Scan.objects.all().delete()
        Ticket.objects.update(admitted_at=None, admitted_gate=None, inside=False)


def count(directory: str, phase: str) -> None:
    """What the database holds after a round, as JSON into DIR/count-PHASE.json."""
    benchlib.django_setup()
    from django.db.models import Count, Min

    from gelar.events.models import Expo
    from gelar.tickets import services as tickets
    from gelar.tickets.models import Scan, Ticket

    expo = Expo.objects.get(slug="checkin-expo")
    per_ticket = (
        Scan.objects.filter(result="admitted")
        .values("ticket_id")
        .annotate(n=Count("pk"), first=Min("scanned_at"))
    )
    admitted_scans = {row["ticket_id"]: row for row in per_ticket}
    entries = dict(
        Scan.objects.filter(direction="entry")
        .values("ticket_id")
        .annotate(first=Min("scanned_at"))
        .values_list("ticket_id", "first")
    )
    admitted = Ticket.objects.filter(expo=expo, admitted_at__isnull=False)
    # The admission kept is the ticket's earliest entry, whichever gate synced first.
    not_earliest = sum(
        1
        for pk, at in admitted.values_list("pk", "admitted_at")
        if entries.get(pk) is not None and at != entries[pk]
    )
    result = {
        "tickets": Ticket.objects.filter(expo=expo).count(),
        "scans_stored": Scan.objects.filter(device__expo=expo).count(),
        "tickets_admitted": admitted.count(),
        "tickets_with_admitted_scan": len(admitted_scans),
        "tickets_admitted_twice": sum(1 for row in admitted_scans.values() if row["n"] > 1),
        "admission_not_earliest": not_earliest,
        "conflicts": tickets.conflicts(expo=expo).count(),
        "conflict_tickets": Scan.objects.filter(device__expo=expo, result="conflict")
        .values("ticket_id")
        .distinct()
        .count(),
        "results": dict(
            Counter(Scan.objects.filter(device__expo=expo).values_list("result", flat=True))
        ),
    }
    with open(os.path.join(directory, f"count-{phase}.json"), "w") as f:
        json.dump(result, f)


# --- the gates (standard library only) ------------------------------------------------


class Gate:
    """One device: one keep-alive connection, one request at a time."""

    def __init__(self, url, token: str, timeout: float) -> None:
        self.url, self.token, self.timeout = url, token, timeout
        self.reader = self.writer = None

    async def post(self, path: str, payload) -> tuple[int, dict | None]:
        body = json.dumps(payload).encode()
        request = (
            f"POST {path} HTTP/1.1\r\nHost: {self.url.netloc}\r\n"
            f"Authorization: Bearer {self.token}\r\n"
            "Content-Type: application/json\r\nAccept: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        try:
            if self.writer is None:
                self.reader, self.writer = await asyncio.wait_for(
                    asyncio.open_connection(self.url.hostname, self.url.port), self.timeout
                )
            self.writer.write(request)
            answer = await asyncio.wait_for(benchlib.read_response(self.reader), self.timeout)
        except BaseException:
            self.close()
            raise
        if not answer.keep_alive:
            self.close()
        try:
            return answer.status, json.loads(answer.body) if answer.body else None
        except ValueError:
            return answer.status, None

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _read_lines(path: str) -> list[str]:
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def _check_url(url: str):
    parts = urllib.parse.urlsplit(url)
    if parts.hostname != "127.0.0.1":
        raise SystemExit("the gates only send to 127.0.0.1")
    return parts


async def _online(args) -> dict:
    url = _check_url(args.url)
    codes = _read_lines(os.path.join(args.dir, "codes.txt"))
    tokens = _read_lines(os.path.join(args.dir, "tokens.txt"))
    results: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    errors: Counter[str] = Counter()
    latencies: list[float] = []
    start = time.perf_counter()
    deadline = start + args.deadline

    async def gate(g: int) -> int:
        device = Gate(url, tokens[g], args.timeout)
        scanned = 0
        for i in range(g, len(codes), len(tokens)):
            if time.perf_counter() > deadline:
                break
            payload = {"code": codes[i], "direction": "entry", "nonce": f"online-{g}-{i}"}
            sent = time.perf_counter()
            try:
                status, answer = await device.post("/api/v1/gate/scan", payload)
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as e:
                errors[type(e).__name__] += 1
                continue
            latencies.append(time.perf_counter() - sent)
            statuses[status] += 1
            scanned += 1
            if status == 200 and answer:
                results[answer.get("result", "?")] += 1
        device.close()
        return scanned

    scanned = await asyncio.gather(*(gate(g) for g in range(len(tokens))))
    elapsed = time.perf_counter() - start
    return {
        "gates": len(tokens),
        "tickets": len(codes),
        "answered": sum(scanned),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "results": dict(results),
        "errors": dict(errors),
        "elapsed_s": elapsed,
        "scans_per_s": sum(scanned) / elapsed if elapsed else 0.0,
        **benchlib.percentiles(latencies),
    }


def plan_queues(n_codes: int, n_gates: int, share_twice: float, now: datetime.datetime):
    """Each gate's offline queue: (ticket index, nonce, scanned_at) in scanned_at order.

    n_codes scans in all: T tickets once or twice with T * (1 + share) = n_codes, the
    tickets scanned twice at two different gates, the second scan later than the first.
    Times fall in the last 50 minutes (inside the slot, within the server's clock rules).
    """
    rng = random.Random(SEED)
    distinct = round(n_codes / (1 + share_twice))
    twice = set(rng.sample(range(distinct), n_codes - distinct))
    queues: list[list[tuple[int, str, datetime.datetime]]] = [[] for _ in range(n_gates)]
    span = 50 * 60

    def at(seconds: float) -> datetime.datetime:
        return now - datetime.timedelta(seconds=span - seconds)

    for i in range(distinct):
        first_gate = rng.randrange(n_gates)
        first = rng.uniform(0, span - 120)
        queues[first_gate].append((i, at(first)))
        if i in twice:
            other = (first_gate + rng.randrange(1, n_gates)) % n_gates
            queues[other].append((i, at(rng.uniform(first + 1, span))))
    planned = []
    for g, queue in enumerate(queues):
        queue.sort(key=lambda item: item[1])
        planned.append([(i, f"offline-{g}-{k}", when) for k, (i, when) in enumerate(queue)])
    return planned, distinct, len(twice)


async def _offline(args) -> dict:
    url = _check_url(args.url)
    codes = _read_lines(os.path.join(args.dir, "codes.txt"))
    tokens = _read_lines(os.path.join(args.dir, "tokens.txt"))
    now = datetime.datetime.now(datetime.UTC)
    queues, distinct, twice = plan_queues(len(codes), len(tokens), args.share_twice, now)
    results: Counter[str] = Counter()
    statuses: Counter[int] = Counter()
    errors: Counter[str] = Counter()
    latencies: list[float] = []
    answered_items = 0
    first_answers: dict[str, dict] = {}

    def batches(g: int):
        queue = queues[g]
        for start in range(0, len(queue), SYNC_BATCH):
            yield [
                {
                    "nonce": nonce,
                    "code": codes[i],
                    "direction": "entry",
                    "scanned_at": when.isoformat(),
                }
                for i, nonce, when in queue[start : start + SYNC_BATCH]
            ]

    async def gate(g: int) -> None:
        nonlocal answered_items
        device = Gate(url, tokens[g], args.timeout)
        for batch in batches(g):
            sent = time.perf_counter()
            try:
                status, answer = await device.post("/api/v1/gate/sync", {"scans": batch})
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as e:
                errors[type(e).__name__] += 1
                continue
            latencies.append(time.perf_counter() - sent)
            statuses[status] += 1
            if status == 200 and answer:
                for item in answer.get("results", []):
                    answered_items += 1
                    results[item.get("result", "?")] += 1
                    if g == 0:
                        first_answers[item.get("nonce")] = item
        device.close()

    start = time.perf_counter()
    await asyncio.gather(*(gate(g) for g in range(len(tokens))))
    elapsed = time.perf_counter() - start

    # The first gate syncs its first batch again, twice (a retry after a lost answer):
    # both repeats must give the same answers -- the stored outcomes -- and store nothing
    # (`count` checks that exactly the queued scans are stored). Not the FIRST answers:
    # an entry first answered "admitted" becomes a conflict when another gate's earlier
    # entry syncs after it (docs/adr/0008). Their results are not counted above.
    repeat = next(batches(0))
    repeats = []
    for _ in range(2):
        device = Gate(url, tokens[0], args.timeout)
        status, answer = await device.post("/api/v1/gate/sync", {"scans": repeat})
        device.close()
        again = answer.get("results", []) if status == 200 and answer else []
        repeats.append({item.get("nonce"): item.get("result") for item in again})
    same = sum(
        1
        for nonce, result in repeats[0].items()
        if nonce in first_answers and repeats[1].get(nonce) == result
    )
    return {
        "gates": len(tokens),
        "queued": sum(len(q) for q in queues),
        "per_gate": [len(q) for q in queues],
        "tickets": distinct,
        "tickets_twice": twice,
        "requests": sum(statuses.values()),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": dict(errors),
        "answered_items": answered_items,
        "results": dict(results),
        "elapsed_s": elapsed,
        "scans_per_s": answered_items / elapsed if elapsed else 0.0,
        "repeat_sent": len(repeat),
        "repeat_same": same,
        "repeat_status": status,
        **benchlib.percentiles(latencies),
    }


# --- the table ------------------------------------------------------------------------


def _load(directory: str, name: str) -> dict:
    with open(os.path.join(directory, name)) as f:
        return json.load(f)


def report(args) -> None:
    online = _load(args.dir, "online.json")
    offline = _load(args.dir, "offline.json")
    db_on = _load(args.dir, "count-online.json")
    db_off = _load(args.dir, "count-offline.json")
    pg = benchlib.pgbench_summary(args.pgbench, args.pgbench_logs)
    checks = []

    def check(value, good: bool) -> str:
        checks.append(good)
        return str(value) if good else f"{value}  <-- WRONG"

    n = online["tickets"]
    on_admitted = online["results"].get("admitted", 0)
    on_other = online["answered"] - on_admitted + sum(online["errors"].values())
    off_rejected = offline["results"].get("rejected", 0)
    lost = offline["queued"] - db_off["scans_stored"]
    rows = [
        ("ONLINE: tickets, one scan each", f"{n} at {online['gates']} gates", ""),
        ("  answered 'admitted'", check(on_admitted, on_admitted == n), ""),
        ("  other answers / errors", check(on_other, on_other == 0), str(online["statuses"])),
        (
            "  tickets admitted (database)",
            check(db_on["tickets_admitted"], db_on["tickets_admitted"] == n),
            "",
        ),
        (
            "  scans/s (4 gates at once)",
            f"{online['scans_per_s']:.1f}",
            f"{online['elapsed_s']:.1f} s",
        ),
        (
            "  latency p50 / p95 / p99 ms",
            f"{online['p50_ms']:.1f} / {online['p95_ms']:.1f} / {online['p99_ms']:.1f}",
            f"max {online['max_ms']:.0f}",
        ),
        (
            "OFFLINE: queued scans",
            f"{offline['queued']}",
            "per gate " + "/".join(map(str, offline["per_gate"])),
        ),
        (
            "  tickets (of them at two gates)",
            f"{offline['tickets']} ({offline['tickets_twice']})",
            "",
        ),
        (
            "  sync requests (<= 1000 scans)",
            check(offline["requests"], offline["statuses"] == {"200": offline["requests"]}),
            str(offline["statuses"]),
        ),
        (
            "  sync time, all gates at once",
            f"{offline['elapsed_s']:.2f} s",
            f"{offline['scans_per_s']:.0f} scans/s",
        ),
        (
            "  request latency p50 / max ms",
            f"{offline['p50_ms']:.0f} / {offline['max_ms']:.0f}",
            "",
        ),
        (
            "  items answered",
            check(offline["answered_items"], offline["answered_items"] == offline["queued"]),
            "",
        ),
        ("  rejected items", check(off_rejected, off_rejected == 0), ""),
        (
            "  admissions (database)",
            check(db_off["tickets_admitted"], db_off["tickets_admitted"] == offline["tickets"]),
            "one per ticket",
        ),
        (
            "  tickets admitted twice",
            check(db_off["tickets_admitted_twice"], db_off["tickets_admitted_twice"] == 0),
            "",
        ),
        (
            "  admission not the earliest entry",
            check(db_off["admission_not_earliest"], db_off["admission_not_earliest"] == 0),
            "",
        ),
        (
            "  conflicts reported (console)",
            check(db_off["conflicts"], db_off["conflicts"] == offline["tickets_twice"]),
            f"on {db_off['conflict_tickets']} tickets",
        ),
        ("  scans lost", check(lost, lost == 0), f"{db_off['scans_stored']} stored"),
        (
            "  repeated sync twice: same answers",
            check(
                f"{offline['repeat_same']} / {offline['repeat_sent']}",
                offline["repeat_same"] == offline["repeat_sent"],
            ),
            "",
        ),
        ("server 5xx (its access log)", check(args.server_5xx, args.server_5xx == 0), ""),
        (
            "BASELINE pgbench: tps",
            f"{pg['tps']:.0f}",
            f"{pg['transactions']} in {pg['seconds']} s, {pg['failed']} failed",
        ),
        (
            "  latency p50 / p95 / p99 ms",
            f"{pg['p50_ms']:.2f} / {pg['p95_ms']:.2f} / {pg['p99_ms']:.2f}",
            "",
        ),
    ]
    widths = [max(len(str(r[i])) for r in rows) for i in range(3)]
    for row in rows:
        print(f"{row[0]:<{widths[0]}}  {row[1]:>{widths[1]}}  {row[2]}".rstrip())
    if pg["tps"]:
        ratio = online["scans_per_s"] / pg["tps"]
        print(f"\nonline scans/s over pgbench tps: {ratio:.3f} (1 : {1 / ratio:.0f})")
    print("checks: " + ("all passed" if all(checks) else "FAILED (see WRONG)"))
    if not all(checks):
        sys.exit(1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("setup")
    p.add_argument("dir")
    p.add_argument("--tickets", type=int, default=10_000)
    p.add_argument("--gates", type=int, default=4)
    commands.add_parser("reset")
    p = commands.add_parser("count")
    p.add_argument("dir")
    p.add_argument("phase", choices=["online", "offline"])
    for name in ("online", "offline"):
        p = commands.add_parser(name)
        p.add_argument("url")
        p.add_argument("dir")
        # A sync request carries 1,000 scans: under load it takes tens of seconds.
        timeout = 60 if name == "online" else 180
        p.add_argument("--timeout", type=float, default=timeout, help="seconds per request")
        p.add_argument("--deadline", type=float, default=300, help="seconds for the round")
        if name == "offline":
            p.add_argument("--share-twice", type=float, default=0.05)
    p = commands.add_parser("report")
    p.add_argument("dir")
    p.add_argument("pgbench")
    p.add_argument("pgbench_logs", nargs="*")
    p.add_argument("--5xx", dest="server_5xx", type=int, default=0)
    args = parser.parse_args()
    if args.command == "setup":
        if not 1 <= args.tickets <= MAX_TICKETS or not 1 <= args.gates <= MAX_GATES:
            raise SystemExit(f"--tickets: 1 to {MAX_TICKETS}; --gates: 1 to {MAX_GATES}")
        setup(args.dir, args.tickets, args.gates)
    elif args.command == "reset":
        reset()
    elif args.command == "count":
        count(args.dir, args.phase)
    elif args.command == "report":
        report(args)
    else:
        args.deadline = min(args.deadline, 600)
        run = _online if args.command == "online" else _offline
        result = asyncio.run(run(args))
        with open(os.path.join(args.dir, f"{args.command}.json"), "w") as f:
            json.dump(result, f)
        print(json.dumps({k: v for k, v in result.items() if k != "per_gate"}))


if __name__ == "__main__":
    main()
