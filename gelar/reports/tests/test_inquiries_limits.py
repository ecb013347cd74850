"""Bulk inquiries against a flood: the limits per client address and per booth (beside
the one per WhatsApp number of test_inquiries.py), the lock that does not make other
writers' foreign-key checks wait, and emails that fail or come in a burst."""

import datetime
import logging
import smtplib
import threading

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.mail.backends.base import BaseEmailBackend
from django.db import OperationalError, connection, connections, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _

from gelar.exhibitors.models import Exhibitor
from gelar.reports import notifications, services
from gelar.reports.models import Inquiry
from gelar.reports.services import InquiryFlood, inquiry_answer, inquiry_submit
from gelar.reports.tests import collect_world
from gelar.testing import (
    build_expo,
    make_exhibitor_member,
    make_product,
    make_user,
    run_together,
)

pytestmark = pytest.mark.django_db
world = collect_world.world

CLIENT = "203.0.113.7"
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises all writers and has no row locks",
)


class FailingBackend(BaseEmailBackend):
    """A mail server that drops the connection."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


def submit(expo, exhibitor, n: int, **changes) -> Inquiry:
    values = {
        "expo": expo,
        "exhibitor": exhibitor,
        "buyer_name": f"Pembeli {n}",
        # A script changes the number every time: the per-number limit never bites.
        "buyer_whatsapp": f"0812000{n:05d}",
        "quantity": "100 pcs",
        "message": f"Pertanyaan {n}",
    }
    values.update(changes)
    return inquiry_submit(**values)


def flood_message() -> str:
    return _(
        "Too many inquiries were sent to this booth from your network today. "
        "Please try again tomorrow, or contact them on WhatsApp."
    )


def busy_message() -> str:
    return _(
        "This booth has received too many inquiries today. Please try again "
        "tomorrow, or contact them on WhatsApp."
    )


# --- per client address ---


def test_thirty_inquiries_a_day_from_one_address_to_one_booth(world):
    assert services.INQUIRIES_PER_CLIENT_PER_DAY == 30
    first = submit(world.expo, world.batik, 0, client=CLIENT)
    for n in range(1, 30):
        submit(world.expo, world.batik, n, client=CLIENT)
    with pytest.raises(InquiryFlood) as refused:
        submit(world.expo, world.batik, 30, client=CLIENT)
    assert (refused.value.code, refused.value.message) == ("too_many_client", flood_message())
    assert Inquiry.objects.count() == 30
    # A double tap of an inquiry already sent is still that inquiry, not a refusal.
    assert submit(world.expo, world.batik, 0, client=CLIENT).pk == first.pk
    # Another address, another booth from the same address, and a caller that is not
    # the web form (no address) each have their own count.
    submit(world.expo, world.batik, 31, client="198.51.100.20")
    submit(world.expo, world.amplang, 32, client=CLIENT)
    submit(world.expo, world.batik, 33)
    assert Inquiry.objects.count() == 33
    assert Inquiry.objects.filter(exhibitor=world.batik).count() == 32


def test_a_refusal_for_another_reason_spends_nothing_of_the_address(world):
    for n in range(5):
        submit(world.expo, world.batik, n, buyer_whatsapp="081234567890", client=CLIENT)
    # The number's own limit refuses these 40: none is taken from the address's 30.
    for n in range(5, 45):
        with pytest.raises(InquiryFlood) as refused:
            submit(world.expo, world.batik, n, buyer_whatsapp="081234567890", client=CLIENT)
        assert refused.value.code == "too_many"
    for n in range(45, 70):
        submit(world.expo, world.batik, n, client=CLIENT)
    assert Inquiry.objects.count() == 30
    with pytest.raises(InquiryFlood) as refused:
        submit(world.expo, world.batik, 70, client=CLIENT)
    assert refused.value.code == "too_many_client"


def test_the_form_counts_by_the_senders_address(client, world, settings):
    for n in range(30):
        submit(world.expo, world.batik, n, client=CLIENT)
    url = reverse("public:inquiry_new", args=[world.expo.slug, world.batik.slug])
    form = {
        "buyer_name": "Rina",
        "buyer_whatsapp": "0857 1111 2222",
        "quantity": "200 pcs",
        "message": "Harga grosir?",
    }
    response = client.post(url, form, REMOTE_ADDR=CLIENT)
    assert response.status_code == 429
    assert escape(flood_message()) in response.content.decode()
    assert Inquiry.objects.count() == 30
    assert client.post(url, form, REMOTE_ADDR="198.51.100.20").status_code == 302
    # Behind our proxy, the address is the one it saw, not what the client wrote.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    behind = client.post(
        url,
        {**form, "message": "Lagi"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=f"198.51.100.99, {CLIENT}",
    )
    assert behind.status_code == 429
    assert Inquiry.objects.count() == 31


# --- per booth, whoever sends ---


def test_two_hundred_inquiries_a_day_per_booth_in_all(world):
    assert services.INQUIRIES_PER_BOOTH_PER_DAY == 200
    Inquiry.objects.bulk_create(
        Inquiry(
            expo=world.expo,
            exhibitor=world.batik,
            buyer_name=f"Pembeli {n}",
            buyer_whatsapp=f"62812000{n:05d}",
            quantity="1",
            message=f"Pertanyaan {n}",
        )
        for n in range(199)
    )
    submit(world.expo, world.batik, 1000, client="198.51.100.1")
    with pytest.raises(InquiryFlood) as refused:
        submit(world.expo, world.batik, 1001, client="198.51.100.2")
    assert (refused.value.code, refused.value.message) == ("booth_busy", busy_message())
    assert Inquiry.objects.filter(exhibitor=world.batik).count() == 200
    # Another booth is not busy.
    submit(world.expo, world.amplang, 1002)
    # Yesterday's (in the expo's zone) no longer count.
    start_of_today = datetime.datetime.now(world.expo.tzinfo).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    Inquiry.objects.filter(exhibitor=world.batik).update(
        created_at=start_of_today - datetime.timedelta(seconds=1)
    )
    submit(world.expo, world.batik, 1001, client="198.51.100.2")
    assert Inquiry.objects.filter(exhibitor=world.batik).count() == 201


# --- the limits hold under a race (PostgreSQL) ---


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@on_postgresql
def test_eight_senders_racing_for_the_last_places_of_a_booth(monkeypatch):
    monkeypatch.setattr(services, "INQUIRIES_PER_BOOTH_PER_DAY", 3)
    expo_world = build_expo()

    def send(i: int) -> str:
        submit(expo_world.expo, expo_world.batik, i, client=f"198.51.100.{i}")
        return "sent"

    outcomes = run_together(8, send, refusals=(InquiryFlood,))
    assert outcomes == ["booth_busy"] * 5 + ["sent"] * 3
    assert Inquiry.objects.filter(exhibitor=expo_world.batik).count() == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@on_postgresql
def test_eight_numbers_racing_from_one_address(monkeypatch):
    monkeypatch.setattr(services, "INQUIRIES_PER_CLIENT_PER_DAY", 3)
    expo_world = build_expo()

    def send(i: int) -> str:
        submit(expo_world.expo, expo_world.batik, i, client=CLIENT)
        return "sent"

    outcomes = run_together(8, send, refusals=(InquiryFlood,))
    assert outcomes == ["sent"] * 3 + ["too_many_client"] * 5
    assert Inquiry.objects.filter(exhibitor=expo_world.batik).count() == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@on_postgresql
@pytest.mark.parametrize("lock", ["no key update", "update"])
def test_others_commit_rows_of_the_booth_while_an_inquiry_holds_its_lock(monkeypatch, lock):
    """A row referencing the exhibitor (a product here; an order or a booth sale alike)
    checks its foreign key at commit with FOR KEY SHARE on the exhibitor. Under FOR
    UPDATE it waited for the inquiry -- and a checkout holding the product rows that
    the inquiry's own check needs then deadlocked with it. Under FOR NO KEY UPDATE it
    goes through. The "update" run shows the test sees the difference."""
    expo_world = build_expo()
    if lock == "update":
        monkeypatch.setattr(
            services,
            "_lock_for_inquiries",
            lambda exhibitor: Exhibitor.objects.select_for_update().filter(pk=exhibitor.pk).first(),
        )
    holding, release = threading.Event(), threading.Event()
    audit_record = services.audit_record

    def audit_then_hold(**kwargs):
        audit_record(**kwargs)
        holding.set()
        release.wait(10)

    monkeypatch.setattr(services, "audit_record", audit_then_hold)
    failures: list[Exception] = []

    def inquire():
        try:
            submit(expo_world.expo, expo_world.batik, 1, product=expo_world.shirt)
        except Exception as error:  # noqa: BLE001 -- reported in the assertion
            failures.append(error)
            holding.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=inquire)
    thread.start()
    try:
        assert holding.wait(10)
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '1s'")
                make_product(
                    exhibitor=expo_world.batik, name="Batik Baru", slug="batik-baru", images=0
                )
            committed = True
        except OperationalError:
            committed = False
    finally:
        release.set()
        thread.join(20)
    assert failures == []
    assert committed is (lock == "no key update")
    assert Inquiry.objects.filter(exhibitor=expo_world.batik).count() == 1


# --- email ---


def test_a_failing_mail_server_loses_no_inquiry_and_no_answer(
    world, settings, caplog, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "gelar.reports.tests.test_inquiries_limits.FailingBackend"
    with caplog.at_level(logging.ERROR, logger="gelar.reports.notifications"):
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            inquiry = submit(world.expo, world.batik, 1, buyer_email="rina@example.com")
        assert len(callbacks) == 1
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            inquiry_answer(inquiry=inquiry, actor=world.owner, answer="Bisa.")
        assert len(callbacks) == 1
    inquiry.refresh_from_db()
    assert (inquiry.status, inquiry.answer) == ("answered", "Bisa.")
    # Both teammates were tried (one failure does not skip the next), then the buyer.
    assert [record.getMessage() for record in caplog.records] == [
        f"inquiry {inquiry.pk} (team): the email could not be sent",
        f"inquiry {inquiry.pk} (team): the email could not be sent",
        f"inquiry {inquiry.pk} (answer): the email could not be sent",
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_buyer_gets_their_page_when_the_mail_server_fails(client, settings):
    """Through the form, with the email sent after a real commit inside the request."""
    settings.EMAIL_BACKEND = "gelar.reports.tests.test_inquiries_limits.FailingBackend"
    expo_world = build_expo()
    make_exhibitor_member(
        exhibitor=expo_world.batik, user=make_user(email="siti@example.com"), role="owner"
    )
    url = reverse("public:inquiry_new", args=[expo_world.expo.slug, expo_world.batik.slug])
    response = client.post(
        url,
        {
            "buyer_name": "Rina",
            "buyer_whatsapp": "0857 1111 2222",
            "quantity": "200 pcs",
            "message": "Harga grosir?",
        },
    )
    inquiry = Inquiry.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/permintaan/{inquiry.token}/"


def test_the_team_gets_one_email_for_a_burst_of_inquiries(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    assert notifications.TEAM_EMAIL_MINUTES == 10
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(world.expo, world.batik, 1)
    with django_capture_on_commit_callbacks(execute=True):
        submit(world.expo, world.batik, 2)
        submit(world.expo, world.amplang, 3)
    # Batik's team (Siti, Budi) about the first one only; amplang's owner (Joko) has
    # their own window.
    assert [mail.to for mail in mailoutbox] == [
        ["siti@example.com"],
        ["budi@example.com"],
        ["joko@example.com"],
    ]
    body = mailoutbox[0].body
    with translation.override(settings.LANGUAGE_CODE):
        note = _(
            "Inquiries arriving in the next %(minutes)s minutes are not emailed one by one. "
            "All your inquiries:"
        ) % {"minutes": 10}
    assert f"{note}\nhttp://127.0.0.1:8000/umkm/{world.batik.slug}/permintaan/\n" in body
    assert f"http://127.0.0.1:8000/umkm/{world.batik.slug}/permintaan/{first.pk}/" in body
    # The window over (its key gone from the cache), the next one is emailed.
    cache.delete(f"gelar:inquiry-mail:{world.batik.pk}")
    with django_capture_on_commit_callbacks(execute=True):
        third = submit(world.expo, world.batik, 4)
    assert [mail.to for mail in mailoutbox[3:]] == [["siti@example.com"], ["budi@example.com"]]
    assert f"/umkm/{world.batik.slug}/permintaan/{third.pk}/" in mailoutbox[3].body
