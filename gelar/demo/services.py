"""Load the demo: the Pekalongan Hybrid Expo 2021, its exhibitors and catalogue.

Everything is planned first in plain Python from seeded random generators,
then written with bulk_create in one transaction. The plan never reads the
database, so the same scale always gives the same names, prices and stock;
only slugs may differ, and only when a real exhibitor already holds one.

Then come the exhibitors' payment settings (synthetic QRIS codes that no real
merchant owns) and a few orders in every status, placed and moved along through
the orders and payments services so that stock and the audit trail add up.

Last, live shopping, also through the real services: the Mayor's promotion of
2021 with its run sheet, pins, chat, viewer counts and the orders bought from
the pins; and a session of the 2027 expo that is on air whenever the demo
starts (load_demo moves it around "now" on every run), so the expo home shows
the live panel at once.
"""

import datetime
import math
import random
import time
import unicodedata
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from gelar.accounts.demo import DEMO_LOGIN_ROWS, DEMO_PASSWORD, demo_accounts_create
from gelar.catalog.models import Product, ProductImage
from gelar.common.text import normalize_search_text
from gelar.demo import data, report
from gelar.demo.images import logo_png, product_image_jpeg
from gelar.events import services as events
from gelar.events.models import (
    AgendaSession,
    Booth,
    Expo,
    Hall,
    Organizer,
    OrganizerMember,
    Speaker,
)
from gelar.exhibitors.models import (
    Category,
    Exhibitor,
    ExhibitorLink,
    ExhibitorMember,
    Participation,
)
from gelar.live import chat as live_chat
from gelar.live import runsheet
from gelar.live import services as live
from gelar.live.models import ViewerSample
from gelar.orders import services as orders
from gelar.orders.models import Checkout, Order
from gelar.payments import qris
from gelar.payments.models import ExhibitorPaymentSettings, Refund
from gelar.payments.services import payment_confirm, refund_record
from gelar.pos import services as pos
from gelar.pos.models import PosDay, PosSale
from gelar.regions.models import Regency
from gelar.tickets import organizer as organizer_venue
from gelar.tickets import services as tickets
from gelar.tickets.models import GateDevice, Invitation, Scan, Ticket, TimeSlot, secret_hash

SEED = "gelar-demo-2021"
BASE_EXHIBITORS = len(data.VENUE_REGIONS) + len(data.ONLINE_REGIONS)  # 100
FEATURED_PRODUCTS = 16
# Pictures drawn per product kind; a product shows one to three of them.
IMAGE_VARIANTS = 3
# Part of the picture paths: bump it when gelar.demo.images draws differently, so
# that pictures already in storage are drawn again instead of reused.
IMAGE_VERSION = "v1"
PRODUCT_IMAGE_DIR = f"products/demo/{IMAGE_VERSION}"
LOGO_DIR = f"logos/demo/{IMAGE_VERSION}"
BULK_BATCH = 1000
SOLD_OUT_SHARE = 0.06
INACTIVE_SHARE = 0.03

ADMIN_USERNAME = "admin"
ADMIN_EMAIL = "admin@gelar.test"
ADMIN_PASSWORD = "gelar-demo"
DEMO_BASE_URL = "http://127.0.0.1:8000/"


@dataclass(frozen=True)
class DemoSummary:
    loaded: bool  # False: the demo was there already and nothing was written
    expos: int
    exhibitors: int  # participants of the 2021 expo
    venue: int
    online: int
    products: int
    product_images: int
    image_files_drawn: int
    orders: int
    seconds: float
    # The end of the 2027 session on air now, in the expo's zone; None when none is.
    on_air_until: datetime.datetime | None = None
    guests: int = 0  # invitations to the 2021 venue
    slots: int = 0  # public time slots of the demo expos
    tickets: int = 0  # valid tickets, invited and public

    def as_text(self) -> str:
        verb = "Demo loaded" if self.loaded else "Demo already loaded (use --reset to rebuild)"
        text = (
            f"{verb}: {self.expos} expos; {self.exhibitors} exhibitors in "
            f"{data.EXPO_2021['name']} ({self.venue} at the venue, {self.online} online); "
            f"{self.products} products with {self.product_images} pictures "
            f"({self.image_files_drawn} image files drawn); {self.orders} orders; "
            f"{self.guests} invited guests, {self.slots} venue slots, {self.tickets} tickets; "
            f"{self.seconds:.1f} s."
        )
        if self.on_air_until is not None:
            text += (
                f' On air: "{data.LIVE_ON_AIR_TITLE}" on {data.EXPO_2027["name"]} until '
                f"{self.on_air_until:%H:%M} ({self.on_air_until.tzname()})."
            )
        return text


def products_per_exhibitor(*, scale: int) -> tuple[int, int]:
    """The range of products an exhibitor gets: 5-7 at scale 1, 20-22 from scale 10.

    Scale 10 is the bench's size: 1,000 exhibitors and at least 20,000 products.
    """
    low = 5 + (min(scale, 10) - 1) * 15 // 9
    return low, low + 2


# --- The plan (no database) -------------------------------------------------


@dataclass
class _ProductPlan:
    name: str
    slug: str
    kind: data.ProductKind
    price: int
    sku: str
    stock: int
    is_active: bool
    description: str
    image_variants: list[int]
    is_featured: bool = False


@dataclass
class _ExhibitorPlan:
    index: int
    name: str
    owner: str
    category: str
    regency_code: str
    at_venue: bool
    nib: str
    whatsapp: str
    address: str
    description: str
    video_url: str
    links: list[tuple[str, str]]
    logo: tuple[str, int]  # initials, colour
    products: list[_ProductPlan] = field(default_factory=list)


def _rupiah_step(kind: data.ProductKind) -> int:
    """Prices end in Rp500 for snacks, Rp1.000 or Rp5.000 for dearer goods."""
    if kind.price_max <= 60_000:
        return 500
    if kind.price_max <= 300_000:
        return 1_000
    return 5_000


def _youtube_url(rng: random.Random) -> str:
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
    return "https://www.youtube.com/watch?v=" + "".join(rng.choice(alphabet) for _ in range(11))


def _unique(used: set[str], make: Callable[[], str], *, tries: int = 20) -> str:
    """A value from `make` not in `used`; after `tries` the last one, duplicate or not."""
    for _ in range(tries):
        value = make()
        if value not in used:
            break
    used.add(value)
    return value


def _owner_name(rng: random.Random, first: list[str], last: list[str]) -> str:
    return f"{rng.choice(first)} {rng.choice(last)}"


def _business_name(rng: random.Random, *, category: str, stem: str, call: str) -> str:
    template = rng.choice(data.BUSINESS_NAME_TEMPLATES[category])
    return template.format(stem=stem, word=rng.choice(data.BUSINESS_WORDS[category]), call=call)


def _nib(rng: random.Random) -> str:
    return rng.choice(data.NIB_PREFIXES) + f"{rng.randrange(10**9):09d}"


def _whatsapp(rng: random.Random) -> str:
    return "62" + rng.choice(data.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _initials(name: str) -> str:
    letters = [w[0] for w in name.split() if w[0].isalpha()]
    return "".join(letters[:2]).upper() or "U"


def _plan_products(
    *,
    rng: random.Random,
    exhibitor_name: str,
    regency_name: str,
    category: str,
    main_kind: data.ProductKind,
    kinds: list[data.ProductKind],
    count: int,
) -> list[_ProductPlan]:
    main = [(main_kind, v) for v in main_kind.variants]
    others = [(k, v) for k in kinds if k is not main_kind for v in k.variants]
    rng.shuffle(main)
    rng.shuffle(others)
    # A shop leads with its signature kind, then shows the rest of its range.
    ordered = main[:3] + others + main[3:]
    sku_prefix = "".join(w[0] for w in exhibitor_name.split() if w[0].isalnum())[:4].upper()
    plans: list[_ProductPlan] = []
    used_slugs: set[str] = set()
    for n in range(count):
        kind, variant = ordered[n % len(ordered)]
        name = f"{kind.label} {variant}"
        step = _rupiah_step(kind)
        price = rng.randrange(kind.price_min, kind.price_max + 1, step)
        if n >= len(ordered):
            # More products than kinds and variants (large scales): bundles of three
            # at a 10 % discount, rounded down to a whole Rp1.000.
            name = f"{name} (Paket Hemat 3 pcs)"
            price = price * 3 * 9 // 10 // 1_000 * 1_000
        slug = slugify(name)[:70]
        if slug in used_slugs:
            slug = f"{slug}-{n + 1}"
        used_slugs.add(slug)
        details = rng.sample(data.PRODUCT_DETAILS[category], 2)
        stock = 0 if rng.random() < SOLD_OUT_SHARE else rng.randint(3, 120)
        is_active = rng.random() >= INACTIVE_SHARE
        first_variant = rng.randrange(IMAGE_VARIANTS)
        images = rng.choice((1, 2, 2, 3))
        plans.append(
            _ProductPlan(
                name=name,
                slug=slug,
                kind=kind,
                price=price,
                sku=f"{sku_prefix}-{n + 1:03d}",
                stock=stock,
                is_active=is_active,
                description=" ".join([f"{name} dari {exhibitor_name}, {regency_name}.", *details]),
                image_variants=[(first_variant + i) % IMAGE_VARIANTS for i in range(images)],
            )
        )
    return plans


def _plan_exhibitors(*, scale: int, regency_names: dict[str, str]) -> list[_ExhibitorPlan]:
    slots = [(code, True) for code in data.VENUE_REGIONS]
    online = data.ONLINE_REGIONS
    slots += [(online[k % len(online)], False) for k in range(BASE_EXHIBITORS * scale - len(slots))]
    curated_at: dict[int, data.CuratedExhibitor] = {}
    for curated in data.CURATED_EXHIBITORS:
        index = next(
            i
            for i, (code, at_venue) in enumerate(slots)
            if i not in curated_at and (code, at_venue) == (curated.regency_code, curated.at_venue)
        )
        curated_at[index] = curated
    kinds_by_label = {k.label: k for k in data.PRODUCT_KINDS}
    low, high = products_per_exhibitor(scale=scale)

    used_names = {c.name for c in data.CURATED_EXHIBITORS}
    used_owners = {c.owner for c in data.CURATED_EXHIBITORS}
    used_nibs: set[str] = set()
    used_phones: set[str] = set()
    plans = []
    for index, (code, at_venue) in enumerate(slots):
        # One generator per exhibitor: exhibitor n is the same whatever the scale.
        rng = random.Random(f"{SEED}:exhibitor:{index}")
        culture = data.culture_of(code)
        curated = curated_at.get(index)
        if curated:
            main_kind = kinds_by_label[curated.kind_label]
            category = main_kind.category
            owner, gender, name = curated.owner, curated.gender, curated.name
        else:
            weights = data.CATEGORY_WEIGHTS[code]
            category = rng.choices(list(weights), weights=list(weights.values()))[0]
            eligible = [k for k in data.PRODUCT_KINDS if k.category == category and k.made_in(code)]
            main_kind = rng.choice(eligible)
            gender = rng.choice("fm")
            first, last = data.OWNER_NAMES[culture][gender]
            owner = _unique(used_owners, partial(_owner_name, rng, first, last))
            call = f"{data.HONORIFICS[culture][gender]} {data.calling_name(owner)}"
            name = _unique(
                used_names,
                partial(_business_name, rng, category=category, stem=main_kind.stem, call=call),
            )
        kinds = [k for k in data.PRODUCT_KINDS if k.category == category and k.made_in(code)]
        regency_name = regency_names[code]
        staff = rng.randint(2, 15)
        description = " ".join(
            [
                f"{name} adalah usaha {data.CATEGORY_KIND_WORDS[category]} dari {regency_name} "
                f"yang berdiri sejak {rng.randint(2005, 2020)}.",
                rng.choice(data.EXHIBITOR_MIDDLE_SENTENCES).format(owner=owner, staff=staff),
                rng.choice(data.EXHIBITOR_CLOSING_SENTENCES),
            ]
        )
        handle = slugify(name).replace("-", "")
        link_kinds = rng.sample(sorted(data.LINK_URLS), rng.randint(1, 3))
        plans.append(
            _ExhibitorPlan(
                index=index,
                name=name,
                owner=owner,
                category=category,
                regency_code=code,
                at_venue=at_venue,
                nib=_unique(used_nibs, partial(_nib, rng), tries=1000),
                whatsapp=_unique(used_phones, partial(_whatsapp, rng), tries=1000),
                address=(
                    f"{rng.choice(data.STREETS)} No. {rng.randint(1, 120)}, "
                    f"{rng.choice(data.LOCALITIES[code])}, {regency_name}"
                ),
                description=description,
                video_url="" if at_venue else _youtube_url(rng),
                links=[
                    (kind, data.LINK_URLS[kind].format(handle=handle))
                    for kind in sorted(link_kinds)
                ],
                logo=(_initials(name), rng.randrange(8)),
                products=_plan_products(
                    rng=rng,
                    exhibitor_name=name,
                    regency_name=regency_name,
                    category=category,
                    main_kind=main_kind,
                    kinds=kinds,
                    count=rng.randint(low, high),
                ),
            )
        )

    # The featured products of the expo's home page: one from each of a few of
    # the first hundred exhibitors, active and in stock.
    rng = random.Random(f"{SEED}:featured")
    featured = 0
    for index in rng.sample(range(BASE_EXHIBITORS), BASE_EXHIBITORS):
        product = next((p for p in plans[index].products if p.is_active and p.stock > 0), None)
        if product is not None:
            product.is_featured = True
            featured += 1
        if featured == FEATURED_PRODUCTS:
            break
    return plans


# --- Writing ----------------------------------------------------------------


def _aware(day: tuple[int, int, int], hhmm: str, tz: zoneinfo.ZoneInfo) -> datetime.datetime:
    hour, minute = (int(part) for part in hhmm.split(":"))
    return datetime.datetime(*day, hour, minute, tzinfo=tz)


def _booth_layout(rows: list[tuple[int, list[int]]]) -> list[tuple[int, int]]:
    """(x, y) of each booth; each row is its y and the x of its booths."""
    return [(x, y) for y, xs in rows for x in xs]


BOOTH_SIZE = 30  # 3 x 3 m, the usual shell-scheme stand
# Hall Utama in 2021, 40 x 24 m in decimetres: ten booths along the back wall, an
# island of two back-to-back rows of five, and a front row of ten split by the
# entrance; the aisles between them are 5 m wide.
HALL_2021 = (400, 240)
BOOTHS_2021 = _booth_layout(
    [
        (10, [50 + 30 * i for i in range(10)]),
        (90, [125 + 30 * i for i in range(5)]),
        (120, [125 + 30 * i for i in range(5)]),
        (200, [40 + 30 * i for i in range(5)] + [230 + 30 * i for i in range(5)]),
    ]
)
# 2027: a larger floor (48 x 30 m) for 36 booths in the same arrangement.
HALL_2027 = (480, 300)
BOOTHS_2027 = _booth_layout(
    [
        (10, [60 + 30 * i for i in range(12)]),
        (100, [150 + 30 * i for i in range(6)]),
        (130, [150 + 30 * i for i in range(6)]),
        (250, [30 + 30 * i for i in range(6)] + [270 + 30 * i for i in range(6)]),
    ]
)


def _create_expo(*, organizer: Organizer, spec: dict, status: str, venue_region: Regency) -> Expo:
    return Expo.objects.create(
        organizer=organizer,
        slug=spec["slug"],
        name=spec["name"],
        tagline=spec["tagline"],
        description=spec["description"],
        start_date=datetime.date(*spec["start_date"]),
        end_date=datetime.date(*spec["end_date"]),
        time_zone="Asia/Jakarta",
        venue_name=spec["venue_name"],
        venue_address=spec["venue_address"],
        venue_region=venue_region,
        planned_venue_percent=spec["planned_venue_percent"],
        venue_booth_quota=spec["venue_booth_quota"],
        status=status,
        stream_url=spec["stream_url"],
    )


def _create_agenda(*, expo: Expo, agenda: list) -> None:
    tz = expo.tzinfo
    sessions = AgendaSession.objects.bulk_create(
        [
            AgendaSession(
                expo=expo,
                title=title,
                description=description,
                starts_at=_aware(day, start, tz),
                ends_at=_aware(day, end, tz),
            )
            for day, start, end, title, description, _speakers in agenda
        ]
    )
    Speaker.objects.bulk_create(
        [
            Speaker(session=session, name=name, role=role, position=position)
            for session, entry in zip(sessions, agenda, strict=True)
            for position, (name, role) in enumerate(entry[5])
        ]
    )


def _create_hall(
    *, expo: Expo, size: tuple[int, int], booths: list[tuple[int, int]]
) -> list[Booth]:
    hall = Hall.objects.create(expo=expo, name="Hall Utama", width=size[0], height=size[1])
    return Booth.objects.bulk_create(
        [
            Booth(hall=hall, code=f"A-{n:02d}", x=x, y=y, width=BOOTH_SIZE, height=BOOTH_SIZE)
            for n, (x, y) in enumerate(booths, start=1)
        ]
    )


def _ensure_files(files: dict[str, Callable[[], bytes]]) -> int:
    """Draw each missing file into storage; return how many were drawn.

    Storage is not part of the database transaction: files drawn before a
    rollback stay. Their names say what they hold, so a later load reuses them.
    """
    drawn = 0
    for name in sorted(files):
        if default_storage.exists(name):
            continue
        default_storage.save(name, ContentFile(files[name]()))
        drawn += 1
    return drawn


@lru_cache(maxsize=1024)
def _product_image_name(kind: data.ProductKind, variant: int) -> str:
    return f"{PRODUCT_IMAGE_DIR}/{slugify(kind.label)}-{variant}.jpg"


def _logo_name(logo: tuple[str, int]) -> str:
    initials, colour = logo
    return f"{LOGO_DIR}/{initials.lower()}-{colour}.png"


def _draw_pool(plans: list[_ExhibitorPlan]) -> int:
    """The pictures the plan points at, drawn once each and shared between products.

    A picture per kind and variant (not per product) keeps --scale 10 as fast as
    scale 1: the pool has a few hundred files whatever the number of products.
    """
    files: dict[str, Callable[[], bytes]] = {}
    for plan in plans:
        files[_logo_name(plan.logo)] = lambda logo=plan.logo: logo_png(
            initials=logo[0], colour_index=logo[1]
        )
        for product in plan.products:
            for variant in product.image_variants:
                files[_product_image_name(product.kind, variant)] = (
                    lambda kind=product.kind, variant=variant: product_image_jpeg(
                        label=kind.label, category_slug=kind.category, variant=variant
                    )
                )
    return _ensure_files(files)


def _unique_slug(name: str, used: set[str], *, max_length: int = 80) -> str:
    base = slugify(name)[: max_length - 5] or "umkm"
    slug, n = base, 1
    while slug in used:
        n += 1
        slug = f"{base}-{n}"
    used.add(slug)
    return slug


def demo_organizer() -> Organizer | None:
    return Organizer.objects.filter(slug=data.ORGANIZER["slug"]).first()


def _demo_exhibitors(organizer: Organizer):
    """Exhibitors taking part only in the demo organizer's expos.

    Exhibitor has no demo flag; an exhibitor that also takes part in another
    organizer's expo is somebody's real data and is left alone.
    """
    elsewhere = Participation.objects.exclude(expo__organizer=organizer).values("exhibitor_id")
    return Exhibitor.objects.filter(participations__expo__organizer=organizer).exclude(
        pk__in=elsewhere
    )


def _demo_orders(organizer: Organizer):
    """The orders on the demo organizer's expos or of its exhibitors."""
    return Order.objects.filter(
        Q(expo__organizer=organizer) | Q(exhibitor__in=_demo_exhibitors(organizer).values("pk"))
    )


def demo_delete(*, organizer: Organizer) -> None:
    """Delete the demo organizer's expos, its exhibitors and their products.

    The organizer, the global categories and the admin user stay.
    """
    exhibitor_ids = list(_demo_exhibitors(organizer).values_list("pk", flat=True).distinct())
    # Orders protect their expo, exhibitor and products: the checkouts go first, with
    # their orders, lines, payments and gateway notifications (all cascade from them).
    checkout_ids = _demo_orders(organizer).values("checkout_id")
    Checkout.objects.filter(pk__in=checkout_ids).delete()
    Checkout.objects.filter(expo__organizer=organizer).delete()
    # Scans and tickets protect their gates, slots and invitations (and the expo).
    Scan.objects.filter(device__expo__organizer=organizer).delete()
    # Booth sales and closed days protect their expo, exhibitor, products and staff.
    PosSale.objects.filter(expo__organizer=organizer).delete()
    PosDay.objects.filter(expo__organizer=organizer).delete()
    Ticket.objects.filter(expo__organizer=organizer).delete()
    # Bulk inquiries protect their expo and exhibitor.
    report.delete_report_data(organizer=organizer)
    Expo.objects.filter(organizer=organizer).delete()
    # Bottom up, so that each delete is one statement rather than a collection of
    # tens of thousands of objects in memory.
    for start in range(0, len(exhibitor_ids), BULK_BATCH):
        ids = exhibitor_ids[start : start + BULK_BATCH]
        ProductImage.objects.filter(product__exhibitor_id__in=ids).delete()
        Product.objects.filter(exhibitor_id__in=ids).delete()
        Exhibitor.objects.filter(pk__in=ids).delete()


def demo_summary(*, loaded: bool, image_files_drawn: int = 0, seconds: float = 0.0) -> DemoSummary:
    organizer = demo_organizer()
    expo = Expo.objects.filter(slug=data.EXPO_2021["slug"]).first()
    participations = Participation.objects.filter(expo=expo)
    exhibitors = _demo_exhibitors(organizer) if organizer else Exhibitor.objects.none()
    products = Product.objects.filter(exhibitor__in=exhibitors.values("pk"))
    return DemoSummary(
        loaded=loaded,
        expos=Expo.objects.filter(organizer=organizer).count() if organizer else 0,
        exhibitors=participations.count(),
        venue=participations.filter(mode=Participation.Mode.VENUE).count(),
        online=participations.filter(mode=Participation.Mode.ONLINE).count(),
        products=products.count(),
        product_images=ProductImage.objects.filter(product__in=products.values("pk")).count(),
        image_files_drawn=image_files_drawn,
        orders=_demo_orders(organizer).count() if organizer else 0,
        seconds=seconds,
        on_air_until=_on_air_until(now=timezone.now()),
        guests=Invitation.objects.filter(expo__organizer=organizer).count() if organizer else 0,
        slots=TimeSlot.objects.filter(expo__organizer=organizer).count() if organizer else 0,
        tickets=(
            Ticket.objects.filter(expo__organizer=organizer, status=Ticket.Status.VALID).count()
            if organizer
            else 0
        ),
    )


def _ensure_admin() -> None:
    User = get_user_model()
    if not User.objects.filter(username=ADMIN_USERNAME).exists():
        User.objects.create_superuser(ADMIN_USERNAME, ADMIN_EMAIL, ADMIN_PASSWORD)


def _say(stdout, message: str) -> None:
    if stdout is not None:
        stdout.write(message)


@transaction.atomic
def demo_load(*, scale: int = 1, reset: bool = False, stdout=None) -> DemoSummary:
    """Load the demo; with `reset`, delete the previous demo first.

    Without `reset` an existing demo organizer means the demo is there: nothing
    is written, so `make demo` can run this on every start.
    """
    if scale < 1:
        raise ValueError("scale must be at least 1")
    started = time.perf_counter()
    organizer = demo_organizer()
    if organizer is not None:
        if not reset:
            # The one write of a demo already there: its live session goes on air again.
            demo_on_air(now=timezone.now())
            return demo_summary(loaded=False)
        _say(stdout, "Deleting the previous demo...")
        demo_delete(organizer=organizer)

    low, high = products_per_exhibitor(scale=scale)
    _say(
        stdout,
        f"Loading the demo at scale {scale}: {BASE_EXHIBITORS * scale} exhibitors, "
        f"{low}-{high} products each.",
    )
    codes = sorted(set(data.VENUE_REGIONS) | set(data.ONLINE_REGIONS))
    regencies = Regency.objects.in_bulk(codes)
    missing = set(codes) - set(regencies)
    if missing:
        raise LookupError(f"regencies {sorted(missing)} are missing: run migrate first")
    pekalongan = regencies[data.PEKALONGAN]

    plans = _plan_exhibitors(scale=scale, regency_names={c: r.name for c, r in regencies.items()})
    _say(stdout, f"Planned {len(plans)} exhibitors; drawing missing pictures...")
    drawn = _draw_pool(plans)

    categories = {}
    for position, (slug, name, name_en) in enumerate(data.CATEGORIES):
        categories[slug], _ = Category.objects.get_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
        )
    organizer, _ = Organizer.objects.update_or_create(
        slug=data.ORGANIZER["slug"],
        defaults={
            "name": data.ORGANIZER["name"],
            "short_name": data.ORGANIZER["short_name"],
            "website": data.ORGANIZER["website"],
            "region": pekalongan,
        },
    )
    expo_2021 = _create_expo(
        organizer=organizer, spec=data.EXPO_2021, status=Expo.Status.CLOSED, venue_region=pekalongan
    )
    expo_2027 = _create_expo(
        organizer=organizer,
        spec=data.EXPO_2027,
        status=Expo.Status.PUBLISHED,
        venue_region=pekalongan,
    )
    _create_agenda(expo=expo_2021, agenda=data.AGENDA_2021)
    _create_agenda(expo=expo_2027, agenda=data.AGENDA_2027)
    booths_2021 = _create_hall(expo=expo_2021, size=HALL_2021, booths=BOOTHS_2021)
    booths_2027 = _create_hall(expo=expo_2027, size=HALL_2027, booths=BOOTHS_2027)

    _say(stdout, "Writing exhibitors and products...")
    used_slugs = set(Exhibitor.objects.values_list("slug", flat=True))
    exhibitors = Exhibitor.objects.bulk_create(
        [
            Exhibitor(
                name=plan.name,
                slug=_unique_slug(plan.name, used_slugs),
                owner_name=plan.owner,
                nib=plan.nib,
                region=regencies[plan.regency_code],
                category=categories[plan.category],
                description=plan.description,
                logo=_logo_name(plan.logo),
                whatsapp=plan.whatsapp,
                address=plan.address,
                video_url=plan.video_url,
                # bulk_create skips save(): the same fields as Exhibitor.save().
                search_text=normalize_search_text(plan.name, plan.owner, plan.description),
            )
            for plan in plans
        ],
        batch_size=BULK_BATCH,
    )
    ExhibitorLink.objects.bulk_create(
        [
            ExhibitorLink(exhibitor=exhibitor, kind=kind, url=url)
            for exhibitor, plan in zip(exhibitors, plans, strict=True)
            for kind, url in plan.links
        ],
        batch_size=BULK_BATCH,
    )
    _create_participations(
        expo_2021=expo_2021,
        expo_2027=expo_2027,
        exhibitors=exhibitors,
        plans=plans,
        booths_2021=booths_2021,
        booths_2027=booths_2027,
    )

    products = Product.objects.bulk_create(
        [
            Product(
                exhibitor=exhibitor,
                name=p.name,
                slug=p.slug,
                description=p.description,
                price=p.price,
                sku=p.sku,
                stock=p.stock,
                is_active=p.is_active,
                is_featured=p.is_featured,
                # bulk_create skips save(): the same fields as Product.save().
                search_text=normalize_search_text(p.name, p.sku, p.description),
            )
            for exhibitor, plan in zip(exhibitors, plans, strict=True)
            for p in plan.products
        ],
        batch_size=BULK_BATCH,
    )
    product_plans = [p for plan in plans for p in plan.products]
    ProductImage.objects.bulk_create(
        [
            ProductImage(
                product=product,
                image=_product_image_name(p.kind, variant),
                alt=data.IMAGE_ALTS[position].format(name=p.name),
                position=position,
            )
            for product, p in zip(products, product_plans, strict=True)
            for position, variant in enumerate(p.image_variants)
        ],
        batch_size=BULK_BATCH,
    )
    owners_businesses = _demo_owners_businesses(expo_2027)
    _create_payment_settings(
        exhibitors=exhibitors,
        plans=plans,
        regencies=regencies,
        owner_ids={e.pk for e in owners_businesses},
    )
    _ensure_admin()
    demo_accounts_create(organizer=organizer, exhibitors=owners_businesses)
    _say(stdout, "Placing the demo orders...")
    now = timezone.now()
    _create_orders(
        organizer=organizer,
        expo_2021=expo_2021,
        expo_2027=expo_2027,
        owners_businesses=owners_businesses,
        now=now,
    )
    _say(stdout, "Recording the live sessions...")
    spared = {e.pk for e in owners_businesses}
    _create_live_2021(organizer=organizer, expo=expo_2021, spared=spared)
    _create_live_on_air(organizer=organizer, expo=expo_2027, spared=spared, now=now)
    _say(stdout, "Inviting the guests and opening the venue slots...")
    _create_venue_2021(organizer=organizer, expo=expo_2021)
    _create_venue_2027(organizer=organizer, expo=expo_2027)
    _say(stdout, "Ringing up the booth sales...")
    _create_pos_2021(organizer=organizer, expo=expo_2021, spared=spared)
    _create_pos_owner(organizer=organizer, expo=expo_2027, owners=owners_businesses, now=now)
    _say(stdout, "Filling the 2021 report: visits, bulk inquiries, the exhibitors' own reports...")
    report.create_report_2021(organizer=organizer, expo=expo_2021, spared=spared, now=now)
    return demo_summary(loaded=True, image_files_drawn=drawn, seconds=time.perf_counter() - started)


def _demo_owners_businesses(expo_2027: Expo) -> list[Exhibitor]:
    """The businesses of the two demo owner logins: one waiting for the organizer's
    decision on the 2027 expo (the console's queue), one accepted at the venue."""
    waiting = (
        Exhibitor.objects.filter(
            participations__expo=expo_2027, participations__status=Participation.Status.APPLIED
        )
        .order_by("name")
        .first()
    )
    at_venue = (
        Exhibitor.objects.filter(
            participations__expo=expo_2027,
            participations__status=Participation.Status.ACCEPTED,
            participations__booth__isnull=False,
        )
        .order_by("name")
        .first()
    )
    return [e for e in (waiting, at_venue) if e is not None]


def _create_participations(
    *,
    expo_2021: Expo,
    expo_2027: Expo,
    exhibitors: list[Exhibitor],
    plans: list[_ExhibitorPlan],
    booths_2021: list[Booth],
    booths_2027: list[Booth],
) -> None:
    tz = expo_2021.tzinfo
    rng = random.Random(f"{SEED}:participations")
    # Venue exhibitors get the booths in a shuffled order, so that categories mix on the floor.
    free_2021 = rng.sample(booths_2021, len(booths_2021))
    decided_2021 = datetime.datetime(2021, 11, 15, 10, 0, tzinfo=tz)
    rows = []
    for exhibitor, plan in zip(exhibitors, plans, strict=True):
        rows.append(
            Participation(
                expo=expo_2021,
                exhibitor=exhibitor,
                mode=Participation.Mode.VENUE if plan.at_venue else Participation.Mode.ONLINE,
                status=Participation.Status.ACCEPTED,
                booth=free_2021.pop() if plan.at_venue else None,
                decided_at=decided_2021,
            )
        )

    # 2027: some of the first hundred have applied; 20 accepted at the venue with a
    # booth, 15 accepted online, 8 still waiting for the organizer's decision.
    chosen = rng.sample(range(BASE_EXHIBITORS), 43)
    free_2027 = rng.sample(booths_2027, len(booths_2027))
    decided_2027 = datetime.datetime(2027, 3, 1, 10, 0, tzinfo=tz)
    for n, index in enumerate(chosen):
        at_venue = n < 20 or (n >= 35 and n % 2 == 0)
        accepted = n < 35
        rows.append(
            Participation(
                expo=expo_2027,
                exhibitor=exhibitors[index],
                mode=Participation.Mode.VENUE if at_venue else Participation.Mode.ONLINE,
                status=Participation.Status.ACCEPTED if accepted else Participation.Status.APPLIED,
                booth=free_2027.pop() if at_venue and accepted else None,
                decided_at=decided_2027 if accepted else None,
            )
        )
    Participation.objects.bulk_create(rows, batch_size=BULK_BATCH)
    # applied_at is auto_now_add, which bulk_create fills with now; the demo's
    # applications predate the decisions.
    Participation.objects.filter(expo=expo_2021).update(
        applied_at=datetime.datetime(2021, 11, 1, 9, 0, tzinfo=tz)
    )
    Participation.objects.filter(expo=expo_2027).update(
        applied_at=datetime.datetime(2027, 2, 1, 9, 0, tzinfo=tz)
    )


# --- Payments and orders ----------------------------------------------------

# National merchant IDs of the demo's QRIS codes: "ID" and 13 digits, like a real
# NMID, but in a range Bank Indonesia's repository does not give out, so that a
# demo code can never name a real shop. A buyer who scans one in a banking app
# gets "merchant not found" instead of paying somebody.
DEMO_NMID_PREFIX = "ID9999"
# The merchant account (tag 26) of the demo codes: a made-up acquirer.
DEMO_ACQUIRER = "ID.GELAR.DEMO.WWW"
DEMO_ACQUIRER_PAN = "93609999"
# How long the demo's unpaid orders stay reserved, so that they are still
# "awaiting payment" while somebody looks at the demo (a real checkout holds 15 minutes).
DEMO_AWAITING_HOLD = datetime.timedelta(days=3)


def _qris_text(text: str, limit: int) -> str:
    """ASCII (QRIS fields are), single spaces, at most `limit` characters."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(plain.split())[:limit].strip()


def demo_static_qris(*, merchant_name: str, city: str, number: int) -> str:
    """A SYNTHETIC static QRIS payload for demo exhibitor `number` (0..999,999,999).

    Built field by field like the code an acquirer prints, so the app's QRIS
    validation, dynamic codes and QR drawings work on it; its NMID starts with
    DEMO_NMID_PREFIX and its acquirer is made up, so no real merchant is paid.
    Never put a real merchant's published code in the demo.
    """
    field = qris.encode_field
    account = (
        field(qris.ACCOUNT_GLOBAL_ID, DEMO_ACQUIRER)
        + field(qris.ACCOUNT_PAN, f"{DEMO_ACQUIRER_PAN}{number:011d}")
        + field(qris.ACCOUNT_MERCHANT_ID, f"GLRDEMO{number:09d}")
        + field(qris.ACCOUNT_CRITERIA, "UMI")
    )
    national = (
        field(qris.ACCOUNT_GLOBAL_ID, qris.QRIS_DOMAIN)
        + field(qris.ACCOUNT_MERCHANT_ID, f"{DEMO_NMID_PREFIX}{number:09d}")
        + field(qris.ACCOUNT_CRITERIA, "UMI")
    )
    body = (
        field(qris.PAYLOAD_FORMAT, "01")
        + field(qris.POINT_OF_INITIATION, qris.STATIC)
        + field("26", account)
        + field("51", national)
        + field(qris.MCC, "5499")
        + field(qris.CURRENCY, qris.RUPIAH)
        + field(qris.COUNTRY, qris.INDONESIA)
        + field(qris.MERCHANT_NAME, _qris_text(merchant_name, 25) or "UMKM")
        + field(qris.MERCHANT_CITY, _qris_text(city, 15).upper() or "INDONESIA")
        + field(qris.ADDITIONAL_DATA, field(qris.TERMINAL_LABEL, "GELARDEMO"))
        + qris.CRC
        + "04"
    )
    return body + qris.crc_of(body)


def _qris_city(regency_name: str) -> str:
    for prefix in ("Kabupaten ", "Kota "):
        regency_name = regency_name.removeprefix(prefix)
    return regency_name


def _create_payment_settings(
    *,
    exhibitors: list[Exhibitor],
    plans: list[_ExhibitorPlan],
    regencies: dict[str, Regency],
    owner_ids: set[int],
) -> None:
    """Every demo exhibitor takes QRIS (a synthetic code); about half also bank
    transfers (the two demo owners' businesses always), and those with a stand
    at either expo cash on pick-up."""
    venue_ids = set(
        Participation.objects.filter(
            exhibitor__in=exhibitors, mode=Participation.Mode.VENUE
        ).values_list("exhibitor_id", flat=True)
    )
    rows = []
    for exhibitor, plan in zip(exhibitors, plans, strict=True):
        payload = demo_static_qris(
            merchant_name=plan.name,
            city=_qris_city(regencies[plan.regency_code].name),
            number=plan.index,
        )
        info = qris.validate_static_qris(payload)
        with_bank = plan.index % 2 == 0 or exhibitor.pk in owner_ids
        rows.append(
            ExhibitorPaymentSettings(
                exhibitor=exhibitor,
                qris_payload=payload,
                qris_merchant_name=info.merchant_name,
                qris_nmid=info.nmid or "",
                bank_name=data.DEMO_BANKS[plan.index % len(data.DEMO_BANKS)] if with_bank else "",
                # "9999" and the exhibitor's number: made up, like the NMIDs.
                bank_account_number=f"9999{plan.index:08d}" if with_bank else "",
                bank_account_holder=plan.owner if with_bank else "",
                accepts_cash=exhibitor.pk in venue_ids,
            )
        )
    ExhibitorPaymentSettings.objects.bulk_create(rows, batch_size=BULK_BATCH)


# Steps after the checkout, through the services a person's click would call.
PAID, PROCESSING, SHIPPED, READY, COMPLETED, CANCEL, EXPIRE, REFUND = (
    "paid",
    "processing",
    "shipped",
    "ready",
    "completed",
    "cancel",
    "expire",
    "refund",
)


@dataclass(frozen=True)
class _Booth:
    shop: str  # "owner_venue", "owner_waiting", "venue" or "online"; see _order_shops
    method: str
    delivery: str
    steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class _OrderScene:
    """One demo checkout: its buyer, when it was placed, and each booth's order."""

    key: str
    buyer: int  # index into data.DEMO_BUYERS
    hours_ago: int
    booths: tuple[_Booth, ...]


_Q, _T, _C = Order.PaymentMethod.QRIS, Order.PaymentMethod.TRANSFER, Order.PaymentMethod.CASH
_PICKUP, _COURIER, _LOCAL = Order.Delivery.PICKUP, Order.Delivery.COURIER, Order.Delivery.LOCAL
# Every status, both payment paths, for both demo owners (the one waiting for the
# 2027 decision sells in the 2021 expo's virtual mall) and two other booths.
ORDER_SCENES = [
    _OrderScene("01", 0, 2, (_Booth("owner_venue", _Q, _COURIER),)),
    _OrderScene("02", 1, 3, (_Booth("owner_venue", _T, _COURIER),)),
    _OrderScene("03", 2, 5, (_Booth("owner_venue", _Q, _PICKUP, (PAID,)),)),
    _OrderScene("04", 3, 20, (_Booth("owner_venue", _T, _LOCAL, (PAID, PROCESSING)),)),
    _OrderScene("05", 4, 30, (_Booth("owner_venue", _Q, _COURIER, (PAID, SHIPPED)),)),
    _OrderScene("06", 5, 26, (_Booth("owner_venue", _Q, _PICKUP, (PAID, READY)),)),
    _OrderScene("07", 6, 50, (_Booth("owner_venue", _C, _PICKUP, (PAID, READY, COMPLETED)),)),
    _OrderScene("08", 7, 8, (_Booth("owner_venue", _Q, _COURIER, (CANCEL,)),)),
    _OrderScene("09", 0, 28, (_Booth("owner_venue", _T, _COURIER, (EXPIRE,)),)),
    _OrderScene("10", 1, 1, (_Booth("owner_waiting", _Q, _COURIER),)),
    _OrderScene("11", 2, 22, (_Booth("owner_waiting", _T, _LOCAL, (PAID, PROCESSING)),)),
    _OrderScene("12", 3, 72, (_Booth("owner_waiting", _Q, _COURIER, (PAID, SHIPPED, COMPLETED)),)),
    _OrderScene("13", 4, 40, (_Booth("owner_waiting", _T, _COURIER, (EXPIRE,)),)),
    _OrderScene("14", 5, 4, (_Booth("venue", _T, _COURIER),)),
    _OrderScene("15", 6, 34, (_Booth("venue", _Q, _COURIER, (PAID, SHIPPED)),)),
    _OrderScene("16", 7, 45, (_Booth("venue", _T, _COURIER, (PAID, CANCEL, REFUND)),)),
    _OrderScene("17", 0, 6, (_Booth("online", _Q, _COURIER, (PAID,)),)),
    _OrderScene("18", 1, 30, (_Booth("online", _Q, _COURIER, (EXPIRE,)),)),
    # One cart across two booths: one order paid, the other still waiting.
    _OrderScene(
        "19",
        2,
        2,
        (_Booth("owner_venue", _Q, _COURIER, (PAID,)), _Booth("venue", _Q, _COURIER)),
    ),
    # Cash on pick-up: set aside for the buyer, to be paid at the hand-over.
    _OrderScene("20", 3, 1, (_Booth("owner_venue", _C, _PICKUP, (READY,)),)),
]
DEMO_ORDER_KEY_PREFIX = "gelar-demo-order-"


def _order_shops(
    *, expo_2027: Expo, owners_businesses: list[Exhibitor]
) -> dict[str, Exhibitor | None]:
    def accepted(**participation):
        # One filter() call: the conditions hold for the same participation.
        return Exhibitor.objects.filter(
            participations__expo=expo_2027,
            participations__status=Participation.Status.ACCEPTED,
            **participation,
        )

    at_venue = accepted(participations__booth__isnull=False)
    owner_venue = next((e for e in owners_businesses if at_venue.filter(pk=e.pk).exists()), None)
    owner_waiting = next((e for e in owners_businesses if e != owner_venue), None)
    others = {
        mode: accepted(participations__mode=mode)
        .filter(payment_settings__bank_account_number__gt="")
        .exclude(pk__in=[e.pk for e in owners_businesses])
        .order_by("name", "pk")
        .first()
        for mode in (Participation.Mode.VENUE, Participation.Mode.ONLINE)
    }
    return {
        "owner_venue": owner_venue,
        "owner_waiting": owner_waiting,
        "venue": others[Participation.Mode.VENUE],
        "online": others[Participation.Mode.ONLINE],
    }


def _actor_for(exhibitor: Exhibitor, *, organizer: Organizer):
    """Who clicks for the booth: its owner's login, else the organizer's staff."""
    member = (
        ExhibitorMember.objects.filter(exhibitor=exhibitor, role=ExhibitorMember.Role.OWNER)
        .select_related("user")
        .first()
    )
    if member is not None:
        return member.user
    staff = (
        OrganizerMember.objects.filter(organizer=organizer, role=OrganizerMember.Role.STAFF)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return staff.user if staff is not None else None


def _create_orders(
    *,
    organizer: Organizer,
    expo_2021: Expo,
    expo_2027: Expo,
    owners_businesses: list[Exhibitor],
    now: datetime.datetime,
) -> None:
    """Place the demo orders and move them along through the real services, so that
    stock, payments and the audit trail are what real clicks would have left."""
    shops = _order_shops(expo_2027=expo_2027, owners_businesses=owners_businesses)
    expo_of = {"owner_waiting": expo_2021}
    # Products with plenty of stock (no order sells one out), by slug: the same on every load.
    stocked = {
        name: list(
            Product.objects.filter(exhibitor=shop, is_active=True, stock__gte=15)
            .order_by("slug")
            .values_list("pk", flat=True)
        )
        for name, shop in shops.items()
        if shop is not None
    }
    actors = {name: _actor_for(shop, organizer=organizer) for name, shop in shops.items() if shop}
    tracking = 0
    cancels = 0
    for n, scene in enumerate(ORDER_SCENES):
        booths = [b for b in scene.booths if stocked.get(b.shop)]
        if not booths:
            continue
        expo = expo_of.get(booths[0].shop, expo_2027)
        placed_at = now - datetime.timedelta(hours=scene.hours_ago)
        waits = any(not b.steps for b in booths)
        # An order left unpaid keeps its reservation for the demo's length; the
        # others were placed hours ago and their reservations have run out.
        checkout_now = (
            now + DEMO_AWAITING_HOLD - datetime.timedelta(minutes=orders.RESERVATION_MINUTES)
            if waits
            else placed_at
        )
        lines = []
        for b in booths:
            products = stocked[b.shop]
            lines.append(orders.LineRequest(products[n % len(products)], 1 + n % 2))
            if n % 3 == 0 and len(products) > 1:
                lines.append(orders.LineRequest(products[(n + 1) % len(products)], 1))
        shop_ids = {b.shop: shops[b.shop].pk for b in booths}
        name, whatsapp, email = data.DEMO_BUYERS[scene.buyer]
        address, city, postal_code = data.DEMO_ADDRESSES[n % len(data.DEMO_ADDRESSES)]
        checkout = orders.checkout_submit(
            expo=expo,
            buyer=orders.BuyerInfo(name=name, whatsapp=whatsapp, email=email),
            lines=lines,
            idempotency_key=f"{DEMO_ORDER_KEY_PREFIX}{scene.key}",
            delivery={
                shop_ids[b.shop]: orders.DeliveryInfo(method=b.delivery)
                if b.delivery == _PICKUP
                else orders.DeliveryInfo(
                    method=b.delivery, address=address, city=city, postal_code=postal_code
                )
                for b in booths
            },
            payment_method={shop_ids[b.shop]: b.method for b in booths},
            now=checkout_now,
        )
        Checkout.objects.filter(pk=checkout.pk).update(created_at=placed_at)
        Order.objects.filter(checkout=checkout).update(created_at=placed_at)
        for b in booths:
            order = Order.objects.get(checkout=checkout, exhibitor_id=shop_ids[b.shop])
            actor = actors[b.shop]
            at = placed_at
            for step in b.steps:
                at += datetime.timedelta(minutes=20)
                if step == PAID:
                    payment_confirm(order=order, actor=actor, amount=order.total, now=at)
                elif step == CANCEL:
                    reason = data.DEMO_CANCEL_REASONS[cancels % len(data.DEMO_CANCEL_REASONS)]
                    cancels += 1
                    orders.order_cancel(order=order, actor=actor, reason=reason, now=at)
                elif step == REFUND:
                    refund_record(
                        order=order,
                        actor=actor,
                        amount=order.total,
                        method=Refund.Method.TRANSFER,
                        reason=data.DEMO_REFUND_REASON,
                        reference=f"TRF-DEMO-{order.pk:06d}",
                        now=at,
                    )
                elif step == SHIPPED:
                    tracking += 1
                    orders.order_set_status(
                        order=order,
                        actor=actor,
                        status=Order.Status.SHIPPED,
                        tracking_number=f"JNE-DEMO-{tracking:06d}",
                    )
                elif step != EXPIRE:
                    status = {
                        PROCESSING: Order.Status.PROCESSING,
                        READY: Order.Status.READY_FOR_PICKUP,
                        COMPLETED: Order.Status.COMPLETED,
                    }[step]
                    orders.order_set_status(order=order, actor=actor, status=status)
    # The expiry job, as it would have run: the lapsed reservations go back to stock.
    orders.reservations_expire(now=now)


# --- Live shopping ----------------------------------------------------------

# The audience of the Mayor's 2021 promotion: about BASE viewers at the start, PEAK
# at PEAK_MINUTE (the snacks pinned), then a slow decline.
AUDIENCE_BASE = 150
AUDIENCE_PEAK = 800
AUDIENCE_PEAK_MINUTE = 24
# Stock a product needs to go on a demo run sheet: no demo order sells it out.
LIVE_MIN_STOCK = 15


def _member(organizer: Organizer, role: str):
    member = (
        OrganizerMember.objects.filter(organizer=organizer, role=role)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return member.user if member is not None else None


def _stocked(expo: Expo, spared: set[int]):
    """Active products in stock of the expo's accepted venue exhibitors, but not the demo
    owners' (their dashboards keep the orders of _create_orders only)."""
    return (
        Product.objects.filter(
            exhibitor__participations__expo=expo,
            exhibitor__participations__status=Participation.Status.ACCEPTED,
            exhibitor__participations__mode=Participation.Mode.VENUE,
            is_active=True,
            stock__gte=LIVE_MIN_STOCK,
        )
        .exclude(exhibitor_id__in=spared)
        .select_related("exhibitor")
        .order_by("slug", "pk")
    )


def _audience(session: AgendaSession) -> list[ViewerSample]:
    """Viewer counts on the live app's sampling grid: a rise to the peak, a slow fall,
    and a small deterministic wobble."""
    step = live.SAMPLE_SECONDS
    samples = []
    for i in range(int((session.ends_at - session.starts_at).total_seconds()) // step):
        minute = i * step / 60
        width = 12 if minute <= AUDIENCE_PEAK_MINUTE else 30
        bump = math.exp(-(((minute - AUDIENCE_PEAK_MINUTE) / width) ** 2))
        wobble = (i * 37) % 13 - 6
        samples.append(
            ViewerSample(
                session=session,
                at=session.starts_at + datetime.timedelta(seconds=i * step),
                viewers=round(AUDIENCE_BASE + (AUDIENCE_PEAK - AUDIENCE_BASE) * bump) + wobble,
            )
        )
    return samples


def _post_chat(session: AgendaSession, *, names: list[str], lines, start: datetime.datetime):
    """Post (minutes after `start`, viewer index, text) lines; returns the messages."""
    viewers = [
        live_chat.viewer_for(expo=session.expo, key=None, display_name=name) for name in names
    ]
    return [
        live_chat.chat_post(
            session=session,
            viewer=viewers[who],
            text=text,
            now=start + datetime.timedelta(minutes=minutes),
        )
        for minutes, who, text in lines
    ]


def _create_live_2021(*, organizer: Organizer, expo: Expo, spared: set[int]) -> None:
    """The Mayor's promotion as it went: run sheet, three pins (the last still up, with
    an announcement), taps and carts, paid orders from the pins, a moderated chat and
    the viewer curve."""
    session = AgendaSession.objects.select_related("expo__organizer").get(
        expo=expo, title=data.LIVE_2021_SESSION
    )
    host = _member(organizer, OrganizerMember.Role.HOST)
    start = session.starts_at

    def at(minutes: int) -> datetime.datetime:
        return start + datetime.timedelta(minutes=minutes)

    stocked = _stocked(expo, spared)
    items = []
    for exhibitor_name, kind_label, note in data.LIVE_2021_RUN_SHEET:
        of_exhibitor = stocked.filter(exhibitor__name=exhibitor_name)
        product = of_exhibitor.filter(name__startswith=kind_label).first() or of_exhibitor.first()
        if product is not None:
            items.append(
                runsheet.runsheet_add(session=session, product=product, actor=host, note=note)
            )

    pins = {}
    for n, (minutes, position, clicks, carts) in enumerate(data.LIVE_2021_PINS):
        if position >= len(items):
            continue
        pin = live.live_pin(
            session=session, product=items[position].product, actor=host, now=at(minutes)
        )
        for _ in range(clicks):
            live.pin_clicked(pin_id=pin.pk)
        for _ in range(carts):
            live.pin_added_to_cart(pin_id=pin.pk, product_id=pin.product_id)
        pins[n] = pin
    if pins:
        live.live_announce(session=session, actor=host, text=data.LIVE_2021_ANNOUNCEMENT)

    for n, (minutes, pin_index, quantity, buyer) in enumerate(data.LIVE_2021_ORDERS, start=1):
        pin = pins.get(pin_index)
        if pin is None:
            continue
        name, whatsapp, email = data.DEMO_BUYERS[buyer]
        address, city, postal_code = data.DEMO_ADDRESSES[n % len(data.DEMO_ADDRESSES)]
        checkout = orders.checkout_submit(
            expo=expo,
            buyer=orders.BuyerInfo(name=name, whatsapp=whatsapp, email=email),
            lines=[orders.LineRequest(pin.product_id, quantity, pin_id=pin.pk)],
            idempotency_key=f"{DEMO_ORDER_KEY_PREFIX}live-{n:02d}",
            delivery=orders.DeliveryInfo(
                method=_COURIER, address=address, city=city, postal_code=postal_code
            ),
            payment_method=_Q,
            now=at(minutes),
        )
        Checkout.objects.filter(pk=checkout.pk).update(created_at=at(minutes))
        Order.objects.filter(checkout=checkout).update(created_at=at(minutes))
        order = Order.objects.select_related("exhibitor").get(checkout=checkout)
        payment_confirm(
            order=order,
            actor=_actor_for(order.exhibitor, organizer=organizer),
            amount=order.total,
            now=at(minutes + 5),
        )

    messages = _post_chat(
        session, names=data.LIVE_2021_VIEWERS, lines=data.LIVE_2021_CHAT, start=start
    )
    spam = next(m for m in messages if m.text == data.LIVE_2021_SPAM)
    live_chat.chat_delete(
        message=spam,
        actor=host,
        now=spam.created_at + datetime.timedelta(minutes=data.LIVE_2021_SPAM_HIDDEN_AFTER),
    )
    # Viewer counts are measurements the socket processes take (live.sample_viewers),
    # not changes anyone makes: there is no service to replay, so they are written as
    # the sampler would have written them.
    ViewerSample.objects.bulk_create(_audience(session))


def _on_air_products(expo: Expo, spared: set[int]) -> list[tuple[Product, str]]:
    """(product, category) for the on-air run sheet: one exhibitor of each category in
    turn (LIVE_ON_AIR_NOTES' order), by name, with its first product in stock."""
    by_category: dict[str, list[Product]] = {}
    seen: set[int] = set()
    for product in _stocked(expo, spared).order_by("exhibitor__name", "slug", "pk"):
        if product.exhibitor_id in seen:
            continue
        seen.add(product.exhibitor_id)
        by_category.setdefault(product.exhibitor.category.slug, []).append(product)
    picked: list[tuple[Product, str]] = []
    while len(picked) < data.LIVE_ON_AIR_PRODUCTS and any(by_category.values()):
        for category in data.LIVE_ON_AIR_NOTES:
            if by_category.get(category) and len(picked) < data.LIVE_ON_AIR_PRODUCTS:
                picked.append((by_category[category].pop(0), category))
    return picked


def _on_air_times(now: datetime.datetime) -> dict:
    return {
        "starts_at": now - datetime.timedelta(minutes=data.LIVE_ON_AIR_STARTED_MINUTES),
        "ends_at": now + datetime.timedelta(minutes=data.LIVE_ON_AIR_REMAINING_MINUTES),
    }


def _create_live_on_air(
    *, organizer: Organizer, expo: Expo, spared: set[int], now: datetime.datetime
) -> None:
    """A 2027 session on air now: its run sheet, the first product pinned, an
    announcement and a few chat messages."""
    session = events.session_create(
        expo=expo,
        actor=None,
        data={
            "title": data.LIVE_ON_AIR_TITLE,
            "description": data.LIVE_ON_AIR_DESCRIPTION,
            "stream_url": "",
            **_on_air_times(now),
        },
        speakers=data.LIVE_ON_AIR_SPEAKERS,
    )
    host = _member(organizer, OrganizerMember.Role.HOST)
    items = [
        runsheet.runsheet_add(
            session=session, product=product, actor=host, note=data.LIVE_ON_AIR_NOTES[category]
        )
        for product, category in _on_air_products(expo, spared)
    ]
    _post_chat(
        session,
        names=data.LIVE_ON_AIR_VIEWERS,
        lines=data.LIVE_ON_AIR_CHAT,
        start=session.starts_at,
    )
    if items:
        live.live_pin(
            session=session,
            product=items[0].product,
            actor=host,
            now=session.starts_at + datetime.timedelta(minutes=data.LIVE_ON_AIR_PIN_MINUTES),
        )
    live.live_announce(session=session, actor=host, text=data.LIVE_ON_AIR_ANNOUNCEMENT)


def _on_air_session() -> AgendaSession | None:
    return (
        AgendaSession.objects.filter(
            expo__slug=data.EXPO_2027["slug"],
            expo__organizer__slug=data.ORGANIZER["slug"],
            title=data.LIVE_ON_AIR_TITLE,
        )
        .select_related("expo__organizer")
        .first()
    )


def demo_on_air(*, now: datetime.datetime) -> AgendaSession | None:
    """Put the demo's live session of the 2027 expo on air at `now`, unless it is on
    air for at least another hour already; None when the demo has no such session.

    The demo's dates are fixed and its sessions are years apart from any day it is
    shown on, so this one session follows the clock: `make demo` runs load_demo on
    every start, and the expo home shows the live panel right away. The move goes
    through the agenda service (audited, without an actor: the system did it).
    """
    session = _on_air_session()
    if session is None:
        return None
    if session.starts_at <= now and now + datetime.timedelta(hours=1) <= session.ends_at:
        return session
    speakers = [(s.name, s.role) for s in session.speakers.all()]
    return events.session_update(
        session=session, actor=None, data=_on_air_times(now), speakers=speakers
    )


def _on_air_until(*, now: datetime.datetime) -> datetime.datetime | None:
    session = _on_air_session()
    if session is None or not session.starts_at <= now < session.ends_at:
        return None
    return session.ends_at.astimezone(session.expo.tzinfo)


# --- Logins ------------------------------------------------------------------


@dataclass(frozen=True)
class DemoLogin:
    role_id: str
    role_en: str
    url: str
    username: str
    password: str


def demo_logins(*, base_url: str = DEMO_BASE_URL) -> list[DemoLogin]:
    """The demo's accounts: organizer staff in every role, two owners, the superuser."""
    base = base_url.rstrip("/")
    return [
        DemoLogin(
            role_id=label_id,
            role_en=label_en,
            url=f"{base}/akun/login/",
            username=login,
            password=DEMO_PASSWORD,
        )
        for label_id, label_en, login in DEMO_LOGIN_ROWS
    ] + [
        DemoLogin(
            role_id="Admin Django",
            role_en="Django admin",
            url=f"{base}/admin/",
            username=ADMIN_USERNAME,
            password=ADMIN_PASSWORD,
        ),
    ]


def demo_logins_text(*, base_url: str = DEMO_BASE_URL) -> str:
    base = base_url.rstrip("/")
    lines = [
        "Demo Gelar / Gelar demo",
        f"  Situs / Site: {base}/",
    ]
    for login in demo_logins(base_url=base_url):
        lines += [
            f"  {login.role_id} / {login.role_en}: {login.url}",
            f"    pengguna / username: {login.username}",
            f"    kata sandi / password: {login.password}",
        ]
    lines.append("  Pemindai gerbang / Gate scanner (buka di ponsel / open on a phone):")
    for name, link in demo_gate_pairing(base_url=base_url):
        lines.append(f"    {name}: {link}")
    return "\n".join(lines)


# --- The venue ---------------------------------------------------------------


def _create_venue_2021(*, organizer: Organizer, expo: Expo) -> None:
    """The 2021 hall by invitation: the guest list (most accepted), two gates and the
    check-in as it was synced from their offline queues, one ticket twice (a conflict)."""
    actor = _member(organizer, OrganizerMember.Role.ADMIN)
    zone = expo.tzinfo
    invited_on = datetime.datetime(2021, 11, 10, 10, 0, tzinfo=zone)
    # The guests answered and the gates synced while the expo ran: the services are
    # called with 2021 clocks, and the expo is closed again afterwards.
    closed_status = expo.status
    Expo.objects.filter(pk=expo.pk).update(status=Expo.Status.PUBLISHED)
    expo.status = Expo.Status.PUBLISHED
    secrets: dict[int, str] = {}
    for index, (name, title, institution, email, whatsapp, answer) in enumerate(data.GUESTS_2021):
        invitation = tickets.invitation_create(
            expo=expo,
            actor=actor,
            name=name,
            institution=institution,
            title=title,
            email=email,
            whatsapp=whatsapp,
        )
        if answer:
            _ticket, secret = tickets.invitation_respond(
                invitation=invitation,
                accept=answer == "accepted",
                now=invited_on + datetime.timedelta(days=1, hours=index),
            )
            if secret:
                secrets[index] = secret
    gates = [
        tickets.gate_device_create(expo=expo, actor=actor, name=name)[0] for name in data.GATES_2021
    ]
    queues: dict[int, list[dict]] = {}
    for n, (guest, gate, day, hhmm) in enumerate(data.SCANS_2021):
        queues.setdefault(gate, []).append(
            {
                "nonce": f"demo-2021-{n:03d}",
                "code": tickets.ticket_code(secrets[guest]),
                "direction": "entry",
                "scanned_at": _aware((2021, 11, day), hhmm, zone).isoformat(),
            }
        )
    synced_at = datetime.datetime(2021, 11, 25, 17, 0, tzinfo=zone)
    for gate, queue in sorted(queues.items()):
        tickets.sync(device=gates[gate], scans=queue, now=synced_at)
    Expo.objects.filter(pk=expo.pk).update(status=closed_status)
    expo.status = closed_status


def _create_venue_2027(*, organizer: Organizer, expo: Expo) -> None:
    """The 2027 public slots (two days of three, capacity 300), registrations, and two
    gates with known tokens so the scanner can be opened from demo_logins."""
    actor = _member(organizer, OrganizerMember.Role.ADMIN)
    zone = expo.tzinfo
    rng = random.Random(f"{SEED}-venue")
    names = [f"{first} {last}" for first in data.VISITOR_FIRST for last in data.VISITOR_LAST]
    rng.shuffle(names)
    for index, ((day, start, end), count) in enumerate(
        zip(data.SLOTS_2027, data.REGISTRATIONS_2027, strict=True)
    ):
        slot = organizer_venue.slot_create(
            expo=expo,
            actor=actor,
            name=data.SLOT_2027_NAMES[index % len(data.SLOT_2027_NAMES)],
            starts_at=_aware(day, start, zone),
            ends_at=_aware(day, end, zone),
            capacity=data.SLOT_2027_CAPACITY,
        )
        for _n in range(count):
            tickets.register_for_slot(slot=slot, holder_name=names.pop(), whatsapp=_whatsapp(rng))
    for name, token in data.GATES_2027:
        device, _token = tickets.gate_device_create(expo=expo, actor=actor, name=name)
        # Demo only: a known token, so demo_logins can print the pairing link.
        GateDevice.objects.filter(pk=device.pk).update(token_hash=secret_hash(token))


def demo_gate_pairing(*, base_url: str = DEMO_BASE_URL) -> list[tuple[str, str]]:
    """(gate name, pairing link) of the demo's 2027 gate devices."""
    base = base_url.rstrip("/")
    return [(name, f"{base}/gerbang/#token={token}") for name, token in data.GATES_2027]


# --- The booth till ----------------------------------------------------------

POS_SHOPS = 4
POS_KEY_PREFIX = "demo-2021-pos-"
# (shop, day of November 2021, time, [(product index, quantity)], method, cash given)
POS_SALES = [
    (0, 24, "09:40", [(0, 1)], "cash", 100_000),
    (0, 24, "10:15", [(1, 2)], "qris", None),
    (0, 24, "13:05", [(0, 1), (2, 1)], "cash", None),
    (0, 25, "10:30", [(2, 1)], "transfer", None),
    (1, 24, "11:20", [(0, 3)], "cash", 500_000),
    (1, 24, "14:45", [(1, 1)], "qris", None),
    (1, 25, "09:10", [(0, 1)], "qris", None),
    (2, 24, "10:50", [(0, 1), (1, 1)], "qris", None),
    (2, 25, "15:30", [(2, 2)], "cash", None),
    (3, 24, "16:00", [(1, 1)], "cash", None),
]
# Rung up while the hall's Wi-Fi was down on the 24th and synced at 17.30: the first
# shop's queue, in which a sold-out product was handed over (kept, flagged).
POS_OFFLINE = [(0, "11:55", [(1, 1)], "cash", 200_000), (0, "12:20", "sold_out", "qris", None)]
POS_SYNCED_AT = "17:30"
# The cash counted at the end of the 24th: the second shop is Rp 5.000 short.
POS_SHORT = {1: 5_000}


# The demo owner's booth at the 2027 expo (081200000002, Abon Pak Saufi at A-25): sales
# rung up earlier today, so that its day closing and reports have something to show.
# The expo's own days (May 2027) are still to come and the business sold online in
# 2021, so, like the session on air (demo_on_air), the booth sells on the day the demo
# is loaded: (minutes before loading, [(product index, quantity)], method, cash given).
POS_OWNER_KEY_PREFIX = "demo-2027-pos-"
POS_OWNER_SALES = [
    (150, [(0, 2)], "cash", 100_000),
    (115, [(2, 1), (4, 1)], "qris", None),
    (80, [(1, 1)], "transfer", None),
    (45, [(3, 3)], "cash", None),
    (15, [(0, 1), (2, 1)], "cash", 100_000),
]


def _pos_shops(expo: Expo, spared: set[int]) -> list[tuple[Exhibitor, list[Product]]]:
    """The first venue stands (by name) with three products in good stock each."""
    shops = []
    venue = (
        Exhibitor.objects.filter(
            participations__expo=expo,
            participations__status=Participation.Status.ACCEPTED,
            participations__mode=Participation.Mode.VENUE,
        )
        .exclude(pk__in=spared)
        .order_by("name", "pk")
    )
    for exhibitor in venue:
        products = list(
            Product.objects.filter(
                exhibitor=exhibitor, is_active=True, stock__gte=LIVE_MIN_STOCK
            ).order_by("slug", "pk")[:3]
        )
        if len(products) == 3:
            shops.append((exhibitor, products))
        if len(shops) == POS_SHOPS:
            break
    return shops


def _create_pos_2021(*, organizer: Organizer, expo: Expo, spared: set[int]) -> None:
    """Booth sales of 2021 through the till's services: cash, QRIS and transfers on
    both days, an offline queue synced (twice: the replay changes nothing) with a
    sold-out product handed over and flagged, and the 24th closed at every stand."""
    zone = expo.tzinfo
    shops = _pos_shops(expo, spared)
    if not shops:
        return
    staff = {shop.pk: _actor_for(shop, organizer=organizer) for shop, _products in shops}
    for n, (index, day, hhmm, lines, method, cash) in enumerate(POS_SALES):
        if index >= len(shops):
            continue
        shop, products = shops[index]
        if method == "transfer" and not shop.payment_settings.bank_account_number:
            method = "qris"
        sold_at = _aware((2021, 11, day), hhmm, zone)
        picked = [(products[i].pk, quantity) for i, quantity in lines]
        total = sum(products[i].price * quantity for i, quantity in lines)
        sale = pos.pos_sale_record(
            exhibitor=shop,
            expo=expo,
            staff=staff[shop.pk],
            client_key=f"{POS_KEY_PREFIX}{n:03d}",
            lines=picked,
            payment_method=method,
            cash_given=(cash if cash and cash >= total else total) if method == "cash" else None,
            expected_total=total,
            now=sold_at,
        )
        PosSale.objects.filter(pk=sale.pk).update(received_at=sold_at)

    shop, products = shops[0]
    sold_out = (
        Product.objects.filter(exhibitor=shop, is_active=True, stock=0).order_by("slug").first()
    )
    queue = []
    for n, (_index, hhmm, lines, method, cash) in enumerate(POS_OFFLINE):
        if lines == "sold_out":
            if sold_out is None:
                continue
            picked, total = [(sold_out.pk, 1)], sold_out.price
        else:
            picked = [(products[i].pk, quantity) for i, quantity in lines]
            total = sum(products[i].price * quantity for i, quantity in lines)
        queue.append(
            {
                "client_key": f"{POS_KEY_PREFIX}offline-{n:03d}",
                "lines": [{"product_id": pk, "quantity": q} for pk, q in picked],
                "payment_method": method,
                "cash_given": (cash or total) if method == "cash" else None,
                "total": total,
                "sold_at": _aware((2021, 11, 24), hhmm, zone).isoformat(),
            }
        )
    synced_at = _aware((2021, 11, 24), POS_SYNCED_AT, zone)
    for _attempt in range(2):  # the device retried: the second sync is all duplicates
        pos.pos_sync(exhibitor=shop, expo=expo, staff=staff[shop.pk], sales=queue, now=synced_at)
    PosSale.objects.filter(exhibitor=shop, offline=True).update(received_at=synced_at)

    closing = datetime.date(2021, 11, 24)
    for index, (shop, _products) in enumerate(shops):
        expected = pos.pos_day_summary(exhibitor=shop, expo=expo, date=closing)["cash_expected"]
        day = pos.pos_day_close(
            exhibitor=shop,
            expo=expo,
            date=closing,
            actor=staff[shop.pk],
            cash_counted=max(expected - POS_SHORT.get(index, 0), 0),
            note=data.DEMO_POS_SHORT_NOTE if index in POS_SHORT else "",
        )
        PosDay.objects.filter(pk=day.pk).update(closed_at=_aware((2021, 11, 24), "18:00", zone))


def _create_pos_owner(
    *, organizer: Organizer, expo: Expo, owners: list[Exhibitor], now: datetime.datetime
) -> None:
    """Booth sales of the demo owner whose business has a venue booth at `expo`, made
    through the till's service (the stock drops); the day is left open for them to close."""
    booths = Participation.objects.filter(
        expo=expo,
        exhibitor__in=owners,
        status=Participation.Status.ACCEPTED,
        mode=Participation.Mode.VENUE,
    ).select_related("exhibitor")
    for participation in booths:
        shop = participation.exhibitor
        products = list(
            Product.objects.filter(
                exhibitor=shop, is_active=True, stock__gte=LIVE_MIN_STOCK
            ).order_by("slug", "pk")
        )
        if not products:
            continue
        staff = _actor_for(shop, organizer=organizer)
        found = shop.payment_settings
        for n, (minutes, lines, method, cash) in enumerate(POS_OWNER_SALES):
            if (method == "qris" and not found.has_qris) or (
                method == "transfer" and not found.has_bank_transfer
            ):
                method, cash = "cash", None
            picked = [(products[i % len(products)], quantity) for i, quantity in lines]
            total = sum(product.price * quantity for product, quantity in picked)
            sold_at = now - datetime.timedelta(minutes=minutes)
            sale = pos.pos_sale_record(
                exhibitor=shop,
                expo=expo,
                staff=staff,
                client_key=f"{POS_OWNER_KEY_PREFIX}{n:03d}",
                lines=[(product.pk, quantity) for product, quantity in picked],
                payment_method=method,
                # A note as given where it covers the total (at a larger scale the
                # products differ), else the exact amount.
                cash_given=(cash if cash and cash >= total else total)
                if method == "cash"
                else None,
                expected_total=total,
                now=sold_at,
            )
            PosSale.objects.filter(pk=sale.pk).update(received_at=sold_at)
