"""The organizer's report and each exhibitor's: every figure is defined here, once.

- Online channel: the expo's orders with `paid_at` set and status not CANCELLED (a
  cancelled paid order is refunded). Omzet = sum of `Order.subtotal` (goods only:
  shipping and transfer unique codes are not sales); orders = their count; items =
  sum of their lines' quantity; the time of a sale is `paid_at`. Partial refunds of
  orders that stand are not taken off (as `pos.services.sales_by_channel` and
  `live.stats`).
- Venue channel (booth POS): every `PosSale` of the expo, flagged ones too (the goods
  left). Omzet = sum of `PosSale.total`; orders = count of sales; items = sum of their
  lines' quantity; time = `sold_at`.
- Retail = online + venue. Bulk (B2B) = `Inquiry`: counts by status, the open quotes'
  value (`quoted_value` of QUOTED inquiries) and the won value (`won_value` of WON
  ones); never added to retail.
- Self-reported = `Outcome` (WhatsApp + marketplace + after the expo); never added to
  platform figures, shown beside them.
- Planned split: `Expo.planned_venue_percent` for the venue, the rest online.
- Shares and growth: Decimal percentages rounded half up to one decimal place
  (`percent`); None when the denominator is 0 or a figure is missing.
- Days and hours are the expo's (`Expo.time_zone`). by_day has every day of the expo
  (start_date..end_date, zero-filled) and, outside it, only the days with a figure (a
  sale, an online visit, an admission), so each of its columns sums to the report's
  total; a closed expo stays open as a virtual mall, and a late order adds its own day,
  not the months of empty days before it. by_hour has all 24 hours.
- The rows by exhibitor: every exhibitor with an ACCEPTED participation, and any other
  with a sale, an inquiry or an outcome at the expo (withdrawn or refused after selling;
  "status" says which, "" without a participation), so the rows -- and the category,
  region and naik kelas roll-ups made from them -- add up to the totals. Category and
  region (province) are the exhibitor's. The "exhibitors" block counts the ACCEPTED
  participations; products are those exhibitors' active products.
- Visitors online: unique = distinct `Visit.visitor`; visits = Visit rows (visitor-
  days). Peak concurrent stream viewers = the largest `ViewerSample` of the expo's
  sessions, with its time. Venue: tickets issued (not cancelled), tickets admitted at
  least once, and now (`tickets.services.occupancy`).
- Live sessions: those with a viewer sample or a pin, by start, with the figures of
  `live.stats.session_stats` (a pin's orders: distinct paid, not cancelled, orders with
  a line from the pin; its omzet: those lines).
- Naik kelas, per exhibitor: growth = (turnover after - before) / before; expo vs a
  usual month = (platform omzet + self-reported) / turnover before; vs the previous
  expo = (this total - previous total) / previous total, a total being platform omzet
  + self-reported (0 when not reported) at that expo; the previous expo is the same
  organizer's latest earlier one (by start date; published, live or closed -- never a
  draft, never another organizer's) with an ACCEPTED participation.
- New licences (only for an exhibitor with a previous expo): the licences held now --
  this Outcome's, or without one the documents on file (`ExhibitorDocument` kinds, and
  NIB when the profile has one, as `licences_on_file`) -- that were not held at the
  previous expo: its Outcome's licences, or without one the documents uploaded before
  that expo's last day ended, and NIB (taking part needs it). `uploaded_at` moves when a
  document is replaced, so a licence renewed since counts as new: the price of not
  keeping a document history.

Every read is an aggregate in SQL (grouped by exhibitor, day, hour, product, session),
so the number of queries does not grow with exhibitors, days or orders; category and
region roll-ups are summed in Python from the per-exhibitor rows.

One snapshot: on PostgreSQL both reports read in one REPEATABLE READ, READ ONLY
transaction, so a sale committed while their thirty-odd queries run is in every
figure or in none. On SQLite they read in autocommit: the project's SQLite
transactions are IMMEDIATE (they take the write lock at BEGIN), so one would stop
every till, checkout and visit beacon for the length of the report; the price is that
a sale committed between two queries may show in one figure and not yet in another,
until the next refresh. Called inside a transaction (a test, a caller's own), they
just read in it.
"""

import datetime
import functools
import zoneinfo
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection, transaction
from django.db.models import Count, Max, Prefetch, Q, Sum
from django.db.models.functions import TruncDate, TruncHour
from django.utils import timezone
from django.utils.translation import gettext as _

from gelar.catalog.models import Product
from gelar.events.models import AgendaSession, Expo
from gelar.exhibitors.models import Exhibitor, ExhibitorDocument, Participation
from gelar.exhibitors.selectors import accepted_participations
from gelar.live.models import Pin, ViewerSample
from gelar.orders.models import Order, OrderLine
from gelar.pos.models import PosSale, PosSaleLine
from gelar.reports.models import BoothVisit, Inquiry, Outcome, Visit
from gelar.tickets.models import Ticket
from gelar.tickets.services import occupancy

ONLINE = "online"
VENUE = "venue"
TOP_PRODUCTS = 10
INQUIRY_STATUSES = [status.value for status in Inquiry.Status]


def percent(part: int | None, whole: int | None) -> Decimal | None:
    """part / whole in percent, rounded half up (away from zero) to one decimal place.

    Integer arithmetic, so 6.25 % is 6.3 whatever the size of the figures."""
    if part is None or whole is None or whole == 0:
        return None
    numerator, denominator = abs(part) * 1000, abs(whole)
    tenths = (2 * numerator + denominator) // (2 * denominator)
    negative = (part < 0) != (whole < 0)
    return Decimal(-tenths if negative else tenths).scaleb(-1)


def _median(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    values = sorted(values)
    middle = len(values) // 2
    if len(values) % 2:
        return values[middle]
    # The mean of two values of one decimal is exact in Decimal (two decimals at most).
    mean = (values[middle - 1] + values[middle]) / 2
    return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- Base querysets: what counts, in one place ---


def _paid_orders(expo: Expo):
    return Order.objects.filter(expo=expo, paid_at__isnull=False).exclude(
        status=Order.Status.CANCELLED
    )


def _paid_lines(expo: Expo):
    return OrderLine.objects.filter(order__expo=expo, order__paid_at__isnull=False).exclude(
        order__status=Order.Status.CANCELLED
    )


def _only(queryset, exhibitor: Exhibitor | None, field: str = "exhibitor"):
    return queryset if exhibitor is None else queryset.filter(**{field: exhibitor})


# --- Sales by exhibitor, time and product ---


def _empty_sales() -> dict:
    return {
        "online": 0,
        "venue": 0,
        "online_orders": 0,
        "venue_orders": 0,
        "online_items": 0,
        "venue_items": 0,
    }


def _sales(expo: Expo, exhibitor: Exhibitor | None = None) -> dict:
    """Six grouped queries, three per channel (the orders or booth sales by exhibitor and
    by hour, their lines by product):

    - "by_exhibitor": exhibitor id -> online/venue omzet, orders and items;
    - "by_time": (day, hour) in the expo's zone -> {"online", "venue", "orders"};
    - "by_product": product id -> {"quantity", "online", "venue"}.

    The lines (the biggest table) are read once: the items per exhibitor and the top
    products both come from that pass.
    """
    zone = zoneinfo.ZoneInfo(expo.time_zone)
    by_exhibitor: dict[int, dict] = defaultdict(_empty_sales)
    by_time: dict = defaultdict(lambda: {"online": 0, "venue": 0, "orders": 0})
    by_product: dict[int, dict] = defaultdict(lambda: {"quantity": 0, "online": 0, "venue": 0})
    sources = [
        (
            ONLINE,
            _only(_paid_orders(expo), exhibitor),
            "subtotal",
            "paid_at",
            _only(_paid_lines(expo), exhibitor, "order__exhibitor"),
            "order__exhibitor_id",
        ),
        (
            VENUE,
            _only(PosSale.objects.filter(expo=expo), exhibitor),
            "total",
            "sold_at",
            _only(PosSaleLine.objects.filter(sale__expo=expo), exhibitor, "sale__exhibitor"),
            "sale__exhibitor_id",
        ),
    ]
    for channel, sales, amount, moment, lines, line_exhibitor in sources:
        for row in (
            sales.values("exhibitor_id").annotate(count=Count("pk"), omzet=Sum(amount)).order_by()
        ):
            figures = by_exhibitor[row["exhibitor_id"]]
            figures[channel] += row["omzet"]
            figures[f"{channel}_orders"] += row["count"]
        # One expression per row (the hour in the expo's zone); day and hour are read
        # off it in Python: a third cheaper than grouping by a date and an hour.
        for row in (
            sales.annotate(moment=TruncHour(moment, tzinfo=zone))
            .values("moment")
            .annotate(count=Count("pk"), omzet=Sum(amount))
            .order_by()
        ):
            local = row["moment"].astimezone(zone)
            figures = by_time[(local.date(), local.hour)]
            figures[channel] += row["omzet"]
            figures["orders"] += row["count"]
        # A product is sold by one exhibitor (a checkout makes one order per exhibitor of
        # its products; a till sells its own catalogue), so grouping by product alone is
        # exact, and PostgreSQL, which then expects a few thousand groups instead of
        # exhibitors x products, aggregates the million lines in parallel.
        for row in (
            lines.values("product_id")
            .annotate(
                exhibitor=Max(line_exhibitor), quantity=Sum("quantity"), omzet=Sum("line_total")
            )
            .order_by()
        ):
            by_exhibitor[row["exhibitor"]][f"{channel}_items"] += row["quantity"]
            figures = by_product[row["product_id"]]
            figures["quantity"] += row["quantity"]
            figures[channel] += row["omzet"]
    return {"by_exhibitor": by_exhibitor, "by_time": by_time, "by_product": by_product}


def _by_day(expo: Expo, by_time: dict, visitors: dict, admitted: dict) -> list:
    """Every day of the expo, zero-filled, then any other day with a figure (see the
    module docstring); visitors and admitted: day -> count."""
    zero = {"online": 0, "venue": 0, "orders": 0}
    sales: dict = defaultdict(lambda: dict(zero))
    for (day, _hour), figures in by_time.items():
        for key in zero:
            sales[day][key] += figures[key]
    days = {
        expo.start_date + datetime.timedelta(days=n)
        for n in range((expo.end_date - expo.start_date).days + 1)
    }
    days.update(sales)
    days.update(day for day, count in visitors.items() if count)
    days.update(day for day, count in admitted.items() if count)
    rows = []
    for day in sorted(days):
        figures = sales.get(day, zero)
        rows.append(
            {
                "day": day,
                "online": figures["online"],
                "venue": figures["venue"],
                "omzet": figures["online"] + figures["venue"],
                "orders": figures["orders"],
                "visitors": visitors.get(day, 0),
                "admitted": admitted.get(day, 0),
            }
        )
    return rows


def _by_hour(by_time: dict) -> list:
    rows = [{"hour": hour, "online": 0, "venue": 0, "omzet": 0, "orders": 0} for hour in range(24)]
    for (_day, hour), figures in by_time.items():
        row = rows[hour]
        row["online"] += figures["online"]
        row["venue"] += figures["venue"]
        row["omzet"] += figures["online"] + figures["venue"]
        row["orders"] += figures["orders"]
    return rows


def _top_products(by_product: dict[int, dict]) -> list:
    """The ten products with the most omzet (online + venue), then by name (one query)."""
    if not by_product:
        return []
    omzet = {pk: f["online"] + f["venue"] for pk, f in by_product.items()}
    # Names only for the candidates: the top ten by omzet and any tied with the tenth.
    cut = sorted(omzet.values(), reverse=True)[:TOP_PRODUCTS][-1]
    candidates = [pk for pk, value in omzet.items() if value >= cut]
    products = Product.objects.filter(pk__in=candidates).select_related("exhibitor")
    rows = [
        {
            "product_id": product.pk,
            "name": product.name,
            "exhibitor": product.exhibitor.name,
            "exhibitor_slug": product.exhibitor.slug,
            "quantity": by_product[product.pk]["quantity"],
            "online": by_product[product.pk]["online"],
            "venue": by_product[product.pk]["venue"],
            "omzet": omzet[product.pk],
        }
        for product in products
    ]
    rows.sort(key=lambda row: (-row["omzet"], row["name"], row["product_id"]))
    return rows[:TOP_PRODUCTS]


def _channels(expo: Expo, totals: dict) -> list:
    retail = totals["online"] + totals["venue"]
    return [
        {
            "code": ONLINE,
            "label": _("Online"),
            "orders": totals["online_orders"],
            "items": totals["online_items"],
            "omzet": totals["online"],
            "share": percent(totals["online"], retail),
            "planned": expo.planned_online_percent,
        },
        {
            "code": VENUE,
            "label": _("At the venue"),
            "orders": totals["venue_orders"],
            "items": totals["venue_items"],
            "omzet": totals["venue"],
            "share": percent(totals["venue"], retail),
            "planned": expo.planned_venue_percent,
        },
    ]


def _sum_sales(sales: dict[int, dict]) -> dict:
    totals = _empty_sales()
    for figures in sales.values():
        for key in totals:
            totals[key] += figures[key]
    return totals


# --- Exhibitors' rows ---


def _bulk_and_outcomes(expo: Expo, exhibitor: Exhibitor | None = None) -> tuple[list, dict]:
    """The inquiries grouped by exhibitor and status (count, quoted and won value), and
    exhibitor id -> Outcome: two queries, the source of every bulk and self-reported
    figure (the totals and the rows)."""
    inquiries = list(
        _only(Inquiry.objects.filter(expo=expo), exhibitor)
        .values("exhibitor_id", "status")
        .annotate(count=Count("pk"), quoted=Sum("quoted_value"), won=Sum("won_value"))
        .order_by()
    )
    outcomes = {
        o.exhibitor_id: o for o in _only(Outcome.objects.filter(expo=expo), exhibitor).order_by()
    }
    return inquiries, outcomes


def _report_exhibitors(
    expo: Expo, active: set[int], exhibitor: Exhibitor | None = None
) -> list[tuple[Exhibitor, Participation | None]]:
    """The report's exhibitors (see the module docstring), each with its participation at
    the expo (None without one), by name: the ACCEPTED ones and those in `active` (with a
    sale, an inquiry or an outcome); or the one exhibitor asked for. Two queries."""
    if exhibitor is not None:
        exhibitors = Exhibitor.objects.filter(pk=exhibitor.pk)
    else:
        exhibitors = Exhibitor.objects.filter(
            Q(pk__in=accepted_participations(expo=expo).values("exhibitor_id"))
            | Q(pk__in=sorted(active))
        )
    here = Prefetch(
        "participations",
        queryset=Participation.objects.filter(expo=expo).select_related("booth"),
        to_attr="here",
    )
    return [
        (e, e.here[0] if e.here else None)
        for e in exhibitors.select_related("category", "region__province")
        .prefetch_related(here)
        .order_by("name", "pk")
    ]


def _previous_platform(pairs: dict[int, int]) -> dict[int, int]:
    """exhibitor id -> platform omzet (online + venue) at the expo paired with it."""
    if not pairs:
        return {}
    expo_ids = set(pairs.values())
    omzet: dict[int, int] = defaultdict(int)
    orders = (
        Order.objects.filter(
            exhibitor_id__in=list(pairs), expo_id__in=expo_ids, paid_at__isnull=False
        )
        .exclude(status=Order.Status.CANCELLED)
        .values("exhibitor_id", "expo_id")
        .annotate(omzet=Sum("subtotal"))
        .order_by()
    )
    booth_sales = (
        PosSale.objects.filter(exhibitor_id__in=list(pairs), expo_id__in=expo_ids)
        .values("exhibitor_id", "expo_id")
        .annotate(omzet=Sum("total"))
        .order_by()
    )
    for row in [*orders, *booth_sales]:
        if pairs[row["exhibitor_id"]] == row["expo_id"]:
            omzet[row["exhibitor_id"]] += row["omzet"]
    return omzet


def _previous_expos(expo: Expo, exhibitor_ids) -> dict[int, Expo]:
    """exhibitor id -> the same organizer's latest earlier expo (not a draft) where they
    were accepted (one query)."""
    earlier = (
        Participation.objects.filter(
            exhibitor_id__in=list(exhibitor_ids),
            status=Participation.Status.ACCEPTED,
            expo__organizer_id=expo.organizer_id,
            expo__start_date__lt=expo.start_date,
        )
        # An earlier expo counts once it was public (Expo.is_public): a draft never happened.
        .exclude(expo__status=Expo.Status.DRAFT)
        .select_related("expo")
        .order_by("exhibitor_id", "-expo__start_date", "-expo_id")
    )
    previous: dict[int, Expo] = {}
    for participation in earlier:
        previous.setdefault(participation.exhibitor_id, participation.expo)
    return previous


def _expo_over(expo: Expo) -> datetime.datetime:
    """The moment the expo's last day ends, in its zone."""
    return datetime.datetime.combine(
        expo.end_date + datetime.timedelta(days=1),
        datetime.time(),
        tzinfo=zoneinfo.ZoneInfo(expo.time_zone),
    )


def _documents(previous: dict[int, Expo]) -> tuple[dict, dict]:
    """For the returning exhibitors (one query): exhibitor id -> the licence kinds of the
    documents on file now, and -> those uploaded before their previous expo ended."""
    on_file: dict[int, set[str]] = defaultdict(set)
    then: dict[int, set[str]] = defaultdict(set)
    if not previous:
        return on_file, then
    documents = ExhibitorDocument.objects.filter(
        exhibitor_id__in=list(previous), kind__in=Outcome.Licence.values
    ).values_list("exhibitor_id", "kind", "uploaded_at")
    for exhibitor_id, kind, uploaded_at in documents:
        on_file[exhibitor_id].add(kind)
        if uploaded_at < _expo_over(previous[exhibitor_id]):
            then[exhibitor_id].add(kind)
    return on_file, then


def _exhibitor_rows(
    expo: Expo,
    exhibitors: list[tuple[Exhibitor, Participation | None]],
    sales: dict[int, dict],
    inquiry_rows: list[dict],
    outcomes: dict[int, Outcome],
    exhibitor: Exhibitor | None = None,
) -> list[dict]:
    # The whole expo's booth visits (an index-only scan of (expo, exhibitor)), or one's.
    booth_visits = {
        row["exhibitor_id"]: row["visits"]
        for row in _only(BoothVisit.objects.filter(expo=expo), exhibitor)
        .values("exhibitor_id")
        .annotate(visits=Count("pk"))
        .order_by()
    }
    inquiries: dict[int, dict] = defaultdict(lambda: {"count": 0, "won": 0})
    for row in inquiry_rows:
        inquiries[row["exhibitor_id"]]["count"] += row["count"]
        if row["status"] == Inquiry.Status.WON:
            inquiries[row["exhibitor_id"]]["won"] += row["won"] or 0
    previous = _previous_expos(expo, [e.pk for e, _participation in exhibitors])
    previous_platform = _previous_platform({pk: e.pk for pk, e in previous.items()})
    previous_outcomes = (
        {
            (o.exhibitor_id, o.expo_id): o
            for o in Outcome.objects.filter(
                exhibitor_id__in=list(previous), expo_id__in={e.pk for e in previous.values()}
            )
        }
        if previous
        else {}
    )
    documents_on_file, documents_then = _documents(previous)

    rows = []
    for exhibitor, participation in exhibitors:
        figures = sales.get(exhibitor.pk) or _empty_sales()
        omzet = figures["online"] + figures["venue"]
        outcome = outcomes.get(exhibitor.pk)
        self_reported = outcome.sales_elsewhere if outcome else None
        before = outcome.turnover_before if outcome else None
        after = outcome.turnover_after if outcome else None
        total = omzet + (self_reported or 0)
        previous_expo = previous.get(exhibitor.pk)
        previous_outcome = (
            previous_outcomes.get((exhibitor.pk, previous_expo.pk)) if previous_expo else None
        )
        previous_omzet = (
            previous_platform.get(exhibitor.pk, 0)
            + (previous_outcome.sales_elsewhere if previous_outcome else 0)
            if previous_expo
            else None
        )
        licences_new = []
        if previous_expo:
            held_now = (
                set(outcome.licences)
                if outcome
                else documents_on_file[exhibitor.pk] | ({"nib"} if exhibitor.nib else set())
            )
            held_then = (
                set(previous_outcome.licences)
                if previous_outcome
                else documents_then[exhibitor.pk] | {"nib"}
            )
            licences_new = [code for code in Outcome.Licence.values if code in held_now - held_then]
        rows.append(
            {
                "exhibitor": exhibitor,
                "name": exhibitor.name,
                "slug": exhibitor.slug,
                "category": exhibitor.category.display_name,
                "province": exhibitor.region.province.name,
                "regency": exhibitor.region.name,
                "status": participation.status if participation else "",
                "mode": participation.mode if participation else "",
                "booth": participation.booth.code if participation and participation.booth else "",
                "online": figures["online"],
                "venue": figures["venue"],
                "omzet": omzet,
                "orders": figures["online_orders"] + figures["venue_orders"],
                "items": figures["online_items"] + figures["venue_items"],
                "booth_visits": booth_visits.get(exhibitor.pk, 0),
                "inquiries": inquiries[exhibitor.pk]["count"],
                "bulk_won": inquiries[exhibitor.pk]["won"],
                "self_reported": self_reported,
                "turnover_before": before,
                "turnover_after": after,
                "growth": percent(after - before, before) if after is not None else None,
                "expo_vs_month": percent(total, before) if outcome else None,
                "previous_expo": previous_expo,
                "previous_omzet": previous_omzet,
                "vs_previous": (
                    percent(total - previous_omzet, previous_omzet) if previous_expo else None
                ),
                "new_channels": list(outcome.new_channels) if outcome else [],
                "licences_new": licences_new,
            }
        )
    rows.sort(key=lambda row: (-row["omzet"], row["name"], row["slug"]))
    return rows


def _roll_up(rows: list[dict], key, retail: int) -> list[dict]:
    """Sum the exhibitors' rows by key(row) -> (code, name): category or province."""
    groups: dict = {}
    for row in rows:
        code, name = key(row)
        group = groups.setdefault(
            code, {"name": name, "exhibitors": 0, "online": 0, "venue": 0, "omzet": 0, "orders": 0}
        )
        group["exhibitors"] += 1
        for field in ("online", "venue", "omzet", "orders"):
            group[field] += row[field]
    result = [
        {"code": code, **group, "share": percent(group["omzet"], retail)}
        for code, group in groups.items()
    ]
    result.sort(key=lambda group: (-group["omzet"], group["name"]))
    return result


# --- Visitors and live sessions ---


def _visitors(expo: Expo, now: datetime.datetime) -> tuple[dict, dict, dict]:
    """The visitors block, online visits by day, venue admissions by day."""
    zone = zoneinfo.ZoneInfo(expo.time_zone)
    # DISTINCT in a subquery: PostgreSQL reads it off the (expo, visitor, day) index in
    # order instead of sorting every row as COUNT(DISTINCT ...) does.
    unique_visitors = Visit.objects.filter(expo=expo).values("visitor").distinct().count()
    visits_by_day = {
        row["day"]: row["count"]
        for row in Visit.objects.filter(expo=expo)
        .values("day")
        .annotate(count=Count("pk"))
        .order_by()
    }
    peak = (
        ViewerSample.objects.filter(session__expo=expo)
        .order_by("-viewers", "at", "pk")
        .values("viewers", "at")
        .first()
    )
    tickets = Ticket.objects.filter(expo=expo).aggregate(
        issued=Count("pk", filter=~Q(status=Ticket.Status.CANCELLED)),
        admitted=Count("pk", filter=Q(admitted_at__isnull=False)),
    )
    admitted_by_day = {
        row["day"]: row["count"]
        for row in Ticket.objects.filter(expo=expo, admitted_at__isnull=False)
        .annotate(day=TruncDate("admitted_at", tzinfo=zone))
        .values("day")
        .annotate(count=Count("pk"))
        .order_by()
    }
    venue_now = occupancy(expo=expo, now=now)
    block = {
        "online_unique": unique_visitors,
        "online_visits": sum(visits_by_day.values()),
        "peak_viewers": peak["viewers"] if peak else 0,
        "peak_viewers_at": peak["at"] if peak else None,
        "venue_tickets": tickets["issued"],
        "venue_admitted": tickets["admitted"],
        "venue_inside": venue_now["inside"],
        "venue_capacity_now": venue_now["capacity_now"],
        "venue_admitted_today": venue_now["admitted_today"],
    }
    return block, visits_by_day, admitted_by_day


def _pin_lines(expo: Expo, exhibitor: Exhibitor | None = None):
    """Paid (not cancelled) order lines bought from a pin of the expo's sessions
    (live.stats' rule: the order's own expo does not matter)."""
    return _only(
        OrderLine.objects.filter(
            live_pin__session__expo=expo, order__paid_at__isnull=False
        ).exclude(order__status=Order.Status.CANCELLED),
        exhibitor,
        "live_pin__product__exhibitor",
    )


def _pins(expo: Expo, exhibitor: Exhibitor | None = None) -> list:
    """The expo's pins, oldest first, each with `orders` (distinct paid orders with a line
    from it) and `omzet` (those lines). Two queries: the sums start from the lines'
    pin index rather than from every line of the expo."""
    sums = {
        row["live_pin_id"]: row
        for row in _pin_lines(expo, exhibitor)
        .values("live_pin_id")
        .annotate(orders=Count("order_id", distinct=True), omzet=Sum("line_total"))
        .order_by()
    }
    pins = list(
        _only(Pin.objects.filter(session__expo=expo), exhibitor, "product__exhibitor")
        .select_related("session", "product__exhibitor")
        .order_by("pinned_at", "pk")
    )
    for pin in pins:
        pin.orders = sums[pin.pk]["orders"] if pin.pk in sums else 0
        pin.omzet = sums[pin.pk]["omzet"] if pin.pk in sums else 0
    return pins


def _live(expo: Expo) -> list[dict]:
    samples = {
        row["session_id"]: row
        for row in ViewerSample.objects.filter(session__expo=expo)
        .values("session_id")
        .annotate(peak=Max("viewers"), total=Sum("viewers"), count=Count("pk"))
        .order_by()
    }
    pins_by_session: dict[int, list] = defaultdict(list)
    for pin in _pins(expo):
        pins_by_session[pin.session_id].append(
            {
                "pin": pin,
                "product": pin.product,
                "pinned_at": pin.pinned_at,
                "unpinned_at": pin.unpinned_at,
                "clicks": pin.clicks,
                "add_to_carts": pin.add_to_carts,
                "orders": pin.orders,
                "omzet": pin.omzet,
            }
        )
    # Pins of one session may share an order: count it once for the session.
    session_orders = {
        row["live_pin__session_id"]: row["count"]
        for row in _pin_lines(expo)
        .values("live_pin__session_id")
        .annotate(count=Count("order_id", distinct=True))
        .order_by()
    }
    ids = set(samples) | set(pins_by_session)
    sessions = AgendaSession.objects.filter(pk__in=ids).order_by("starts_at", "pk") if ids else []
    rows = []
    for session in sessions:
        sample = samples.get(session.pk, {"peak": 0, "total": 0, "count": 0})
        pins = pins_by_session.get(session.pk, [])
        count = sample["count"]
        rows.append(
            {
                "session": session,
                "title": session.title,
                "starts_at": session.starts_at,
                "peak_viewers": sample["peak"] or 0,
                # Rounded half up, as live.stats does.
                "average_viewers": (2 * sample["total"] + count) // (2 * count) if count else 0,
                "pins": pins,
                "clicks": sum(pin["clicks"] for pin in pins),
                "add_to_carts": sum(pin["add_to_carts"] for pin in pins),
                "orders": session_orders.get(session.pk, 0),
                "omzet": sum(pin["omzet"] for pin in pins),
            }
        )
    return rows


# --- Bulk, self-reported, naik kelas ---


def _inquiry_counts(inquiry_rows: list[dict]) -> dict:
    """Counts by status, the open quotes' value and the won value, from the rows of
    `_bulk_and_outcomes`."""
    counts = {status: 0 for status in INQUIRY_STATUSES}
    quoted_value = won_value = 0
    for row in inquiry_rows:
        counts[row["status"]] += row["count"]
        if row["status"] == Inquiry.Status.QUOTED:
            quoted_value += row["quoted"] or 0
        if row["status"] == Inquiry.Status.WON:
            won_value += row["won"] or 0
    return {
        **counts,
        "total": sum(counts.values()),
        "quoted_value": quoted_value,
        "won_value": won_value,
    }


def _self_reported(outcomes: dict[int, Outcome]) -> dict:
    whatsapp = sum(o.sales_whatsapp for o in outcomes.values())
    marketplace = sum(o.sales_marketplace for o in outcomes.values())
    after = sum(o.sales_after for o in outcomes.values())
    return {
        "reports": len(outcomes),
        "whatsapp": whatsapp,
        "marketplace": marketplace,
        "after": after,
        "total": whatsapp + marketplace + after,
    }


def _naik_kelas(rows: list[dict], reports: int) -> dict:
    growths = [row["growth"] for row in rows if row["growth"] is not None]
    return {
        "reports": reports,
        "grew": sum(1 for growth in growths if growth > 0),
        "growth_median": _median(growths),
        "new_channels": sum(1 for row in rows if row["new_channels"]),
        "licences_new": sum(1 for row in rows if row["licences_new"]),
        "returning": sum(1 for row in rows if row["previous_expo"] is not None),
        "grew_vs_previous": sum(
            1 for row in rows if row["vs_previous"] is not None and row["vs_previous"] > 0
        ),
    }


# --- The reports ---


def _one_snapshot(report):
    """Run the report in one REPEATABLE READ, READ ONLY transaction on PostgreSQL, unless
    a transaction is open already; on SQLite in autocommit (see the module docstring)."""

    @functools.wraps(report)
    def read(**kwargs):
        if connection.vendor != "postgresql" or connection.in_atomic_block:
            return report(**kwargs)
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Must be the transaction's first statement: the snapshot is taken at
                # the first query after it.
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return report(**kwargs)

    return read


@_one_snapshot
def expo_report(*, expo: Expo, now: datetime.datetime | None = None) -> dict:
    """Everything the organizer's dashboard and exports show (see the module docstring)."""
    now = now or timezone.now()
    sales = _sales(expo)
    totals = _sum_sales(sales["by_exhibitor"])
    retail = totals["online"] + totals["venue"]
    inquiry_rows, outcomes = _bulk_and_outcomes(expo)
    active = set(sales["by_exhibitor"]) | {row["exhibitor_id"] for row in inquiry_rows}
    exhibitors = _report_exhibitors(expo, active | set(outcomes))
    accepted = [
        (exhibitor, participation)
        for exhibitor, participation in exhibitors
        if participation and participation.status == Participation.Status.ACCEPTED
    ]
    rows = _exhibitor_rows(expo, exhibitors, sales["by_exhibitor"], inquiry_rows, outcomes)
    visitors, visits_by_day, admitted_by_day = _visitors(expo, now)
    inquiries = _inquiry_counts(inquiry_rows)
    self_reported = _self_reported(outcomes)
    active_products = Product.objects.filter(
        is_active=True,
        exhibitor__in=accepted_participations(expo=expo).values("exhibitor_id"),
    ).count()
    return {
        "expo": expo,
        "generated_at": now,
        "time_zone": expo.time_zone,
        "planned": {"online": expo.planned_online_percent, "venue": expo.planned_venue_percent},
        "visitors": visitors,
        "channels": _channels(expo, totals),
        "retail": {
            "orders": totals["online_orders"] + totals["venue_orders"],
            "items": totals["online_items"] + totals["venue_items"],
            "omzet": retail,
        },
        "bulk": {
            "inquiries": inquiries["total"],
            **{status: inquiries[status] for status in INQUIRY_STATUSES},
            "quoted_value": inquiries["quoted_value"],
            "won_value": inquiries["won_value"],
        },
        "self_reported": self_reported,
        "exhibitors": {
            "total": len(accepted),
            "venue": sum(1 for _e, p in accepted if p.mode == Participation.Mode.VENUE),
            "online": sum(1 for _e, p in accepted if p.mode == Participation.Mode.ONLINE),
            "provinces": len({e.region.province_id for e, _p in accepted}),
            "products": active_products,
        },
        "by_category": [
            {"slug": group.pop("code"), **group}
            for group in _roll_up(
                rows,
                lambda row: (row["exhibitor"].category.slug, row["category"]),
                retail,
            )
        ],
        "by_region": _roll_up(
            rows, lambda row: (row["exhibitor"].region.province_id, row["province"]), retail
        ),
        "by_exhibitor": rows,
        "by_day": _by_day(expo, sales["by_time"], visits_by_day, admitted_by_day),
        "by_hour": _by_hour(sales["by_time"]),
        "top_products": _top_products(sales["by_product"]),
        "live": _live(expo),
        "naik_kelas": _naik_kelas(rows, self_reported["reports"]),
    }


@_one_snapshot
def exhibitor_report(
    *, expo: Expo, exhibitor: Exhibitor, now: datetime.datetime | None = None
) -> dict:
    """One exhibitor's own figures at the expo; nothing of anyone else's. Their row is
    there whatever their participation (its "status" says which).

    by_day's "visitors" are their booth visits that day ("admitted" is the venue
    gate's, not a booth's: 0)."""
    now = now or timezone.now()
    sales = _sales(expo, exhibitor)
    inquiry_rows, outcomes = _bulk_and_outcomes(expo, exhibitor)
    exhibitors = _report_exhibitors(expo, set(), exhibitor)
    (row,) = _exhibitor_rows(
        expo, exhibitors, sales["by_exhibitor"], inquiry_rows, outcomes, exhibitor
    )
    booth_visits = {
        entry["day"]: entry["count"]
        for entry in BoothVisit.objects.filter(expo=expo, exhibitor=exhibitor)
        .values("day")
        .annotate(count=Count("pk"))
        .order_by()
    }
    inquiries = _inquiry_counts(inquiry_rows)
    orders_by_status = {
        entry["status"]: entry["count"]
        for entry in Order.objects.filter(expo=expo, exhibitor=exhibitor)
        .values("status")
        .annotate(count=Count("pk"))
        .order_by("status")
    }
    return {
        "expo": expo,
        "generated_at": now,
        "row": row,
        "channels": _channels(expo, sales["by_exhibitor"].get(exhibitor.pk) or _empty_sales()),
        "by_day": _by_day(expo, sales["by_time"], booth_visits, {}),
        "by_hour": _by_hour(sales["by_time"]),
        "top_products": _top_products(sales["by_product"]),
        "orders_by_status": orders_by_status,
        "inquiries": {
            key: inquiries[key]
            for key in ("total", "new", "answered", "quoted", "won", "lost", "won_value")
        },
        "outcome": outcomes.get(exhibitor.pk),
        "live": [
            {
                "session": pin.session,
                "product": pin.product,
                "pinned_at": pin.pinned_at,
                "clicks": pin.clicks,
                "orders": pin.orders,
                "omzet": pin.omzet,
            }
            for pin in _pins(expo, exhibitor)
        ],
    }


def previous_participation(*, expo: Expo, exhibitor: Exhibitor) -> Expo | None:
    """The exhibitor's latest expo before this one (by start date) of the same organizer,
    not a draft, where they were accepted."""
    return _previous_expos(expo, [exhibitor.pk]).get(exhibitor.pk)


__all__ = ["expo_report", "exhibitor_report", "previous_participation", "percent"]
