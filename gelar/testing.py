"""Factories for tests: plain functions building a small expo (Pekalongan 2021).

They do not use gelar.demo: the tests must not change when the demo data does.
"""

import datetime
import itertools
import zoneinfo
from dataclasses import dataclass, field

from gelar.catalog.models import Product, ProductImage
from gelar.events.models import AgendaSession, Booth, Expo, Hall, Organizer, Speaker
from gelar.exhibitors.models import Category, Exhibitor, ExhibitorLink, Participation
from gelar.regions.models import Regency

WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
_numbers = itertools.count(1)

# Where the 2021 exhibitors came from (the seed article).
REGENCY_CODES = ["33.75", "32.06", "63.72", "33.01", "33.74"]


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    """An instant of November 2021 in WIB."""
    return datetime.datetime(2021, 11, day, hour, minute, tzinfo=WIB)


def make_organizer(**fields) -> Organizer:
    n = next(_numbers)
    values = {
        "name": "Dinas Perdagangan, Koperasi dan UKM Kota Pekalongan",
        "short_name": "Dindakop UKM",
        "slug": f"dindakop-{n}",
        "region": Regency.objects.get(code="33.75"),
    }
    return Organizer.objects.create(**{**values, **fields})


def make_expo(**fields) -> Expo:
    values = {
        "name": "Pekalongan Hybrid Expo 2021",
        "slug": f"expo-{next(_numbers)}",
        "tagline": "UMKM Pekalongan naik kelas",
        "start_date": datetime.date(2021, 11, 24),
        "end_date": datetime.date(2021, 11, 25),
        "venue_name": "Gedung HA Djunaid Convention Center",
        "venue_region": Regency.objects.get(code="33.75"),
        "planned_venue_percent": 30,
        "status": Expo.Status.PUBLISHED,
        "stream_url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    }
    values.update(fields)
    if "organizer" not in values:
        values["organizer"] = make_organizer()
    return Expo.objects.create(**values)


def make_category(slug: str, name: str, name_en: str, position: int = 0) -> Category:
    category, _ = Category.objects.get_or_create(
        slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
    )
    return category


def batik() -> Category:
    return make_category("batik-fashion", "Batik & Fesyen", "Batik & Fashion", 1)


def kuliner() -> Category:
    return make_category("makanan", "Makanan", "Food", 2)


def make_exhibitor(*, name: str, category: Category | None = None, **fields) -> Exhibitor:
    n = next(_numbers)
    values = {
        "slug": f"exhibitor-{n}",
        "owner_name": f"Pemilik {n}",
        "region": Regency.objects.get(code="33.75"),
        "category": category or batik(),
        "whatsapp": "6281234567890",
        "description": f"Usaha {name} sejak 2010.",
    }
    values.update(fields)
    return Exhibitor.objects.create(name=name, **values)


def make_participation(
    *, expo: Expo, exhibitor: Exhibitor, mode: str = "online", booth: Booth | None = None, **fields
) -> Participation:
    values = {"status": Participation.Status.ACCEPTED}
    values.update(fields)
    return Participation.objects.create(
        expo=expo, exhibitor=exhibitor, mode=mode, booth=booth, **values
    )


def make_product(*, exhibitor: Exhibitor, name: str, images: int = 1, **fields) -> Product:
    n = next(_numbers)
    values = {"slug": f"product-{n}", "price": 150000, "stock": 10}
    values.update(fields)
    product = Product.objects.create(exhibitor=exhibitor, name=name, **values)
    for position in range(images):
        ProductImage.objects.create(
            product=product,
            image=f"products/{product.slug}-{position}.jpg",
            alt=f"{name}, foto {position + 1}",
            position=position,
        )
    return product


def make_session(*, expo: Expo, title: str, starts_at, ends_at, speakers=()) -> AgendaSession:
    session = AgendaSession.objects.create(
        expo=expo, title=title, starts_at=starts_at, ends_at=ends_at
    )
    for position, (name, role) in enumerate(speakers):
        Speaker.objects.create(session=session, name=name, role=role, position=position)
    return session


@dataclass
class ExpoWorld:
    """An expo with the named things the tests look for."""

    expo: Expo
    hall: Hall
    batik: Exhibitor
    amplang: Exhibitor
    applicant: Exhibitor
    shirt: Product
    sold_out: Product
    hidden: Product
    opening: AgendaSession
    exhibitors: list[Exhibitor] = field(default_factory=list)


def build_expo(*, extra_exhibitors: int = 0, suffix: str = "", **expo_fields) -> ExpoWorld:
    """The Pekalongan expo: a venue batik booth, an online snack seller, an applicant.

    extra_exhibitors adds that many more accepted exhibitors, each with
    products, images, links and (every other one) a venue booth: the same
    page then shows more of everything, which the query-count tests use.
    suffix tells apart the named exhibitors' slugs when a test builds two expos.
    """
    expo = make_expo(**expo_fields)
    hall = Hall.objects.create(expo=expo, name="Hall Utama", width=400, height=200)
    Booth.objects.create(hall=hall, code="A-99", x=300, y=100, width=30, height=30)  # empty
    booth_a1 = Booth.objects.create(hall=hall, code="A-01", x=20, y=20, width=30, height=30)

    batik_shop = make_exhibitor(
        name="Batik Sekar Jagad",
        slug=f"batik-sekar-jagad{suffix}",
        owner_name="Siti Rahmawati",
        # NIBs are unique: the second expo of a test gets another one.
        nib="9120001234567" if not suffix else f"91200{next(_numbers):08d}",
        description="Batik tulis dan cap khas Pekalongan, pewarna alami.",
        video_url="https://youtu.be/aqz-KE-bpKQ",
        whatsapp="6281234567890",
    )
    ExhibitorLink.objects.create(
        exhibitor=batik_shop, kind="shopee", url="https://shopee.co.id/batiksekarjagad"
    )
    make_participation(expo=expo, exhibitor=batik_shop, mode="venue", booth=booth_a1)
    shirt = make_product(
        exhibitor=batik_shop,
        name="Kemeja Batik Tulis Sekar Jagad",
        slug="kemeja-batik-tulis",
        price=150000,
        stock=3,
        images=3,
        is_featured=True,
        description="Kemeja lengan panjang, katun primisima.",
    )
    sold_out = make_product(
        exhibitor=batik_shop, name="Selendang Sutra Pesisiran", slug="selendang", stock=0
    )
    hidden = make_product(
        exhibitor=batik_shop, name="Sarung Lama", slug="sarung-lama", is_active=False
    )

    amplang = make_exhibitor(
        name="Amplang Café Banjarbaru",
        slug=f"amplang-banjarbaru{suffix}",
        category=kuliner(),
        region=Regency.objects.get(code="63.72"),
        whatsapp="6285712345678",
    )
    make_participation(expo=expo, exhibitor=amplang, mode="online")
    make_product(
        exhibitor=amplang, name="Amplang Ikan Tenggiri", slug="amplang-tenggiri", price=25000
    )

    applicant = make_exhibitor(name="Tenun Belum Diterima", slug=f"tenun-belum-diterima{suffix}")
    make_participation(expo=expo, exhibitor=applicant, status=Participation.Status.APPLIED)
    make_product(exhibitor=applicant, name="Tenun Ikat Rahasia", slug="tenun-ikat")

    opening = make_session(
        expo=expo,
        title="Pembukaan Pekalongan Hybrid Expo",
        starts_at=at(24, 9),
        ends_at=at(24, 10),
        speakers=[("Rina Kusuma", "Wali Kota Pekalongan"), ("Dewi Lestari", "Ketua Dekranasda")],
    )
    make_session(
        expo=expo,
        title="Promosi Produk UMKM oleh Wali Kota",
        starts_at=at(24, 10),
        ends_at=at(24, 11, 30),
        speakers=[("Rina Kusuma", "Wali Kota Pekalongan")],
    )
    make_session(
        expo=expo, title="Talkshow Batik Naik Kelas", starts_at=at(25, 13), ends_at=at(25, 14)
    )

    extras = []
    for i in range(extra_exhibitors):
        venue = i % 2 == 0
        booth = (
            Booth.objects.create(
                hall=hall, code=f"B-{i:02d}", x=20 + 35 * (i % 10), y=60 + 35 * (i // 10)
            )
            if venue
            else None
        )
        exhibitor = make_exhibitor(
            name=f"UMKM Nomor {i}",
            category=kuliner() if i % 3 else batik(),
            region=Regency.objects.get(code=REGENCY_CODES[i % len(REGENCY_CODES)]),
            logo=f"logos/umkm-{i}.png",
            video_url="https://www.youtube.com/live/aqz-KE-bpKQ",
        )
        ExhibitorLink.objects.create(
            exhibitor=exhibitor, kind="instagram", url=f"https://instagram.com/umkm{i}"
        )
        ExhibitorLink.objects.create(
            exhibitor=exhibitor, kind="tokopedia", url=f"https://tokopedia.com/umkm{i}"
        )
        make_participation(
            expo=expo, exhibitor=exhibitor, mode="venue" if venue else "online", booth=booth
        )
        for j in range(3):
            make_product(exhibitor=exhibitor, name=f"Produk {i}-{j}", images=2, is_featured=j == 0)
        # More products for the booths the tests open.
        for j in range(4):
            make_product(exhibitor=batik_shop, name=f"Batik Tambahan {i}-{j}", images=2)
        make_session(
            expo=expo,
            title=f"Sesi {i}",
            starts_at=at(25, 8) + datetime.timedelta(minutes=10 * i),
            ends_at=at(25, 8, 5) + datetime.timedelta(minutes=10 * i),
            speakers=[(f"Pembicara {i}", "Pelaku UMKM"), (f"Moderator {i}", "MC")],
        )
        extras.append(exhibitor)

    return ExpoWorld(
        expo=expo,
        hall=hall,
        batik=batik_shop,
        amplang=amplang,
        applicant=applicant,
        shirt=shirt,
        sold_out=sold_out,
        hidden=hidden,
        opening=opening,
        exhibitors=extras,
    )


# --- People and memberships (console, dashboard tests) ---


def make_user(*, email: str, password: str = "pw-12345678", **fields):
    """A user who signs in with this email (verified, when allauth is installed)."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    values = {"username": email, "email": email}
    values.update(fields)
    user = get_user_model().objects.create_user(password=password, **values)
    if apps.is_installed("allauth.account"):
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def make_organizer_member(*, organizer: Organizer, user, role: str):
    """A membership; an admin also gets a TOTP authenticator when allauth.mfa is installed
    (the console sends admins without one to the TOTP setup page)."""
    from django.apps import apps

    from gelar.events.models import OrganizerMember

    member = OrganizerMember.objects.create(organizer=organizer, user=user, role=role)
    if role == OrganizerMember.Role.ADMIN and apps.is_installed("allauth.mfa"):
        from allauth.mfa.models import Authenticator

        Authenticator.objects.get_or_create(
            user=user,
            type=Authenticator.Type.TOTP,
            defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}},
        )
    return member


def make_exhibitor_member(*, exhibitor: Exhibitor, user, role: str):
    from gelar.exhibitors.models import ExhibitorMember

    return ExhibitorMember.objects.create(exhibitor=exhibitor, user=user, role=role)


# --- Payments (orders tests) ---

# A real static QRIS (ShopeePay, "Gulu Gulu Mall Ambassador"); its source is cited in
# gelar/payments/tests/test_qris.py.
GULU_GULU_QRIS = (
    "00020101021126570016ID.CO.SHOPEE.WWW0118936009180000001402020413500303UME"
    "51440014ID.CO.QRIS.WWW0215ID10190045322970303UME5204581253033605802ID"
    "5925Gulu Gulu Mall Ambassador6015Jakarta Selatan61051294062070703A01630494FA"
)


def make_payment_settings(
    *,
    exhibitor: Exhibitor,
    qris: bool = True,
    transfer: bool = True,
    cash: bool = True,
    gateway: bool = False,
):
    """Payment settings accepting the given methods (gateway also needs MIDTRANS_SERVER_KEY)."""
    from gelar.payments.models import ExhibitorPaymentSettings

    return ExhibitorPaymentSettings.objects.create(
        exhibitor=exhibitor,
        qris_payload=GULU_GULU_QRIS if qris else "",
        qris_merchant_name="Gulu Gulu Mall Ambassador" if qris else "",
        bank_name="BRI" if transfer else "",
        bank_account_number="002101000123567" if transfer else "",
        bank_account_holder=exhibitor.name[:100] if transfer else "",
        accepts_cash=cash,
        gateway_enabled=gateway,
    )


def accept_every_payment(world: ExpoWorld) -> ExpoWorld:
    """Let every exhibitor of the world take QRIS, transfer and cash (orders tests)."""
    for exhibitor in (world.batik, world.amplang, world.applicant, *world.exhibitors):
        make_payment_settings(exhibitor=exhibitor)
    return world


# --- Threads racing (concurrency tests) ---


def run_together(count: int, function, *, refusals: tuple = ()) -> list[str]:
    """Start function(i) in `count` threads at the same moment; their outcomes, sorted.

    An outcome is what function returns, the `.code` of an exception of a class in
    `refusals` (a rule saying no), or "error: ..." for anything else (so the
    assertion shows it). Each thread has its own database connection, closed after.
    """
    import threading

    from django.db import connections

    barrier = threading.Barrier(count)
    results: list[str] = []
    guard = threading.Lock()

    def work(i: int):
        try:
            barrier.wait(timeout=10)
            outcome = function(i)
        except refusals as error:
            outcome = error.code
        except Exception as error:  # noqa: BLE001 -- reported in the assertion
            outcome = f"error: {error!r}"
        finally:
            connections.close_all()
        with guard:
            results.append(outcome)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return sorted(results)


# --- QR codes read back by a real decoder (zbar) ---


def decode_qr_png(png: bytes, tmp_path) -> list[str]:
    """Every QR code Debian's zbarimg finds in the PNG, one string each.

    Skips where zbarimg is missing, but fails under CI (.ci/run installs zbar-tools).
    """
    import os
    import shutil
    import subprocess

    import pytest

    zbarimg = shutil.which("zbarimg")
    if zbarimg is None:
        if os.environ.get("CI"):
            pytest.fail("zbarimg is missing; .ci/run installs Debian's zbar-tools")
        pytest.skip("zbarimg is not installed (apt-get install zbar-tools)")
    image = tmp_path / "code.png"
    image.write_bytes(png)
    result = subprocess.run(
        [zbarimg, "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(image)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode in (0, 4), result.stderr  # 4: no code found
    return result.stdout.splitlines()


def qr_svg_to_png(svg: str, *, scale: int = 8) -> bytes:
    """Rasterise a QR code SVG made by qrcode's path image: one square per dark module."""
    import io
    import re

    from PIL import Image, ImageDraw

    side = int(re.search(r'viewBox="0 0 (\d+) \1"', svg).group(1))
    image = Image.new("L", (side * scale, side * scale), 255)
    draw = ImageDraw.Draw(image)
    squares = re.findall(r"M(\d+),(\d+)H(\d+)V(\d+)H\d+z", svg)
    assert squares
    for x0, y0, x1, y1 in squares:
        draw.rectangle(
            (int(x0) * scale, int(y0) * scale, int(x1) * scale - 1, int(y1) * scale - 1), fill=0
        )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


# --- Reading a page's tables and figures back (report page tests) ---


def html_rows(html: str) -> list[tuple[dict, list[str]]]:
    """Every table row of the page, in order: its attributes and its cells' text
    (th and td, tags dropped, <br> as a space, whitespace collapsed)."""
    from html.parser import HTMLParser

    class Rows(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.rows: list[tuple[dict, list[str]]] = []
            self.cell: list[str] | None = None

        def handle_starttag(self, tag, attrs):
            if tag == "tr":
                self.rows.append((dict(attrs), []))
            elif tag in ("td", "th") and self.rows:
                self.cell = []
            elif tag == "br" and self.cell is not None:
                self.cell.append(" ")

        def handle_endtag(self, tag):
            if tag in ("td", "th") and self.cell is not None:
                self.rows[-1][1].append(" ".join("".join(self.cell).split()))
                self.cell = None

        def handle_data(self, data):
            if self.cell is not None:
                self.cell.append(data)

    parser = Rows()
    parser.feed(html)
    return parser.rows


def html_terms(html: str) -> list[tuple[str, str]]:
    """Every <dt> of the page with the text of the <dd> after it, whitespace collapsed."""
    from html.parser import HTMLParser

    class Terms(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.pairs: list[list[str]] = []
            self.open: list[str] | None = None

        def handle_starttag(self, tag, attrs):
            if tag == "dt":
                self.pairs.append([])
                self.open = []
            elif tag == "dd" and self.pairs:
                self.open = []

        def handle_endtag(self, tag):
            if tag in ("dt", "dd") and self.open is not None:
                self.pairs[-1].append(" ".join("".join(self.open).split()))
                self.open = None

        def handle_data(self, data):
            if self.open is not None:
                self.open.append(data)

    parser = Terms()
    parser.feed(html)
    return [(pair[0], pair[1] if len(pair) > 1 else "") for pair in parser.pairs]
