"""Directory filters narrow exactly; search matches word prefixes, folding case and accents."""

import re

import pytest
from django.urls import reverse

from gelar.exhibitors.models import Participation
from gelar.testing import build_expo

pytestmark = pytest.mark.django_db


@pytest.fixture
def big(db):
    # 12 extra exhibitors: 6 at the venue, 6 online, spread over 5 regencies in 3 provinces.
    return build_expo(slug="besar", extra_exhibitors=12)


def names(response) -> list[str]:
    cards = response.content.decode().split('<ul class="grid ex-grid">', 1)
    if len(cards) == 1:
        return []
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', cards[1].split("</ul>")[0])


def directory(client, world, **params):
    return client.get(reverse("public:directory", args=[world.expo.slug]), params)


def accepted(world, **filters):
    rows = Participation.objects.filter(expo=world.expo, status="accepted", **filters)
    return sorted(rows.values_list("exhibitor__name", flat=True))


def test_no_filter_lists_every_accepted_exhibitor_paginated(client, big):
    assert len(accepted(big)) == 14
    response = directory(client, big)
    assert sorted(names(response)) == accepted(big)
    assert "14 peserta" in response.content.decode()


def test_category_filter(client, big):
    response = directory(client, big, category="makanan")
    assert sorted(names(response)) == accepted(big, exhibitor__category__slug="makanan")
    assert 'value="makanan" selected' in response.content.decode()


def test_province_then_regency_filter(client, big):
    response = directory(client, big, province="33")
    assert sorted(names(response)) == accepted(big, exhibitor__region__province_id="33")
    page = response.content.decode()
    # The regency list holds only Central Java's regencies with exhibitors here, by name:
    # Kabupaten Cilacap, Kota Pekalongan, Kota Semarang.
    regency_select = page.split('name="regency"')[1].split("</select>")[0]
    assert re.findall(r'<option value="([\d.]+)"', regency_select) == [
        "33.01",
        "33.75",
        "33.74",
    ]  # by name
    response = directory(client, big, province="33", regency="33.01")
    assert sorted(names(response)) == accepted(big, exhibitor__region_id="33.01")
    assert len(names(response)) == 2


def test_a_regency_alone_implies_its_province(client, big):
    response = directory(client, big, regency="63.72")
    assert sorted(names(response)) == accepted(big, exhibitor__region_id="63.72")
    assert 'value="63" selected' in response.content.decode()


def test_a_regency_outside_the_chosen_province_is_ignored(client, big):
    response = directory(client, big, province="33", regency="63.72")
    assert sorted(names(response)) == accepted(big, exhibitor__region__province_id="33")


def test_mode_filter(client, big):
    venue = directory(client, big, mode="venue")
    online = directory(client, big, mode="online")
    assert sorted(names(venue)) == accepted(big, mode="venue")
    assert sorted(names(online)) == accepted(big, mode="online")
    assert len(names(venue)) == 7 and len(names(online)) == 7


def test_filters_combine_and_show_removable_chips(client, big):
    response = directory(client, big, category="batik-fashion", mode="venue", q="umkm")
    expected = sorted(
        set(accepted(big, exhibitor__category__slug="batik-fashion", mode="venue"))
        & {e.name for e in big.exhibitors}
    )
    assert sorted(names(response)) == expected
    page = response.content.decode()
    assert 'href="?mode=venue&amp;q=umkm">Batik &amp; Fesyen' in page
    assert 'href="?category=batik-fashion&amp;q=umkm">Luring (di lokasi)' in page


def test_unknown_filter_values_are_ignored(client, big):
    response = directory(client, big, category="tidak-ada", province="99", mode="xyz")
    assert sorted(names(response)) == accepted(big)


def test_pagination_has_24_per_page(client, db):
    world = build_expo(slug="halaman", extra_exhibitors=28)
    first = directory(client, world)
    second = directory(client, world, page="2")
    assert len(names(first)) == 24 and len(names(second)) == 6
    assert set(names(first)).isdisjoint(names(second))
    assert 'href="?page=2"' in first.content.decode()
    assert "Halaman 2 dari 2" in second.content.decode()


@pytest.mark.parametrize(
    "q, expected",
    [
        ("sekar", ["Batik Sekar Jagad"]),  # a word in the middle of the name
        ("SEKAR JAG", ["Batik Sekar Jagad"]),  # case, and a prefix of the last word
        ("cafe", ["Amplang Café Banjarbaru"]),  # accents folded
        ("CAFÉ banjar", ["Amplang Café Banjarbaru"]),
        ("atik", []),  # not a word prefix
        ("batik amplang", []),  # every word must match
        ("tenun", []),  # not accepted
    ],
)
def test_directory_text_search(client, world, q, expected):
    assert names(directory(client, world, q=q)) == expected


@pytest.mark.parametrize(
    "q, products, exhibitors",
    [
        ("kemeja", ["Kemeja Batik Tulis Sekar Jagad"], []),
        ("KEMEJA tulis", ["Kemeja Batik Tulis Sekar Jagad"], []),
        ("amplang", ["Amplang Ikan Tenggiri"], ["Amplang Café Banjarbaru"]),
        ("tengg", ["Amplang Ikan Tenggiri"], []),
        ("café", [], ["Amplang Café Banjarbaru"]),
        ("sarung", [], []),  # inactive product
        ("tenun", [], []),  # exhibitor not accepted
        ("primisima", ["Kemeja Batik Tulis Sekar Jagad"], []),  # in the description
    ],
)
def test_search_products_and_exhibitors(client, world, q, products, exhibitors):
    page = client.get(reverse("public:search", args=[world.expo.slug]), {"q": q})
    content = page.content.decode()
    found_exhibitors = re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', content)
    found_products = re.findall(r'<span class="card-title">([^<]+)</span>', content)
    assert (sorted(found_products), found_exhibitors) == (products, exhibitors)
