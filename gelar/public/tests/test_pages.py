"""Every page type: status, exact content, Indonesian by default, English under /en/."""

import datetime
import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from gelar.events.models import Expo
from gelar.testing import at, make_expo

pytestmark = pytest.mark.django_db


def html(response) -> str:
    return response.content.decode()


def url(name, world, *args):
    return reverse(f"public:{name}", args=[world.expo.slug, *args])


def test_expo_list_sorts_expos_into_live_upcoming_and_past(client, world):
    today = timezone.localdate()
    make_expo(
        name="Expo Berlangsung",
        start_date=today - datetime.timedelta(days=1),
        end_date=today + datetime.timedelta(days=1),
    )
    make_expo(
        name="Expo Mendatang",
        start_date=today + datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=31),
    )
    make_expo(name="Expo Rahasia", status=Expo.Status.DRAFT)
    page = html(client.get("/"))
    live, upcoming, past = (
        page.index("Sedang berlangsung"),
        page.index("Akan datang"),
        page.index("Pameran yang telah lewat"),
    )
    assert live < page.index("Expo Berlangsung") < upcoming < page.index("Expo Mendatang") < past
    assert past < page.index("Pekalongan Hybrid Expo 2021")
    assert "Expo Rahasia" not in page
    assert "24–25 November 2021" in page
    assert "Gedung HA Djunaid Convention Center, Kota Pekalongan" in page
    assert "Dinas Perdagangan, Koperasi dan UKM Kota Pekalongan" in page
    # Batik Sekar Jagad at the venue, Amplang online; the applicant is not counted.
    assert "2 peserta · 1 luring, 1 daring" in page
    assert '<html lang="id">' in page


def test_expo_home(client, world):
    page = html(client.get(url("expo_home", world)))
    assert "<h1>Pekalongan Hybrid Expo 2021</h1>" in page
    assert "Rabu, 24 November 2021 – Kamis, 25 November 2021" in page
    assert "Gedung HA Djunaid Convention Center" in page
    assert "Pameran telah selesai — stan tetap buka sebagai mal virtual" in page
    # The stream: privacy-enhanced, lazy, titled; the expo is over, so a replay.
    assert (
        '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" title="Siaran langsung"'
        ' loading="lazy"' in page
    )
    assert "Tayangan ulang" in page
    # The agenda, by day, with speakers and their roles.
    assert "09.00–10.00 WIB" in page
    assert "<strong>Rina Kusuma</strong>, Wali Kota Pekalongan" in page
    assert page.index("Rabu, 24 November 2021</h3>") < page.index("Kamis, 25 November 2021</h3>")
    # Featured products of accepted exhibitors only.
    assert "Kemeja Batik Tulis Sekar Jagad" in page and "Rp150.000" in page
    assert "Tenun Ikat Rahasia" not in page
    # Categories and regions with counts, linked to the filtered directory.
    assert "?category=batik-fashion" in page and "Batik &amp; Fesyen" in page
    assert "Kota Banjarbaru" in page and "Kalimantan Selatan" in page
    assert "30% luring, 70% daring" in page
    assert "1 luring, 1 daring" in page
    assert "Diselenggarakan oleh Dinas Perdagangan, Koperasi dan UKM Kota Pekalongan" in page


def test_expo_home_while_live_shows_what_is_on_air_and_next(client, world, monkeypatch):
    world.expo.status = Expo.Status.LIVE
    world.expo.save()
    monkeypatch.setattr(timezone, "now", lambda: at(24, 9, 30))
    page = html(client.get(url("expo_home", world)))
    assert "Sedang tayang" in page and "Pembukaan Pekalongan Hybrid Expo" in page
    assert "Berikutnya" in page and "Rabu, 24 November 2021, 10.00 WIB" in page
    assert "Pameran telah selesai" not in page


def test_expo_home_plays_an_hls_stream_in_a_video_element(client, world):
    world.expo.stream_url = "https://stream.example.id/expo/index.m3u8"
    world.expo.save()
    page = html(client.get(url("expo_home", world)))
    assert (
        '<video controls playsinline preload="none" src="https://stream.example.id/expo/index.m3u8"'
        in page
    )


def test_directory_lists_accepted_exhibitors(client, world):
    page = html(client.get(url("directory", world)))
    assert "2 peserta" in page
    assert "Batik Sekar Jagad" in page and "Stan A-01" in page
    assert "Amplang Café Banjarbaru" in page and "Daring" in page
    assert "Tenun Belum Diterima" not in page


def test_booth_page(client, world):
    page = html(client.get(url("booth", world, "batik-sekar-jagad")))
    assert "<h1>Batik Sekar Jagad</h1>" in page
    assert "Siti Rahmawati" in page
    assert "NIB terdaftar · 9120001234567" in page
    assert "Stan A-01, Hall Utama" in page
    assert "https://shopee.co.id/batiksekarjagad" in page
    assert 'src="https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"' in page
    assert "Kemeja Batik Tulis Sekar Jagad" in page and "Rp150.000" in page
    assert "Stok habis" in page  # the shawl
    assert "Sarung Lama" not in page  # inactive
    message = (
        "Halo Batik Sekar Jagad, saya melihat stan Anda di Pekalongan Hybrid Expo 2021. "
        "Saya ingin bertanya tentang produk Anda."
    )
    assert f'href="https://wa.me/6281234567890?text={quote(message, safe="")}"' in page
    # Where the booth is: the hall's plan with this booth highlighted.
    assert 'class="booth taken here"' in page
    assert reverse("public:floor_plan", args=[world.expo.slug]) + f"#hall-{world.hall.pk}" in page


def test_an_online_booth_has_no_floor_plan(client, world):
    page = html(client.get(url("booth", world, "amplang-banjarbaru")))
    assert "Daring" in page
    assert "<svg" not in page.split("<main", 1)[1].split("Chat lewat WhatsApp")[1]
    assert "https://wa.me/6285712345678?text=" in page


def test_product_page(client, world):
    page = html(client.get(url("product", world, "batik-sekar-jagad", "kemeja-batik-tulis")))
    assert "<h1>Kemeja Batik Tulis Sekar Jagad</h1>" in page
    assert "Rp150.000" in page and "Sisa 3" in page
    assert "Kemeja lengan panjang, katun primisima." in page
    # First image large, the other two as thumbnails.
    assert page.count('class="main" src="/media/products/kemeja-batik-tulis-0.jpg"') == 1
    assert page.count('<li><a href="/media/products/kemeja-batik-tulis-') == 2
    assert "Selendang Sutra Pesisiran" in page  # another product of the booth
    assert "Sarung Lama" not in page
    message = quote(
        "Halo Batik Sekar Jagad, saya melihat Kemeja Batik Tulis Sekar Jagad (Rp150.000) di stan "
        "Anda di Pekalongan Hybrid Expo 2021. Apakah masih tersedia? ",
        safe="",
    )
    assert f"https://wa.me/6281234567890?text={message}http" in page


def test_sold_out_product(client, world):
    page = html(client.get(url("product", world, "batik-sekar-jagad", "selendang")))
    assert "Stok habis" in page


def test_search_page(client, world):
    page = html(client.get(url("search", world), {"q": "batik"}))
    assert "Batik Sekar Jagad" in page
    assert "Kemeja Batik Tulis Sekar Jagad" in page
    assert "Tenun" not in page


def test_search_without_words_is_friendly(client, world):
    for q in ("", "   ", "🙂", "%%%"):
        response = client.get(url("search", world), {"q": q})
        assert response.status_code == 200
        assert "misalnya “batik”" in html(response)


def test_floor_plan(client, world):
    page = html(client.get(url("floor_plan", world)))
    assert '<svg xmlns="http://www.w3.org/2000/svg" viewBox=' in page
    assert 'role="img" aria-labelledby="hall-' in page
    assert "Denah Hall Utama: 2 stan, 1 terisi</title>" in page
    assert ">A-01</text>" in page and ">A-99</text>" in page
    assert ">Kosong</text>" in page
    booth_url = reverse("public:booth", args=[world.expo.slug, "batik-sekar-jagad"])
    # The booth is linked in the drawing and in the list beside it.
    assert page.count(f'href="{booth_url}"') == 2
    assert "Tenun Belum Diterima" not in page


def test_a_refused_exhibitor_keeps_no_booth_on_the_plan(client, world):
    participation = world.batik.participations.get()
    participation.status = "withdrawn"
    participation.save()
    page = html(client.get(url("floor_plan", world)))
    assert "Batik Sekar Jagad" not in page
    assert "Denah Hall Utama: 2 stan, 0 terisi" in page


def test_english_pages(client, world):
    page = html(client.get(f"/en/expo/{world.expo.slug}/"))
    assert '<html lang="en">' in page
    assert "Wednesday, 24 November 2021 – Thursday, 25 November 2021" in page
    assert "09:00–10:00 WIB" in page
    assert "Featured products" in page and "Replay" in page
    assert "The expo has ended — the booths stay open as a virtual mall" in page
    assert "Batik &amp; Fashion" in page
    assert f'href="/expo/{world.expo.slug}/" hreflang="id"' in page  # back to Indonesian
    booth = html(client.get(f"/en/expo/{world.expo.slug}/stan/batik-sekar-jagad/"))
    message = quote(
        "Hello Batik Sekar Jagad, I saw your booth at Pekalongan Hybrid Expo 2021. "
        "I would like to ask about your products.",
        safe="",
    )
    assert f"https://wa.me/6281234567890?text={message}" in booth
    assert "Sold out" in booth and "NIB registered" in booth


def test_language_switch_keeps_the_page_and_query(client, world):
    page = html(client.get(f"/expo/{world.expo.slug}/peserta/?mode=venue"))
    assert f'href="/en/expo/{world.expo.slug}/peserta/?mode=venue" hreflang="en"' in page


@pytest.mark.parametrize(
    "path",
    [
        "/expo/tidak-ada/",
        "/expo/tidak-ada/peserta/",
        "/expo/{expo}/stan/tidak-ada/",
        "/expo/{expo}/stan/batik-sekar-jagad/tidak-ada/",
        "/expo/{expo}/stan/tenun-belum-diterima/",  # applied, not accepted
        "/expo/{expo}/stan/tenun-belum-diterima/tenun-ikat/",
        "/expo/{expo}/stan/batik-sekar-jagad/sarung-lama/",  # inactive product
        "/expo/{expo}/stan/amplang-banjarbaru/kemeja-batik-tulis/",  # another booth's product
        "/halaman-yang-tidak-ada/",
    ],
)
def test_not_found_pages_are_in_indonesian(client, world, path):
    response = client.get(path.format(expo=world.expo.slug))
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in html(response)
    assert "tidak ditemukan" in html(response)


def test_a_draft_expo_is_not_found(client, db):
    expo = make_expo(slug="draf", status=Expo.Status.DRAFT)
    for name in ("expo_home", "directory", "search", "floor_plan"):
        assert client.get(reverse(f"public:{name}", args=[expo.slug])).status_code == 404


def test_a_booth_is_not_found_in_an_expo_it_is_not_accepted_in(client, world):
    other = make_expo(slug="expo-lain")
    assert client.get(f"/expo/{other.slug}/stan/batik-sekar-jagad/").status_code == 404


def test_a_closed_expo_stays_browsable_as_a_virtual_mall(client, world):
    world.expo.status = Expo.Status.CLOSED
    world.expo.save()
    for name, args in [
        ("expo_home", []),
        ("directory", []),
        ("booth", ["batik-sekar-jagad"]),
        ("product", ["batik-sekar-jagad", "kemeja-batik-tulis"]),
    ]:
        page = html(client.get(url(name, world, *args)))
        assert "Pameran telah selesai — stan tetap buka sebagai mal virtual" in page


def test_english_404(client, db):
    response = client.get("/en/expo/does-not-exist/")
    assert response.status_code == 404
    assert "Page not found" in html(response)


def test_pages_have_one_h1_a_skip_link_and_a_main_landmark(client, world):
    for path in [
        "/",
        url("expo_home", world),
        url("directory", world),
        url("booth", world, "batik-sekar-jagad"),
        url("product", world, "batik-sekar-jagad", "kemeja-batik-tulis"),
        url("search", world) + "?q=batik",
        url("floor_plan", world),
    ]:
        page = html(client.get(path))
        assert page.count("<h1") == 1, path
        assert '<a class="skip" href="#main">Langsung ke konten</a>' in page
        assert '<main id="main"' in page
        for img in page.split("<img")[1:]:
            tag = img.split(">")[0]
            assert 'alt="' in tag and 'width="' in tag and 'height="' in tag, tag
            assert 'loading="lazy"' in tag, tag


def test_the_expo_home_is_light(client, db):
    """HTML + CSS + JS of the expo home stay far below the 150 KB budget, even for a big expo."""
    from django.contrib.staticfiles import finders

    from gelar.testing import build_expo

    world = build_expo(slug="ringan", extra_exhibitors=20)
    page = client.get(f"/expo/{world.expo.slug}/").content
    assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', page)
    weight = len(page) + sum(Path(finders.find(a.decode())).stat().st_size for a in assets)
    # The stylesheet and the visit beacon (static/js/visit.js, under 1 KB).
    assert assets == [b"css/gelar.css", b"js/visit.js"]
    assert weight < 60_000


def test_the_500_page_renders_without_a_request(db):
    from django.template.loader import render_to_string

    page = render_to_string("500.html")
    assert '<html lang="id">' in page and "Terjadi kesalahan" in page


def test_pages_cope_with_missing_optional_data(client, world):
    """No image, no logo, no venue, no stream, no agenda, an unusable WhatsApp number."""
    from gelar.testing import make_product

    bare = make_product(exhibitor=world.amplang, name="Tanpa Foto", slug="tanpa-foto", images=0)
    world.amplang.whatsapp = "021-555-1234"  # a landline: no chat button rather than a bad link
    world.amplang.save()
    world.expo.stream_url = ""
    world.expo.venue_name = ""
    world.expo.venue_region = None
    world.expo.save()
    world.expo.sessions.all().delete()
    world.expo.halls.all().delete()
    booth = html(client.get(url("booth", world, "amplang-banjarbaru")))
    assert "wa.me" not in booth
    product = html(client.get(url("product", world, "amplang-banjarbaru", bare.slug)))
    assert '<span class="ph main" aria-hidden="true"></span>' in product
    home = html(client.get(url("expo_home", world)))
    assert "<iframe" not in home and "Agenda" not in home
    plan = html(client.get(url("floor_plan", world)))
    assert "Pameran ini tidak memiliki denah" in plan
