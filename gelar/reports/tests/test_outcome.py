"""The exhibitor's own report of an expo (Outcome): reports.services.outcome_save and
the form at /umkm/<slug>/laporan/<expo_slug>/hasil/, with the owner, a teammate and an
outsider."""

import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _

from gelar.audit.models import AuditEntry
from gelar.exhibitors.models import ExhibitorDocument
from gelar.reports.models import Outcome
from gelar.reports.services import OutcomeError, outcome_save
from gelar.reports.tests import collect_world
from gelar.reports.tests.collect_world import db_state
from gelar.testing import build_expo, make_expo, make_participation, run_together

pytestmark = [pytest.mark.django_db]
world = collect_world.world

FIGURES = {
    "sales_whatsapp": 2_750_000,
    "sales_marketplace": 1_200_000,
    "sales_after": 0,
    "turnover_before": 15_000_000,
    "turnover_after": 18_500_000,
    "new_channels": ["social", "marketplace"],
    "licences": ["pirt", "nib", "halal"],
    "note": "Dapat reseller dari Semarang.",
}
FORM = {
    "sales_whatsapp": "Rp2.750.000",
    "sales_marketplace": "1.200.000",
    "sales_after": "",
    "turnover_before": "15.000.000",
    "turnover_after": "18500000",
    "new_channels": ["social", "marketplace"],
    "licences": ["pirt", "nib", "halal"],
    "note": "Dapat reseller dari Semarang.",
}


def save(world, **changes) -> Outcome:
    values = {"expo": world.expo, "exhibitor": world.batik, "actor": world.owner, **FIGURES}
    values.update(changes)
    return outcome_save(**values)


def url(world, expo=None, exhibitor=None) -> str:
    return reverse(
        "dashboard:outcome", args=[(exhibitor or world.batik).slug, (expo or world.expo).slug]
    )


def checked_boxes(page: str, name: str) -> list[str]:
    return re.findall(rf'<input type="checkbox" name="{name}" value="(\w+)"[^>]*\bchecked\b', page)


# --- the service ---


def test_the_report_is_saved_once_and_corrected(world):
    at = datetime.datetime(2021, 12, 1, 10, 0, tzinfo=world.expo.tzinfo)
    first = save(world, now=at)
    assert (first.sales_elsewhere, first.turnover_before, first.turnover_after) == (
        3_950_000,
        15_000_000,
        18_500_000,
    )
    # In the choices' order, once each.
    assert (first.new_channels, first.licences) == (
        ["marketplace", "social"],
        ["nib", "halal", "pirt"],
    )
    assert (first.reported_by, first.reported_at) == (world.owner, at)
    corrected = save(world, actor=world.staff, sales_after=500_000, turnover_after=None)
    assert corrected.pk == first.pk
    assert Outcome.objects.count() == 1
    corrected.refresh_from_db()
    assert (corrected.sales_elsewhere, corrected.turnover_after, corrected.reported_by) == (
        4_450_000,
        None,
        world.staff,
    )
    assert corrected.reported_at == at
    entries = list(
        AuditEntry.objects.filter(action__startswith="reports.outcome")
        .order_by("pk")
        .values_list("action", "actor", "exhibitor", "changes")
    )
    assert entries[1] == (
        "reports.outcome.update",
        world.staff.pk,
        world.batik.pk,
        {"sales_after": [0, 500000], "turnover_after": [18500000, None]},
    )
    assert entries[0][:3] == ("reports.outcome.create", world.owner.pk, world.batik.pk)
    assert entries[0][3]["turnover_before"] == [None, 15000000]


def test_only_accepted_exhibitors_report(world):
    with pytest.raises(OutcomeError) as refused:
        save(world, exhibitor=world.applicant)
    assert refused.value.code == "not_accepted"
    assert Outcome.objects.count() == 0


def test_not_before_the_expo_starts_in_its_zone(world):
    # The 24th starts at 17:00 UTC on the 23rd in WIB.
    with pytest.raises(OutcomeError) as refused:
        save(world, now=datetime.datetime(2021, 11, 23, 16, 59, tzinfo=datetime.UTC))
    assert refused.value.code == "not_started"
    assert save(world, now=datetime.datetime(2021, 11, 23, 17, 0, tzinfo=datetime.UTC)).pk


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"sales_whatsapp": -1}, "sales_whatsapp"),
        ({"turnover_before": None}, "turnover_before"),
        ({"turnover_after": 10**12 + 1}, "turnover_after"),
        ({"sales_after": True}, "sales_after"),
        ({"new_channels": ["tiktok-live"]}, "new_channels"),
        ({"licences": ["sni"]}, "licences"),
        ({"note": "x" * 2001}, "note"),
    ],
)
def test_bad_figures_are_refused(world, changes, field):
    with pytest.raises(OutcomeError) as refused:
        save(world, **changes)
    assert refused.value.field == field
    assert Outcome.objects.count() == 0


# --- the form ---


@pytest.mark.parametrize("who", ["owner", "staff"])
def test_the_team_reports_with_rupiah_as_typed(client, world, who):
    client.force_login(getattr(world, who))
    response = client.post(url(world), FORM)
    assert (response.status_code, response["Location"]) == (302, url(world))
    outcome = Outcome.objects.get()
    assert (
        outcome.sales_whatsapp,
        outcome.sales_marketplace,
        outcome.sales_after,
        outcome.turnover_before,
        outcome.turnover_after,
    ) == (2_750_000, 1_200_000, 0, 15_000_000, 18_500_000)
    assert (outcome.new_channels, outcome.licences, outcome.reported_by) == (
        ["marketplace", "social"],
        ["nib", "halal", "pirt"],
        getattr(world, who),
    )
    page = client.get(url(world)).content.decode()
    assert escape(_("Your report of the expo is saved. Thank you.")) in page
    assert 'value="2750000"' in page
    # Every figure comes back into the form to be corrected, not only the first.
    for value in ("1200000", "15000000", "18500000"):
        assert f'value="{value}"' in page
    assert "Dapat reseller dari Semarang." in page
    assert checked_boxes(page, "new_channels") == ["marketplace", "social"]
    assert checked_boxes(page, "licences") == ["nib", "halal", "pirt"]


def test_the_first_report_starts_from_the_licences_on_file(client, world):
    document = ExhibitorDocument(exhibitor=world.batik, kind="halal", number="ID123")
    document.file.save("halal.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    document.save()
    ExhibitorDocument.objects.create(exhibitor=world.batik, kind="npwp", number="01.234")
    client.force_login(world.owner)
    response = client.get(url(world))
    assert response.status_code == 200
    page = response.content.decode()
    checked = set(checked_boxes(page, "licences"))
    # The batik shop has an NIB on its profile and a halal certificate on file.
    assert checked == {"nib", "halal"}
    assert (
        escape(
            _(
                "Tell the organizer what the expo brought you beyond Gelar: these figures are "
                "reported by you and kept apart from the sales the platform recorded."
            )
        )
        in page
    )


@pytest.mark.parametrize(
    "changes, field, message",
    [
        (
            {"turnover_before": ""},
            "turnover_before",
            "Enter your usual monthly turnover before the expo.",
        ),
        (
            {"sales_whatsapp": "2,5 juta"},
            "sales_whatsapp",
            "Enter the amount in whole Rupiah, e.g. 1.500.000 (0 when there was none).",
        ),
        (
            {"sales_marketplace": "-100"},
            "sales_marketplace",
            "Enter the amount in whole Rupiah, e.g. 1.500.000 (0 when there was none).",
        ),
        ({"new_channels": ["tiktok-live"]}, "new_channels", "Choose from the list."),
    ],
)
def test_bad_input_is_400_in_indonesian(client, world, changes, field, message):
    client.force_login(world.owner)
    response = client.post(url(world), {**FORM, **changes})
    assert response.status_code == 400
    assert escape(_(message)) in response.content.decode()
    assert Outcome.objects.count() == 0


def test_before_the_expo_starts_there_is_nothing_to_report(client, world):
    future = make_expo(start_date=datetime.date(2099, 5, 1), end_date=datetime.date(2099, 5, 3))
    make_participation(expo=future, exhibitor=world.batik)
    client.force_login(world.owner)
    page = client.get(url(world, expo=future))
    assert page.status_code == 200
    assert 'name="turnover_before"' not in page.content.decode()
    response = client.post(url(world, expo=future), FORM)
    assert response.status_code == 400
    assert escape(_("You can report once the expo has started.")) in response.content.decode()
    assert Outcome.objects.count() == 0


def test_the_outsider_and_other_expos_are_404(client, world):
    save(world)
    before = db_state()
    client.force_login(world.outsider)
    assert client.get(url(world)).status_code == 404
    assert client.post(url(world), {**FORM, "turnover_before": "1"}).status_code == 404
    client.force_login(world.owner)
    other = make_expo()
    assert client.get(url(world, expo=other)).status_code == 404
    assert client.get("/umkm/batik-sekar-jagad/laporan/no-such-expo/hasil/").status_code == 404
    assert db_state() == before


def test_the_overview_links_to_the_report_of_an_accepted_expo(client, world):
    client.force_login(world.owner)
    page = client.get(reverse("dashboard:exhibitor", args=[world.batik.slug])).content.decode()
    assert f'href="{url(world)}"' in page


# --- two teammates saving at once: one report (PostgreSQL) ---


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL: SQLite serialises all writers, so there is no race to test",
)
def test_teammates_saving_at_once_make_one_report():
    expo_world = build_expo()

    def send(i: int) -> str:
        outcome_save(
            expo=expo_world.expo,
            exhibitor=expo_world.batik,
            actor=None,
            sales_whatsapp=i * 1000,
            sales_marketplace=0,
            sales_after=0,
            turnover_before=10_000_000,
            turnover_after=None,
            new_channels=[],
            licences=[],
        )
        return "saved"

    assert run_together(6, send) == ["saved"] * 6
    assert Outcome.objects.filter(exhibitor=expo_world.batik).count() == 1
