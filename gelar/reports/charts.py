"""Charts of the organizer's report, drawn on the server as SVG: no script, no library.

Each function takes plain lists and returns a safe string: an <svg> that scales to
its container (a viewBox 360 units wide, the width of a phone, and width 100 %),
with role="img", a <title> and a <desc> that says the figures in words -- or, when
there is nothing to draw, a short paragraph saying so. Every label is escaped
(format_html / escape): exhibitor and product names are typed by exhibitors.

Colour is never the only cue: the venue series is hatched, each series is named in
a legend or beside its bar, and the page puts a table of the same figures next to
the chart. The colours are the site's indigo and soga brown, both above 7:1 against
the paper background and against the white of the labels drawn on them.
"""

import hashlib
import math
from collections.abc import Callable, Sequence

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from gelar.common.templatetags.gelar_format import percent, rupiah_short
from gelar.reports.selectors import percent as _share

WIDTH = 360
FONT = 12
INK = "#1c1b29"
MUTED = "#595366"
LINE = "#c9bba0"
PAPER = "#fffdf8"
# Series styles, in order: solid indigo, soga with light hatching, gold with dots.
SERIES_FILLS = ("#1e2a5e", "#7a4518", "#8a5a00")
LABEL_CHARS = 44

ValueLabel = Callable[[int], str]


def _ident(*parts) -> str:
    """A stable id for the chart's title, description and patterns: the same chart with
    the same figures gets the same id, two charts of a page get different ones."""
    digest = hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()
    return f"chart-{digest[:10]}"


def _clip(label: str, limit: int = LABEL_CHARS) -> str:
    label = " ".join(str(label).split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _empty(message: str | None) -> SafeString:
    return format_html('<p class="chart-empty">{}</p>', message or _("Nothing to show yet."))


def _svg(ident: str, height: float, title: str, description: str, body: SafeString) -> SafeString:
    return format_html(
        '<svg class="chart" role="img" aria-labelledby="{0}-t {0}-d" viewBox="0 0 {1} {2}" '
        'width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg" '
        'font-size="{3}">'
        '<title id="{0}-t">{4}</title><desc id="{0}-d">{5}</desc>{6}</svg>',
        ident,
        WIDTH,
        _number(height),
        FONT,
        title,
        description,
        body,
    )


def _number(value: float) -> str:
    """A coordinate: at most one decimal, no trailing zero."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _patterns(ident: str) -> SafeString:
    """The fills of series 1 and 2 (hatched, dotted), so they differ from series 0 by more
    than their colour."""
    return format_html(
        "<defs>"
        '<pattern id="{0}-p1" patternUnits="userSpaceOnUse" width="6" height="6" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="{1}"/>'
        '<line x1="1" y1="0" x2="1" y2="6" stroke="#f4e6cf" stroke-width="1.6"/></pattern>'
        '<pattern id="{0}-p2" patternUnits="userSpaceOnUse" width="5" height="5">'
        '<rect width="5" height="5" fill="{2}"/><circle cx="2.5" cy="2.5" r="1" fill="#fbf6ec"/>'
        "</pattern></defs>",
        ident,
        SERIES_FILLS[1],
        SERIES_FILLS[2],
    )


def _fill(ident: str, index: int) -> str:
    return SERIES_FILLS[0] if index == 0 else f"url(#{ident}-p{min(index, 2)})"


def _join_description(parts: Sequence[str]) -> str:
    return "; ".join(parts) + ("." if parts else "")


# --- horizontal bars: categories, regions, top exhibitors ---


def bars(
    rows: Sequence[tuple[str, int]],
    *,
    title: str,
    value_label: ValueLabel = rupiah_short,
    empty: str | None = None,
) -> SafeString:
    """One horizontal bar per (label, value), in the order given, the label above its bar
    and the value at its end. Empty when no value is above zero."""
    rows = [(str(label), int(value or 0)) for label, value in rows]
    top = max((value for _label, value in rows), default=0)
    if top <= 0:
        return _empty(empty)
    ident = _ident("bars", title, rows)
    value_room = 78  # the value label after the longest bar
    span = WIDTH - value_room
    row_height = 36
    parts = []
    for index, (label, value) in enumerate(rows):
        y = index * row_height
        width = span * max(value, 0) / top
        parts.append(
            format_html(
                '<text x="0" y="{}" fill="{}">{}</text>'
                '<rect class="chart-bar" x="0" y="{}" width="{}" height="14" rx="2" fill="{}"/>'
                '<text class="strong" x="{}" y="{}" fill="{}" font-weight="600">{}</text>',
                _number(y + 13),
                INK,
                _clip(label),
                _number(y + 17),
                _number(max(width, 1.5)),
                SERIES_FILLS[0],
                _number(width + 5),
                _number(y + 28.5),
                INK,
                value_label(value),
            )
        )
    description = _join_description([f"{label}: {value_label(value)}" for label, value in rows])
    body = format_html_join("", "{}", ((part,) for part in parts))
    return _svg(ident, len(rows) * row_height, title, description, body)


# --- columns over time: omzet by day, by hour ---


def _nice_ceiling(value: int) -> int:
    """The top of the axis: the value rounded up to 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1
    power = 10 ** int(math.floor(math.log10(value)))
    for step in (1, 2, 2.5, 5, 10):
        top = int(step * power)
        if top >= value:
            return top
    return 10 * power  # pragma: no cover -- the loop ends at 10 * power


def columns_over_time(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    title: str,
    value_label: ValueLabel = rupiah_short,
    empty: str | None = None,
) -> SafeString:
    """Stacked columns, one per label (a day, an hour), a segment per series (name,
    values; at most three), a legend above and three grid lines. Totals are written on
    the columns when there is room (eight columns or fewer); with many columns only every
    few labels are written. Empty when every value is zero."""
    labels = [str(label) for label in labels]
    series = [(str(name), [int(v or 0) for v in values]) for name, values in series][:3]
    for _name, values in series:
        if len(values) != len(labels):
            raise ValueError("every series needs one value per label")
    totals = [sum(values[i] for _name, values in series) for i in range(len(labels))]
    if not labels or max(totals) <= 0:
        return _empty(empty)
    ident = _ident("columns", title, labels, series)

    legend_height = 22
    top_room = 16 if len(labels) <= 8 else 4  # the totals written above the columns
    plot_top = legend_height + 12 + top_room
    plot_height = 160
    base = plot_top + plot_height
    height = base + 20
    axis_top = _nice_ceiling(max(totals))
    gutter = 52  # the axis amounts, left of the columns
    slot = (WIDTH - gutter) / len(labels)
    column = min(slot * 0.7, 48)
    every = max(1, math.ceil(len(labels) / 8))

    parts = [_patterns(ident)]
    # The legend: a swatch in the series' fill beside its name.
    x = 0.0
    for index, (name, _values) in enumerate(series):
        parts.append(
            format_html(
                '<rect class="chart-key" x="{}" y="4" width="14" height="14" fill="{}" '
                'stroke="{}"/><text x="{}" y="15.5" fill="{}">{}</text>',
                _number(x),
                _fill(ident, index),
                INK,
                _number(x + 19),
                INK,
                _clip(name, 24),
            )
        )
        x += 19 + 7.2 * len(_clip(name, 24)) + 16
    # Grid lines at 0, half and the top, their amounts written in the gutter.
    for fraction in (0, 0.5, 1):
        y = base - plot_height * fraction
        parts.append(
            format_html(
                '<line x1="{3}" y1="{0}" x2="{1}" y2="{0}" stroke="{2}" stroke-width="1"/>',
                _number(y),
                WIDTH,
                LINE if fraction else MUTED,
                gutter - 4,
            )
        )
        if fraction:
            parts.append(
                format_html(
                    '<text class="soft" x="0" y="{}" fill="{}" font-size="10">{}</text>',
                    _number(y + 3.5),
                    MUTED,
                    value_label(int(axis_top * fraction)),
                )
            )
    for i, label in enumerate(labels):
        left = gutter + slot * i + (slot - column) / 2
        y = base
        for index, (_name, values) in enumerate(series):
            value = values[i]
            if value <= 0:
                continue
            segment = plot_height * value / axis_top
            y -= segment
            parts.append(
                format_html(
                    '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    _number(left),
                    _number(y),
                    _number(column),
                    _number(segment),
                    _fill(ident, index),
                )
            )
        if len(labels) <= 8 and totals[i] > 0:
            parts.append(
                format_html(
                    '<text class="mid strong" x="{}" y="{}" fill="{}" font-size="10" '
                    'text-anchor="middle" font-weight="600">{}</text>',
                    _number(left + column / 2),
                    _number(y - 4),
                    INK,
                    value_label(totals[i]),
                )
            )
        if i % every == 0:
            parts.append(
                format_html(
                    '<text class="mid soft" x="{}" y="{}" fill="{}" font-size="10.5" '
                    'text-anchor="middle">{}</text>',
                    _number(min(left + column / 2, WIDTH - 12)),
                    _number(base + 14),
                    MUTED,
                    _clip(label, 12),
                )
            )
    description = _join_description(
        [
            "{}: {}".format(
                label,
                ", ".join(
                    f"{name} {value_label(values[i])}" for name, values in series if values[i]
                ),
            )
            for i, label in enumerate(labels)
            if totals[i]
        ]
    )
    body = format_html_join("", "{}", ((part,) for part in parts))
    return _svg(ident, height, title, description, body)


# --- the channel split against the plan ---


def split_against_plan(
    actual_online: int,
    actual_venue: int,
    planned_online: int,
    planned_venue: int,
    *,
    title: str | None = None,
    online_label: str | None = None,
    venue_label: str | None = None,
) -> SafeString:
    """Two 100 % bars, what was sold (omzet online and at the venue, Rupiah) above what
    was planned (percent), each part named with its percentage under the bar; a dashed
    line on the first bar marks the planned split. Before any sale the first bar says so."""
    title = title or _("Sales by channel against the planned split")
    online_label = online_label or _("Online")
    venue_label = venue_label or _("At the venue")
    actual_online, actual_venue = int(actual_online or 0), int(actual_venue or 0)
    total = actual_online + actual_venue
    plan_total = int(planned_online) + int(planned_venue)
    shares = {
        "actual": (_share(actual_online, total), _share(actual_venue, total)),
        "planned": (
            _share(int(planned_online), plan_total),
            _share(int(planned_venue), plan_total),
        ),
    }
    ident = _ident("split", title, total, actual_online, planned_online, planned_venue)
    parts = [_patterns(ident)]
    rows = [("actual", _("Actual")), ("planned", _("Planned"))]
    for position, (key, heading) in enumerate(rows):
        top = position * 72
        online_share, venue_share = shares[key]
        parts.append(
            format_html(
                '<text class="strong" x="0" y="{}" fill="{}" font-weight="600">{}</text>',
                _number(top + 13),
                INK,
                heading,
            )
        )
        if online_share is None:
            parts.append(
                format_html(
                    '<rect x="0" y="{0}" width="{1}" height="22" fill="{2}" stroke="{3}" '
                    'stroke-dasharray="4 3"/>'
                    '<text class="soft" x="8" y="{4}" fill="{5}">{6}</text>',
                    _number(top + 19),
                    WIDTH,
                    PAPER,
                    MUTED,
                    _number(top + 34),
                    MUTED,
                    _("No sales yet"),
                )
            )
            continue
        split = float(WIDTH * online_share / 100)
        parts.append(
            format_html(
                '<rect class="chart-bar" x="0" y="{0}" width="{1}" height="22" fill="{2}"/>'
                '<rect class="chart-bar" x="{1}" y="{0}" width="{3}" height="22" fill="{4}"/>'
                '<text x="0" y="{5}" fill="{6}">{7} {8}</text>'
                '<text class="end" x="{9}" y="{5}" fill="{6}" text-anchor="end">{10} {11}</text>',
                _number(top + 19),
                _number(split),
                _fill(ident, 0),
                _number(WIDTH - split),
                _fill(ident, 1),
                _number(top + 57),
                INK,
                online_label,
                percent(online_share),
                WIDTH,
                venue_label,
                percent(venue_share),
            )
        )
        if key == "actual" and shares["planned"][0] is not None:
            mark = float(WIDTH * shares["planned"][0] / 100)
            parts.append(
                format_html(
                    '<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="{3}" stroke-width="2.5" '
                    'stroke-dasharray="3 2"/>',
                    _number(min(max(mark, 1.5), WIDTH - 1.5)),
                    _number(top + 15),
                    _number(top + 45),
                    "#d9a441",
                )
            )
    actual_online_share, actual_venue_share = shares["actual"]
    if actual_online_share is None:
        actual = _("Actual: no sales yet")
    else:
        actual = _(
            "Actual: %(online)s %(online_share)s (%(online_amount)s), "
            "%(venue)s %(venue_share)s (%(venue_amount)s)"
        ) % {
            "online": online_label,
            "online_share": percent(actual_online_share),
            "online_amount": rupiah_short(actual_online),
            "venue": venue_label,
            "venue_share": percent(actual_venue_share),
            "venue_amount": rupiah_short(actual_venue),
        }
    planned = _("Planned: %(online)s %(online_share)s, %(venue)s %(venue_share)s") % {
        "online": online_label,
        "online_share": percent(shares["planned"][0]),
        "venue": venue_label,
        "venue_share": percent(shares["planned"][1]),
    }
    body = format_html_join("", "{}", ((part,) for part in parts))
    return _svg(ident, 72 + 64, title, f"{actual}. {planned}.", body)


# --- the charts of a report ---

# The bars of the categories and regions charts: the rest are in the tables.
CHART_BARS = 10


def report_charts(report: dict) -> dict:
    """The charts of expo_report (or of exhibitor_report, which has no categories or
    regions): the channel split against the plan, omzet by day and by hour, and the
    categories and regions (their first CHART_BARS)."""
    online, venue = report["channels"]
    online_label, venue_label = online["label"], venue["label"]

    def split(rows: list[dict]) -> list[tuple[str, list[int]]]:
        """The online and venue series of these rows (days, hours)."""
        return [
            (online_label, [row["online"] for row in rows]),
            (venue_label, [row["venue"] for row in rows]),
        ]

    drawn = {
        "split": split_against_plan(
            online["omzet"],
            venue["omzet"],
            online["planned"],
            venue["planned"],
            online_label=online_label,
            venue_label=venue_label,
        ),
        "by_day": columns_over_time(
            [date_format(row["day"], "j M") for row in report["by_day"]],
            split(report["by_day"]),
            title=_("Omzet by day"),
            empty=_("No sales yet."),
        ),
        "by_hour": columns_over_time(
            [f"{row['hour']:02d}" for row in report["by_hour"]],
            split(report["by_hour"]),
            title=_("Omzet by hour of the day"),
            empty=_("No sales yet."),
        ),
    }
    if "by_category" in report:
        drawn["by_category"] = bars(
            [(row["name"], row["omzet"]) for row in report["by_category"][:CHART_BARS]],
            title=_("Omzet by category"),
            empty=_("No sales yet."),
        )
        drawn["by_region"] = bars(
            [(row["name"], row["omzet"]) for row in report["by_region"][:CHART_BARS]],
            title=_("Omzet by province of origin"),
            empty=_("No sales yet."),
        )
    return drawn
