"""A hand-built expo for the report's tests: every figure below was computed by hand.

Pekalongan Hybrid Expo 2021 (24-25 November, WIB, planned split 70 % online / 30 %
venue) with five accepted exhibitors, an applicant, and the same organizer's 2020 and
2019 expos for "compared with the previous expo". `report_fixture()` builds it and
returns the objects and `expected`: the figures of `expo_report` / `exhibitor_report`
as literals, for the selectors', the pages' and the exports' tests.

Exhibitors of 2021 (category, province, mode):

  A  Batik Sekar Jagad      Batik & Fesyen      Jawa Tengah (Kota Pekalongan)      venue A-01
  B  Amplang Banjarbaru     Makanan             Kalimantan Selatan (Banjarbaru)    online
  C  Batik Tasik Indah      Batik & Fesyen      Jawa Barat (Kab. Tasikmalaya)      online
  D  Kopi Petungkriyono     Makanan             Jawa Tengah (Kab. Pekalongan)      venue A-02
  F  Anyaman Pandan Ayu     Kerajinan           Jawa Tengah (Kota Pekalongan)      online, no sales
  E  Tenun Belum Diterima   (applied, not accepted: in no figure)

Online orders (expo 2021; subtotal = goods; times WIB):

  O1  A paid        paid 24 10:15  Kemeja x2 (pin P1)             300,000
  O2  B completed   paid 25 06:30  Amplang x4, shipping 18,000    100,000  (= 24 Nov 23:30 UTC)
  O3  C shipped     paid 24 23:30  Kain x1, shipping 20,000,      200,000  (= 24 Nov 16:30 UTC)
                                   transfer code 123
  O4  A awaiting    not paid       Selendang x1                    (90,000)  not counted
  O5  B cancelled   paid 24 11:00  Amplang x2 (pin P2)             (50,000)  refunded: not counted
  O6  C expired     not paid       Kain x3 (pin P3)               (600,000)  not counted
  O7  D processing  paid 25 14:10  Kopi x3                        150,000
  O8  A paid        paid 25 09:05  Kemeja x1 + Selendang x2       330,000
  O11 B paid        paid 27 11:00  Amplang x1                      25,000  (after the expo)
  -> 6 orders, 14 items, Rp 1,105,000

Booth sales (POS): S1 A 24 13:20 Kemeja x1 150,000; S2 A 25 15:45 Selendang x2 180,000
(flagged: 1 short); S3 D 24 10:40 Kopi x2 100,000; S4 D 25 09:30 Kopi x1 50,000 (resolved)
  -> 4 sales, 6 items, Rp 480,000.   Retail: 10 orders, 20 items, Rp 1,585,000.

2020 expo (the previous one of A and B; D was refused there): O9 A paid Kemeja x2 300,000,
S5 A Kemeja x1 150,000; outcomes A (100,000 elsewhere) and B (50,000 elsewhere).
2019 expo: A accepted, nothing recorded (2020 is A's latest earlier expo).
"""

import datetime
import itertools
from decimal import Decimal

from gelar.events.models import Booth, Hall, OrganizerMember
from gelar.exhibitors.models import ExhibitorMember, Participation
from gelar.live.models import Pin, ViewerSample
from gelar.orders.models import Checkout, Order, OrderLine
from gelar.pos.models import PosSale, PosSaleLine
from gelar.regions.models import Regency
from gelar.reports.models import BoothVisit, Inquiry, Outcome, Visit
from gelar.testing import (
    WIB,
    at,
    batik,
    build_expo,
    kuliner,
    make_category,
    make_exhibitor,
    make_exhibitor_member,
    make_expo,
    make_organizer,
    make_organizer_member,
    make_participation,
    make_product,
    make_session,
    make_user,
)
from gelar.tickets.models import GateDevice, Invitation, Scan, Ticket, TimeSlot, secret_hash

# The moment the report is looked at: the second morning of the expo.
NOW = at(25, 10)

_numbers = itertools.count(1)


def when(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=WIB)


def _order(expo, exhibitor, status, lines, *, paid_at=None, shipping=0, unique_code=0, **fields):
    """An order with its lines, written directly (the figures need exact times)."""
    n = next(_numbers)
    checkout = Checkout.objects.create(
        expo=expo,
        fingerprint=f"report-fixture-{n}",
        buyer_name=f"Pembeli {n}",
        buyer_whatsapp="6281234500000",
    )
    subtotal = sum(product.price * quantity for product, quantity, _pin in lines)
    order = Order.objects.create(
        checkout=checkout,
        exhibitor=exhibitor,
        expo=expo,
        number=f"RPT-{n:06d}",
        status=status,
        delivery_method=Order.Delivery.COURIER if shipping else Order.Delivery.PICKUP,
        payment_method=Order.PaymentMethod.TRANSFER if unique_code else Order.PaymentMethod.QRIS,
        subtotal=subtotal,
        shipping=shipping,
        unique_code=unique_code,
        total=subtotal + shipping + unique_code,
        reserved_until=(paid_at or NOW) + datetime.timedelta(minutes=15),
        paid_at=paid_at,
        **fields,
    )
    for product, quantity, pin in lines:
        OrderLine.objects.create(
            order=order,
            product=product,
            product_name=product.name,
            unit_price=product.price,
            quantity=quantity,
            line_total=product.price * quantity,
            live_pin=pin,
        )
    return order


def _sale(expo, exhibitor, staff, sold_at, lines, *, status=PosSale.Status.COMPLETED):
    n = next(_numbers)
    total = sum(product.price * quantity for product, quantity, _short in lines)
    sale = PosSale.objects.create(
        exhibitor=exhibitor,
        expo=expo,
        number=f"KRPT-{n:06d}",
        client_key=f"report-fixture-{n}",
        sold_at=sold_at,
        staff=staff,
        payment_method=PosSale.PaymentMethod.CASH,
        subtotal=total,
        total=total,
        status=status,
        flag_reason="Stok kurang 1" if status != PosSale.Status.COMPLETED else "",
    )
    for product, quantity, short in lines:
        PosSaleLine.objects.create(
            sale=sale,
            product=product,
            product_name=product.name,
            unit_price=product.price,
            quantity=quantity,
            line_total=product.price * quantity,
            short=short,
        )
    return sale


def _inquiry(expo, exhibitor, status, *, quoted=None, won=None):
    n = next(_numbers)
    return Inquiry.objects.create(
        expo=expo,
        exhibitor=exhibitor,
        buyer_name=f"Toko Grosir {n}",
        buyer_whatsapp="6281300000000",
        quantity="100 pcs",
        message="Mohon penawaran harga grosir.",
        status=status,
        quoted_value=quoted,
        won_value=won,
    )


def _ticket(expo, *, slot=None, invitation=None, admitted_at=None, inside=False, cancelled=False):
    n = next(_numbers)
    return Ticket.objects.create(
        expo=expo,
        kind=Ticket.Kind.INVITED if invitation else Ticket.Kind.PUBLIC,
        slot=slot,
        invitation=invitation,
        number=f"TRPT-{n}",
        secret_hash=secret_hash(f"report-fixture-{n}"),
        holder_name=f"Pengunjung {n}",
        status=Ticket.Status.CANCELLED if cancelled else Ticket.Status.VALID,
        cancelled_at=admitted_at if cancelled else None,
        admitted_at=admitted_at,
        inside=inside,
    )


def report_fixture() -> dict:
    """Build the expo (see the module docstring); return its objects and `expected`."""
    organizer = make_organizer()
    expo = make_expo(
        organizer=organizer,
        name="Pekalongan Hybrid Expo 2021",
        slug="phe-2021",
        start_date=datetime.date(2021, 11, 24),
        end_date=datetime.date(2021, 11, 25),
        planned_venue_percent=30,
        status="live",
    )
    earlier = make_expo(
        organizer=organizer,
        name="Pekalongan Hybrid Expo 2020",
        slug="phe-2020",
        start_date=datetime.date(2020, 11, 25),
        end_date=datetime.date(2020, 11, 26),
        status="closed",
    )
    oldest = make_expo(
        organizer=organizer,
        name="Pekalongan Expo 2019",
        slug="phe-2019",
        start_date=datetime.date(2019, 11, 20),
        end_date=datetime.date(2019, 11, 21),
        status="closed",
    )
    hall = Hall.objects.create(expo=expo, name="Hall Utama", width=400, height=200)
    booth_a01 = Booth.objects.create(hall=hall, code="A-01", x=20, y=20, width=30, height=30)
    booth_a02 = Booth.objects.create(hall=hall, code="A-02", x=60, y=20, width=30, height=30)
    kriya = make_category("kerajinan", "Kerajinan", "Crafts", 3)

    a = make_exhibitor(
        name="Batik Sekar Jagad",
        slug="batik-sekar-jagad",
        category=batik(),
        region=Regency.objects.get(code="33.75"),
    )
    b = make_exhibitor(
        name="Amplang Banjarbaru",
        slug="amplang-banjarbaru",
        category=kuliner(),
        region=Regency.objects.get(code="63.72"),
    )
    c = make_exhibitor(
        name="Batik Tasik Indah",
        slug="batik-tasik-indah",
        category=batik(),
        region=Regency.objects.get(code="32.06"),
    )
    d = make_exhibitor(
        name="Kopi Petungkriyono",
        slug="kopi-petungkriyono",
        category=kuliner(),
        region=Regency.objects.get(code="33.26"),
    )
    f = make_exhibitor(
        name="Anyaman Pandan Ayu",
        slug="anyaman-pandan-ayu",
        category=kriya,
        region=Regency.objects.get(code="33.75"),
    )
    e = make_exhibitor(
        name="Tenun Belum Diterima",
        slug="tenun-belum-diterima",
        category=batik(),
        region=Regency.objects.get(code="33.01"),
    )
    make_participation(expo=expo, exhibitor=a, mode="venue", booth=booth_a01)
    make_participation(expo=expo, exhibitor=b, mode="online")
    make_participation(expo=expo, exhibitor=c, mode="online")
    make_participation(expo=expo, exhibitor=d, mode="venue", booth=booth_a02)
    make_participation(expo=expo, exhibitor=f, mode="online")
    make_participation(expo=expo, exhibitor=e, status=Participation.Status.APPLIED)
    make_participation(expo=earlier, exhibitor=a, mode="online")
    make_participation(expo=earlier, exhibitor=b, mode="online")
    make_participation(expo=earlier, exhibitor=d, status=Participation.Status.REFUSED)
    make_participation(expo=oldest, exhibitor=a, mode="online")

    kemeja = make_product(exhibitor=a, name="Kemeja Batik Tulis", price=150000, stock=50, images=0)
    selendang = make_product(exhibitor=a, name="Selendang Sutra", price=90000, stock=50, images=0)
    make_product(exhibitor=a, name="Sarung Lama", is_active=False, images=0)
    amplang = make_product(exhibitor=b, name="Amplang Tenggiri", price=25000, stock=50, images=0)
    kain = make_product(exhibitor=c, name="Kain Batik Tasik", price=200000, stock=50, images=0)
    kopi = make_product(exhibitor=d, name="Kopi Robusta 250 g", price=50000, stock=50, images=0)
    make_product(exhibitor=d, name="Kopi Lama", is_active=False, images=0)
    make_product(exhibitor=f, name="Tikar Pandan", price=120000, images=0)
    make_product(exhibitor=e, name="Tenun Ikat", images=0)

    # People: the organizer's admin, A's owner and teammate, and an outsider (B's owner).
    admin = make_user(email="admin@dindakop.example")
    make_organizer_member(organizer=organizer, user=admin, role=OrganizerMember.Role.ADMIN)
    owner = make_user(email="siti@batik.example")
    make_exhibitor_member(exhibitor=a, user=owner, role=ExhibitorMember.Role.OWNER)
    teammate = make_user(email="rani@batik.example")
    make_exhibitor_member(exhibitor=a, user=teammate, role=ExhibitorMember.Role.STAFF)
    outsider = make_user(email="budi@amplang.example")
    make_exhibitor_member(exhibitor=b, user=outsider, role=ExhibitorMember.Role.OWNER)

    # Live sessions: the opening was not streamed (no samples, no pins).
    opening = make_session(expo=expo, title="Pembukaan", starts_at=at(24, 9), ends_at=at(24, 10))
    promosi = make_session(
        expo=expo, title="Promosi Produk UMKM", starts_at=at(24, 10), ends_at=at(24, 11, 30)
    )
    talkshow = make_session(
        expo=expo, title="Talkshow Batik Naik Kelas", starts_at=at(25, 13), ends_at=at(25, 14)
    )
    for minute, viewers in [(0, 40), (5, 120), (10, 95)]:
        ViewerSample.objects.create(session=promosi, at=at(24, 10, minute), viewers=viewers)
    for minute, viewers in [(0, 60), (10, 150), (20, 70)]:
        ViewerSample.objects.create(session=talkshow, at=at(25, 13, minute), viewers=viewers)
    p1 = Pin.objects.create(
        session=promosi,
        product=kemeja,
        pinned_at=at(24, 10, 5),
        unpinned_at=at(24, 10, 20),
        clicks=12,
        add_to_carts=5,
    )
    p2 = Pin.objects.create(
        session=promosi, product=amplang, pinned_at=at(24, 10, 20), clicks=4, add_to_carts=1
    )
    p3 = Pin.objects.create(
        session=talkshow, product=kain, pinned_at=at(25, 13, 5), clicks=3, add_to_carts=0
    )

    S = Order.Status
    orders = {
        "O1": _order(expo, a, S.PAID, [(kemeja, 2, p1)], paid_at=at(24, 10, 15)),
        "O2": _order(
            expo, b, S.COMPLETED, [(amplang, 4, None)], paid_at=at(25, 6, 30), shipping=18000
        ),
        "O3": _order(
            expo,
            c,
            S.SHIPPED,
            [(kain, 1, None)],
            paid_at=at(24, 23, 30),
            shipping=20000,
            unique_code=123,
        ),
        "O4": _order(expo, a, S.AWAITING_PAYMENT, [(selendang, 1, None)]),
        "O5": _order(
            expo,
            b,
            S.CANCELLED,
            [(amplang, 2, p2)],
            paid_at=at(24, 11),
            cancelled_at=at(24, 12),
            cancel_reason="Pembeli membatalkan",
        ),
        "O6": _order(expo, c, S.EXPIRED, [(kain, 3, p3)]),
        "O7": _order(expo, d, S.PROCESSING, [(kopi, 3, None)], paid_at=at(25, 14, 10)),
        "O8": _order(
            expo, a, S.PAID, [(kemeja, 1, None), (selendang, 2, None)], paid_at=at(25, 9, 5)
        ),
        "O9": _order(earlier, a, S.COMPLETED, [(kemeja, 2, None)], paid_at=when(2020, 11, 25, 10)),
        "O11": _order(expo, b, S.PAID, [(amplang, 1, None)], paid_at=at(27, 11)),
    }
    sales = {
        "S1": _sale(expo, a, owner, at(24, 13, 20), [(kemeja, 1, 0)]),
        "S2": _sale(
            expo, a, teammate, at(25, 15, 45), [(selendang, 2, 1)], status=PosSale.Status.FLAGGED
        ),
        "S3": _sale(expo, d, owner, at(24, 10, 40), [(kopi, 2, 0)]),
        "S4": _sale(expo, d, owner, at(25, 9, 30), [(kopi, 1, 0)], status=PosSale.Status.RESOLVED),
        "S5": _sale(earlier, a, owner, when(2020, 11, 25, 11), [(kemeja, 1, 0)]),
    }

    # Online visitors: v1 both days, v2 the 24th, v3 and v4 the 25th (+ one of 2020).
    for visitor, day in [("v1", 24), ("v2", 24), ("v1", 25), ("v3", 25), ("v4", 25)]:
        Visit.objects.create(
            expo=expo,
            visitor=visitor * 32,
            day=datetime.date(2021, 11, day),
            first_seen=at(day, 9),
        )
    Visit.objects.create(
        expo=earlier,
        visitor="v9" * 32,
        day=datetime.date(2020, 11, 25),
        first_seen=when(2020, 11, 25, 9),
    )
    # Booth visits: A three (v1 twice, v2), B one; one of A at the 2020 expo.
    for exhibitor, visitor, day in [(a, "v1", 24), (a, "v1", 25), (a, "v2", 24), (b, "v3", 25)]:
        BoothVisit.objects.create(
            expo=expo,
            exhibitor=exhibitor,
            visitor=visitor * 32,
            day=datetime.date(2021, 11, day),
            first_seen=at(day, 9, 30),
        )
    BoothVisit.objects.create(
        expo=earlier,
        exhibitor=a,
        visitor="v9" * 32,
        day=datetime.date(2020, 11, 25),
        first_seen=when(2020, 11, 25, 9),
    )

    # The venue: tickets T1..T6; T5 cancelled, T4 never came; T3 inside now (25th).
    slot_24 = TimeSlot.objects.create(
        expo=expo,
        name="Rabu pagi",
        starts_at=at(24, 9),
        ends_at=at(24, 12),
        capacity=100,
        taken=2,
    )
    slot_25 = TimeSlot.objects.create(
        expo=expo,
        name="Kamis pagi",
        starts_at=at(25, 9),
        ends_at=at(25, 12),
        capacity=200,
        taken=2,
    )
    TimeSlot.objects.create(
        expo=expo, name="Kamis siang", starts_at=at(25, 13), ends_at=at(25, 16), capacity=150
    )
    guest = Invitation.objects.create(expo=expo, name="Rina Kusuma", status="accepted")
    tickets = {
        # T1 never scanned out on the 24th: not inside on the 25th.
        "T1": _ticket(expo, slot=slot_24, admitted_at=at(24, 9, 10), inside=True),
        "T2": _ticket(expo, slot=slot_24, admitted_at=at(24, 10, 30)),
        "T3": _ticket(expo, slot=slot_25, admitted_at=at(25, 9, 20), inside=True),
        "T4": _ticket(expo, slot=slot_25),
        "T5": _ticket(expo, slot=slot_25, cancelled=True),
        "T6": _ticket(expo, invitation=guest, admitted_at=at(24, 9)),
    }
    gate = GateDevice.objects.create(expo=expo, name="Gerbang A", token_hash="a" * 64)
    for key in ["T1", "T2", "T3", "T6"]:
        Scan.objects.create(
            device=gate,
            ticket=tickets[key],
            nonce=f"nonce-{key}",
            direction=Scan.Direction.ENTRY,
            result=Scan.Result.ADMITTED,
            scanned_at=tickets[key].admitted_at,
        )

    # Bulk inquiries: 7 of 2021 (+ one of 2020, not counted).
    ask = Inquiry.Status
    _inquiry(expo, a, ask.NEW)
    _inquiry(expo, a, ask.ANSWERED)
    _inquiry(expo, a, ask.QUOTED, quoted=5000000)
    _inquiry(expo, a, ask.WON, quoted=4000000, won=3500000)
    _inquiry(expo, d, ask.WON, quoted=2500000, won=2000000)
    _inquiry(expo, c, ask.LOST, quoted=1000000)
    _inquiry(expo, b, ask.NEW)
    _inquiry(earlier, a, ask.WON, won=9999000)

    # What the exhibitors reported themselves.
    outcomes = {
        "A": Outcome.objects.create(
            expo=expo,
            exhibitor=a,
            sales_whatsapp=400000,
            sales_marketplace=250000,
            sales_after=150000,
            turnover_before=4000000,
            turnover_after=5000000,
            new_channels=["marketplace", "reseller"],
            licences=["nib", "halal", "pirt"],
            reported_by=owner,
            reported_at=at(28, 10),
        ),
        "B": Outcome.objects.create(
            expo=expo,
            exhibitor=b,
            sales_whatsapp=100000,
            sales_marketplace=0,
            sales_after=50000,
            turnover_before=2000000,
            turnover_after=1800000,
            new_channels=[],
            licences=["nib"],
            reported_by=outsider,
            reported_at=at(28, 11),
        ),
        "C": Outcome.objects.create(
            expo=expo,
            exhibitor=c,
            sales_whatsapp=0,
            sales_marketplace=300000,
            sales_after=0,
            turnover_before=8000000,
            turnover_after=None,
            new_channels=["social"],
            licences=[],
            reported_at=at(29, 8),
        ),
    }
    Outcome.objects.create(
        expo=earlier,
        exhibitor=a,
        sales_whatsapp=100000,
        turnover_before=3000000,
        turnover_after=3500000,
        licences=["nib"],
        reported_at=when(2020, 11, 30, 10),
    )
    Outcome.objects.create(
        expo=earlier,
        exhibitor=b,
        sales_whatsapp=50000,
        turnover_before=2000000,
        licences=["nib"],
        reported_at=when(2020, 11, 30, 11),
    )

    return {
        "expo": expo,
        "earlier": earlier,
        "oldest": oldest,
        "organizer": organizer,
        "now": NOW,
        "exhibitors": {"A": a, "B": b, "C": c, "D": d, "F": f, "E": e},
        "products": {
            "kemeja": kemeja,
            "selendang": selendang,
            "amplang": amplang,
            "kain": kain,
            "kopi": kopi,
        },
        "sessions": {"opening": opening, "promosi": promosi, "talkshow": talkshow},
        "pins": {"P1": p1, "P2": p2, "P3": p3},
        "orders": orders,
        "sales": sales,
        "tickets": tickets,
        "outcomes": outcomes,
        "users": {"admin": admin, "owner": owner, "teammate": teammate, "outsider": outsider},
        "expected": EXPECTED,
    }


def _day(day: int) -> datetime.date:
    return datetime.date(2021, 11, day)


def _hours(figures: dict[int, tuple[int, int, int]]) -> list[dict]:
    """All 24 hours; figures: hour -> (online, venue, orders)."""
    rows = []
    for hour in range(24):
        online, venue, orders = figures.get(hour, (0, 0, 0))
        rows.append(
            {
                "hour": hour,
                "online": online,
                "venue": venue,
                "omzet": online + venue,
                "orders": orders,
            }
        )
    return rows


# The figures, by hand (see the module docstring for where each comes from).
EXPECTED = {
    "planned": {"online": 70, "venue": 30},
    "visitors": {
        "online_unique": 4,  # v1..v4
        "online_visits": 5,
        "peak_viewers": 150,
        "peak_viewers_at": at(25, 13, 10),
        "venue_tickets": 5,  # T1..T6 but T5 (cancelled)
        "venue_admitted": 4,  # T1, T2, T3, T6
        "venue_inside": 1,  # T3 (T1 entered on the 24th)
        "venue_capacity_now": 200,  # the Thursday morning slot
        "venue_admitted_today": 1,  # T3
    },
    # online 1,105,000 / 1,585,000 = 69.716 %; venue 480,000 / 1,585,000 = 30.284 %
    "channels": [
        {
            "code": "online",
            "orders": 6,
            "items": 14,
            "omzet": 1105000,
            "share": Decimal("69.7"),
            "planned": 70,
        },
        {
            "code": "venue",
            "orders": 4,
            "items": 6,
            "omzet": 480000,
            "share": Decimal("30.3"),
            "planned": 30,
        },
    ],
    "retail": {"orders": 10, "items": 20, "omzet": 1585000},
    "bulk": {
        "inquiries": 7,
        "new": 2,
        "answered": 1,
        "quoted": 1,
        "won": 2,
        "lost": 1,
        "quoted_value": 5000000,  # the open quote (QUOTED)
        "won_value": 5500000,  # 3,500,000 + 2,000,000
    },
    "self_reported": {
        "reports": 3,
        "whatsapp": 500000,
        "marketplace": 550000,
        "after": 200000,
        "total": 1250000,
    },
    "exhibitors": {"total": 5, "venue": 2, "online": 3, "provinces": 3, "products": 6},
    # 1,160,000 / 1,585,000 = 73.186 %; 425,000 / 1,585,000 = 26.814 %
    "by_category": [
        {
            "slug": "batik-fashion",
            "name": "Batik & Fesyen",
            "exhibitors": 2,
            "online": 830000,
            "venue": 330000,
            "omzet": 1160000,
            "orders": 5,
            "share": Decimal("73.2"),
        },
        {
            "slug": "makanan",
            "name": "Makanan",
            "exhibitors": 2,
            "online": 275000,
            "venue": 150000,
            "omzet": 425000,
            "orders": 5,
            "share": Decimal("26.8"),
        },
        {
            "slug": "kerajinan",
            "name": "Kerajinan",
            "exhibitors": 1,
            "online": 0,
            "venue": 0,
            "omzet": 0,
            "orders": 0,
            "share": Decimal("0.0"),
        },
    ],
    # 1,260,000 / 1,585,000 = 79.495 %; 200,000 -> 12.618 %; 125,000 -> 7.886 %
    "by_region": [
        {
            "code": "33",
            "name": "Jawa Tengah",
            "exhibitors": 3,
            "online": 780000,
            "venue": 480000,
            "omzet": 1260000,
            "orders": 7,
            "share": Decimal("79.5"),
        },
        {
            "code": "32",
            "name": "Jawa Barat",
            "exhibitors": 1,
            "online": 200000,
            "venue": 0,
            "omzet": 200000,
            "orders": 1,
            "share": Decimal("12.6"),
        },
        {
            "code": "63",
            "name": "Kalimantan Selatan",
            "exhibitors": 1,
            "online": 125000,
            "venue": 0,
            "omzet": 125000,
            "orders": 2,
            "share": Decimal("7.9"),
        },
    ],
    # slug -> (online, venue, omzet, orders, items), in the report's order (omzet desc, name)
    "by_exhibitor_omzet": [
        ("batik-sekar-jagad", 630000, 330000, 960000, 4, 8),
        ("kopi-petungkriyono", 150000, 150000, 300000, 3, 6),
        ("batik-tasik-indah", 200000, 0, 200000, 1, 1),
        ("amplang-banjarbaru", 125000, 0, 125000, 2, 5),
        ("anyaman-pandan-ayu", 0, 0, 0, 0, 0),
    ],
    # The rest of each exhibitor's row.
    "by_exhibitor": {
        "batik-sekar-jagad": {
            "category": "Batik & Fesyen",
            "province": "Jawa Tengah",
            "regency": "Kota Pekalongan",
            "status": "accepted",
            "mode": "venue",
            "booth": "A-01",
            "booth_visits": 3,
            "inquiries": 4,
            "bulk_won": 3500000,
            "self_reported": 800000,
            "turnover_before": 4000000,
            "turnover_after": 5000000,
            "growth": Decimal("25.0"),  # (5,000,000 - 4,000,000) / 4,000,000
            "expo_vs_month": Decimal("44.0"),  # (960,000 + 800,000) / 4,000,000
            "previous_expo": "phe-2020",
            "previous_omzet": 550000,  # 300,000 + 150,000 + 100,000
            "vs_previous": Decimal("220.0"),  # (1,760,000 - 550,000) / 550,000
            "new_channels": ["marketplace", "reseller"],
            "licences_new": ["halal", "pirt"],
        },
        "kopi-petungkriyono": {
            "category": "Makanan",
            "province": "Jawa Tengah",
            "regency": "Kabupaten Pekalongan",
            "status": "accepted",
            "mode": "venue",
            "booth": "A-02",
            "booth_visits": 0,
            "inquiries": 1,
            "bulk_won": 2000000,
            "self_reported": None,
            "turnover_before": None,
            "turnover_after": None,
            "growth": None,
            "expo_vs_month": None,
            "previous_expo": None,  # refused in 2020
            "previous_omzet": None,
            "vs_previous": None,
            "new_channels": [],
            "licences_new": [],
        },
        "batik-tasik-indah": {
            "category": "Batik & Fesyen",
            "province": "Jawa Barat",
            "regency": "Kabupaten Tasikmalaya",
            "status": "accepted",
            "mode": "online",
            "booth": "",
            "booth_visits": 0,
            "inquiries": 1,
            "bulk_won": 0,
            "self_reported": 300000,
            "turnover_before": 8000000,
            "turnover_after": None,
            "growth": None,
            "expo_vs_month": Decimal("6.3"),  # 500,000 / 8,000,000 = 6.25 % (half up)
            "previous_expo": None,
            "previous_omzet": None,
            "vs_previous": None,
            "new_channels": ["social"],
            "licences_new": [],
        },
        "amplang-banjarbaru": {
            "category": "Makanan",
            "province": "Kalimantan Selatan",
            "regency": "Kota Banjarbaru",
            "status": "accepted",
            "mode": "online",
            "booth": "",
            "booth_visits": 1,
            "inquiries": 1,
            "bulk_won": 0,
            "self_reported": 150000,
            "turnover_before": 2000000,
            "turnover_after": 1800000,
            "growth": Decimal("-10.0"),
            "expo_vs_month": Decimal("13.8"),  # 275,000 / 2,000,000 = 13.75 %
            "previous_expo": "phe-2020",
            "previous_omzet": 50000,  # no platform sales in 2020, 50,000 reported
            "vs_previous": Decimal("450.0"),  # (275,000 - 50,000) / 50,000
            "new_channels": [],
            "licences_new": [],
        },
        "anyaman-pandan-ayu": {
            "category": "Kerajinan",
            "province": "Jawa Tengah",
            "regency": "Kota Pekalongan",
            "status": "accepted",
            "mode": "online",
            "booth": "",
            "booth_visits": 0,
            "inquiries": 0,
            "bulk_won": 0,
            "self_reported": None,
            "turnover_before": None,
            "turnover_after": None,
            "growth": None,
            "expo_vs_month": None,
            "previous_expo": None,
            "previous_omzet": None,
            "vs_previous": None,
            "new_channels": [],
            "licences_new": [],
        },
    },
    # WIB days; O2 (25th 06:30 WIB) is the 24th in UTC. The expo's two days, then only
    # the days after it with a figure: not the empty 26th, the 27th (O11).
    "by_day": [
        {
            "day": _day(24),
            "online": 500000,
            "venue": 250000,
            "omzet": 750000,
            "orders": 4,
            "visitors": 2,
            "admitted": 3,
        },
        {
            "day": _day(25),
            "online": 580000,
            "venue": 230000,
            "omzet": 810000,
            "orders": 5,
            "visitors": 3,
            "admitted": 1,
        },
        {
            "day": _day(27),
            "online": 25000,
            "venue": 0,
            "omzet": 25000,
            "orders": 1,
            "visitors": 0,
            "admitted": 0,
        },
    ],
    "by_hour": _hours(
        {
            6: (100000, 0, 1),  # O2
            9: (330000, 50000, 2),  # O8, S4
            10: (300000, 100000, 2),  # O1, S3
            11: (25000, 0, 1),  # O11
            13: (0, 150000, 1),  # S1
            14: (150000, 0, 1),  # O7
            15: (0, 180000, 1),  # S2
            23: (200000, 0, 1),  # O3
        }
    ),
    "top_products": [
        {
            "name": "Kemeja Batik Tulis",
            "exhibitor": "Batik Sekar Jagad",
            "exhibitor_slug": "batik-sekar-jagad",
            "quantity": 4,
            "online": 450000,
            "venue": 150000,
            "omzet": 600000,
        },
        {
            "name": "Selendang Sutra",
            "exhibitor": "Batik Sekar Jagad",
            "exhibitor_slug": "batik-sekar-jagad",
            "quantity": 4,
            "online": 180000,
            "venue": 180000,
            "omzet": 360000,
        },
        {
            "name": "Kopi Robusta 250 g",
            "exhibitor": "Kopi Petungkriyono",
            "exhibitor_slug": "kopi-petungkriyono",
            "quantity": 6,
            "online": 150000,
            "venue": 150000,
            "omzet": 300000,
        },
        {
            "name": "Kain Batik Tasik",
            "exhibitor": "Batik Tasik Indah",
            "exhibitor_slug": "batik-tasik-indah",
            "quantity": 1,
            "online": 200000,
            "venue": 0,
            "omzet": 200000,
        },
        {
            "name": "Amplang Tenggiri",
            "exhibitor": "Amplang Banjarbaru",
            "exhibitor_slug": "amplang-banjarbaru",
            "quantity": 5,
            "online": 125000,
            "venue": 0,
            "omzet": 125000,
        },
    ],
    # Sessions with a viewer sample or a pin, by start; the opening was not streamed.
    "live": [
        {
            "title": "Promosi Produk UMKM",
            "starts_at": at(24, 10),
            "peak_viewers": 120,
            "average_viewers": 85,  # (40 + 120 + 95) / 3
            "pins": [("Kemeja Batik Tulis", 12, 5, 1, 300000), ("Amplang Tenggiri", 4, 1, 0, 0)],
            "clicks": 16,
            "add_to_carts": 6,
            "orders": 1,
            "omzet": 300000,
        },
        {
            "title": "Talkshow Batik Naik Kelas",
            "starts_at": at(25, 13),
            "peak_viewers": 150,
            "average_viewers": 93,  # (60 + 150 + 70) / 3 = 93.3
            "pins": [("Kain Batik Tasik", 3, 0, 0, 0)],
            "clicks": 3,
            "add_to_carts": 0,
            "orders": 0,
            "omzet": 0,
        },
    ],
    "naik_kelas": {
        "reports": 3,
        "grew": 1,  # A (+25.0); B fell, C gave no turnover since
        "growth_median": Decimal("7.5"),  # median of 25.0 and -10.0
        "new_channels": 2,  # A, C
        "licences_new": 1,  # A (halal, P-IRT)
        "returning": 2,  # A, B
        "grew_vs_previous": 2,  # A, B
    },
    # exhibitor_report of A (Batik Sekar Jagad)
    "exhibitor_A": {
        # 630,000 / 960,000 = 65.625 %; 330,000 / 960,000 = 34.375 %
        "channels": [
            {
                "code": "online",
                "orders": 2,
                "items": 5,
                "omzet": 630000,
                "share": Decimal("65.6"),
                "planned": 70,
            },
            {
                "code": "venue",
                "orders": 2,
                "items": 3,
                "omzet": 330000,
                "share": Decimal("34.4"),
                "planned": 30,
            },
        ],
        "by_day": [
            {
                "day": _day(24),
                "online": 300000,
                "venue": 150000,
                "omzet": 450000,
                "orders": 2,
                "visitors": 2,
                "admitted": 0,
            },
            {
                "day": _day(25),
                "online": 330000,
                "venue": 180000,
                "omzet": 510000,
                "orders": 2,
                "visitors": 1,
                "admitted": 0,
            },
        ],
        "by_hour": _hours(
            {9: (330000, 0, 1), 10: (300000, 0, 1), 13: (0, 150000, 1), 15: (0, 180000, 1)}
        ),
        "top_products": ["Kemeja Batik Tulis", "Selendang Sutra"],
        "orders_by_status": {"paid": 2, "awaiting_payment": 1},
        "inquiries": {
            "total": 4,
            "new": 1,
            "answered": 1,
            "quoted": 1,
            "won": 1,
            "lost": 0,
            "won_value": 3500000,
        },
        "live": [("Promosi Produk UMKM", "Kemeja Batik Tulis", at(24, 10, 5), 12, 1, 300000)],
    },
}


def busy_expo(exhibitors: int, suffix: str = "", **expo_fields):
    """build_expo (expo_fields: the expo's) with `exhibitors` more exhibitors, each with a
    paid order from a pin in their own live session, a booth sale, a booth visit, an
    inquiry and an outcome, and at their previous expo a paid order and an outcome: every
    part of the report then has more rows, for the query-count tests."""
    world = build_expo(extra_exhibitors=exhibitors, suffix=suffix, **expo_fields)
    earlier = make_expo(
        organizer=world.expo.organizer,
        start_date=datetime.date(2020, 11, 1),
        end_date=datetime.date(2020, 11, 2),
    )
    cashier = make_user(email=f"kasir{exhibitors}{suffix}@example.com")
    sessions = list(world.expo.sessions.filter(title__startswith="Sesi").order_by("pk"))
    for exhibitor, session in zip(world.exhibitors, sessions, strict=True):
        product = exhibitor.products.first()
        make_participation(expo=earlier, exhibitor=exhibitor)
        pin = Pin.objects.create(session=session, product=product, pinned_at=session.starts_at)
        ViewerSample.objects.create(session=session, at=session.starts_at, viewers=10)
        _order(world.expo, exhibitor, Order.Status.PAID, [(product, 1, pin)], paid_at=at(24, 10))
        _order(
            earlier,
            exhibitor,
            Order.Status.PAID,
            [(product, 1, None)],
            paid_at=datetime.datetime(2020, 11, 1, 10, tzinfo=WIB),
        )
        _sale(world.expo, exhibitor, cashier, at(25, 11), [(product, 2, 0)])
        BoothVisit.objects.create(
            expo=world.expo,
            exhibitor=exhibitor,
            visitor="x" * 64,
            day=datetime.date(2021, 11, 24),
            first_seen=at(24, 9),
        )
        Inquiry.objects.create(
            expo=world.expo,
            exhibitor=exhibitor,
            buyer_name="Toko",
            buyer_whatsapp="628123",
            quantity="10",
            message="?",
        )
        for expo in (world.expo, earlier):
            Outcome.objects.create(
                expo=expo,
                exhibitor=exhibitor,
                sales_whatsapp=1000,
                turnover_before=100000,
                turnover_after=120000,
                new_channels=["social"],
                licences=["nib"],
                reported_at=at(28, 10),
            )
    return world
