"""The exhibitor's own report (/umkm/<slug>/laporan/ and /umkm/<slug>/laporan/<expo>/):
owner and teammate see it, an outsider gets a 404, only expos the business was
accepted at have one, and the page holds that business's figures and nobody else's.

The expo is the hand-built Pekalongan 2021 of gelar/reports/tests/fixtures.py, seen on
its second morning; Batik Sekar Jagad (A) is the business, Amplang Banjarbaru's owner
(B) the outsider. The figures are those its docstring computes by hand.
"""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gelar.exhibitors.models import ExhibitorMember
from gelar.orders.models import Order
from gelar.reports.models import Outcome
from gelar.reports.tests.fixtures import NOW, report_fixture
from gelar.testing import html_rows, html_terms, make_exhibitor_member, make_user

pytestmark = pytest.mark.django_db

A = "batik-sekar-jagad"


@pytest.fixture(autouse=True)
def second_morning(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def world():
    return report_fixture()


def report_url(slug: str = A, expo: str = "phe-2021") -> str:
    return reverse("dashboard:report", args=[slug, expo])


def cells(html: str) -> list[list[str]]:
    return [row for _attrs, row in html_rows(html)]


# --- who may see what ---


@pytest.mark.parametrize(
    ("who", "status"), [("owner", 200), ("teammate", 200), ("outsider", 404), ("admin", 404)]
)
def test_only_the_team_sees_the_report(client, world, who, status):
    client.force_login(world["users"][who])
    assert client.get(report_url()).status_code == status
    assert client.get(reverse("dashboard:reports", args=[A])).status_code == status


def test_anonymous_visitors_sign_in_first_and_nothing_is_posted(client, world):
    for path in (report_url(), reverse("dashboard:reports", args=[A])):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    client.force_login(world["users"]["owner"])
    outcomes = list(Outcome.objects.values_list("pk", "updated_at"))
    assert client.post(report_url()).status_code == 405
    assert client.post(reverse("dashboard:reports", args=[A])).status_code == 405
    assert list(Outcome.objects.values_list("pk", "updated_at")) == outcomes


def test_only_expos_the_business_was_accepted_at(client, world):
    # Kopi Petungkriyono (D) exhibited in 2021 but was refused in 2020.
    kopi_owner = make_user(email="kopi@example.com")
    make_exhibitor_member(
        exhibitor=world["exhibitors"]["D"], user=kopi_owner, role=ExhibitorMember.Role.OWNER
    )
    client.force_login(kopi_owner)
    assert client.get(report_url("kopi-petungkriyono")).status_code == 200
    assert client.get(report_url("kopi-petungkriyono", "phe-2020")).status_code == 404
    assert client.get(report_url("kopi-petungkriyono", "tidak-ada")).status_code == 404
    html = client.get(reverse("dashboard:reports", args=["kopi-petungkriyono"])).content.decode()
    assert report_url("kopi-petungkriyono") in html
    assert "phe-2020" not in html
    # The applicant (E) was never accepted: no report, an empty list.
    applicant = make_user(email="tenun@example.com")
    make_exhibitor_member(
        exhibitor=world["exhibitors"]["E"], user=applicant, role=ExhibitorMember.Role.OWNER
    )
    client.force_login(applicant)
    assert client.get(report_url("tenun-belum-diterima")).status_code == 404
    html = client.get(reverse("dashboard:reports", args=["tenun-belum-diterima"])).content
    assert _("No report yet: a report appears here for each expo you are accepted at.") in (
        html.decode()
    )


def test_the_list_of_reports_and_the_links_to_it(client, world):
    client.force_login(world["users"]["teammate"])
    html = client.get(reverse("dashboard:reports", args=[A])).content.decode()
    # Newest expo first: 2021, 2020, 2019 (accepted at all three).
    slugs = ("phe-2021", "phe-2020", "phe-2019")
    positions = [html.index(f'href="{report_url(expo=slug)}"') for slug in slugs]
    assert positions == sorted(positions)
    html = client.get(reverse("dashboard:exhibitor", args=[A])).content.decode()
    assert f'href="{reverse("dashboard:reports", args=[A])}"' in html
    assert f'href="{report_url()}"' in html


# --- the figures ---


def test_the_report_of_batik_sekar_jagad(client, world):
    client.force_login(world["users"]["owner"])
    html = client.get(report_url()).content.decode()
    online, venue = _("Online"), _("At the venue")
    rows = cells(html)
    # O1 + O8 online (630,000: 65.6 %), S1 + S2 at the booth (330,000: 34.4 %).
    assert rows[:3] == [
        [_("Channel"), _("Orders"), _("Items"), _("Omzet"), _("Share")],
        [online, "2", "5", "Rp630.000", "65,6%"],
        [venue, "2", "3", "Rp330.000", "34,4%"],
    ]
    assert rows[4:6] == [
        ["Rab 24 Nov", "Rp300.000", "Rp150.000", "Rp450.000", "2", "2"],
        ["Kam 25 Nov", "Rp330.000", "Rp180.000", "Rp510.000", "2", "1"],
    ]
    assert rows[7:9] == [
        ["Kemeja Batik Tulis", "4", "Rp450.000", "Rp150.000", "Rp600.000"],
        ["Selendang Sutra", "4", "Rp180.000", "Rp180.000", "Rp360.000"],
    ]
    assert rows[10:] == [
        ["Kemeja Batik Tulis", "Promosi Produk UMKM Rab 24 Nov, 10.05 WIB", "12", "1", "Rp300.000"]
    ]
    items = ngettext("%(counter)s item", "%(counter)s items", 8) % {"counter": 8}
    licences = ", ".join([str(Outcome.Licence.HALAL.label), str(Outcome.Licence.PIRT.label)])
    channels = [Outcome.Channel.MARKETPLACE.label, Outcome.Channel.RESELLER.label]
    assert html_terms(html) == [
        (_("Omzet"), "Rp960.000"),
        (_("Orders and booth sales"), f"4 {items}"),
        (_("Booth visits"), "3 " + _("visitor-days on your booth page")),
        (_("Inquiries"), "4"),
        (_("Waiting for an answer"), "1"),
        (_("Answered"), "1"),
        (_("Quoted"), "1"),
        (_("Won"), "1 (Rp3.500.000)"),
        (_("Lost"), "0"),
        (_("Sales closed elsewhere (your report)"), "Rp800.000"),
        (_("Usual monthly turnover before the expo"), "Rp4.000.000"),
        (_("Monthly turnover since the expo"), "Rp5.000.000"),
        (_("Turnover growth"), "25,0%"),
        (_("The expo against a usual month"), "44,0%"),  # (960,000 + 800,000) / 4,000,000
        (_("New sales channels"), ", ".join(str(label) for label in channels)),
        (_("Licences obtained since your last expo"), licences),  # NIB was held in 2020
        (_("Your previous expo in Gelar"), "Pekalongan Hybrid Expo 2020"),
        (_("Sold there (platform and reported)"), "Rp550.000"),  # 300,000 + 150,000 + 100,000
        (_("Against the previous expo"), "220,0%"),  # 1,760,000 against 550,000
    ]
    statuses = [
        f'class="chip">{Order.Status.AWAITING_PAYMENT.label} <span class="count">1</span>',
        f'class="chip">{Order.Status.PAID.label} <span class="count">2</span>',
    ]
    assert all(status in html for status in statuses)
    assert f'href="{reverse("dashboard:inquiries", args=[A])}"' in html
    assert f'href="{reverse("dashboard:outcome", args=[A, "phe-2021"])}"' in html
    assert _("Correct your report") in html
    assert html.count('<svg class="chart" role="img"') == 3  # split, by day, by hour
    assert f"{online} 65,6%</text>" in html


def test_another_exhibitors_figures_never_appear(client, world):
    client.force_login(world["users"]["owner"])
    mine = client.get(report_url()).content.decode()
    # Others' names, products and sums (the expo's totals included) are not on A's page.
    for theirs in (
        "Amplang",
        "Kopi",
        "Batik Tasik Indah",
        "Kain Batik Tasik",
        "Anyaman",
        "Rp1.105.000",  # the expo's online omzet
        "Rp1.585.000",  # its retail omzet
        "Rp125.000",  # B's omzet
        "Rp5.500.000",  # the expo's won bulk value
        "Rp2.000.000",  # D's won inquiry
        "Rp1.250.000",  # the expo's self-reported total
    ):
        assert theirs not in mine, theirs
    # B's owner sees B's figures only.
    client.force_login(world["users"]["outsider"])
    theirs = client.get(report_url("amplang-banjarbaru")).content.decode()
    assert [row for attrs, row in html_rows(theirs) if "data-channel" in attrs] == [
        [_("Online"), "2", "5", "Rp125.000", "100,0%"],  # O2 + O11; O5 was cancelled
        [_("At the venue"), "0", "0", "Rp0", "0,0%"],
    ]
    for other in ("Kemeja", "Selendang", "Batik Sekar Jagad", "Rp960.000", "Rp3.500.000"):
        assert other not in theirs, other


def test_before_the_exhibitor_reports(client, world):
    world["outcomes"]["A"].delete()
    client.force_login(world["users"]["owner"])
    html = client.get(report_url()).content.decode()
    assert (
        _(
            "You have not reported your results of this expo yet: sales closed elsewhere, "
            "and your turnover before and since."
        )
        in html
    )
    assert _("Report your results") in html
    # Without this expo's report, the previous expo is compared on the platform's omzet.
    assert html_terms(html)[-3:] == [
        (_("Your previous expo in Gelar"), "Pekalongan Hybrid Expo 2020"),
        (_("Sold there (platform and reported)"), "Rp550.000"),
        (_("Against the previous expo"), "74,5%"),  # (960,000 - 550,000) / 550,000
    ]
