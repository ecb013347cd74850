"""Odd, hostile or broken input on every public URL never makes a server error."""

import pytest
from django.test import Client

from gelar.testing import build_expo

pytestmark = pytest.mark.django_db

ODD_VALUES = [
    "-1",
    "0",
    "abc",
    "999999",
    "1.5",
    "1e9",
    "<script>alert(1)</script>",
    "\x00",
    "%00",
    "99.99",
    "xyz",
    "🙂🎉",
    "\u202eشسب\u202c",  # right-to-left override and Arabic
    "a\u200bb\u200d",  # zero-width space and joiner
    "x" * 5000,
    "' OR 1=1 --",
    "'; DROP TABLE catalog_product; --",
    "%_\\",
    "batik:* & !",
    "((",
    " ",
]
PARAMS = ["page", "category", "province", "regency", "mode", "q"]


@pytest.fixture
def paths(db):
    world = build_expo(slug="pekalongan", extra_exhibitors=2)
    expo = f"/expo/{world.expo.slug}"
    booth = f"{expo}/stan/batik-sekar-jagad"
    pages = [
        "/",
        f"{expo}/",
        f"{expo}/peserta/",
        f"{expo}/cari/",
        f"{expo}/denah/",
        f"{booth}/",
        f"{booth}/kemeja-batik-tulis/",
    ]
    return pages + [f"/en{p}" for p in pages]


def test_every_odd_value_in_every_parameter_on_every_page(paths):
    client = Client(raise_request_exception=False)
    for path in paths:
        for value in ODD_VALUES:
            response = client.get(path, {name: value for name in PARAMS})
            assert response.status_code == 200, (path, value)


def test_each_parameter_alone_where_parameters_matter(paths):
    client = Client(raise_request_exception=False)
    expo = paths[1]
    for path in (f"{expo}peserta/", f"{expo}cari/"):
        for value in ODD_VALUES:
            for name in PARAMS:
                response = client.get(path, {name: value})
                assert response.status_code == 200, (path, name, value)
            # An odd regency within a valid province, and the other way round.
            for params in (
                {"province": "33", "regency": value},
                {"province": value, "regency": "33.75"},
            ):
                assert client.get(path, params).status_code == 200, (path, params)


def test_repeated_and_combined_parameters(paths):
    client = Client(raise_request_exception=False)
    query = (
        "page=1&page=abc&category=makanan&category=%3Cscript%3E&province=33&province=%00"
        "&regency=99.99&regency=33.75&mode=xyz&mode=venue&q=batik&q=%F0%9F%99%82&q=%00"
    )
    for path in paths:
        assert client.get(f"{path}?{query}").status_code == 200, path


def test_broken_encodings_and_odd_paths(paths):
    client = Client(raise_request_exception=False)
    for path in paths:
        for query in ("q=%ff%fe", "q=%", "page=%E2%82", "=&&=&q", "q[]=1&page[]=2"):
            assert client.get(f"{path}?{query}").status_code == 200, (path, query)
    for path in (
        "/expo/%00/",
        "/expo/..%2F..%2Fetc%2Fpasswd/",
        "/expo/pekalongan/stan/%3Cscript%3E/",
        "/expo/pekalongan/stan/batik-sekar-jagad/%F0%9F%99%82/",
        "/expo/" + "x" * 3000 + "/",
        "/en/expo/pekalongan/stan/tidak-ada/",
    ):
        assert client.get(path).status_code == 404, path


def test_hostile_values_are_escaped_in_the_page(paths):
    client = Client()
    expo = paths[1]
    for path in (f"{expo}cari/", f"{expo}peserta/"):
        page = client.get(path, {"q": "<script>alert(1)</script>"}).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
