"""Each page type runs a fixed number of SQL queries, however much it shows.

Two expos are built, one with 3 exhibitors and one with 15 (with products,
images, links, booths and agenda sessions in proportion); every page is
requested on both and must run the same, pinned, number of queries.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gelar.testing import build_expo, make_expo

pytestmark = pytest.mark.django_db

# Page type -> (path under the expo, or None for the expo list, expected queries).
PAGES = {
    # The expos, with their exhibitor counts annotated.
    "expo_list": ("/", 1),
    # expo; sessions; speakers; featured products; their first images;
    # categories; regions; venue/online split.
    "expo_home": ("/expo/{slug}/", 8),
    # expo; category facet; region facet; count; page.
    "directory": ("/expo/{slug}/peserta/", 5),
    "directory_filtered": ("/expo/{slug}/peserta/?province=33&mode=venue&q=umkm&page=1", 5),
    # expo; participation (exhibitor, category, region, booth, hall); links;
    # product count; products; their first images; the hall's booths.
    "booth": ("/expo/{slug}/stan/batik-sekar-jagad{suffix}/", 7),
    # expo; participation; product; its images; other products; their first images.
    "product": ("/expo/{slug}/stan/batik-sekar-jagad{suffix}/kemeja-batik-tulis/", 6),
    # expo; product count; products; first images; exhibitors.
    "search": ("/expo/{slug}/cari/?q=batik", 5),
    # expo; halls; booths with their exhibitors.
    "floor_plan": ("/expo/{slug}/denah/", 3),
}


def count_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.fixture
def small_and_large(db):
    small = build_expo(slug="kecil", suffix="-kecil", extra_exhibitors=1)
    large = build_expo(slug="besar", suffix="-besar", extra_exhibitors=13)
    return small, large


@pytest.mark.parametrize("page", PAGES)
def test_query_count_does_not_grow_with_the_expo(client, small_and_large, page):
    path, expected = PAGES[page]
    small, large = small_and_large
    if page == "expo_list":
        before = count_queries(client, path)
        for i in range(10):
            make_expo(slug=f"tambahan-{i}")
        assert (before, count_queries(client, path)) == (expected, expected)
        return
    counts = [
        count_queries(client, path.format(slug=world.expo.slug, suffix=suffix))
        for world, suffix in ((small, "-kecil"), (large, "-besar"))
    ]
    assert counts == [expected, expected]
