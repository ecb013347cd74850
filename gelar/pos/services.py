"""The booth's point of sale: sales at the venue, on the one stock of the shop.

A booth sale is recorded after the goods changed hands, so unlike a checkout it is
never refused for want of stock: the product rows are locked in pk order (the
checkout's order, so the two cannot deadlock), each line takes what the stock still
has with a conditional UPDATE (`stock >= n`, so the stock never goes below zero even
for a write that bypassed the lock) and what it could not cover is kept in the line's
`short`; such a sale is flagged for the exhibitor to resolve, never dropped.

Online (the till reached the server before the goods were handed over) the rules
refuse what is wrong: a total that differs from the server's prices, too little cash,
a product that is no longer for sale, a payment method the business does not take.
Offline (synced from the device's queue: the goods are already gone) the same
findings are kept on the sale as flags, at the server's prices. Unknown products,
other businesses' products and impossible quantities are refused in both cases: there
is nothing sound to record.

The device's key (client_key, unique per business) makes a replay -- a repeated
sync, a double tap, two syncs racing -- return the stored sale and change nothing.

Locks, in this order, each inside the transaction that writes: the expo's row, shared
(FOR KEY SHARE, what the foreign keys of a sale and of a day take at commit anyway;
booths of one expo do not wait for each other), then the booth (the business's
Participation row in the expo), then the product rows in pk order. The expo before the
participation is booth_assign's order too, so a booth moved while it sells cannot
deadlock. Recording a sale and closing a day both take the booth, so the day's summary
is never read while a sale of that day is half written: a sale that commits first is in
the summary, one that waits for the closing finds the day closed and is flagged (never
left out). Checkout takes only the product rows, in the same order: no deadlock either.
"""

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date as Date
from datetime import datetime, time, timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import BigIntegerField, Count, F, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from gelar.audit.services import audit_record
from gelar.catalog.models import Product
from gelar.catalog.signals import send_products_changed
from gelar.events.models import Expo
from gelar.exhibitors.models import Exhibitor, Participation
from gelar.orders.models import Order
from gelar.payments.methods import payment_settings_by_exhibitor
from gelar.pos.models import MAX_LINE_QUANTITY, PosDay, PosSale, PosSaleLine

Method = PosSale.PaymentMethod
Status = PosSale.Status

MAX_SALE_LINES = 50
MAX_SYNC_BATCH = 200
# Far beyond any booth's till; keeps a tampered number out of the arithmetic.
MAX_AMOUNT = 10**12
# A device clock this far ahead is wrong; the sale is timed when it arrived.
CLOCK_SKEW = timedelta(minutes=5)

LABEL_PREFIX = "GLRP."
_LABEL = re.compile(r"^GLRP\.(\d{1,18})$", re.IGNORECASE)
_KEY = re.compile(r"^[\x21-\x7e]{1,64}$")  # printable ASCII, no spaces


class PosError(Exception):
    """A rule said no; `message` is for the booth's staff, `code` for the device."""

    def __init__(self, message: str, *, code: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


# --- labels and catalogue ------------------------------------------------------------


def label_code(product: Product) -> str:
    """What a product's printed label (QR or barcode) holds, e.g. "GLRP.42"."""
    return f"{LABEL_PREFIX}{product.pk}"


def parse_label_code(text: str) -> int | None:
    """The product id a scanned label names, or None when it is not a Gelar label."""
    if not isinstance(text, str):
        return None
    found = _LABEL.match(text.strip())
    if found is None:
        return None
    product_id = int(found.group(1))
    return product_id if 0 < product_id <= 2**63 - 1 else None


def pos_catalogue(*, exhibitor: Exhibitor, expo: Expo) -> list[dict]:
    """The business's active products for the till, by name (the device keeps a copy)."""
    products = (
        Product.objects.filter(exhibitor=exhibitor, is_active=True)
        .prefetch_related("images")
        .order_by("name", "pk")
    )
    return [
        {
            "id": product.pk,
            "name": product.name,
            "price": product.price,
            "stock": product.stock,
            "sku": product.sku,
            "label_code": label_code(product),
            "image": _thumbnail_url(product),
        }
        for product in products
    ]


def _thumbnail_url(product: Product) -> str:
    images = list(product.images.all())  # prefetched, in position order
    if not images:
        return ""
    image = images[0]
    field = image.thumbnail or image.image
    return field.url if field else ""


# --- recording a sale ------------------------------------------------------------------


def pos_sale_record(
    *,
    exhibitor: Exhibitor,
    expo: Expo,
    staff,
    client_key: str,
    lines: Sequence[tuple[int, int]],
    payment_method: str,
    cash_given: int | None = None,
    sold_at: datetime | None = None,
    offline: bool = False,
    expected_total: int | None = None,
    now: datetime | None = None,
    lock: bool = True,
) -> PosSale:
    """Record one booth sale and take its stock; the stored sale for a replayed key.

    `lines` are (product id, quantity); prices come from the database. Raises PosError.
    `lock=False` exists only for the test that shows the race without the lock.
    """
    sale, _created = _record(
        exhibitor=exhibitor,
        expo=expo,
        staff=staff,
        client_key=client_key,
        lines=lines,
        payment_method=payment_method,
        cash_given=cash_given,
        sold_at=sold_at,
        offline=offline,
        expected_total=expected_total,
        now=now,
        lock=lock,
    )
    return sale


def _record(
    *,
    exhibitor: Exhibitor,
    expo: Expo,
    staff,
    client_key: str,
    lines: Sequence[tuple[int, int]],
    payment_method: str,
    cash_given: int | None,
    sold_at: datetime | None,
    offline: bool,
    expected_total: int | None,
    now: datetime | None,
    lock: bool = True,
) -> tuple[PosSale, bool]:
    now = now or timezone.now()
    key = _clean_key(client_key)
    quantities = _merge_lines(lines)
    method = _clean_method(payment_method)
    cash_given = _clean_amount(cash_given, field="cash_given") if method == Method.CASH else None
    expected_total = _clean_amount(expected_total, field="total")
    fingerprint = _fingerprint(expo=expo, quantities=quantities, method=method, cash=cash_given)
    existing = _existing_sale(exhibitor=exhibitor, key=key, fingerprint=fingerprint)
    if existing is not None:
        return existing, False

    if not expo.is_public:
        raise PosError(_("This expo is not open yet."), code="expo_closed")
    known = {p.pk: p for p in Product.objects.filter(exhibitor=exhibitor, pk__in=list(quantities))}
    unknown = sorted(set(quantities) - set(known))
    if unknown:
        raise PosError(
            _("Unknown product: %(ids)s is not in this booth's catalogue.")
            % {"ids": ", ".join(str(i) for i in unknown)},
            code="product_unknown",
            field="lines",
        )
    if not offline:
        inactive = [p.name for p in known.values() if not p.is_active]
        if inactive:
            raise PosError(
                _("No longer for sale: %(names)s.") % {"names": ", ".join(sorted(inactive))},
                code="product_unavailable",
                field="lines",
            )
        if method != Method.CASH:
            _check_method_accepted(exhibitor=exhibitor, method=method)
        if method == Method.CASH and cash_given is None:
            raise PosError(
                _("Enter the cash the buyer gave."), code="cash_required", field="cash_given"
            )
    sold_at = _clean_sold_at(sold_at if offline else None, now=now, expo=expo)

    try:
        with transaction.atomic():
            # First, so that a racing duplicate waits here (unique key) and then fails
            # before it has touched any stock.
            sale = PosSale.objects.create(
                exhibitor=exhibitor,
                expo=expo,
                client_key=key,
                fingerprint=fingerprint,
                sold_at=sold_at,
                staff=staff,
                payment_method=method,
                subtotal=0,
                total=0,
                offline=offline,
            )
            _fill_sale(
                sale,
                quantities=quantities,
                cash_given=cash_given,
                expected_total=expected_total,
                lock=lock,
            )
    except IntegrityError:
        existing = _existing_sale(exhibitor=exhibitor, key=key, fingerprint=fingerprint)
        if existing is None:
            raise
        return existing, False
    return sale, True


def _fill_sale(
    sale: PosSale,
    *,
    quantities: dict[int, int],
    cash_given: int | None,
    expected_total: int | None,
    lock: bool,
) -> None:
    """Take the stock, write the lines and the amounts; flag what needs a look."""
    flags: list[str] = []
    _lock_booth(exhibitor=sale.exhibitor, expo=sale.expo, lock=lock)
    products = _locked_products(quantities, lock=lock)
    total = sum(p.price * quantities[p.pk] for p in products)
    online = not sale.offline

    if expected_total is not None and expected_total != total:
        if online:
            raise PosError(
                _(
                    "The prices have changed: the total is Rp %(total)s, not Rp %(device)s. "
                    "Reload the catalogue."
                )
                % {"total": total, "device": expected_total},
                code="total_mismatch",
                field="total",
            )
        flags.append(
            _("The device's total was Rp %(device)s; the prices make Rp %(total)s.")
            % {"device": expected_total, "total": total}
        )
    # What the buyer was charged: the device's total (online, it equals `total`).
    asked = expected_total if expected_total is not None else total
    change = None
    if cash_given is not None:
        # The money that went into the drawer is what the device asked for.
        if cash_given < asked and online:
            raise PosError(
                _("The cash given (Rp %(given)s) is less than the total (Rp %(total)s).")
                % {"given": cash_given, "total": asked},
                code="cash_insufficient",
                field="cash_given",
            )
        if cash_given < asked:
            flags.append(
                _("The cash given (Rp %(given)s) is less than the total (Rp %(total)s).")
                % {"given": cash_given, "total": asked}
            )
        change = max(cash_given - asked, 0)
    flags.extend(
        _("%(name)s was no longer for sale.") % {"name": p.name}
        for p in products
        if not p.is_active
    )

    lines = []
    for product in products:
        quantity = quantities[product.pk]
        taken = _take_stock(product, quantity, lock=lock)
        short = quantity - taken
        if short:
            flags.append(
                _("Out of stock: %(name)s was short by %(short)s.")
                % {"name": product.name, "short": short}
            )
        lines.append(
            PosSaleLine(
                sale=sale,
                product=product,
                product_name=product.name,
                unit_price=product.price,
                quantity=quantity,
                line_total=product.price * quantity,
                short=short,
            )
        )
    PosSaleLine.objects.bulk_create(lines)
    send_products_changed(quantities)

    # Read under the booth's lock: a closing of this day that committed while this sale
    # waited for the lock is seen here, so the sale is flagged rather than left out.
    day = timezone.localtime(sale.sold_at, sale.expo.tzinfo).date()
    if PosDay.objects.filter(exhibitor=sale.exhibitor, expo=sale.expo, date=day).exists():
        flags.append(_("Sold on %(date)s, a day already closed.") % {"date": day.isoformat()})

    # Numbers from the primary key, like orders: unique without a counter row to lock.
    sale.number = f"K{sale.exhibitor_id}-{sale.pk:06d}"
    sale.subtotal = total
    sale.total = total
    sale.charged_total = asked
    sale.cash_given = cash_given
    sale.change = change
    if flags:
        sale.status = Status.FLAGGED
        sale.flag_reason = " ".join(flags)[:500]
    sale.save(
        update_fields=[
            "number",
            "subtotal",
            "total",
            "charged_total",
            "cash_given",
            "change",
            "status",
            "flag_reason",
        ]
    )
    _audit(
        sale,
        actor=sale.staff,
        action="pos.sale.record",
        changes={
            "total": sale.total,
            "charged_total": sale.charged_total,
            "payment_method": sale.payment_method,
            "lines": [
                [line.product_id, line.quantity, line.unit_price, line.short] for line in lines
            ],
            "status": sale.status,
            "offline": sale.offline,
            "sold_at": sale.sold_at.isoformat(),
        },
    )


def _lock_booth(*, exhibitor: Exhibitor, expo: Expo, lock: bool = True) -> None:
    """Take the booth's lock: the business's Participation row in the expo, the first
    lock of every POS write (see the module's docstring). Raises PosError when the
    business has no place in the expo. `lock=False`: only the race tests."""
    if lock and connection.vendor == "postgresql":
        # The expo's row first, shared: at commit the sale's (or day's) foreign key would
        # take it after the participation, the reverse of booth_assign (expo FOR UPDATE,
        # then the participation). Django has no FOR KEY SHARE; SQLite serialises writers.
        table = connection.ops.quote_name(Expo._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR KEY SHARE", [expo.pk])
    # No ordering (Participation's default joins the expo and the exhibitor) and `of`:
    # only this row is locked, not the expo's or the exhibitor's for update.
    rows = Participation.objects.filter(exhibitor=exhibitor, expo=expo).order_by()
    if lock:
        rows = rows.select_for_update(of=("self",))
    if not list(rows.values_list("pk", flat=True)):
        raise PosError(_("This business has no booth at this expo."), code="booth_unknown")


def _locked_products(quantities: dict[int, int], *, lock: bool) -> list[Product]:
    rows = Product.objects.filter(pk__in=sorted(quantities)).order_by("pk")
    if lock:
        rows = rows.select_for_update()
    return list(rows)


def _take_stock(product: Product, quantity: int, *, lock: bool) -> int:
    """Take up to `quantity` units; how many were taken (the rest is short)."""
    if not lock:
        # The read-modify-write the lock prevents; only the race test uses it.
        taken = min(quantity, product.stock)
        product.stock -= taken
        product.save(update_fields=["stock"])
        return taken
    available = product.stock
    for _attempt in range(3):
        taken = min(quantity, available)
        if not taken:
            return 0
        if Product.objects.filter(pk=product.pk, stock__gte=taken).update(stock=F("stock") - taken):
            product.stock = available - taken
            return taken
        # Only a write that bypassed the lock gets here: take what is there now.
        available = Product.objects.values_list("stock", flat=True).get(pk=product.pk)
    return 0


def _existing_sale(*, exhibitor: Exhibitor, key: str, fingerprint: str) -> PosSale | None:
    sale = PosSale.objects.filter(exhibitor=exhibitor, client_key=key).first()
    if sale is not None and sale.fingerprint != fingerprint:
        raise PosError(
            _("This sale key was already used for another sale."),
            code="client_key_reused",
            field="client_key",
        )
    return sale


def _check_method_accepted(*, exhibitor: Exhibitor, method: str) -> None:
    found = payment_settings_by_exhibitor(exhibitor_ids=[exhibitor.pk])[exhibitor.pk]
    accepted = found.has_qris if method == Method.QRIS else found.has_bank_transfer
    if not accepted:
        raise PosError(
            _("This booth has no %(method)s set up in its payment settings.")
            % {"method": Method(method).label},
            code="payment_method_not_accepted",
            field="payment_method",
        )


# --- input cleaning ----------------------------------------------------------------------


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def valid_client_key(key) -> bool:
    """Printable ASCII without spaces, 1 to 64 characters (what the till's keys are)."""
    return isinstance(key, str) and bool(_KEY.match(key))


def _clean_key(key) -> str:
    if not isinstance(key, str) or not _KEY.match(key):
        raise PosError(
            _("The sale key is missing or malformed."),
            code="client_key_invalid",
            field="client_key",
        )
    return key


def _merge_lines(lines) -> dict[int, int]:
    """{product id: quantity}, the same product added together, each 1..100."""
    if not isinstance(lines, list | tuple) or not lines:
        raise PosError(_("The sale has no products."), code="lines_empty", field="lines")
    merged: dict[int, int] = defaultdict(int)
    for line in lines:
        if not isinstance(line, list | tuple) or len(line) != 2:
            raise PosError(
                _("A line of the sale is malformed."), code="line_invalid", field="lines"
            )
        product_id, quantity = line
        if not _is_int(product_id) or not 0 < product_id <= 2**63 - 1:
            raise PosError(
                _("Unknown product: %(ids)s is not in this booth's catalogue.")
                % {"ids": str(product_id)[:20]},
                code="product_unknown",
                field="lines",
            )
        if not _is_int(quantity) or not 1 <= quantity <= MAX_LINE_QUANTITY:
            raise _bad_quantity()
        merged[product_id] += quantity
    if any(quantity > MAX_LINE_QUANTITY for quantity in merged.values()):
        raise _bad_quantity()
    if len(merged) > MAX_SALE_LINES:
        raise PosError(
            _("A sale can hold at most %(max)s different products.") % {"max": MAX_SALE_LINES},
            code="too_many_lines",
            field="lines",
        )
    return dict(merged)


def _bad_quantity() -> PosError:
    return PosError(
        _("Each quantity must be between 1 and %(max)s.") % {"max": MAX_LINE_QUANTITY},
        code="quantity_invalid",
        field="lines",
    )


def _clean_method(method) -> str:
    if method not in Method.values:
        raise PosError(
            _("Choose cash, QRIS or bank transfer."),
            code="payment_method_invalid",
            field="payment_method",
        )
    return method


def _clean_amount(amount, *, field: str) -> int | None:
    if amount is None:
        return None
    if not _is_int(amount) or not 0 <= amount <= MAX_AMOUNT:
        raise PosError(
            _("An amount must be a whole number of Rupiah."), code="amount_invalid", field=field
        )
    return amount


def _clean_sold_at(sold_at: datetime | None, *, now: datetime, expo: Expo) -> datetime:
    if sold_at is None:
        return now
    if timezone.is_naive(sold_at):
        sold_at = timezone.make_aware(sold_at, expo.tzinfo)
    # A device clock running ahead must not date a sale in the future, nor one reset
    # to its factory date put it before the expo: then the sale is timed on arrival.
    earliest = datetime.combine(expo.start_date - timedelta(days=1), time.min, tzinfo=expo.tzinfo)
    if not earliest <= sold_at <= now + CLOCK_SKEW:
        return now
    return min(sold_at, now)


def _fingerprint(*, expo: Expo, quantities: dict[int, int], method: str, cash: int | None) -> str:
    body = json.dumps(
        {"expo": expo.pk, "lines": sorted(quantities.items()), "method": method, "cash": cash},
        separators=(",", ":"),
    )
    return hashlib.sha256(body.encode()).hexdigest()


# --- syncing the device's queue ----------------------------------------------------------


def pos_sync(
    *, exhibitor: Exhibitor, expo: Expo, staff, sales: list, now: datetime | None = None
) -> list[dict]:
    """Record the sales a device queued offline; one result per item, in the order sent.

    An item: {"client_key", "lines": [{"product_id", "quantity"}], "payment_method",
    "cash_given" (cash), "total" (the device's), "sold_at" (ISO 8601)}. Each result:
    {client_key, status: recorded | duplicate | rejected, number, flagged, reason, code,
    receipt_token, total (at the server's prices), charged_total (what the device charged)}.
    A malformed item is rejected with a reason and the rest go on.
    Raises PosError when `sales` is not a list of at most MAX_SYNC_BATCH.
    """
    if not isinstance(sales, list):
        raise PosError(_('The body must be {"sales": [...]}.'), code="batch_invalid")
    if len(sales) > MAX_SYNC_BATCH:
        raise PosError(
            _("At most %(count)s sales per request.") % {"count": MAX_SYNC_BATCH},
            code="batch_too_large",
        )
    return [
        _sync_one(exhibitor=exhibitor, expo=expo, staff=staff, item=item, now=now) for item in sales
    ]


def _sync_one(*, exhibitor: Exhibitor, expo: Expo, staff, item, now: datetime | None) -> dict:
    key = item.get("client_key") if isinstance(item, dict) else None
    result = {
        "client_key": key if isinstance(key, str) else None,
        "status": "rejected",
        "number": None,
        "flagged": False,
        "reason": "",
        "code": "",
        "receipt_token": None,
        "total": None,
        "charged_total": None,
    }
    try:
        if not isinstance(item, dict):
            raise PosError(_("A sale must be an object."), code="item_invalid")
        sale, created = _record(
            exhibitor=exhibitor,
            expo=expo,
            staff=staff,
            client_key=key,
            lines=_item_lines(item.get("lines")),
            payment_method=item.get("payment_method"),
            cash_given=item.get("cash_given"),
            sold_at=_item_time(item.get("sold_at")),
            offline=True,
            expected_total=item.get("total"),
            now=now,
        )
    except PosError as error:
        return {**result, "reason": error.message, "code": error.code}
    return {
        **result,
        "status": "recorded" if created else "duplicate",
        "number": sale.number,
        "flagged": sale.status == Status.FLAGGED,
        "reason": sale.flag_reason if created else _("Already recorded."),
        "receipt_token": sale.receipt_token,
        "total": sale.total,
        "charged_total": sale.charged,
    }


def _item_lines(lines) -> list[tuple]:
    if not isinstance(lines, list):
        raise PosError(_("The sale has no products."), code="lines_empty", field="lines")
    if len(lines) > MAX_SALE_LINES * 2:
        raise PosError(
            _("A sale can hold at most %(max)s different products.") % {"max": MAX_SALE_LINES},
            code="too_many_lines",
            field="lines",
        )
    parsed = []
    for line in lines:
        if not isinstance(line, dict):
            raise PosError(
                _("A line of the sale is malformed."), code="line_invalid", field="lines"
            )
        parsed.append((line.get("product_id"), line.get("quantity")))
    return parsed


def _item_time(value) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = parse_datetime(value) if isinstance(value, str) and len(value) <= 40 else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise PosError(
            _("The sale time is not an ISO 8601 date and time."),
            code="sold_at_invalid",
            field="sold_at",
        )
    return parsed


# --- flagged sales ---------------------------------------------------------------------


def pos_sale_resolve(*, sale: PosSale, actor, note: str) -> PosSale:
    """Mark a flagged sale as looked at (its stock is not touched: the goods are gone)."""
    note = " ".join((note or "").split())[:500]
    with transaction.atomic():
        locked = PosSale.objects.select_for_update().get(pk=sale.pk)
        if locked.status != Status.FLAGGED:
            raise PosError(_("Only a flagged sale can be resolved."), code="not_flagged")
        locked.status = Status.RESOLVED
        locked.resolved_by = actor
        locked.resolved_at = timezone.now()
        locked.resolve_note = note
        locked.save(update_fields=["status", "resolved_by", "resolved_at", "resolve_note"])
        _audit(
            locked,
            actor=actor,
            action="pos.sale.resolve",
            changes={"status": [Status.FLAGGED, Status.RESOLVED], "note": note},
        )
    return locked


# --- the day ----------------------------------------------------------------------------


def _day_bounds(expo: Expo, date: Date) -> tuple[datetime, datetime]:
    start = datetime.combine(date, time.min, tzinfo=expo.tzinfo)
    return start, datetime.combine(date + timedelta(days=1), time.min, tzinfo=expo.tzinfo)


def pos_day_summary(*, exhibitor: Exhibitor, expo: Expo, date: Date) -> dict:
    """The booth's sales of one day (in the expo's zone): counts and totals by method.

    cash_expected is the cash that went into the drawer: the cash sales' totals (for a
    sale synced at outdated prices, what the device asked for).
    """
    start, end = _day_bounds(expo, date)
    sales = PosSale.objects.filter(
        exhibitor=exhibitor, expo=expo, sold_at__gte=start, sold_at__lt=end
    )
    rows = {
        row["payment_method"]: row
        for row in sales.values("payment_method").annotate(count=Count("pk"), total=Sum("total"))
    }
    cash = sales.filter(payment_method=Method.CASH).aggregate(
        drawer=Sum(
            Coalesce(
                F("cash_given") - F("change"),
                F("charged_total"),
                F("total"),
                output_field=BigIntegerField(),
            )
        )
    )
    by_method = {
        method: {
            "label": str(label),
            "count": rows.get(method, {}).get("count", 0),
            "total": rows.get(method, {}).get("total") or 0,
        }
        for method, label in Method.choices
    }
    return {
        "date": date,
        "count": sum(row["count"] for row in by_method.values()),
        "total": sum(row["total"] for row in by_method.values()),
        "by_method": by_method,
        "cash_expected": cash["drawer"] or 0,
        "flagged": sales.filter(status=Status.FLAGGED).count(),
        "closed": PosDay.objects.filter(exhibitor=exhibitor, expo=expo, date=date).first(),
    }


def pos_day_close(
    *,
    exhibitor: Exhibitor,
    expo: Expo,
    date: Date,
    actor,
    cash_counted: int,
    note: str = "",
    lock: bool = True,
) -> PosDay:
    """Close the booth's day: the cash counted against the cash expected. Once a day.

    The summary is read under the booth's lock in the transaction that writes the day,
    so a sale recorded meanwhile is either counted or flagged as sold on a closed day.
    `lock=False` exists only for the test that shows the race without the lock.
    """
    if not _is_int(cash_counted) or not 0 <= cash_counted <= MAX_AMOUNT:
        raise PosError(
            _("Enter the cash counted in whole Rupiah."),
            code="amount_invalid",
            field="cash_counted",
        )
    note = " ".join((note or "").split())[:500]
    already = PosError(
        _("%(date)s is already closed.") % {"date": date.isoformat()}, code="day_closed"
    )
    try:
        with transaction.atomic():
            _lock_booth(exhibitor=exhibitor, expo=expo, lock=lock)
            summary = pos_day_summary(exhibitor=exhibitor, expo=expo, date=date)
            if summary["closed"] is not None:
                raise already
            expected = summary["cash_expected"]
            day = PosDay.objects.create(
                exhibitor=exhibitor,
                expo=expo,
                date=date,
                cash_expected=expected,
                cash_counted=cash_counted,
                difference=cash_counted - expected,
                closed_by=actor,
                closed_at=timezone.now(),
                note=note,
            )
            audit_record(
                actor=actor,
                action="pos.day.close",
                obj=day,
                changes={
                    "date": date.isoformat(),
                    "cash_expected": expected,
                    "cash_counted": cash_counted,
                    "difference": day.difference,
                    "sales": summary["count"],
                    "total": summary["total"],
                },
                organizer=expo.organizer,
                exhibitor=exhibitor,
            )
    except IntegrityError:
        # Without the lock (or a close that bypassed it), the unique day still holds.
        raise already from None
    return day


# --- reports ------------------------------------------------------------------------------


def sales_by_channel(*, expo: Expo, exhibitor: Exhibitor | None = None) -> dict:
    """{"online": goods sold in paid orders, "venue": booth sales}, int Rupiah.

    A paid order counts unless it was cancelled since (a cancelled paid order is
    refunded); shipping and transfer codes are not sales. Every booth sale counts,
    flagged ones too: their goods were handed over.
    """
    orders = Order.objects.filter(expo=expo, paid_at__isnull=False).exclude(
        status=Order.Status.CANCELLED
    )
    sales = PosSale.objects.filter(expo=expo)
    if exhibitor is not None:
        orders = orders.filter(exhibitor=exhibitor)
        sales = sales.filter(exhibitor=exhibitor)
    return {
        "online": orders.aggregate(total=Sum("subtotal"))["total"] or 0,
        "venue": sales.aggregate(total=Sum("total"))["total"] or 0,
    }


def _audit(sale: PosSale, *, actor, action: str, changes: dict) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=sale,
        changes=changes,
        organizer=sale.expo.organizer,
        exhibitor=sale.exhibitor,
    )
