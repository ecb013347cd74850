"""Helpers of bench/report.sh: a big expo written in bulk, then the report timed.

    python bench/report.py setup --lines 1000000 --exhibitors 500 --pos-lines 100000
        (Django + SQL: the expo and its people with the ORM, the orders, lines, booth
        sales, visits, booth visits and tickets with INSERT ... SELECT generate_series)
    python bench/report.py measure --runs 20
        (Django: expo_report, the console's report page and fragment, one exhibitor's
        report, and the raw SQL baseline, taking turns; then the exports; the table)

Everything is deterministic (numbers derived from the row index), so two runs hold the
same data. Nothing is sent over the network: the page is rendered with Django's test
client in this process.
"""

import argparse
import datetime
import math
import os
import statistics
import sys
import time
import zoneinfo

import benchlib

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
SLUG = "bench-report-expo"
PREVIOUS_SLUG = "bench-report-expo-2020"
START = datetime.date(2021, 11, 22)
DAYS = 5
PRODUCTS_PER_EXHIBITOR = 10
LINES_PER_ORDER = 3
SESSIONS = 10
MAX_LINES = 2_000_000

# Order status by (order number % 20): 14 of 20 paid and standing, 1 paid and then
# cancelled (refunded: not counted), 2 awaiting payment, 1 cancelled unpaid, 2 expired.
STATUSES = (
    [("paid", True)] * 8
    + [("processing", True)] * 2
    + [("shipped", True)] * 2
    + [("ready_for_pickup", True)]
    + [("completed", True)]
    + [("awaiting_payment", False)] * 2
    + [("cancelled", True), ("cancelled", False)]
    + [("expired", False)] * 2
)


def _status_values() -> str:
    return ", ".join(
        f"({index}, '{status}', {'true' if paid else 'false'})"
        for index, (status, paid) in enumerate(STATUSES)
    )


# --- setup ---------------------------------------------------------------------------


def setup(lines: int, n_exhibitors: int, pos_lines: int) -> None:
    benchlib.django_setup()
    from django.db import connection, transaction

    started = time.monotonic()
    with transaction.atomic():
        expo, previous, staff = _people_and_catalogue(n_exhibitors)
        print(
            f"expo, {n_exhibitors} exhibitors, products, sessions: "
            f"{time.monotonic() - started:.1f} s",
            flush=True,
        )
        with connection.cursor() as cursor:
            _sql_tables(cursor, expo)
            step = time.monotonic()
            orders = lines // LINES_PER_ORDER
            _orders(cursor, expo_id=expo.pk, orders=orders, start=expo.start_date, tag="n")
            # The previous expo (2020): a tenth of the volume, for "vs the previous expo".
            _orders(
                cursor, expo_id=previous.pk, orders=orders // 10, start=previous.start_date, tag="p"
            )
            print(f"orders and lines: {time.monotonic() - step:.1f} s", flush=True)
            step = time.monotonic()
            _booth_sales(
                cursor, expo_id=expo.pk, staff_id=staff.pk, lines=pos_lines, start=expo.start_date
            )
            _visits_and_tickets(cursor, expo_id=expo.pk, exhibitors=n_exhibitors)
            print(f"booth sales, visits, tickets: {time.monotonic() - step:.1f} s", flush=True)
    with connection.cursor() as cursor:
        for table in (
            "orders_order",
            "orders_orderline",
            "pos_possale",
            "pos_possaleline",
            "orders_checkout",
            "reports_visit",
            "reports_boothvisit",
            "tickets_ticket",
        ):
            cursor.execute(f"SELECT count(*) FROM {table}")
            print(f"  {table}: {cursor.fetchone()[0]:,} rows")
    print(f"setup: {time.monotonic() - started:.1f} s")


def _people_and_catalogue(n_exhibitors: int):
    from gelar.catalog.models import Product
    from gelar.events.models import AgendaSession, Expo, OrganizerMember
    from gelar.exhibitors.models import Category, Exhibitor, Participation
    from gelar.live.models import Pin, ViewerSample
    from gelar.regions.models import Regency
    from gelar.reports.models import Inquiry, Outcome
    from gelar.testing import make_user

    organizer, expo = benchlib.organizer_and_expo(
        SLUG,
        "Report Bench Expo",
        START,
        START + datetime.timedelta(days=DAYS - 1),
        venue_name="Gedung HA Djunaid Convention Center",
        planned_venue_percent=30,
        status=Expo.Status.CLOSED,
    )
    pekalongan = expo.venue_region
    previous = Expo.objects.create(
        organizer=organizer,
        name="Report Bench Expo 2020",
        slug=PREVIOUS_SLUG,
        start_date=datetime.date(2020, 11, 23),
        end_date=datetime.date(2020, 11, 27),
        venue_region=pekalongan,
        status=Expo.Status.CLOSED,
    )
    staff = make_user(email="staff@report-bench.example")
    OrganizerMember.objects.create(organizer=organizer, user=staff, role="staff")

    categories = []
    for position in range(8):
        category, _ = Category.objects.get_or_create(
            slug=f"bench-category-{position}",
            defaults={
                "name": f"Kategori {position}",
                "name_en": f"Category {position}",
                "position": position,
            },
        )
        categories.append(category)
    # Regencies of every province: the regional roll-up has many groups.
    regencies = list(Regency.objects.order_by("code")[::10])
    exhibitors = Exhibitor.objects.bulk_create(
        Exhibitor(
            name=f"UMKM Bench {n:03d}",
            slug=f"umkm-bench-{n:03d}",
            owner_name=f"Pemilik {n}",
            region=regencies[n % len(regencies)],
            category=categories[n % len(categories)],
            whatsapp="6281234567890",
        )
        for n in range(n_exhibitors)
    )
    Participation.objects.bulk_create(
        [
            Participation(
                expo=expo,
                exhibitor=exhibitor,
                status="accepted",
                mode="venue" if n % 2 == 0 else "online",
            )
            for n, exhibitor in enumerate(exhibitors)
        ]
        + [
            Participation(expo=previous, exhibitor=exhibitor, status="accepted", mode="online")
            for n, exhibitor in enumerate(exhibitors)
            if n % 3 == 0
        ]
    )
    Product.objects.bulk_create(
        Product(
            exhibitor=exhibitor,
            name=f"Produk {n:03d}-{k}",
            slug=f"produk-{k}",
            price=10000 * (1 + k),
            stock=1000,
        )
        for n, exhibitor in enumerate(exhibitors)
        for k in range(PRODUCTS_PER_EXHIBITOR)
    )
    moment = datetime.datetime.combine(START, datetime.time(10), tzinfo=WIB)
    sessions = AgendaSession.objects.bulk_create(
        AgendaSession(
            expo=expo,
            title=f"Sesi Live {s}",
            starts_at=moment + datetime.timedelta(days=s % DAYS, hours=s // DAYS * 3),
            ends_at=moment + datetime.timedelta(days=s % DAYS, hours=s // DAYS * 3 + 1),
        )
        for s in range(SESSIONS)
    )
    first_products = list(
        Product.objects.filter(exhibitor__in=exhibitors[: SESSIONS * 3], slug="produk-0").order_by(
            "exhibitor_id"
        )
    )
    Pin.objects.bulk_create(
        Pin(
            session=session,
            product=first_products[s * 3 + p],
            pinned_at=session.starts_at + datetime.timedelta(minutes=15 * p),
            clicks=100 + s + p,
            add_to_carts=10 + p,
        )
        for s, session in enumerate(sessions)
        for p in range(3)
    )
    ViewerSample.objects.bulk_create(
        ViewerSample(
            session=session,
            at=session.starts_at + datetime.timedelta(seconds=30 * i),
            viewers=200 + (i * 37 + s * 11) % 500,
        )
        for s, session in enumerate(sessions)
        for i in range(120)
    )
    statuses = ["new", "answered", "quoted", "won", "lost"]
    Inquiry.objects.bulk_create(
        Inquiry(
            expo=expo,
            exhibitor=exhibitors[i % n_exhibitors],
            token=f"bench-inquiry-{i}",
            buyer_name=f"Toko {i}",
            buyer_whatsapp="6281300000000",
            quantity="100 pcs",
            message="Mohon penawaran.",
            status=statuses[i % 5],
            quoted_value=5_000_000 if i % 5 in (2, 3) else None,
            won_value=4_000_000 + i if i % 5 == 3 else None,
        )
        for i in range(n_exhibitors * 4)
    )
    reported = datetime.datetime.combine(START, datetime.time(12), tzinfo=WIB)
    Outcome.objects.bulk_create(
        [
            Outcome(
                expo=expo,
                exhibitor=exhibitor,
                sales_whatsapp=100_000 * (n % 7),
                sales_marketplace=50_000 * (n % 5),
                sales_after=20_000 * (n % 3),
                turnover_before=5_000_000 + 10_000 * n,
                turnover_after=5_000_000 + 13_000 * n if n % 4 else None,
                new_channels=["marketplace"] if n % 3 == 0 else [],
                licences=["nib", "halal"] if n % 2 else ["nib"],
                reported_at=reported + datetime.timedelta(days=10),
            )
            for n, exhibitor in enumerate(exhibitors)
            if n % 5 != 4
        ]
        + [
            Outcome(
                expo=previous,
                exhibitor=exhibitor,
                sales_whatsapp=80_000,
                turnover_before=4_500_000,
                licences=["nib"],
                reported_at=reported - datetime.timedelta(days=350),
            )
            for n, exhibitor in enumerate(exhibitors)
            if n % 3 == 0
        ]
    )
    return expo, previous, staff


def _sql_tables(cursor, expo) -> None:
    """Work tables: the exhibitors numbered 0..n-1, their products numbered 0..9."""
    cursor.execute(
        f"""
        CREATE TEMP TABLE bench_exhibitor AS
        SELECT exhibitor_id AS id, (row_number() OVER (ORDER BY exhibitor_id) - 1)::int AS n,
               mode = 'venue' AS venue
        FROM exhibitors_participation WHERE expo_id = {expo.pk}
        """
    )
    cursor.execute(
        """
        CREATE TEMP TABLE bench_venue AS
        SELECT id, (row_number() OVER (ORDER BY id) - 1)::int AS n
        FROM bench_exhibitor WHERE venue
        """
    )
    cursor.execute(
        """
        CREATE TEMP TABLE bench_product AS
        SELECT id, exhibitor_id, name, price,
               (row_number() OVER (PARTITION BY exhibitor_id ORDER BY id) - 1)::int AS k
        FROM catalog_product
        """
    )
    cursor.execute("CREATE INDEX ON bench_product (exhibitor_id, k)")
    cursor.execute("ANALYZE bench_exhibitor, bench_venue, bench_product")


def _orders(cursor, *, expo_id: int, orders: int, start: datetime.date, tag: str) -> None:
    """`orders` orders of LINES_PER_ORDER lines each, over the DAYS days from `start`,
    spread over every exhibitor (order i -> exhibitor i % n; its status and products
    follow i // n, so every exhibitor has orders in every status)."""
    span = DAYS * 86400
    # Midnight WIB of the first day, as UTC.
    first = datetime.datetime.combine(start, datetime.time(0), tzinfo=WIB).isoformat()
    statuses = len(STATUSES)
    cursor.execute(
        f"""
        INSERT INTO orders_checkout (token, fingerprint, expo_id, buyer_name, buyer_whatsapp,
                                     buyer_email, created_at)
        SELECT 'bench-{tag}-' || i, '', {expo_id}, 'Pembeli ' || i, '6281234567890', '',
               '{first}'::timestamptz + ((i::bigint * 7919) % {span}) * interval '1 second'
        FROM generate_series(1, {orders}) AS i
        """
    )
    cursor.execute("SELECT count(*) FROM bench_exhibitor")
    n_exhibitors = cursor.fetchone()[0]
    prefix = len(f"bench-{tag}-") + 1
    cursor.execute(
        f"""
        INSERT INTO orders_order (checkout_id, exhibitor_id, expo_id, number, status,
            delivery_method, address, city, postal_code, delivery_note, tracking_number,
            payment_method, subtotal, shipping, unique_code, total, reserved_until, paid_at,
            cancelled_at, cancel_reason, created_at)
        SELECT c.id, ex.id, {expo_id}, 'B{tag}-' || c.i, st.status,
            CASE WHEN c.i % 4 = 0 THEN 'courier' ELSE 'pickup' END, '', '', '', '', '',
            CASE WHEN c.i % 4 = 0 THEN 'transfer' ELSE 'qris' END,
            s.subtotal, CASE WHEN c.i % 4 = 0 THEN 18000 ELSE 0 END,
            CASE WHEN c.i % 4 = 0 THEN c.i % 1000 ELSE 0 END,
            s.subtotal + CASE WHEN c.i % 4 = 0 THEN 18000 + c.i % 1000 ELSE 0 END,
            c.created_at + interval '15 minutes',
            CASE WHEN st.paid THEN c.created_at + interval '3 minutes' END,
            CASE WHEN st.status = 'cancelled' THEN c.created_at + interval '1 hour' END,
            '', c.created_at
        FROM (SELECT id, created_at, substr(token, {prefix})::int AS i
              FROM orders_checkout WHERE token LIKE 'bench-{tag}-%') c
        JOIN bench_exhibitor ex ON ex.n = c.i % {n_exhibitors}
        JOIN (VALUES {_status_values()}) AS st(r, status, paid)
          ON st.r = (c.i / {n_exhibitors}) % {statuses}
        CROSS JOIN LATERAL (
            SELECT sum(bp.price * (1 + (c.i + g.line) % 3)) AS subtotal
            FROM generate_series(0, {LINES_PER_ORDER - 1}) AS g(line)
            JOIN bench_product bp
              ON bp.exhibitor_id = ex.id
             AND bp.k = (c.i / {n_exhibitors} + g.line) % {PRODUCTS_PER_EXHIBITOR}
        ) s
        """
    )
    # Lines; every 7th order's first line of a pinned product came from its pin.
    cursor.execute(
        f"""
        INSERT INTO orders_orderline (order_id, product_id, product_name, unit_price,
                                      quantity, line_total, live_pin_id)
        SELECT o.id, bp.id, bp.name, bp.price, 1 + (o.i + g.line) % 3,
               bp.price * (1 + (o.i + g.line) % 3),
               CASE WHEN g.line = 0 AND o.i % 7 = 0 THEN pin.id END
        FROM (SELECT id, exhibitor_id, substr(number, {len(tag) + 3})::int AS i
              FROM orders_order WHERE expo_id = {expo_id}) o
        CROSS JOIN generate_series(0, {LINES_PER_ORDER - 1}) AS g(line)
        JOIN bench_product bp
          ON bp.exhibitor_id = o.exhibitor_id
         AND bp.k = (o.i / {n_exhibitors} + g.line) % {PRODUCTS_PER_EXHIBITOR}
        LEFT JOIN live_pin pin ON pin.product_id = bp.id
          AND pin.session_id IN (SELECT id FROM events_agendasession WHERE expo_id = {expo_id})
        """
    )


def _booth_sales(cursor, *, expo_id: int, staff_id: int, lines: int, start: datetime.date) -> None:
    """lines / 2 booth sales of two lines each at the venue exhibitors, 09:00-21:00 WIB."""
    sales = lines // 2
    cursor.execute("SELECT count(*) FROM bench_venue")
    venues = cursor.fetchone()[0]
    first = datetime.datetime.combine(start, datetime.time(9), tzinfo=WIB).isoformat()
    cursor.execute(
        f"""
        INSERT INTO pos_possale (exhibitor_id, expo_id, number, client_key, fingerprint,
            sold_at, received_at, staff_id, payment_method, subtotal, total, cash_given,
            change, status, flag_reason, resolved_by_id, resolved_at, resolve_note,
            receipt_token, offline)
        SELECT v.id, {expo_id}, 'BK-' || i, 'bench-' || i, '', t.at, t.at, {staff_id},
            'cash', s.total, s.total, NULL, NULL,
            CASE WHEN i % 50 = 0 THEN 'flagged' ELSE 'completed' END, '', NULL, NULL, '',
            'bench-receipt-' || i, i % 10 = 0
        FROM generate_series(1, {sales}) AS i
        JOIN bench_venue v ON v.n = i % {venues}
        CROSS JOIN LATERAL (
            SELECT '{first}'::timestamptz + (i % {DAYS}) * interval '1 day'
                   + ((i::bigint * 104729) % (12 * 3600)) * interval '1 second' AS at
        ) t
        CROSS JOIN LATERAL (
            SELECT sum(bp.price * (1 + (i + g.line) % 2)) AS total
            FROM generate_series(0, 1) AS g(line)
            JOIN bench_product bp
              ON bp.exhibitor_id = v.id
             AND bp.k = (i / {venues} + g.line) % {PRODUCTS_PER_EXHIBITOR}
        ) s
        """
    )
    cursor.execute(
        f"""
        INSERT INTO pos_possaleline (sale_id, product_id, product_name, unit_price, quantity,
                                     line_total, short)
        SELECT s.id, bp.id, bp.name, bp.price, 1 + (s.i + g.line) % 2,
               bp.price * (1 + (s.i + g.line) % 2), 0
        FROM (SELECT id, exhibitor_id, substr(number, 4)::int AS i
              FROM pos_possale WHERE expo_id = {expo_id}) s
        CROSS JOIN generate_series(0, 1) AS g(line)
        JOIN bench_product bp
          ON bp.exhibitor_id = s.exhibitor_id
         AND bp.k = (s.i / {venues} + g.line) % {PRODUCTS_PER_EXHIBITOR}
        """
    )


def _visits_and_tickets(cursor, *, expo_id: int, exhibitors: int) -> None:
    """60,000 online visitors on 2-3 of the days; 3 booth visits each on each of their
    days; 20,000 tickets in a slot a day, 3 in 4 of them admitted."""
    first = datetime.datetime.combine(START, datetime.time(9), tzinfo=WIB).isoformat()
    cursor.execute(
        f"""
        INSERT INTO reports_visit (expo_id, visitor, day, first_seen)
        SELECT {expo_id}, md5('v' || i), DATE '{START}' + d,
               '{first}'::timestamptz + d * interval '1 day' + (i % 600) * interval '1 minute'
        FROM generate_series(1, 60000) AS i CROSS JOIN generate_series(0, {DAYS - 1}) AS d
        WHERE (i + d) % 3 <> 0
        """
    )
    cursor.execute(
        f"""
        INSERT INTO reports_boothvisit (expo_id, exhibitor_id, visitor, day, first_seen)
        SELECT v.expo_id, ex.id, v.visitor, v.day, v.first_seen
        FROM reports_visit v CROSS JOIN generate_series(0, 2) AS j
        JOIN bench_exhibitor ex ON ex.n = (abs(hashtext(v.visitor)) + j * 97) % {exhibitors}
        WHERE v.expo_id = {expo_id}
        """
    )
    cursor.execute(
        f"""
        INSERT INTO tickets_timeslot (expo_id, name, starts_at, ends_at, capacity, taken,
                                      is_public)
        SELECT {expo_id}, 'Hari ' || (d + 1), '{first}'::timestamptz + d * interval '1 day',
               '{first}'::timestamptz + d * interval '1 day' + interval '12 hours', 5000, 4000,
               true
        FROM generate_series(0, {DAYS - 1}) AS d
        """
    )
    cursor.execute(
        f"""
        INSERT INTO tickets_ticket (expo_id, kind, slot_id, number, secret_hash, holder_name,
            email, whatsapp, status, admitted_at, inside, created_at)
        SELECT {expo_id}, 'public', s.id, 'BT-' || i, encode(sha256(('t' || i)::bytea), 'hex'),
               'Pengunjung ' || i, '', '', 'valid',
               CASE WHEN i % 4 <> 0 THEN s.starts_at + (i % 600) * interval '1 minute' END,
               false, s.starts_at - interval '3 days'
        FROM generate_series(1, {DAYS * 4000}) AS i
        JOIN tickets_timeslot s ON s.expo_id = {expo_id}
          AND s.starts_at = '{first}'::timestamptz + (i % {DAYS}) * interval '1 day'
        """
    )


# --- measure -------------------------------------------------------------------------

RAW_SQL = """
SELECT p.exhibitor_id, COALESCE(o.omzet, 0) AS online, COALESCE(s.omzet, 0) AS venue
FROM exhibitors_participation p
LEFT JOIN (
    SELECT exhibitor_id, sum(subtotal) AS omzet FROM orders_order
    WHERE expo_id = %(expo)s AND paid_at IS NOT NULL AND status <> 'cancelled'
    GROUP BY exhibitor_id
) o ON o.exhibitor_id = p.exhibitor_id
LEFT JOIN (
    SELECT exhibitor_id, sum(total) AS omzet FROM pos_possale WHERE expo_id = %(expo)s
    GROUP BY exhibitor_id
) s ON s.exhibitor_id = p.exhibitor_id
WHERE p.expo_id = %(expo)s AND p.status = 'accepted'
"""


def _percentile(values: list[float], p: int) -> float:
    """Nearest rank: of 20 runs, p95 is the 19th fastest."""
    values = sorted(values)
    return values[max(0, math.ceil(p / 100 * len(values)) - 1)]


def measure(runs: int) -> None:
    # The console shares a report between screens for a few seconds; the bench measures
    # what each report costs to make, so every run makes it.
    os.environ["GELAR_REPORT_CACHE_SECONDS"] = "0"
    benchlib.django_setup()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import NoReverseMatch, reverse

    from gelar.events.models import Expo
    from gelar.exhibitors.models import Exhibitor
    from gelar.reports.selectors import exhibitor_report, expo_report

    expo = Expo.objects.get(slug=SLUG)
    now = datetime.datetime.combine(
        START + datetime.timedelta(days=2), datetime.time(12), tzinfo=WIB
    )
    exhibitor = Exhibitor.objects.get(slug="umkm-bench-000")

    def raw():
        with connection.cursor() as cursor:
            cursor.execute(RAW_SQL, {"expo": expo.pk})
            return cursor.fetchall()

    steps = {
        "raw SQL: omzet per channel per exhibitor": raw,
        "expo_report (selector)": lambda: expo_report(expo=expo, now=now),
        "exhibitor_report (one exhibitor)": lambda: exhibitor_report(
            expo=expo, exhibitor=exhibitor, now=now
        ),
    }
    client = None
    try:
        page_url = reverse("console:report", kwargs={"slug": expo.slug})
        fragment_url = reverse("console:report_live", kwargs={"slug": expo.slug})
    except NoReverseMatch:
        page_url = fragment_url = None
    if page_url:
        from django.contrib.auth import get_user_model

        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(get_user_model().objects.get(email="staff@report-bench.example"))

        def page(url):
            response = client.get(url, secure=True)
            assert response.status_code == 200, (url, response.status_code)
            return response

        steps["console report page (GET, rendered)"] = lambda: page(page_url)
        steps["console report fragment (htmx)"] = lambda: page(fragment_url)

    # Queries of each step, once.
    queries = {}
    for name, step in steps.items():
        with CaptureQueriesContext(connection) as captured:
            step()
        queries[name] = (
            len(captured),
            sum(float(query["time"]) for query in captured.captured_queries) * 1000,
        )
    # Warm-up (plans, caches), then the steps take turns, run after run.
    for step in steps.values():
        step()
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(runs):
        for name, step in steps.items():
            started = time.perf_counter()
            step()
            times[name].append((time.perf_counter() - started) * 1000)
            reset_queries()

    report = expo_report(expo=expo, now=now)
    exports: list[tuple[str, float, int]] = []
    try:
        from gelar.reports import exports as export_module
    except ImportError:
        export_module = None
    if export_module is not None:
        for label, name in (
            ("XLSX export", "export_xlsx"),
            ("PDF export", "export_pdf"),
            ("CSV (zip) export", "export_csv_zip"),
        ):
            function = getattr(export_module, name, None)
            if function is None:
                continue
            took = []
            for _ in range(3):
                started = time.perf_counter()
                data = function(report)
                took.append((time.perf_counter() - started) * 1000)
            exports.append((label, statistics.median(took), len(data)))

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM orders_orderline l JOIN orders_order o"
            " ON o.id = l.order_id WHERE o.expo_id = %(expo)s),"
            " (SELECT count(*) FROM orders_order WHERE expo_id = %(expo)s),"
            " (SELECT count(*) FROM pos_possaleline l JOIN pos_possale s ON s.id = l.sale_id"
            " WHERE s.expo_id = %(expo)s),"
            " (SELECT count(*) FROM exhibitors_participation WHERE expo_id = %(expo)s"
            " AND status = 'accepted')",
            {"expo": expo.pk},
        )
        order_lines, orders, pos_lines, exhibitors = cursor.fetchone()
    print(
        f"data:       {order_lines:,} order lines in {orders:,} orders, {pos_lines:,} booth"
        f" sale lines, {exhibitors} exhibitors, {len(report['by_day'])} days"
    )
    print(
        f"check:      retail omzet Rp {report['retail']['omzet']:,} = raw SQL "
        f"Rp {sum(row[1] + row[2] for row in raw()):,}"
    )
    print(
        f"runs:       {runs} of each, taking turns, after one warm-up; one process"
        " (the page through Django's test client, no HTTP server)"
    )
    print()
    header = f"{'step':44} {'p50 ms':>9} {'p95 ms':>9} {'min ms':>9} {'max ms':>9}"
    header += f" {'x raw':>7} {'queries':>8} {'SQL ms':>8}"
    print(header)
    base = statistics.median(times["raw SQL: omzet per channel per exhibitor"])
    for name, values in times.items():
        p50 = statistics.median(values)
        print(
            f"{name:44} {p50:9.1f} {_percentile(values, 95):9.1f} {min(values):9.1f}"
            f" {max(values):9.1f} {p50 / base:7.1f} {queries[name][0]:8d}"
            f" {queries[name][1]:8.0f}"
        )
    print(
        "x raw: p50 over the raw query's p50; queries and SQL ms: of one more run of the step"
        " (time spent in the database, as Django measures it)"
    )
    if not page_url:
        print("console report page: not measured (console:report does not exist yet)")
    print()
    print("exports, from the report already computed (expo_report's time not included):")
    if export_module is None:
        print("exports: not measured (gelar.reports.exports does not exist yet)")
    for label, took, size in exports:
        print(f"{label:44} {took:9.1f} ms (median of 3), {size / 1024:,.0f} KiB")


def main() -> None:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    set_up = commands.add_parser("setup")
    set_up.add_argument("--lines", type=int, default=1_000_000)
    set_up.add_argument("--exhibitors", type=int, default=500)
    set_up.add_argument("--pos-lines", type=int, default=100_000)
    timing = commands.add_parser("measure")
    timing.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    if args.command == "setup":
        if not 0 < args.lines <= MAX_LINES or args.exhibitors < SESSIONS * 3:
            sys.exit(f"--lines: 1 to {MAX_LINES}; --exhibitors: at least {SESSIONS * 3}")
        setup(args.lines, args.exhibitors, args.pos_lines)
    else:
        measure(args.runs)


if __name__ == "__main__":
    main()
