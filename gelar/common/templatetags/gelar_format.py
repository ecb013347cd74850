"""Indonesian formatting of money, dates and times: {% load gelar_format %}.

Money is whole Rupiah ("Rp150.000"); dates and times are shown in the expo's
own zone with its Indonesian abbreviation (WIB, WITA, WIT), whatever zone the
server runs in.
"""

import datetime
import decimal
import zoneinfo

from django import template
from django.utils import dateformat
from django.utils.translation import get_language

register = template.Library()

ZONE_ABBREVIATIONS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def _is_english() -> bool:
    return (get_language() or "").startswith("en")


def _zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def _local(value, zone_name: str | None):
    """An aware datetime moved to the zone; dates and naive values pass through."""
    zone = _zone(zone_name)
    if isinstance(value, datetime.datetime) and value.tzinfo is not None and zone is not None:
        return value.astimezone(zone)
    return value


def _zone_abbreviation(zone_name: str | None, value: datetime.datetime) -> str:
    if zone_name in ZONE_ABBREVIATIONS:
        return ZONE_ABBREVIATIONS[zone_name]
    return value.tzname() or ""


@register.filter
def rupiah(value) -> str:
    """150000 -> 'Rp150.000'; -5000 -> '-Rp5.000'; None or junk -> ''."""
    if value is None or value == "":
        return ""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return ""
    grouped = f"{abs(amount):,}".replace(",", ".")
    return f"-Rp{grouped}" if amount < 0 else f"Rp{grouped}"


@register.filter
def tanggal(value, zone_name: str | None = None) -> str:
    """'Rabu, 24 November 2021' (Indonesian) or 'Wednesday, 24 November 2021' (English)."""
    if not isinstance(value, datetime.date):
        return ""
    return dateformat.format(_local(value, zone_name), "l, j F Y")


@register.filter
def jam(value, zone_name: str | None = None) -> str:
    """'10.00 WIB' in Indonesian, '10:00 WIB' in English, in the given zone."""
    if not isinstance(value, datetime.datetime):
        return ""
    local = _local(value, zone_name)
    clock = local.strftime("%H:%M" if _is_english() else "%H.%M")
    abbreviation = _zone_abbreviation(zone_name, local)
    return f"{clock} {abbreviation}".strip()


@register.simple_tag
def jam_range(starts_at, ends_at, zone_name: str | None = None) -> str:
    """'09.00–10.00 WIB': one zone abbreviation for the pair."""
    if not isinstance(starts_at, datetime.datetime) or not isinstance(ends_at, datetime.datetime):
        return ""
    start = _local(starts_at, zone_name).strftime("%H:%M" if _is_english() else "%H.%M")
    return f"{start}–{jam(ends_at, zone_name)}"


@register.simple_tag
def date_range(start, end) -> str:
    """'24–25 November 2021', '30 November – 2 Desember 2021', or full dates across years."""
    if not isinstance(start, datetime.date) or not isinstance(end, datetime.date):
        return ""
    if start == end:
        return dateformat.format(start, "j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{dateformat.format(end, 'j F Y')}"
    if start.year == end.year:
        return f"{dateformat.format(start, 'j F')} – {dateformat.format(end, 'j F Y')}"
    return f"{dateformat.format(start, 'j F Y')} – {dateformat.format(end, 'j F Y')}"


# The short forms of Indonesian money talk: ribu, juta, miliar, triliun.
_SHORT_UNITS = (
    (10**12, "T", "T"),
    (10**9, "M", "B"),
    (10**6, "jt", "M"),
    (10**3, "rb", "K"),
)


@register.filter
def rupiah_short(value) -> str:
    """Rupiah for a chart label: 1250000 -> 'Rp1,3 jt', 350000 -> 'Rp350 rb', 900 -> 'Rp900';
    in English 'Rp1.3M', 'Rp350K'. One decimal below 100 of the unit, none above, rounded
    half up; None or junk -> ''."""
    if value is None or value == "":
        return ""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return ""
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    english = _is_english()
    for index, (unit, indonesian_name, english_name) in enumerate(_SHORT_UNITS):
        if amount < unit:
            continue
        scaled = decimal.Decimal(amount) / unit
        places = decimal.Decimal("1") if scaled >= 100 else decimal.Decimal("0.1")
        scaled = scaled.quantize(places, rounding=decimal.ROUND_HALF_UP)
        if scaled >= 1000 and index > 0:
            # 999.960 rounds to 1000 rb: say 1 jt instead.
            unit, indonesian_name, english_name = _SHORT_UNITS[index - 1]
            scaled = decimal.Decimal(1)
        text = f"{scaled.normalize():f}"
        if english:
            return f"{sign}Rp{text}{english_name}"
        return f"{sign}Rp{text.replace('.', ',')} {indonesian_name}"
    return f"{sign}Rp{amount}"


@register.filter
def percent(value) -> str:
    """A share or a growth with one decimal: Decimal('72.5') -> '72,5%' ('72.5%' in English);
    None (nothing to divide by) -> '–'."""
    if value is None or value == "":
        return "–"
    try:
        number = decimal.Decimal(value)
    except (TypeError, ValueError, decimal.InvalidOperation):
        return "–"
    text = f"{number.quantize(decimal.Decimal('0.1'), rounding=decimal.ROUND_HALF_UP):f}"
    if not _is_english():
        text = text.replace(".", ",")
    return f"{text}%"
