"""What the bench scripts (flash_sale.py, checkin.py, live.py, report.py, drills/drill.py)
share. They run as `python bench/<name>.py`, so this folder is on sys.path and `import
benchlib` works (drill.py puts it there)."""

import asyncio
import json
import os
import sys
from typing import NamedTuple


def django_setup() -> None:
    """Django with the project's settings, for the steps that read or write the database."""
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gelar.settings")
    import django

    django.setup()


def pgbench_summary(output_path: str, log_paths: list[str]) -> dict:
    """tps from pgbench's summary; latency percentiles from its per-transaction log."""
    found = {"tps": 0.0, "transactions": 0, "failed": 0, "seconds": 0}
    with open(output_path) as output:
        for line in output:
            if line.startswith("duration: "):
                found["seconds"] = int(line.split()[1])
            elif line.startswith("tps = ") and "without initial connection" in line:
                found["tps"] = float(line.split()[2])
            elif line.startswith("number of transactions actually processed:"):
                found["transactions"] = int(line.split(":")[1].split("/")[0])
            elif line.startswith("number of failed transactions:"):
                found["failed"] = int(line.split(":")[1].split()[0])
    latencies = []
    for path in log_paths:
        with open(path) as log:
            # client transaction latency_us script epoch_s epoch_us
            latencies.extend(int(line.split()[2]) for line in log if line.strip())
    latencies.sort()
    for p in (50, 95, 99):
        index = min(len(latencies) - 1, int(p / 100 * len(latencies)))
        found[f"p{p}_ms"] = latencies[index] / 1000 if latencies else 0.0
    return found


def percentiles(seconds: list[float]) -> dict:
    """p50, p95, p99 and max of durations in seconds, as milliseconds (0.0 when empty)."""
    ordered = sorted(seconds)

    def at(p: float) -> float:
        if not ordered:
            return 0.0
        return 1000 * ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]

    return {"p50_ms": at(50), "p95_ms": at(95), "p99_ms": at(99), "max_ms": at(100)}


# --- the benches' expos (Django; call django_setup() first) --------------------------

PEKALONGAN = "33.75"  # Kota Pekalongan, the regency of every bench expo


def organizer_and_expo(slug: str, name: str, start_date, end_date, **expo_fields):
    """A published expo `slug` of its own organizer (Dindakop, slug dindakop-<slug>), at a
    venue in Pekalongan; `expo_fields` override the Expo's fields (status, venue...)."""
    from gelar.events.models import Expo, Organizer
    from gelar.regions.models import Regency

    pekalongan = Regency.objects.get(code=PEKALONGAN)
    organizer = Organizer.objects.create(
        name="Dinas Perdagangan Kota Pekalongan",
        short_name="Dindakop",
        slug=f"dindakop-{slug}",
        region=pekalongan,
    )
    fields = {
        "venue_name": "Gedung Olahraga",
        "venue_region": pekalongan,
        "status": Expo.Status.PUBLISHED,
        **expo_fields,
    }
    expo = Expo.objects.create(
        organizer=organizer,
        name=name,
        slug=slug,
        start_date=start_date,
        end_date=end_date,
        **fields,
    )
    return organizer, expo


def online_booth(expo, slug: str, *, name: str, product: str, stock: int, gateway: bool = False):
    """An exhibitor accepted online at `expo`, paid by bank transfer (and online through
    Midtrans with `gateway`, which needs MIDTRANS_SERVER_KEY), with one product of 150,000
    at `stock`. Returns (exhibitor, product)."""
    from gelar.catalog.models import Product
    from gelar.exhibitors.models import Category, Exhibitor, Participation
    from gelar.payments.models import ExhibitorPaymentSettings
    from gelar.payments.services import payment_methods_for

    category, _ = Category.objects.get_or_create(
        slug="batik-fashion", defaults={"name": "Batik & Fesyen", "name_en": "Batik & Fashion"}
    )
    exhibitor = Exhibitor.objects.create(
        name=name,
        slug=slug,
        owner_name="Siti Rahmawati",
        region=expo.venue_region,
        category=category,
        whatsapp="6281234567890",
    )
    Participation.objects.create(
        expo=expo, exhibitor=exhibitor, mode="online", status=Participation.Status.ACCEPTED
    )
    ExhibitorPaymentSettings.objects.create(
        exhibitor=exhibitor,
        bank_name="BRI",
        bank_account_number="0123456789012",
        bank_account_holder="Siti Rahmawati",
        gateway_enabled=gateway,
    )
    item = Product.objects.create(
        exhibitor=exhibitor,
        name=product,
        slug=_slug(product),
        price=150000,
        stock=stock,
    )
    method = "gateway" if gateway else "transfer"
    if method not in payment_methods_for(exhibitor=exhibitor):
        raise SystemExit(f"the booth does not take {method} (MIDTRANS_SERVER_KEY set?)")
    return exhibitor, item


def _slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text)


def checkout_body(i: int, booth: str, product_id: int, payment_method: str = "transfer") -> bytes:
    """Buyer i's checkout of one unit, delivered by courier (POST /api/v1/expos/{slug}/checkout)."""
    return json.dumps(
        {
            "buyer": {"name": f"Pembeli {i}", "whatsapp": f"0812{i:08d}", "email": ""},
            "lines": [{"product_id": product_id, "quantity": 1}],
            "booths": [
                {
                    "exhibitor": booth,
                    "delivery": {
                        "method": "courier",
                        "address": f"Jl. Hayam Wuruk {i}",
                        "city": "Kota Pekalongan",
                        "postal_code": "51111",
                    },
                    "payment_method": payment_method,
                }
            ],
        }
    ).encode()


# --- HTTP/1.1 responses (standard library only) -------------------------------------


class Response(NamedTuple):
    status: int
    headers: dict  # lower-case names and values
    body: bytes
    keep_alive: bool


async def read_response(reader: asyncio.StreamReader) -> Response:
    """One HTTP/1.1 response off a keep-alive connection, its body read whole (by
    Content-Length or chunked). Raises ConnectionError when the server closed it."""
    status_line = await reader.readline()
    if not status_line:
        raise ConnectionError("connection closed")
    status = int(status_line.split()[1])
    headers: dict[str, str] = {}
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b"\n", b""):
            break
        name, _, value = line.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip().lower()
    if "chunked" in headers.get("transfer-encoding", ""):
        parts = []
        while True:
            size = int((await reader.readline()).split(b";")[0], 16)
            parts.append((await reader.readexactly(size + 2))[:-2])
            if size == 0:
                break
        body = b"".join(parts)
    else:
        length = int(headers.get("content-length", "0") or 0)
        body = await reader.readexactly(length) if length else b""
    return Response(status, headers, body, headers.get("connection") != "close")
