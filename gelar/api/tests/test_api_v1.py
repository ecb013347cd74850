import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gelar.events.models import Expo
from gelar.testing import build_expo

pytestmark = pytest.mark.django_db
SLUG = "pekalongan-hybrid-expo-2021"


@pytest.fixture
def world():
    return build_expo(slug=SLUG)


def test_openapi_document_describes_every_endpoint(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["info"]["title"] == "Gelar API"
    assert set(document["paths"]) == {
        "/api/v1/expos",
        "/api/v1/expos/{slug}",
        "/api/v1/expos/{slug}/exhibitors",
        "/api/v1/expos/{slug}/exhibitors/{exhibitor_slug}",
        "/api/v1/expos/{slug}/exhibitors/{exhibitor_slug}/products",
        "/api/v1/expos/{slug}/exhibitors/{exhibitor_slug}/products/{product_slug}",
        "/api/v1/expos/{slug}/products",
        "/api/v1/expos/{slug}/checkout",
        "/api/v1/orders/{token}",
        "/api/v1/orders/{token}/{number}/pay",
        "/api/v1/live/sessions/{session_id}",
        "/api/v1/live/sessions/{session_id}/viewer",
        "/api/v1/live/sessions/{session_id}/chat",
        "/api/v1/live/pins/{pin_id}/click",
        "/api/v1/payments/midtrans/notification",
        "/api/v1/gate/tickets",
        "/api/v1/gate/scan",
        "/api/v1/gate/sync",
        "/api/v1/pos/{exhibitor_slug}/{expo_slug}/catalogue",
        "/api/v1/pos/{exhibitor_slug}/{expo_slug}/sales",
        "/api/v1/pos/{exhibitor_slug}/{expo_slug}/sync",
        "/api/v1/regions/provinces",
        "/api/v1/regions/provinces/{code}/regencies",
    }
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    # The docs page's assets are served by the app, never from a CDN.
    assert b"/static/ninja/swagger-ui-bundle.js" in docs.content
    assert b"cdn" not in docs.content.lower()


def test_expo_list_hides_drafts(client, world):
    build_expo(slug="draft-expo", suffix="-d", status=Expo.Status.DRAFT)
    body = client.get("/api/v1/expos").json()
    assert body["count"] == 1
    expo = body["results"][0]
    assert expo["slug"] == SLUG
    assert expo["phase"] == "upcoming" or expo["phase"] in ("live", "past")
    assert expo["planned_venue_percent"] == 30
    assert expo["planned_online_percent"] == 70
    assert expo["url"] == f"http://testserver/expo/{SLUG}/"
    assert client.get("/api/v1/expos/draft-expo").status_code == 404


def test_expo_detail_has_agenda_in_the_expo_zone(client, world):
    body = client.get(f"/api/v1/expos/{SLUG}").json()
    assert body["name"] == "Pekalongan Hybrid Expo 2021"
    assert body["sessions"][0]["title"] == "Pembukaan Pekalongan Hybrid Expo"
    assert body["sessions"][0]["starts_at"] == "2021-11-24T09:00:00+07:00"
    assert body["sessions"][0]["speakers"] == [
        {"name": "Rina Kusuma", "role": "Wali Kota Pekalongan"},
        {"name": "Dewi Lestari", "role": "Ketua Dekranasda"},
    ]
    assert [s["title"] for s in body["sessions"]] == [
        "Pembukaan Pekalongan Hybrid Expo",
        "Promosi Produk UMKM oleh Wali Kota",
        "Talkshow Batik Naik Kelas",
    ]


def test_exhibitors_are_the_accepted_ones_and_filter_like_the_directory(client, world):
    body = client.get(f"/api/v1/expos/{SLUG}/exhibitors").json()
    assert [e["name"] for e in body["results"]] == ["Amplang Café Banjarbaru", "Batik Sekar Jagad"]
    batik = body["results"][1]
    assert batik["mode"] == "venue"
    assert batik["booth_code"] == "A-01"
    assert batik["region"] == {"code": "33.75", "name": "Kota Pekalongan", "province_code": "33"}
    venue = client.get(f"/api/v1/expos/{SLUG}/exhibitors?mode=venue").json()
    assert [e["slug"] for e in venue["results"]] == ["batik-sekar-jagad"]
    kalsel = client.get(f"/api/v1/expos/{SLUG}/exhibitors?province=63").json()
    assert [e["slug"] for e in kalsel["results"]] == ["amplang-banjarbaru"]
    found = client.get(f"/api/v1/expos/{SLUG}/exhibitors?q=cafe").json()
    assert [e["slug"] for e in found["results"]] == ["amplang-banjarbaru"]


def test_exhibitor_detail_and_its_products(client, world):
    body = client.get(f"/api/v1/expos/{SLUG}/exhibitors/batik-sekar-jagad").json()
    assert body["whatsapp"] == "6281234567890"
    assert body["links"] == [{"kind": "shopee", "url": "https://shopee.co.id/batiksekarjagad"}]
    products = client.get(f"/api/v1/expos/{SLUG}/exhibitors/batik-sekar-jagad/products").json()
    # In stock first, inactive products never.
    assert [p["slug"] for p in products["results"]] == ["kemeja-batik-tulis", "selendang"]
    assert products["results"][0]["price"] == 150000
    assert products["results"][0]["stock"] == 3
    assert products["results"][1]["in_stock"] is False
    applicant = client.get(f"/api/v1/expos/{SLUG}/exhibitors/tenun-belum-diterima")
    assert applicant.status_code == 404
    assert applicant.json() == {"detail": "Peserta tidak ditemukan di pameran ini."}


def test_product_detail_and_search(client, world):
    url = f"/api/v1/expos/{SLUG}/exhibitors/batik-sekar-jagad/products/kemeja-batik-tulis"
    body = client.get(url).json()
    assert body["name"] == "Kemeja Batik Tulis Sekar Jagad"
    assert len(body["images"]) == 3
    assert body["image"] == body["images"][0]
    hidden = client.get(f"/api/v1/expos/{SLUG}/exhibitors/batik-sekar-jagad/products/sarung-lama")
    assert hidden.status_code == 404
    found = client.get(f"/api/v1/expos/{SLUG}/products?q=BATIK tul").json()
    assert [p["slug"] for p in found["results"]] == ["kemeja-batik-tulis"]
    everything = client.get(f"/api/v1/expos/{SLUG}/products").json()
    assert everything["count"] == 3  # the applicant's and the inactive products are not public


def test_pagination(client, world):
    body = client.get(f"/api/v1/expos/{SLUG}/products?per_page=2&page=2").json()
    assert (body["count"], body["page"], body["pages"], body["per_page"]) == (3, 2, 2, 2)
    assert len(body["results"]) == 1
    beyond = client.get(f"/api/v1/expos/{SLUG}/products?per_page=2&page=50").json()
    assert beyond["page"] == 2


def test_regions(client):
    provinces = client.get("/api/v1/regions/provinces").json()
    assert len(provinces) == 38
    assert {"code": "33", "name": "Jawa Tengah"} in provinces
    regencies = client.get("/api/v1/regions/provinces/63/regencies").json()
    assert {"code": "63.72", "name": "Kota Banjarbaru", "province_code": "63"} in regencies
    assert len(regencies) == 13


@pytest.mark.parametrize(
    ("query", "status", "field"),
    [
        ("page=abc", 422, "page"),
        ("page=0", 422, "page"),
        ("per_page=1000", 422, "per_page"),
        ("mode=xyz", 400, None),
        ("category=tidak-ada", 400, None),
        ("regency=99.99", 400, None),
        ("q=" + "x" * 300, 422, "q"),
    ],
)
def test_bad_parameters_get_a_clear_error_in_indonesian(client, world, query, status, field):
    response = client.get(f"/api/v1/expos/{SLUG}/exhibitors?{query}")
    assert response.status_code == status
    body = response.json()
    if field:
        assert body["detail"] == "Permintaan memuat parameter yang tidak valid."
        assert [e["field"] for e in body["errors"]] == [field]
        assert body["errors"][0]["message"] in {
            "Harus berupa bilangan bulat.",
            "Paling kecil 1.",
            "Paling besar 100.",
            "Paling banyak 200 karakter.",
        }
    else:
        assert body["detail"].startswith("Nilai ")
        assert "tidak dikenal di pameran ini" in body["detail"]


@pytest.mark.parametrize(
    "query",
    ["q=%00", "q=%F0%9F%98%80%E2%80%8F", "page=-1", "page=%00", "province=%27%3B--", "q=' OR 1=1"],
)
def test_odd_input_never_500(client, world, query):
    for path in (
        f"/api/v1/expos/{SLUG}/exhibitors",
        f"/api/v1/expos/{SLUG}/products",
        "/api/v1/expos",
    ):
        assert client.get(f"{path}?{query}").status_code < 500


def test_list_endpoints_run_a_constant_number_of_queries(client):
    small = build_expo(slug="small", suffix="-s")
    large = build_expo(slug="large", suffix="-l", extra_exhibitors=12)
    for path in ("exhibitors", "products"):
        counts = []
        for world in (small, large):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"/api/v1/expos/{world.expo.slug}/{path}")
            assert response.status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1], path
