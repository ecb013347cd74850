"""The exhibitor's own report after their participation stopped being ACCEPTED: a
business that sold, took inquiries or reported at an expo and then withdrew (or was
refused) still sees what it did there -- its figures are in the organizer's report.
An application never accepted, with nothing at the expo, has no report.

The expo is the hand-built Pekalongan 2021 of gelar/reports/tests/fixtures.py; Batik
Sekar Jagad (A) sold there (O1 + O8 online, S1 + S2 at its booth) and withdraws.
"""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from gelar.exhibitors.models import ExhibitorMember, Participation
from gelar.reports.models import Inquiry
from gelar.reports.tests.fixtures import NOW, report_fixture
from gelar.testing import html_rows, make_exhibitor_member, make_user

pytestmark = pytest.mark.django_db

A = "batik-sekar-jagad"
Status = Participation.Status


@pytest.fixture(autouse=True)
def second_morning(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def world():
    world = report_fixture()
    Participation.objects.filter(expo=world["expo"], exhibitor=world["exhibitors"]["A"]).update(
        status=Status.WITHDRAWN, booth=None
    )
    return world


def report_url(slug: str = A, expo: str = "phe-2021") -> str:
    return reverse("dashboard:report", args=[slug, expo])


@pytest.mark.parametrize(("who", "status"), [("owner", 200), ("teammate", 200), ("outsider", 404)])
def test_a_business_that_sold_then_withdrew_still_sees_its_report(client, world, who, status):
    client.force_login(world["users"][who])
    response = client.get(report_url())
    assert response.status_code == status
    listing = client.get(reverse("dashboard:reports", args=[A]))
    assert listing.status_code == status
    if status == 404:
        return
    html = response.content.decode()
    rows = [row for attrs, row in html_rows(html) if "data-channel" in attrs]
    assert rows == [
        [_("Online"), "2", "5", "Rp630.000", "65,6%"],
        [_("At the venue"), "2", "3", "Rp330.000", "34,4%"],
    ]
    note = _(
        "Your participation in this expo is now: %(status)s. These are the figures your "
        "business left at the expo."
    ) % {"status": Status.WITHDRAWN.label}
    assert escape(note) in html
    # Its own report of the expo is for accepted exhibitors: no link to a 404.
    assert reverse("dashboard:outcome", args=[A, "phe-2021"]) not in html
    # The list of reports still has the expo, marked withdrawn, beside 2020 and 2019.
    listed = listing.content.decode()
    for slug in ("phe-2021", "phe-2020", "phe-2019"):
        assert f'href="{report_url(expo=slug)}"' in listed
    assert f'<span class="tag">{Status.WITHDRAWN.label}</span>' in listed


def test_an_accepted_business_sees_no_note(client, world):
    client.force_login(world["users"]["owner"])
    html = client.get(report_url(expo="phe-2020")).content.decode()
    for status in Status:
        note = _(
            "Your participation in this expo is now: %(status)s. These are the figures your "
            "business left at the expo."
        ) % {"status": status.label}
        assert escape(note) not in html
    assert reverse("dashboard:outcome", args=[A, "phe-2020"]) in html


def test_a_refused_business_with_only_an_inquiry_there_sees_it(client, world):
    # Kopi Petungkriyono (D) was refused in 2020 and left nothing there: no report.
    kopi = world["exhibitors"]["D"]
    owner = make_user(email="kopi@example.com")
    make_exhibitor_member(exhibitor=kopi, user=owner, role=ExhibitorMember.Role.OWNER)
    client.force_login(owner)
    assert client.get(report_url("kopi-petungkriyono", "phe-2020")).status_code == 404
    listing = reverse("dashboard:reports", args=["kopi-petungkriyono"])
    assert "phe-2020" not in client.get(listing).content.decode()
    # A buyer's inquiry at that expo is a figure of theirs: the report opens.
    Inquiry.objects.create(
        expo=world["earlier"],
        exhibitor=kopi,
        buyer_name="Rina",
        buyer_whatsapp="6281234567890",
        quantity="50 kg",
        message="Harga grosir?",
    )
    response = client.get(report_url("kopi-petungkriyono", "phe-2020"))
    assert response.status_code == 200
    note = _(
        "Your participation in this expo is now: %(status)s. These are the figures your "
        "business left at the expo."
    ) % {"status": Status.REFUSED.label}
    assert escape(note) in response.content.decode()
    assert report_url("kopi-petungkriyono", "phe-2020") in client.get(listing).content.decode()


def test_an_application_never_accepted_has_no_report(client, world):
    applicant = make_user(email="tenun@example.com")
    make_exhibitor_member(
        exhibitor=world["exhibitors"]["E"], user=applicant, role=ExhibitorMember.Role.OWNER
    )
    client.force_login(applicant)
    assert client.get(report_url("tenun-belum-diterima")).status_code == 404
    Participation.objects.filter(exhibitor=world["exhibitors"]["E"]).update(status=Status.WITHDRAWN)
    assert client.get(report_url("tenun-belum-diterima")).status_code == 404
