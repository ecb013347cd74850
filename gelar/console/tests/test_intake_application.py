"""One application: profile, documents behind access, products, history, decisions."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.urls import reverse

from gelar.audit.models import AuditEntry
from gelar.console.tests.intake_world import (
    build_intake,
    snapshot,
    t,
)
from gelar.exhibitors import notifications
from gelar.exhibitors.models import ExhibitorDocument, Participation

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return build_intake()


def _url(w, participation=None) -> str:
    return reverse("console:application", args=[w.expo.slug, (participation or w.applicant).pk])


@pytest.mark.parametrize("who", ["admin", "staff"])
def test_the_application_page_shows_the_business(client, w, who):
    client.force_login(getattr(w, who))

    response = client.get(_url(w))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Tenun Belum Diterima</h1>" in html
    assert "9120009876543" in html
    assert "pemilik@tenun.id" in html
    assert "Tenun Ikat Rahasia" in html
    assert "Rp150.000" in html
    link = response.context["whatsapp_url"]
    parts = urlsplit(link)
    assert (parts.netloc, parts.path) == ("wa.me", "/6281234567890")
    text = parse_qs(parts.query)["text"][0]
    assert "Tenun Belum Diterima" in text
    assert "Pekalongan Hybrid Expo 2021" in text
    assert link.replace("&", "&amp;") in html


def test_outsider_gets_404_for_get_and_post_and_nothing_changes(client, w):
    client.force_login(w.outsider)
    before = snapshot(w.expo)

    assert client.get(_url(w)).status_code == 404
    for data in (
        {"form": "decision", "action": "accept"},
        {"form": "decision", "action": "refuse", "reason": "Tidak"},
        {"form": "mode", "mode": "online"},
    ):
        assert client.post(_url(w, w.batik), data).status_code == 404
        assert client.post(_url(w), data).status_code == 404

    assert snapshot(w.expo) == before
    assert mail.outbox == []


def test_an_application_of_another_expo_is_404_even_for_staff(client, w):
    other = w.other
    foreign = Participation.objects.get(expo=other.expo, exhibitor=other.applicant)
    client.force_login(w.admin)

    assert client.get(_url(w, foreign)).status_code == 404
    assert (
        client.post(_url(w, foreign), {"form": "decision", "action": "accept"}).status_code == 404
    )
    assert Participation.objects.get(pk=foreign.pk).status == "applied"


def test_accept_from_the_page(client, w, django_capture_on_commit_callbacks):
    client.force_login(w.staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(w), {"form": "decision", "action": "accept", "reason": ""})

    assert response.status_code == 302
    assert response["Location"] == _url(w)
    participation = Participation.objects.get(pk=w.applicant.pk)
    assert (participation.status, participation.decided_by) == ("accepted", w.staff)
    assert sorted(m.to[0] for m in mail.outbox) == ["pemilik@tenun.id", "staf@tenun.id"]
    page = client.get(_url(w))
    assert [e.action for e in page.context["history"]] == ["participation.accept"]
    assert "participation.accept" in page.content.decode()


def test_refuse_without_a_reason_is_a_form_error(client, w):
    client.force_login(w.admin)
    before = snapshot(w.expo)

    response = client.post(_url(w), {"form": "decision", "action": "refuse", "reason": ""})

    assert response.status_code == 200
    assert response.context["decision_form"].errors == {
        "reason": [t("Give a reason: the exhibitor is told.")]
    }
    assert snapshot(w.expo) == before


def test_refuse_with_a_reason_emails_it(client, w, django_capture_on_commit_callbacks):
    client.force_login(w.admin)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _url(w),
            {"form": "decision", "action": "refuse", "reason": "Produk belum sesuai tema."},
        )

    participation = Participation.objects.get(pk=w.applicant.pk)
    assert (participation.status, participation.decision_reason) == (
        "refused",
        "Produk belum sesuai tema.",
    )
    assert len(mail.outbox) == 2
    assert "Produk belum sesuai tema." in mail.outbox[0].body
    message = notifications.decision_message(participation=participation)
    assert (mail.outbox[0].subject, mail.outbox[0].body) == (message.subject, message.body)


def test_request_changes_with_a_reason(client, w):
    client.force_login(w.staff)

    client.post(
        _url(w), {"form": "decision", "action": "request_changes", "reason": "Unggah foto NIB"}
    )

    assert Participation.objects.get(pk=w.applicant.pk).status == "changes_requested"


def test_a_refused_decision_on_a_withdrawn_application_is_a_message_not_a_500(client, w):
    Participation.objects.filter(pk=w.applicant.pk).update(status="withdrawn")
    client.force_login(w.staff)

    response = client.post(_url(w), {"form": "decision", "action": "accept"}, follow=True)

    assert response.status_code == 200
    assert Participation.objects.get(pk=w.applicant.pk).status == "withdrawn"
    assert AuditEntry.objects.count() == 0


def test_moving_an_accepted_exhibitor_online_releases_its_booth(client, w):
    client.force_login(w.staff)

    response = client.post(_url(w, w.batik), {"form": "mode", "mode": "online"})

    assert response.status_code == 302
    batik = Participation.objects.get(pk=w.batik.pk)
    assert (batik.mode, batik.booth_id) == ("online", None)


# --- documents -----------------------------------------------------------------------


@pytest.fixture
def document(w):
    doc = ExhibitorDocument.objects.get(exhibitor=w.applicant.exhibitor, kind="nib")
    doc.file.save("nib-tenun.pdf", ContentFile(b"%PDF-1.4 NIB Tenun"), save=True)
    return doc


def _doc_url(w, doc) -> str:
    return reverse("console:document", args=[w.expo.slug, doc.pk])


@pytest.mark.parametrize("who", ["admin", "staff"])
def test_staff_download_a_document(client, w, document, who):
    client.force_login(getattr(w, who))

    response = client.get(_doc_url(w, document))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 NIB Tenun"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"
    assert _doc_url(w, document) in client.get(_url(w)).content.decode()


def test_outsider_cannot_download_a_document(client, w, document):
    client.force_login(w.outsider)

    assert client.get(_doc_url(w, document)).status_code == 404


def test_a_document_of_a_business_not_in_the_expo_is_404(client, w):
    other = w.other
    doc = ExhibitorDocument.objects.create(
        exhibitor=other.applicant, kind="npwp", number="01.234.567.8-901.000"
    )
    doc.file.save("npwp.pdf", ContentFile(b"secret"), save=True)
    client.force_login(w.admin)

    assert client.get(_doc_url(w, doc)).status_code == 404


def test_a_document_without_a_file_is_404(client, w):
    doc = ExhibitorDocument.objects.get(exhibitor=w.applicant.exhibitor, kind="nib")
    client.force_login(w.admin)

    assert client.get(_doc_url(w, doc)).status_code == 404
