"""Bulk inquiries, the pages: the buyer's form on a booth and their inquiry's page; the
exhibitor's list and detail with the owner, a teammate and an outsider on every URL."""

import re
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from gelar.reports.models import Inquiry
from gelar.reports.services import inquiry_submit
from gelar.reports.tests import collect_world
from gelar.reports.tests.collect_world import db_state

pytestmark = [pytest.mark.django_db]
world = collect_world.world

FORM = {
    "product": "kemeja-batik-tulis",
    "buyer_name": "Rina Kusuma",
    "company": "Toko Batik Rina",
    "buyer_whatsapp": "0812 3456 7890",
    "buyer_email": "rina@example.com",
    "quantity": "200 pcs",
    "message": "Boleh minta harga grosir untuk seragam kantor?",
}


def new_url(world, exhibitor=None) -> str:
    return reverse("public:inquiry_new", args=[world.expo.slug, (exhibitor or world.batik).slug])


def html(response) -> str:
    return response.content.decode()


def an_inquiry(world, **changes) -> Inquiry:
    values = {
        "expo": world.expo,
        "exhibitor": world.batik,
        "product": world.shirt,
        "buyer_name": "Rina Kusuma",
        "company": "Toko Batik Rina",
        "buyer_whatsapp": "081234567890",
        "buyer_email": "rina@example.com",
        "quantity": "200 pcs",
        "message": "Boleh minta harga grosir?",
    }
    values.update(changes)
    return inquiry_submit(**values)


# --- the buyer's side ---


def test_the_booth_and_product_pages_link_to_the_form(client, world):
    booth = client.get(reverse("public:booth", args=[world.expo.slug, world.batik.slug]))
    assert f'href="{new_url(world)}"' in html(booth)
    assert _("Bulk order / ask for a quote") in html(booth)
    product = client.get(
        reverse("public:product", args=[world.expo.slug, world.batik.slug, "kemeja-batik-tulis"])
    )
    assert f'href="{new_url(world)}?product=kemeja-batik-tulis"' in html(product)


def test_the_form_is_prefilled_with_the_product(client, world):
    response = client.get(new_url(world) + "?product=kemeja-batik-tulis")
    assert response.status_code == 200
    assert '<option value="kemeja-batik-tulis" selected>' in html(response)
    # Only the booth's products on sale are offered.
    assert "selendang" in html(response) and "sarung-lama" not in html(response)
    stale = client.get(new_url(world) + "?product=sarung-lama")
    assert stale.status_code == 200
    assert "selected>" not in re.sub(r'<option value="" selected>', "", html(stale))


def test_unknown_expos_and_booths_not_accepted_are_404(client, world):
    assert client.get(new_url(world, world.applicant)).status_code == 404
    assert client.get("/expo/no-such/stan/batik-sekar-jagad/grosir/").status_code == 404
    assert client.post(new_url(world, world.applicant), FORM).status_code == 404
    assert Inquiry.objects.count() == 0


def test_sending_the_form_leads_to_the_buyers_page(client, world, mailoutbox):
    response = client.post(new_url(world), FORM)
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/permintaan/{inquiry.token}/"
    assert (inquiry.product, inquiry.buyer_whatsapp, inquiry.exhibitor) == (
        world.shirt,
        "6281234567890",
        world.batik,
    )
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page["X-Robots-Tag"] == "noindex"
    assert page["Referrer-Policy"] == "no-referrer"
    text = html(page)
    assert _("Sent, waiting for the seller's answer") in text
    assert escape(FORM["message"]) in text
    assert (
        escape(
            _("Your inquiry is sent to %(business)s. Keep this page's link.")
            % {"business": "Batik Sekar Jagad"}
        )
        in text
    )


def test_the_buyer_sees_the_answer_and_the_deal(client, world):
    inquiry = an_inquiry(world)
    Inquiry.objects.filter(pk=inquiry.pk).update(
        status="won", answer="Bisa, Rp120.000/pcs.", quoted_value=24_000_000, won_value=23_000_000
    )
    text = html(client.get(reverse("public:inquiry", args=[inquiry.token])))
    assert "Bisa, Rp120.000/pcs." in text
    assert _("Deal agreed") in text
    assert "Rp24.000.000" in text and "Rp23.000.000" in text


@pytest.mark.parametrize("token", ["x" * 32, "short", "a" * 33, "%00" * 11])
def test_unknown_and_malformed_tokens_are_404(client, world, token):
    an_inquiry(world)
    assert client.get(f"/permintaan/{token}/").status_code == 404


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"buyer_whatsapp": "021 555 1234"},
            "buyer_whatsapp",
            "Enter an Indonesian mobile number, for example 0812 3456 7890.",
        ),
        ({"message": ""}, "message", "Write your message to the seller."),
        ({"buyer_name": "  "}, "buyer_name", "Enter your name."),
        ({"quantity": ""}, "quantity", "Say how many you need."),
        ({"product": "selendang-palsu"}, "product", "Choose a product of this booth."),
    ],
)
def test_bad_input_is_400_in_indonesian_and_keeps_what_was_typed(
    client, world, changes, field, message
):
    response = client.post(new_url(world), {**FORM, **changes})
    assert response.status_code == 400
    text = html(response)
    assert escape(_(message)) in text
    assert escape(_("Check the fields marked below.")) in text
    assert 'value="Toko Batik Rina"' in text
    assert Inquiry.objects.count() == 0


def test_a_sixth_inquiry_the_same_day_is_429_with_the_reason(client, world):
    for n in range(5):
        assert (
            client.post(new_url(world), {**FORM, "message": f"Pertanyaan {n}"}).status_code == 302
        )
    response = client.post(new_url(world), {**FORM, "message": "Pertanyaan 6"})
    assert response.status_code == 429
    expected = _(
        "You have already sent %(count)s inquiries to this booth today. "
        "Please wait for their answer, or try again tomorrow."
    ) % {"count": 5}
    assert escape(expected) in html(response)
    assert Inquiry.objects.count() == 5


def test_a_double_submit_makes_one_inquiry(client, world):
    first = client.post(new_url(world), FORM)
    second = client.post(new_url(world), FORM)
    assert first["Location"] == second["Location"]
    assert Inquiry.objects.count() == 1


# --- the exhibitor's side: owner, teammate, outsider ---


def test_the_nav_links_to_the_inquiries(client, world):
    client.force_login(world.owner)
    response = client.get(reverse("dashboard:exhibitor", args=[world.batik.slug]))
    assert f'href="{reverse("dashboard:inquiries", args=[world.batik.slug])}"' in html(response)


@pytest.mark.parametrize("who", ["owner", "staff"])
def test_the_team_lists_their_inquiries_by_status(client, world, who):
    mine = an_inquiry(world)
    quoted = an_inquiry(world, buyer_name="Hendra Wijaya", message="Harga 1000 pcs?")
    Inquiry.objects.filter(pk=quoted.pk).update(status="quoted", quoted_value=90_000_000)
    an_inquiry(world, exhibitor=world.amplang, product=None, buyer_name="Pembeli Amplang")
    client.force_login(getattr(world, who))
    url = reverse("dashboard:inquiries", args=[world.batik.slug])
    response = client.get(url)
    assert response.status_code == 200
    text = html(response)
    assert "Rina Kusuma" in text and "Hendra Wijaya" in text and "Pembeli Amplang" not in text
    assert reverse("dashboard:inquiry", args=[world.batik.slug, mine.pk]) in text
    # Tabs with counts: all 2, new 1, quoted 1.
    assert re.search(r'href="\?"[^>]*>[^<]+<span class="count">2</span>', text)
    assert re.search(r'href="\?status=new"[^>]*>[^<]+<span class="count">1</span>', text)
    assert re.search(r'href="\?status=quoted"[^>]*>[^<]+<span class="count">1</span>', text)
    only_quoted = html(client.get(url + "?status=quoted"))
    assert "Hendra Wijaya" in only_quoted and "Rina Kusuma" not in only_quoted
    assert "Rp90.000.000" in only_quoted
    # An unknown status is no filter.
    assert "Rina Kusuma" in html(client.get(url + "?status=bogus"))


def test_the_outsider_and_anonymous_see_nothing(client, world):
    inquiry = an_inquiry(world)
    before = db_state()
    list_url = reverse("dashboard:inquiries", args=[world.batik.slug])
    detail_url = reverse("dashboard:inquiry", args=[world.batik.slug, inquiry.pk])
    anonymous = client.get(detail_url)
    assert anonymous.status_code == 302 and "/akun/login/" in anonymous["Location"]
    client.force_login(world.outsider)
    assert client.get(list_url).status_code == 404
    assert client.get(detail_url).status_code == 404
    assert client.post(detail_url, {"action": "answer", "answer": "Saya bukan"}).status_code == 404
    assert (
        client.post(detail_url, {"action": "mark", "status": "won", "value": "1.000"}).status_code
        == 404
    )
    # Their own business's URL with another business's inquiry number: 404 too.
    other_url = reverse("dashboard:inquiry", args=[world.amplang.slug, inquiry.pk])
    assert client.get(other_url).status_code == 404
    assert client.post(other_url, {"action": "answer", "answer": "x"}).status_code == 404
    assert db_state() == before


def test_the_detail_shows_the_buyer_and_a_whatsapp_link(client, world):
    inquiry = an_inquiry(world)
    client.force_login(world.staff)
    response = client.get(reverse("dashboard:inquiry", args=[world.batik.slug, inquiry.pk]))
    assert response.status_code == 200
    text = html(response)
    assert "+6281234567890" in text and "rina@example.com" in text
    message = _(
        "Hello %(name)s, this is %(business)s about your bulk inquiry at %(expo)s on Gelar."
    ) % {"name": "Rina Kusuma", "business": "Batik Sekar Jagad", "expo": world.expo.name}
    assert escape(f"https://wa.me/6281234567890?text={quote(message, safe='')}") in text


def test_the_owner_answers_and_the_buyer_is_emailed(
    client, world, mailoutbox, django_capture_on_commit_callbacks
):
    inquiry = an_inquiry(world)
    client.force_login(world.owner)
    url = reverse("dashboard:inquiry", args=[world.batik.slug, inquiry.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"action": "answer", "answer": "Bisa, Rp120.000/pcs."})
    assert (response.status_code, response["Location"]) == (302, url)
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.answer) == ("answered", "Bisa, Rp120.000/pcs.")
    assert [m.to for m in mailoutbox] == [["rina@example.com"]]


def test_the_teammate_marks_it_won_with_a_value(client, world):
    inquiry = an_inquiry(world)
    client.force_login(world.staff)
    url = reverse("dashboard:inquiry", args=[world.batik.slug, inquiry.pk])
    response = client.post(url, {"action": "mark", "status": "won", "value": "Rp12.500.000"})
    assert response.status_code == 302
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.won_value) == ("won", 12_500_000)
    page = html(client.get(url))
    assert escape(_("The inquiry is now: %(status)s.") % {"status": _("Won")}) in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"status": "won", "value": ""}, "Enter the value of the deal."),
        ({"status": "won", "value": "12,5"}, "Enter the value in whole Rupiah, e.g. 12.500.000."),
        ({"status": "lost", "reason": ""}, "Say in a few words why it was lost."),
        ({"status": "answered"}, "This inquiry cannot be marked so now."),
        ({}, "Choose quoted, won or lost."),
    ],
)
def test_bad_marks_are_400_in_indonesian(client, world, data, message):
    inquiry = an_inquiry(world)
    client.force_login(world.owner)
    url = reverse("dashboard:inquiry", args=[world.batik.slug, inquiry.pk])
    response = client.post(url, {"action": "mark", **data})
    assert response.status_code == 400
    assert escape(_(message)) in html(response)
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.won_value, inquiry.lost_reason) == ("new", None, "")


def test_a_lost_inquiry_offers_only_won(client, world):
    inquiry = an_inquiry(world)
    Inquiry.objects.filter(pk=inquiry.pk).update(status="lost", lost_reason="Mahal")
    client.force_login(world.owner)
    url = reverse("dashboard:inquiry", args=[world.batik.slug, inquiry.pk])
    text = html(client.get(url))
    assert 'value="won"' in text and 'value="quoted"' not in text
    response = client.post(url, {"action": "mark", "status": "quoted", "value": "1.000"})
    assert response.status_code == 400
    inquiry.refresh_from_db()
    assert inquiry.status == "lost"


def test_an_empty_answer_and_an_unknown_action_are_400(client, world):
    inquiry = an_inquiry(world)
    client.force_login(world.owner)
    url = reverse("dashboard:inquiry", args=[world.batik.slug, inquiry.pk])
    response = client.post(url, {"action": "answer", "answer": "  "})
    assert response.status_code == 400
    assert escape(_("Write an answer.")) in html(response)
    assert client.post(url, {"action": "delete"}).status_code == 400
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.answer) == ("new", "")
