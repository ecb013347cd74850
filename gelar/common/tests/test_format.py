import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import translation

from gelar.common.templatetags.gelar_format import date_range, jam, jam_range, rupiah, tanggal

UTC = datetime.UTC


@pytest.mark.parametrize(
    "value, expected",
    [
        (150000, "Rp150.000"),
        (0, "Rp0"),
        (999, "Rp999"),
        (1000, "Rp1.000"),
        (1234567890, "Rp1.234.567.890"),
        (-5000, "-Rp5.000"),
        ("25000", "Rp25.000"),
        (None, ""),
        ("", ""),
        ("abc", ""),
    ],
)
def test_rupiah(value, expected):
    assert rupiah(value) == expected


def test_tanggal_in_indonesian_and_english():
    day = datetime.date(2021, 11, 24)
    with translation.override("id"):
        assert tanggal(day) == "Rabu, 24 November 2021"
        assert tanggal(datetime.date(2021, 12, 5)) == "Minggu, 5 Desember 2021"
    with translation.override("en"):
        assert tanggal(day) == "Wednesday, 24 November 2021"
    assert tanggal(None) == ""


def test_tanggal_of_an_instant_uses_the_expo_zone():
    # 23 November 20:00 UTC is already Wednesday 24 November in Jakarta.
    instant = datetime.datetime(2021, 11, 23, 20, 0, tzinfo=UTC)
    with translation.override("id"):
        assert tanggal(instant, "Asia/Jakarta") == "Rabu, 24 November 2021"


def test_jam_converts_to_the_zone_and_names_it():
    instant = datetime.datetime(2021, 11, 24, 2, 0, tzinfo=UTC)
    with translation.override("id"):
        assert jam(instant, "Asia/Jakarta") == "09.00 WIB"
        assert jam(instant, "Asia/Makassar") == "10.00 WITA"
        assert jam(instant, "Asia/Jayapura") == "11.00 WIT"
    with translation.override("en"):
        assert jam(instant, "Asia/Jakarta") == "09:00 WIB"
        assert jam(None, "Asia/Jakarta") == ""
        # An unknown zone leaves the instant as it is, named by its own zone.
        assert jam(instant, "Not/AZone") == "02:00 UTC"


def test_jam_range_names_the_zone_once():
    wib = zoneinfo.ZoneInfo("Asia/Jakarta")
    start = datetime.datetime(2021, 11, 24, 9, 0, tzinfo=wib)
    end = datetime.datetime(2021, 11, 24, 10, 30, tzinfo=wib)
    with translation.override("id"):
        assert jam_range(start, end, "Asia/Jakarta") == "09.00–10.30 WIB"
    with translation.override("en"):
        assert jam_range(start, end, "Asia/Jakarta") == "09:00–10:30 WIB"


def test_date_range():
    d = datetime.date
    with translation.override("id"):
        assert date_range(d(2021, 11, 24), d(2021, 11, 25)) == "24–25 November 2021"
        assert date_range(d(2021, 11, 24), d(2021, 11, 24)) == "24 November 2021"
        assert date_range(d(2021, 11, 30), d(2021, 12, 2)) == "30 November – 2 Desember 2021"
        assert date_range(d(2021, 12, 31), d(2022, 1, 1)) == "31 Desember 2021 – 1 Januari 2022"


def test_filters_in_a_template():
    template = Template(
        "{% load gelar_format %}{{ price|rupiah }} | {{ when|jam:zone }} | {{ day|tanggal }}"
    )
    context = Context(
        {
            "price": 150000,
            "when": datetime.datetime(2021, 11, 24, 2, 0, tzinfo=UTC),
            "zone": "Asia/Jakarta",
            "day": datetime.date(2021, 11, 25),
        }
    )
    with translation.override("id"):
        assert template.render(context) == "Rp150.000 | 09.00 WIB | Kamis, 25 November 2021"
