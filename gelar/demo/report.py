"""The demo's 2021 report: what the organizer's dashboard and exports show for the
Pekalongan Hybrid Expo 2021 beyond the orders, booth sales and live session of
gelar.demo.services.

- Visits: 2,000 unique online visitors, 3,000 visitor-days (most on the two expo days,
  a trickle in the virtual mall after it), each visiting a few booths with a long tail
  (a handful of booths draw most of the traffic).
- Bulk inquiries: 25, in every status, through the real services (answers, quotes, deals
  won with their value, deals lost with the reason); the two demo owners' businesses
  get a new and an answered one to try the dashboard on.
- The exhibitors' own reports (Outcome): 60 % of the accepted exhibitors, not the demo
  owners' (they can fill theirs in): sales elsewhere, usual monthly turnover of Rp 5-60
  juta before, mostly growing after, new channels, licences.
- 300 more paid online orders spread over the expo's days and hours (WIB) and a few days
  of the virtual mall, across many exhibitors (not the demo owners'), shipped or picked
  up and completed.
- 160 booth sales at the venue booths' tills on the two expo days (cash with round
  notes, QRIS, a few transfers), so that the venue channel stands near the planned 30 %.

Visits are measurements the beacon takes (reports.services.visit_record inserts one
row per visitor per day); there is nothing for a person to click, so they are written
in bulk as the beacon would have written them. The orders are written in bulk too,
consistent with what checkout and payment leave (the services take too long for 300),
and so are the booth sales (as pos_sale_record leaves them).
Inquiries and Outcomes go through the services: their audit trail is what real clicks
leave.
Deterministic: one random.Random per part, seeded.

demo_load calls create_report_2021 last (after the booth sales). demo_delete must call
delete_report_data before deleting the expos: inquiries protect their expo and exhibitor.
"""

import datetime
import hashlib
import random

from django.db.models import F, Q

from gelar.catalog.models import Product
from gelar.demo import data
from gelar.events.models import Expo, Organizer, OrganizerMember
from gelar.exhibitors.models import Exhibitor, ExhibitorMember, Participation
from gelar.orders import services as orders
from gelar.orders.models import Checkout, Order, OrderLine
from gelar.payments.methods import payment_methods_by_exhibitor
from gelar.payments.models import Payment
from gelar.pos.models import PosSale, PosSaleLine
from gelar.reports import services as reports
from gelar.reports.models import BoothVisit, Inquiry, Outcome, Visit

SEED = "gelar-demo-2021-report"
BULK_BATCH = 1000

# --- visits ---

UNIQUE_VISITORS = 2_000
# Visitor-days per day of November 2021: the two expo days, then the virtual mall.
VISITS_BY_DAY = {24: 1_700, 25: 1_100, 26: 90, 27: 60, 28: 50}  # 3,000
# Of the 25th's visitors, this many came back from the 24th; the rest are new.
RETURNING_ON_25 = 800
# People browse from morning to night; the Mayor's promotion (10.00) and the evening
# after work draw the most.
VISIT_HOURS = {
    7: 2, 8: 4, 9: 8, 10: 14, 11: 11, 12: 7, 13: 6, 14: 6, 15: 6, 16: 6,
    17: 5, 18: 6, 19: 9, 20: 10, 21: 7, 22: 3,
}  # fmt: skip
# Booths per visitor-day: 1 + a geometric number, capped.
BOOTHS_STOP = 0.4
BOOTHS_MAX = 12
# Booth popularity falls with its rank as rank ** -ZIPF: the long tail.
ZIPF = 0.9

# --- bulk inquiries ---

# (name, company, WhatsApp, email)
B2B_BUYERS = [
    ("Hendra Gunawan", "Toko Batik Larasati, Semarang", "6281325550101", "hendra.g@contoh.id"),
    ("Lina Kartika", "CV Sumber Rejeki Oleh-Oleh", "6285640220202", ""),
    ("Teguh Prasetyo", "Koperasi Pegawai Pemkot Pekalongan", "6281225330303", "kopeg@contoh.id"),
    ("Maya Sari", "Hotel Dafam Pekalongan", "6282134440404", "purchasing.dafam@contoh.id"),
    ("Rudi Hartono", "Reseller Batik Murah Solo", "6287731550505", ""),
    ("Nur Aini", "Minimarket Barokah, Batang", "6285290660606", "barokah.batang@contoh.id"),
    ("Yusuf Maulana", "PT Garuda Souvenir, Jakarta", "6281180770707", "yusuf.garuda@contoh.id"),
    ("Sri Wahyuni", "Dharma Wanita Kabupaten Pekalongan", "6281390880808", ""),
]  # fmt: skip
NEW, ANSWERED, QUOTED, WON, LOST = (s.value for s in Inquiry.Status)
# (buyer, with a product, November day, time, quantity, message key, final status,
#  quoted value, won value, lost reason key). 25: new 5, answered 5, quoted 5, won 6,
# lost 4; won values add up to Rp 78.650.000.
INQUIRY_SCENES = [
    (0, True, 24, "10:20", "300 pcs", "uniform", WON, 13_000_000, 12_000_000, None),
    (1, True, 24, "10:45", "50 dus", "souvenir", WON, 4_800_000, 4_500_000, None),
    (2, False, 24, "11:05", "400 pcs", "uniform", WON, 38_000_000, 36_000_000, None),
    (3, True, 24, "13:30", "120 pcs / bulan", "hotel", WON, None, 8_400_000, None),
    (4, True, 24, "14:10", "2 kodi", "reseller", WON, None, 2_750_000, None),
    (6, True, 25, "09:15", "1.000 pcs", "corporate", WON, 16_000_000, 15_000_000, None),
    (5, True, 24, "15:00", "30 karton / bulan", "retail", QUOTED, 6_000_000, None, None),
    (6, False, 24, "16:40", "500 pcs", "corporate", QUOTED, 18_500_000, None, None),
    (7, True, 25, "10:05", "200 pcs", "uniform", QUOTED, 3_200_000, None, None),
    (0, True, 25, "11:30", "1.500 pcs", "reseller", QUOTED, 45_000_000, None, None),
    (3, True, 25, "13:50", "80 pcs", "hotel", QUOTED, 9_750_000, None, None),
    (1, True, 24, "19:10", "100 pcs", "souvenir", LOST, 7_500_000, None, "price"),
    (5, False, 25, "08:40", "20 karton", "retail", LOST, None, None, "permit"),
    (4, True, 25, "15:20", "5 kodi", "reseller", LOST, 5_200_000, None, "time"),
    (2, True, 25, "16:00", "250 pcs", "uniform", LOST, None, None, "quiet"),
    (7, True, 24, "20:05", "60 pcs", "souvenir", ANSWERED, None, None, None),
    (3, False, 25, "09:45", "40 pcs / bulan", "hotel", ANSWERED, None, None, None),
    (6, True, 25, "14:30", "300 pcs", "corporate", ANSWERED, None, None, None),
    (0, True, 26, "10:00", "200 pcs", "reseller", NEW, None, None, None),
    (5, True, 27, "11:15", "15 karton", "retail", NEW, None, None, None),
    (2, False, 28, "09:30", "150 pcs", "uniform", NEW, None, None, None),
]
# The two demo owners' businesses: one new and one answered each (to try the dashboard).
INQUIRY_SCENES_OWNERS = [
    (4, True, 25, "17:10", "3 kodi", "reseller", NEW, None, None, None),
    (1, True, 24, "12:40", "75 pcs", "souvenir", ANSWERED, None, None, None),
]
INQUIRY_MESSAGES = {
    "uniform": "Kami mencari seragam batik untuk karyawan. Bisa dibuat dengan motif yang sama "
    "dan ukuran S-XXL? Mohon harga grosir dan lama pengerjaan.",
    "souvenir": "Untuk suvenir acara kantor, bisa dikemas satuan dengan label kami? "
    "Mohon info harga per pcs dan minimal order.",
    "hotel": "Kami ingin menyediakan produk ini di kamar dan lobi hotel secara rutin tiap "
    "bulan. Apakah bisa kontrak pasokan dengan harga tetap?",
    "reseller": "Saya reseller online, ingin ambil rutin. Berapa harga reseller dan apakah "
    "boleh dijual ulang di marketplace?",
    "retail": "Untuk dijual di toko kami. Apakah produk sudah ada izin edar (P-IRT/halal) dan "
    "barcode? Mohon daftar harga grosir.",
    "corporate": "Untuk bingkisan akhir tahun klien perusahaan, dikirim ke Jakarta. "
    "Mohon penawaran resmi termasuk ongkos kirim.",
}
INQUIRY_ANSWER = (
    "Terima kasih atas minatnya, Bapak/Ibu {name}. Bisa kami sediakan; untuk jumlah {quantity} "
    "kami beri harga grosir dan pengerjaan sekitar dua minggu. Penawaran lengkap kami kirim "
    "lewat WhatsApp."
)
LOST_REASONS = {
    "price": "Pembeli memilih pemasok lain yang lebih murah.",
    "permit": "Toko mensyaratkan izin BPOM yang belum kami punya.",
    "time": "Tidak sanggup memenuhi tenggat pengiriman.",
    "quiet": "Pembeli tidak membalas lagi setelah penawaran.",
}

# --- the exhibitors' own reports ---

OUTCOME_SHARE = 0.6
OUTCOME_NOTES = [
    "Setelah pameran banyak pembeli dari luar kota menghubungi lewat WhatsApp.",
    "Dapat dua reseller tetap dari Semarang.",
    "Mulai berjualan di TikTok Shop setelah ikut pelatihan di pameran.",
    "Pesanan seragam dari dinas datang seminggu setelah pameran.",
    "Omzet naik tapi bahan baku juga naik.",
]

# --- more online orders ---

ORDERS = 300
# Booth sales at the venue's tills on the two days (the venue channel, planned 30 %).
BOOTH_SALES = 160
BOOTH_SALE_KEY_PREFIX = "demo-2021-booth-"
BOOTH_HOURS = {9: 6, 10: 12, 11: 14, 12: 9, 13: 11, 14: 14, 15: 13, 16: 12, 17: 9}
ORDER_KEY_PREFIX = "demo-2021-report-"
# Share of the orders by day of November 2021 (paid), and by hour (WIB).
ORDER_DAYS = {24: 46, 25: 40, 26: 6, 27: 4, 28: 4}
ORDER_HOURS = {
    8: 2, 9: 5, 10: 14, 11: 12, 12: 6, 13: 6, 14: 7, 15: 7, 16: 6,
    17: 5, 18: 6, 19: 9, 20: 10, 21: 7, 22: 3,
}  # fmt: skip
# A product sold here keeps at least this much stock: the other parts of the demo (the
# live run sheets, the till) pick products with 15 or more.
KEEP_STOCK = 15


def delete_report_data(*, organizer: Organizer) -> None:
    """What demo_delete must remove before the expos: inquiries protect theirs."""
    Inquiry.objects.filter(expo__organizer=organizer).delete()


def create_report_2021(
    *, organizer: Organizer, expo: Expo, spared: set[int], now: datetime.datetime
) -> None:
    """Visits, inquiries, the exhibitors' own reports and more paid orders for the
    2021 expo. `spared`: the demo owners' businesses (no orders, no Outcome). Running
    it again changes nothing."""
    if Checkout.objects.filter(idempotency_key=f"{ORDER_KEY_PREFIX}0000").exists():
        return
    accepted = list(
        Exhibitor.objects.filter(
            participations__expo=expo, participations__status=Participation.Status.ACCEPTED
        )
        .select_related("category")
        .order_by("name", "pk")
    )
    if not accepted:
        return
    _create_visits(expo=expo, exhibitors=accepted)
    _create_inquiries(expo=expo, exhibitors=accepted, spared=spared)
    _create_outcomes(
        expo=expo,
        exhibitors=[e for e in accepted if e.pk not in spared],
        count=round(OUTCOME_SHARE * len(accepted)),
    )
    _create_orders(expo=expo, exhibitors=[e for e in accepted if e.pk not in spared])
    _create_booth_sales(
        organizer=organizer, expo=expo, exhibitors=[e for e in accepted if e.pk not in spared]
    )


def _aware(expo: Expo, day: int, hour: int, minute: int = 0, second: int = 0):
    return datetime.datetime(2021, 11, day, hour, minute, second, tzinfo=expo.tzinfo)


def _weighted(rng: random.Random, weights: dict[int, int]) -> int:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# --- visits ---


def _create_visits(*, expo: Expo, exhibitors: list[Exhibitor]) -> None:
    rng = random.Random(f"{SEED}:visits")
    visitors = [reports.visitor_hash(f"{SEED}:visitor:{n}") for n in range(UNIQUE_VISITORS)]
    first_day = VISITS_BY_DAY[24]
    by_day = {
        24: list(range(first_day)),
        # Those who came back, and every visitor not seen yet (so 2,000 in all).
        25: rng.sample(range(first_day), RETURNING_ON_25) + list(range(first_day, UNIQUE_VISITORS)),
    }
    for day, count in VISITS_BY_DAY.items():
        if day not in by_day:
            by_day[day] = rng.sample(range(UNIQUE_VISITORS), count)
    # The booths in an order of popularity of their own (not the alphabet).
    ranked = rng.sample(exhibitors, len(exhibitors))
    popularity = [(rank + 1) ** -ZIPF for rank in range(len(ranked))]
    visits, booth_visits = [], []
    for day, people in sorted(by_day.items()):
        for person in people:
            seen = _aware(
                expo, day, _weighted(rng, VISIT_HOURS), rng.randrange(60), rng.randrange(60)
            )
            visits.append(
                Visit(expo=expo, visitor=visitors[person], day=seen.date(), first_seen=seen)
            )
            wanted = 1
            while wanted < BOOTHS_MAX and rng.random() > BOOTHS_STOP:
                wanted += 1
            booths = dict.fromkeys(rng.choices(ranked, weights=popularity, k=wanted))
            for n, exhibitor in enumerate(booths):
                booth_visits.append(
                    BoothVisit(
                        expo=expo,
                        exhibitor=exhibitor,
                        visitor=visitors[person],
                        day=seen.date(),
                        first_seen=seen + datetime.timedelta(minutes=2 * n),
                    )
                )
    Visit.objects.bulk_create(visits, batch_size=BULK_BATCH)
    BoothVisit.objects.bulk_create(booth_visits, batch_size=BULK_BATCH)


# --- bulk inquiries ---


def _team_actor(exhibitor: Exhibitor):
    member = (
        ExhibitorMember.objects.filter(exhibitor=exhibitor)
        .select_related("user")
        .order_by("role", "pk")
        .first()
    )
    return member.user if member is not None else None


def _create_inquiries(*, expo: Expo, exhibitors: list[Exhibitor], spared: set[int]) -> None:
    rng = random.Random(f"{SEED}:inquiries")
    others = [e for e in exhibitors if e.pk not in spared]
    chosen = rng.sample(others, min(len(INQUIRY_SCENES), len(others)))
    scenes = list(zip(chosen, INQUIRY_SCENES, strict=False))
    owners = [e for e in exhibitors if e.pk in spared]
    scenes += [(owner, scene) for owner in owners for scene in INQUIRY_SCENES_OWNERS]
    products = _active_products([e.pk for e, _scene in scenes])
    created = {}
    for exhibitor, scene in scenes:
        (buyer, with_product, day, hhmm, quantity, message, status, quoted, won, lost) = scene
        name, company, whatsapp, email = B2B_BUYERS[buyer]
        hour, minute = (int(part) for part in hhmm.split(":"))
        sent = _aware(expo, day, hour, minute)
        own = products.get(exhibitor.pk, [])
        inquiry = reports.inquiry_submit(
            expo=expo,
            exhibitor=exhibitor,
            product=rng.choice(own) if with_product and own else None,
            buyer_name=name,
            company=company,
            buyer_whatsapp=whatsapp,
            buyer_email=email,
            quantity=quantity,
            message=INQUIRY_MESSAGES[message],
            now=sent,
        )
        created[inquiry.pk] = sent
        if status == NEW:
            continue
        actor = _team_actor(exhibitor)
        answered = sent + datetime.timedelta(hours=2, minutes=rng.randrange(60))
        reports.inquiry_answer(
            inquiry=inquiry,
            actor=actor,
            answer=INQUIRY_ANSWER.format(name=name, quantity=quantity),
            now=answered,
        )
        if quoted is not None:
            reports.inquiry_mark(
                inquiry=inquiry,
                actor=actor,
                status=QUOTED,
                value=quoted,
                now=answered + datetime.timedelta(days=1),
            )
        decided = answered + datetime.timedelta(days=rng.randrange(3, 15))
        if status == WON:
            reports.inquiry_mark(inquiry=inquiry, actor=actor, status=WON, value=won, now=decided)
        elif status == LOST:
            reports.inquiry_mark(
                inquiry=inquiry, actor=actor, status=LOST, reason=LOST_REASONS[lost], now=decided
            )
    # created_at is the time of the INSERT; the demo's inquiries were sent in 2021.
    rows = list(Inquiry.objects.filter(pk__in=created))
    for row in rows:
        row.created_at = created[row.pk]
    Inquiry.objects.bulk_update(rows, ["created_at"], batch_size=BULK_BATCH)


def _active_products(exhibitor_ids: list[int]) -> dict[int, list[Product]]:
    products: dict[int, list[Product]] = {}
    for product in Product.objects.filter(exhibitor_id__in=exhibitor_ids, is_active=True).order_by(
        "slug", "pk"
    ):
        products.setdefault(product.exhibitor_id, []).append(product)
    return products


# --- the exhibitors' own reports ---

_FOOD = {data.FOOD, data.DRINKS}


def _create_outcomes(*, expo: Expo, exhibitors: list[Exhibitor], count: int) -> None:
    rng = random.Random(f"{SEED}:outcomes")
    chosen = rng.sample(exhibitors, min(count, len(exhibitors)))
    for exhibitor in sorted(chosen, key=lambda e: (e.name, e.pk)):
        before = rng.randrange(10, 121) * 500_000  # Rp 5-60 juta
        growth = min(max(rng.gauss(0.14, 0.12), -0.15), 0.6)
        after = None if rng.random() < 0.1 else round(before * (1 + growth) / 100_000) * 100_000
        channels = [
            code
            for code, chance in (
                (Outcome.Channel.SOCIAL, 0.35),
                (Outcome.Channel.MARKETPLACE, 0.25),
                (Outcome.Channel.RESELLER, 0.2),
                (Outcome.Channel.WEBSITE, 0.08),
                (Outcome.Channel.MODERN_RETAIL, 0.06),
                (Outcome.Channel.EXPORT, 0.02),
            )
            if rng.random() < chance
        ]
        food = exhibitor.category.slug in _FOOD
        licences = [
            code
            for code, held in (
                (Outcome.Licence.NIB, bool(exhibitor.nib)),
                (Outcome.Licence.HALAL, food and rng.random() < 0.5),
                (Outcome.Licence.PIRT, food and rng.random() < 0.6),
                (
                    Outcome.Licence.BPOM,
                    exhibitor.category.slug == data.BEAUTY and rng.random() < 0.4,
                ),
            )
            if held
        ]
        reports.outcome_save(
            expo=expo,
            exhibitor=exhibitor,
            actor=None,
            sales_whatsapp=rng.randrange(0, 17) * 250_000,
            sales_marketplace=0 if rng.random() < 0.4 else rng.randrange(1, 21) * 100_000,
            sales_after=0 if rng.random() < 0.5 else rng.randrange(1, 31) * 250_000,
            turnover_before=before,
            turnover_after=after,
            new_channels=channels,
            licences=licences,
            note=rng.choice(OUTCOME_NOTES) if rng.random() < 0.3 else "",
            now=datetime.datetime(2021, 12, rng.randrange(1, 21), 10, 0, tzinfo=expo.tzinfo),
        )


# --- more online orders ---


def _buyer(rng: random.Random, n: int) -> orders.BuyerInfo:
    first = rng.choice(data.VISITOR_FIRST)
    last = rng.choice(data.VISITOR_LAST)
    whatsapp = "62" + rng.choice(data.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
    email = f"{first}.{last}{n}@contoh.id".lower() if rng.random() < 0.6 else ""
    return orders.BuyerInfo(name=f"{first} {last}", whatsapp=whatsapp, email=email)


def _lines(model, parent: str, parents: list, plans: list[dict]) -> list:
    """The lines (OrderLine or PosSaleLine) of each order or sale, at the listed price:
    `parent` names the field that points to it; plans[i]["lines"] are parents[i]'s
    (product, quantity)."""
    return [
        model(
            **{parent: owner},
            product=product,
            product_name=product.name,
            unit_price=product.price,
            quantity=quantity,
            line_total=product.price * quantity,
        )
        for owner, plan in zip(parents, plans, strict=True)
        for product, quantity in plan["lines"]
    ]


def _take_stock(plans: list[dict]) -> None:
    """Take what the plans sold off the products' stock, by product in order of key;
    conditional, like the checkout's: never below zero."""
    sold: dict[int, int] = {}
    for plan in plans:
        for product, quantity in plan["lines"]:
            sold[product.pk] = sold.get(product.pk, 0) + quantity
    for pk, quantity in sorted(sold.items()):
        Product.objects.filter(pk=pk, stock__gte=quantity).update(stock=F("stock") - quantity)


def _create_orders(*, expo: Expo, exhibitors: list[Exhibitor]) -> None:
    """ORDERS paid orders, written in bulk as checkout_submit and payment_confirm would
    have left them (300 through the services take ~9 s, the demo's budget): one
    checkout and one order per buyer, lines at the product's price, the order's number
    and transfer unique code from its pk, a confirmed Payment of the total, the stock
    taken with conditional UPDATEs, and the order shipped or picked up, then completed.
    No audit entries: nobody clicked."""
    rng = random.Random(f"{SEED}:orders")
    ids = [e.pk for e in exhibitors]
    at_venue = set(
        Participation.objects.filter(
            expo=expo, exhibitor_id__in=ids, mode=Participation.Mode.VENUE
        ).values_list("exhibitor_id", flat=True)
    )
    methods = payment_methods_by_exhibitor(exhibitor_ids=ids)
    products: dict[int, Product] = {}
    sellable: dict[int, list[int]] = {}
    for product in Product.objects.filter(
        exhibitor_id__in=ids, is_active=True, stock__gt=KEEP_STOCK
    ).order_by("slug", "pk"):
        products[product.pk] = product
        sellable.setdefault(product.exhibitor_id, []).append(product.pk)
    shops = [e for e in exhibitors if sellable.get(e.pk) and methods.get(e.pk)]
    if not shops:
        return
    stock = {pk: product.stock for pk, product in products.items()}
    ranked = rng.sample(shops, len(shops))
    popularity = [(rank + 1) ** -0.8 for rank in range(len(ranked))]
    plans = []
    for n in range(ORDERS):
        shop = rng.choices(ranked, weights=popularity)[0]
        candidates = [pk for pk in sellable[shop.pk] if stock[pk] - 3 >= KEEP_STOCK]
        if not candidates:
            continue
        picked = rng.sample(candidates, min(len(candidates), rng.choice((1, 1, 1, 2, 2, 3))))
        lines = [(products[pk], rng.choice((1, 1, 1, 2, 2, 3))) for pk in picked]
        paid_at = _aware(
            expo,
            _weighted(rng, ORDER_DAYS),
            _weighted(rng, ORDER_HOURS),
            rng.randrange(60),
            rng.randrange(60),
        )
        accepted = methods[shop.pk]
        if Order.PaymentMethod.TRANSFER in accepted and rng.random() < 0.3:
            method = Order.PaymentMethod.TRANSFER
        elif Order.PaymentMethod.QRIS in accepted:
            method = Order.PaymentMethod.QRIS
        else:
            method = accepted[0]
        if method == Order.PaymentMethod.CASH:
            continue  # paid at a pick-up, not online; every demo booth takes QRIS anyway
        for product, quantity in lines:
            stock[product.pk] -= quantity
        plans.append(
            {
                "n": n,
                "shop": shop,
                "lines": lines,
                "paid_at": paid_at,
                "placed_at": paid_at - datetime.timedelta(minutes=rng.randrange(3, 14)),
                "method": method,
                "pickup": shop.pk in at_venue and paid_at.day in (24, 25) and rng.random() < 0.35,
                "buyer": _buyer(rng, n),
            }
        )

    # Who confirmed the payment: the booth's owner where the booth has a login.
    actors = {}
    for member in (
        ExhibitorMember.objects.filter(exhibitor_id__in={plan["shop"].pk for plan in plans})
        .select_related("user")
        .order_by("-pk")
    ):
        if member.role == ExhibitorMember.Role.OWNER or member.exhibitor_id not in actors:
            actors[member.exhibitor_id] = member.user
    checkouts = Checkout.objects.bulk_create(
        [
            Checkout(
                idempotency_key=f"{ORDER_KEY_PREFIX}{plan['n']:04d}",
                fingerprint=hashlib.sha256(f"{SEED}:{plan['n']}".encode()).hexdigest(),
                expo=expo,
                buyer_name=plan["buyer"].name,
                buyer_whatsapp=plan["buyer"].whatsapp,
                buyer_email=plan["buyer"].email,
            )
            for plan in plans
        ],
        batch_size=BULK_BATCH,
    )
    prefix = orders.order_number_prefix(expo)
    placed_orders = []
    for plan, checkout in zip(plans, checkouts, strict=True):
        subtotal = sum(product.price * quantity for product, quantity in plan["lines"])
        address, city, postal_code = (
            ("", "", "")
            if plan["pickup"]
            else data.DEMO_ADDRESSES[plan["n"] % len(data.DEMO_ADDRESSES)]
        )
        placed_orders.append(
            Order(
                checkout=checkout,
                exhibitor=plan["shop"],
                expo=expo,
                status=Order.Status.COMPLETED,
                delivery_method=Order.Delivery.PICKUP if plan["pickup"] else Order.Delivery.COURIER,
                address=address,
                city=city,
                postal_code=postal_code,
                tracking_number="" if plan["pickup"] else f"JNE-DEMO21-{plan['n']:05d}",
                payment_method=plan["method"],
                subtotal=subtotal,
                total=subtotal,
                reserved_until=plan["placed_at"]
                + datetime.timedelta(minutes=orders.RESERVATION_MINUTES),
                paid_at=plan["paid_at"],
            )
        )
    placed_orders = Order.objects.bulk_create(placed_orders, batch_size=BULK_BATCH)
    for order, checkout, plan in zip(placed_orders, checkouts, plans, strict=True):
        # As orders.services._create_order numbers them, from the primary key.
        order.number = f"{prefix}-{order.pk:06d}"
        if order.payment_method == Order.PaymentMethod.TRANSFER:
            order.unique_code = order.pk % 999 + 1
            order.total = order.subtotal + order.unique_code
        order.created_at = plan["placed_at"]
        checkout.created_at = plan["placed_at"]
    Order.objects.bulk_update(
        placed_orders, ["number", "unique_code", "total", "created_at"], batch_size=BULK_BATCH
    )
    # created_at is the time of the INSERT; these were placed in 2021.
    Checkout.objects.bulk_update(checkouts, ["created_at"], batch_size=BULK_BATCH)
    OrderLine.objects.bulk_create(
        _lines(OrderLine, "order", placed_orders, plans), batch_size=BULK_BATCH
    )
    Payment.objects.bulk_create(
        [
            Payment(
                order=order,
                method=order.payment_method,
                amount=order.total,
                status=Payment.Status.CONFIRMED,
                confirmed_by=actors.get(plan["shop"].pk),
                confirmed_at=plan["paid_at"],
            )
            for order, plan in zip(placed_orders, plans, strict=True)
        ],
        batch_size=BULK_BATCH,
    )
    _take_stock(plans)


def _create_booth_sales(*, organizer: Organizer, expo: Expo, exhibitors: list[Exhibitor]) -> None:
    """BOOTH_SALES sales at the venue booths' tills over the expo's two days, written in
    bulk as pos.services.pos_sale_record would have left them (numbers from the pk, lines
    at the product's price, the stock taken with conditional UPDATEs), so that the venue
    channel is near the planned 30 %: the 2021 report compares them."""
    rng = random.Random(f"{SEED}:booth-sales")
    ids = [e.pk for e in exhibitors]
    at_venue = list(
        Participation.objects.filter(
            expo=expo,
            exhibitor_id__in=ids,
            mode=Participation.Mode.VENUE,
            status=Participation.Status.ACCEPTED,
        )
        # Not the stands whose tills the demo already rang up and closed on the 24th: a
        # sale after the closing would not be in the drawer they counted.
        .exclude(exhibitor__pos_sales__expo=expo)
        .distinct()
        .order_by("exhibitor_id")
        .values_list("exhibitor_id", flat=True)
    )
    products: dict[int, list[Product]] = {}
    for product in Product.objects.filter(
        exhibitor_id__in=at_venue, is_active=True, stock__gt=KEEP_STOCK
    ).order_by("slug", "pk"):
        products.setdefault(product.exhibitor_id, []).append(product)
    shops = [pk for pk in at_venue if products.get(pk)]
    if not shops:
        return
    staff = _booth_staff(organizer=organizer, exhibitor_ids=shops)
    stock = {p.pk: p.stock for items in products.values() for p in items}
    popularity = [(rank + 1) ** -0.5 for rank in range(len(shops))]
    shops = rng.sample(shops, len(shops))
    plans = []
    for n in range(BOOTH_SALES):
        shop = rng.choices(shops, weights=popularity)[0]
        if staff.get(shop) is None:
            continue
        candidates = [p for p in products[shop] if stock[p.pk] - 3 >= KEEP_STOCK]
        if not candidates:
            continue
        picked = rng.sample(candidates, min(len(candidates), rng.choice((1, 1, 1, 2))))
        lines = [(product, rng.choice((1, 1, 1, 2))) for product in picked]
        for product, quantity in lines:
            stock[product.pk] -= quantity
        total = sum(product.price * quantity for product, quantity in lines)
        method = rng.choices(("cash", "qris", "transfer"), weights=(55, 40, 5))[0]
        cash_given = None
        if method == "cash":
            # Buyers hand over round notes: the next 10,000, 50,000 or 100,000 up.
            note = rng.choice((10_000, 50_000, 100_000))
            cash_given = -(-total // note) * note
        plans.append(
            {
                "n": n,
                "shop": shop,
                "lines": lines,
                "total": total,
                "method": method,
                "cash_given": cash_given,
                "sold_at": _aware(
                    expo,
                    _weighted(rng, {24: 55, 25: 45}),
                    _weighted(rng, BOOTH_HOURS),
                    rng.randrange(60),
                    rng.randrange(60),
                ),
            }
        )
    sales = PosSale.objects.bulk_create(
        [
            PosSale(
                exhibitor_id=plan["shop"],
                expo=expo,
                client_key=f"{BOOTH_SALE_KEY_PREFIX}{plan['n']:04d}",
                fingerprint=hashlib.sha256(f"{SEED}:sale:{plan['n']}".encode()).hexdigest(),
                sold_at=plan["sold_at"],
                staff=staff[plan["shop"]],
                payment_method=plan["method"],
                subtotal=plan["total"],
                total=plan["total"],
                charged_total=plan["total"],
                cash_given=plan["cash_given"],
                change=None if plan["cash_given"] is None else plan["cash_given"] - plan["total"],
            )
            for plan in plans
        ],
        batch_size=BULK_BATCH,
    )
    for sale in sales:
        # As pos.services numbers them, from the primary key.
        sale.number = f"K{sale.exhibitor_id}-{sale.pk:06d}"
    PosSale.objects.bulk_update(sales, ["number"], batch_size=BULK_BATCH)
    PosSaleLine.objects.bulk_create(
        _lines(PosSaleLine, "sale", sales, plans), batch_size=BULK_BATCH
    )
    _take_stock(plans)


def _booth_staff(*, organizer: Organizer, exhibitor_ids: list[int]) -> dict[int, object]:
    """Who rang the sales up: the booth's owner login, else the organizer's first staff
    member (the demo's booths mostly have no login)."""
    staff = {}
    for member in ExhibitorMember.objects.filter(
        exhibitor_id__in=exhibitor_ids, role=ExhibitorMember.Role.OWNER
    ).select_related("user"):
        staff[member.exhibitor_id] = member.user
    fallback = (
        OrganizerMember.objects.filter(organizer=organizer, role=OrganizerMember.Role.STAFF)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return {pk: staff.get(pk, fallback.user if fallback else None) for pk in exhibitor_ids}


def report_orders(*, expo: Expo):
    """The orders create_report_2021 placed (their checkouts' keys say so)."""
    return Order.objects.filter(
        Q(expo=expo) & Q(checkout__idempotency_key__startswith=ORDER_KEY_PREFIX)
    )
