"""The report's SVG charts and the short Rupiah labels: hostile labels come out escaped,
the figures are written on the chart and in its description, nothing to draw gives a
sentence instead of a crash, and the geometry is what the figures say."""

import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from gelar.common.templatetags.gelar_format import percent, rupiah_short
from gelar.reports.charts import bars, columns_over_time, split_against_plan

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & "Batik"'


def parse(svg: str) -> ET.Element:
    """The chart as XML: it must be well formed, whatever its labels."""
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def rects(root: ET.Element) -> list[dict]:
    """The rectangles that draw figures (not the legend's keys, not the patterns' tiles)."""
    return [node.attrib for node in root.iter(f"{SVG}rect") if node.get("class") == "chart-bar"]


# --- rupiah_short and percent ---


@pytest.mark.parametrize(
    ("amount", "said_in_indonesian", "said_in_english"),
    [
        (0, "Rp0", "Rp0"),
        (900, "Rp900", "Rp900"),
        (1_000, "Rp1 rb", "Rp1K"),
        (1_250, "Rp1,3 rb", "Rp1.3K"),  # half up
        (350_000, "Rp350 rb", "Rp350K"),
        (99_940, "Rp99,9 rb", "Rp99.9K"),
        (100_500, "Rp101 rb", "Rp101K"),  # no decimal from 100 of the unit up
        (999_960, "Rp1 jt", "Rp1M"),  # 1000 rb is said 1 jt
        (1_234_567, "Rp1,2 jt", "Rp1.2M"),
        (12_000_000, "Rp12 jt", "Rp12M"),
        (2_550_000_000, "Rp2,6 M", "Rp2.6B"),
        (3 * 10**12, "Rp3 T", "Rp3T"),
        (-350_000, "-Rp350 rb", "-Rp350K"),
    ],
)
def test_rupiah_short(amount, said_in_indonesian, said_in_english):
    assert rupiah_short(amount) == said_in_indonesian
    with translation.override("en"):
        assert rupiah_short(amount) == said_in_english


def test_rupiah_short_and_percent_of_nothing():
    assert rupiah_short(None) == ""
    assert rupiah_short("abc") == ""
    assert percent(None) == "–"
    assert percent(Decimal("72.5")) == "72,5%"
    assert percent(Decimal("-12.25")) == "-12,3%"  # half up, away from zero
    assert percent(Decimal("0")) == "0,0%"
    with translation.override("en"):
        assert percent(Decimal("72.5")) == "72.5%"


# --- bars ---


def test_bars_escape_a_hostile_label():
    svg = bars([(HOSTILE, 150_000), ("Makanan", 50_000)], title='Omzet <b>"kategori"</b>')
    assert isinstance(svg, SafeString)
    assert "<script>" not in svg and "<b>" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Batik&quot;" in svg
    root = parse(svg)  # well-formed: the label did not break out of its element
    assert root.find(f"{SVG}title").text == 'Omzet <b>"kategori"</b>'
    assert texts(root)[0] == '<script>alert("x")</script> & "Batik"'


def test_bars_write_each_label_and_value_and_scale_the_bars():
    rows = [("Batik & Fesyen", 1_234_567), ("Makanan", 350_000), ("Kerajinan", 0)]
    root = parse(bars(rows, title="Omzet per kategori"))
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 360 108"  # three rows of 36
    assert root.get("width") == "100%"
    assert texts(root) == [
        "Batik & Fesyen",
        "Rp1,2 jt",
        "Makanan",
        "Rp350 rb",
        "Kerajinan",
        "Rp0",
    ]
    # The longest bar spans the width less the value's room (360 - 78 = 282); the
    # others in proportion: 282 * 350000 / 1234567 = 79.9; a zero is a sliver.
    assert [r["width"] for r in rects(root)] == ["282", "79.9", "1.5"]
    assert root.find(f"{SVG}desc").text == (
        "Batik & Fesyen: Rp1,2 jt; Makanan: Rp350 rb; Kerajinan: Rp0."
    )
    labelled = root.get("aria-labelledby").split()
    assert [root.find(f"{SVG}title").get("id"), root.find(f"{SVG}desc").get("id")] == labelled


def test_bars_with_counts_and_long_labels():
    name = "Koperasi Produsen Batik Tulis Pesisir Kota Pekalongan Sejahtera"
    root = parse(bars([(name, 12)], title="Kunjungan", value_label=str))
    assert texts(root) == ["Koperasi Produsen Batik Tulis Pesisir Kota…", "12"]
    assert root.find(f"{SVG}desc").text == f"{name}: 12."  # the full name for screen readers


@pytest.mark.parametrize("rows", [[], [("Batik", 0), ("Makanan", 0)]])
def test_bars_with_nothing_to_draw_say_so(rows):
    html = bars(rows, title="Omzet per kategori")
    assert html == f'<p class="chart-empty">{_("Nothing to show yet.")}</p>'
    assert bars(rows, title="x", empty="Belum ada <penjualan>") == (
        '<p class="chart-empty">Belum ada &lt;penjualan&gt;</p>'
    )


# --- columns over time ---


def test_columns_stack_the_series_and_write_the_totals():
    svg = columns_over_time(
        ["24 Nov", "25 Nov"],
        [("Daring", [1_500_000, 0]), ("Luring <di lokasi>", [500_000, 1_000_000])],
        title="Omzet per hari",
    )
    root = parse(svg)
    assert "&lt;di lokasi&gt;" in svg
    assert root.get("viewBox") == "0 0 360 230"
    # Legend, axis amounts (top 2 jt: the nice ceiling of 2 jt), totals, day labels.
    assert texts(root) == [
        "Daring",
        "Luring <di lokasi>",
        "Rp1 jt",
        "Rp2 jt",
        "Rp2 jt",
        "24 Nov",
        "Rp1 jt",
        "25 Nov",
    ]
    hatched = f"url(#{root.find(f'{SVG}title').get('id').removesuffix('-t')}-p1)"
    # 160 units for 2 jt: 1.5 jt is 120 high on the base (y 210), 0.5 jt 40 above it;
    # two slots of (360 - 52) / 2 = 154, columns 48 wide in their middle.
    assert [(c["x"], c["y"], c["height"], c["fill"]) for c in rects(root)] == [
        ("105", "90", "120", "#1e2a5e"),
        ("105", "50", "40", hatched),
        ("259", "130", "80", hatched),
    ]
    assert root.find(f"{SVG}desc").text == (
        "24 Nov: Daring Rp1,5 jt, Luring <di lokasi> Rp500 rb; 25 Nov: Luring <di lokasi> Rp1 jt."
    )


def test_columns_of_24_hours_label_every_third_hour():
    hours = [f"{h:02d}" for h in range(24)]
    values = [0] * 24
    values[10] = 75_000
    root = parse(columns_over_time(hours, [("Daring", values), ("Luring", [0] * 24)], title="Jam"))
    assert texts(root) == [
        "Daring",
        "Luring",
        "Rp50 rb",
        "Rp100 rb",
        *[f"{h:02d}" for h in range(0, 24, 3)],
    ]
    assert root.find(f"{SVG}desc").text == "10: Daring Rp75 rb."


def test_columns_with_no_sales_say_so_and_refuse_ragged_series():
    assert columns_over_time(["24 Nov"], [("Daring", [0])], title="x", empty="Belum ada") == (
        '<p class="chart-empty">Belum ada</p>'
    )
    assert columns_over_time([], [], title="x") == (
        f'<p class="chart-empty">{_("Nothing to show yet.")}</p>'
    )
    with pytest.raises(ValueError):
        columns_over_time(["24 Nov", "25 Nov"], [("Daring", [1])], title="x")


# --- the split against the plan ---


def test_split_against_plan_names_each_part_with_its_share():
    root = parse(split_against_plan(1_800_000, 700_000, 70, 30))
    assert texts(root) == [
        _("Actual"),
        f"{_('Online')} 72,0%",
        f"{_('At the venue')} 28,0%",
        _("Planned"),
        f"{_('Online')} 70,0%",
        f"{_('At the venue')} 30,0%",
    ]
    # 72 % of 360 is 259.2; the plan's 70 % is 252 (the dashed mark on the first bar).
    assert [(r["x"], r["width"]) for r in rects(root)] == [
        ("0", "259.2"),
        ("259.2", "100.8"),
        ("0", "252"),
        ("252", "108"),
    ]
    (mark,) = root.findall(f"{SVG}line")  # not the lines of the hatching
    assert mark.get("x1") == "252"
    description = root.find(f"{SVG}desc").text
    assert "72,0% (Rp1,8 jt)" in description and "28,0% (Rp700 rb)" in description


def test_split_against_plan_before_any_sale():
    root = parse(split_against_plan(0, 0, 60, 40, online_label="<Daring>"))
    assert texts(root)[:2] == [_("Actual"), _("No sales yet")]
    assert texts(root)[3:] == ["<Daring> 60,0%", f"{_('At the venue')} 40,0%"]
    assert _("Actual: no sales yet") in root.find(f"{SVG}desc").text


def test_split_shares_round_half_up():
    # 1 of 8 is 12.5 %; 1 of 16 is 6.25 % -> 6.3 %, and 15 of 16 is 93.75 % -> 93.8 %.
    root = parse(split_against_plan(1, 15, 50, 50))
    assert re.findall(r"[\d,]+%", " ".join(texts(root))) == ["6,3%", "93,8%", "50,0%", "50,0%"]
