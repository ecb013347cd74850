"""The booth's back office in the dashboard: closing the day, the flagged sales, the
labels page; for the owner, a teammate and an outsider (404, nothing changed)."""

import datetime
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from gelar.audit.models import AuditEntry
from gelar.catalog.models import Product
from gelar.exhibitors.models import Exhibitor
from gelar.pos.models import PosDay, PosSale
from gelar.pos.services import pos_sale_record
from gelar.testing import (
    ExpoWorld,
    accept_every_payment,
    at,
    build_expo,
    make_exhibitor_member,
    make_user,
)

pytestmark = pytest.mark.django_db


@dataclass
class Booth:
    world: ExpoWorld
    business: Exhibitor
    owner: object
    teammate: object
    outsider: object


@pytest.fixture
def booth() -> Booth:
    world = accept_every_payment(build_expo())
    owner = make_user(email="siti@example.com", full_name="Siti Rahmawati")
    teammate = make_user(email="budi@example.com", full_name="Budi Santoso")
    outsider = make_user(email="joko@example.com", full_name="Joko Amplang")
    make_exhibitor_member(exhibitor=world.batik, user=owner, role="owner")
    make_exhibitor_member(exhibitor=world.batik, user=teammate, role="staff")
    make_exhibitor_member(exhibitor=world.amplang, user=outsider, role="owner")
    return Booth(world, world.batik, owner, teammate, outsider)


def sell(booth: Booth, key: str, lines, method="cash", *, when, offline=False, cash=None):
    total = sum(Product.objects.get(pk=pk).price * q for pk, q in lines)
    return pos_sale_record(
        exhibitor=booth.business,
        expo=booth.world.expo,
        staff=booth.teammate,
        client_key=key,
        lines=lines,
        payment_method=method,
        cash_given=(cash or total) if method == "cash" else None,
        sold_at=when,
        offline=offline,
        expected_total=total,
        now=when if not offline else at(25, 18),
    )


def url(name: str, booth: Booth, *args) -> str:
    return reverse(f"dashboard:{name}", args=[booth.business.slug, *args])


def state() -> dict:
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in (PosSale, PosDay, Product, AuditEntry)
    }


@pytest.fixture
def day_sales(booth):
    shirt = booth.world.shirt  # 150.000, 3 in stock
    sell(booth, "k1", [(shirt.pk, 1)], "cash", when=at(24, 10), cash=200000)
    sell(booth, "k2", [(shirt.pk, 1)], "qris", when=at(24, 11))
    sell(booth, "k3", [(shirt.pk, 1)], "transfer", when=at(25, 9))
    # The last shirt went online: the queued sale of two is kept, short by two.
    flagged = sell(booth, "k4", [(shirt.pk, 2)], "cash", when=at(24, 15), offline=True)
    return flagged


def test_the_day_shows_sales_by_method_and_the_cash_expected(client, booth, day_sales):
    client.force_login(booth.teammate)
    response = client.get(url("pos_day", booth, booth.world.expo.slug) + "?tanggal=2021-11-24")
    assert response.status_code == 200
    context = response.context
    assert {
        method: (row["count"], row["total"])
        for method, row in context["summary"]["by_method"].items()
    } == {"cash": (2, 450000), "qris": (1, 150000), "transfer": (0, 0)}
    assert context["summary"]["cash_expected"] == 450000
    assert [s.client_key for s in context["sales"]] == ["k1", "k2", "k4"]
    assert [d["query"] for d in context["days"]] == ["2021-11-24", "2021-11-25"]
    assert context["channels"] == {"online": 0, "venue": 750000}
    html = response.content.decode()
    assert "Rp450.000" in html and day_sales.number in html
    assert reverse("pos:receipt", args=[day_sales.receipt_token]) in html


def test_closing_the_day_records_the_count_once(client, booth, day_sales):
    client.force_login(booth.owner)
    target = url("pos_day", booth, booth.world.expo.slug)
    response = client.post(
        target, {"tanggal": "2021-11-24", "cash_counted": "440000", "note": "  kurang  10 ribu "}
    )
    assert response.status_code == 302
    assert response["Location"] == target + "?tanggal=2021-11-24"
    day = PosDay.objects.get()
    assert (day.date, day.cash_expected, day.cash_counted, day.difference, day.note) == (
        datetime.date(2021, 11, 24),
        450000,
        440000,
        -10000,
        "kurang 10 ribu",
    )
    assert day.closed_by == booth.owner
    assert AuditEntry.objects.filter(action="pos.day.close").count() == 1
    page = client.get(response["Location"])
    assert page.context["closed"] == day
    assert "-Rp10.000" in page.content.decode()
    again = client.post(target, {"tanggal": "2021-11-24", "cash_counted": "450000"})
    assert again.status_code == 400
    assert PosDay.objects.get().cash_counted == 440000


@pytest.mark.parametrize("counted", ["", "-5", "1.5", "abc", "10000000000000"])
def test_a_bad_cash_count_is_refused_on_the_page(client, booth, day_sales, counted):
    client.force_login(booth.owner)
    response = client.post(
        url("pos_day", booth, booth.world.expo.slug),
        {"tanggal": "2021-11-24", "cash_counted": counted},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["cash_counted"]
    assert PosDay.objects.count() == 0


def test_an_unparsable_date_falls_back_to_today(client, booth):
    client.force_login(booth.owner)
    response = client.get(url("pos_day", booth, booth.world.expo.slug) + "?tanggal=2021-13-45")
    assert response.status_code == 200
    assert response.context["summary"]["count"] == 0


def test_flagged_sales_are_listed_and_resolved_with_a_note(client, booth, day_sales):
    client.force_login(booth.teammate)
    target = url("pos_flagged", booth, booth.world.expo.slug)
    response = client.get(target)
    assert response.status_code == 200
    assert [s.number for s in response.context["flagged"]] == [day_sales.number]
    assert day_sales.flag_reason in response.content.decode()
    resolve = url("pos_sale_resolve", booth, booth.world.expo.slug, day_sales.number)
    empty = client.post(resolve, {f"s{day_sales.pk}-note": "  "})
    assert empty.status_code == 400
    assert PosSale.objects.get(pk=day_sales.pk).status == "flagged"
    done = client.post(resolve, {f"s{day_sales.pk}-note": "Stok gudang dipakai"})
    assert done.status_code == 302 and done["Location"] == target
    sale = PosSale.objects.get(pk=day_sales.pk)
    assert (sale.status, sale.resolved_by, sale.resolve_note) == (
        "resolved",
        booth.teammate,
        "Stok gudang dipakai",
    )
    page = client.get(target)
    assert page.context["flagged"] == [] and page.context["resolved"] == [sale]
    # Twice: refused with a message, nothing changes.
    client.post(resolve, {f"s{day_sales.pk}-note": "lagi"})
    assert PosSale.objects.get(pk=day_sales.pk).resolve_note == "Stok gudang dipakai"
    assert AuditEntry.objects.filter(action="pos.sale.resolve").count() == 1


def test_resolve_is_post_only_and_for_this_booths_sales(client, booth, day_sales):
    client.force_login(booth.owner)
    resolve = url("pos_sale_resolve", booth, booth.world.expo.slug, day_sales.number)
    assert client.get(resolve).status_code == 405
    missing = url("pos_sale_resolve", booth, booth.world.expo.slug, "K999-000001")
    assert client.post(missing, {"s1-note": "x"}).status_code == 404


def test_an_outsider_gets_404_everywhere_and_changes_nothing(client, booth, day_sales):
    client.force_login(booth.outsider)
    before = state()
    slug = booth.world.expo.slug
    for target in (
        url("pos_day", booth, slug),
        url("pos_flagged", booth, slug),
        url("pos_labels", booth),
        url("pos_labels", booth) + "?cetak=1&products=1&layout=a4&copies=1",
    ):
        assert client.get(target).status_code == 404
    assert client.post(url("pos_day", booth, slug), {"cash_counted": "1"}).status_code == 404
    resolve = url("pos_sale_resolve", booth, slug, day_sales.number)
    assert client.post(resolve, {f"s{day_sales.pk}-note": "x"}).status_code == 404
    assert state() == before


def test_an_online_exhibitor_has_no_booth_pages(client, booth):
    client.force_login(booth.outsider)
    amplang = booth.world.amplang.slug
    day = reverse("dashboard:pos_day", args=[amplang, booth.world.expo.slug])
    assert client.get(day).status_code == 404
    client.logout()
    assert client.get(url("pos_day", booth, booth.world.expo.slug)).status_code == 302


def test_the_labels_page_makes_a_pdf_of_the_chosen_products(client, booth):
    client.force_login(booth.teammate)
    page = client.get(url("pos_labels", booth))
    assert page.status_code == 200
    active = [p.pk for p in Product.objects.filter(exhibitor=booth.business, is_active=True)]
    assert page.context["form"].fields["products"].initial == active
    shirt = booth.world.shirt
    pdf = client.get(
        url("pos_labels", booth), {"cetak": 1, "products": shirt.pk, "layout": "58mm", "copies": 2}
    )
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


@pytest.mark.parametrize(
    "query",
    [
        {"cetak": 1, "layout": "a4", "copies": 1},  # no product
        {"cetak": 1, "products": "hidden", "layout": "a4", "copies": 1},
        {"cetak": 1, "products": "SHIRT", "layout": "a5", "copies": 1},
        {"cetak": 1, "products": "SHIRT", "layout": "a4", "copies": 0},
        {"cetak": 1, "products": "SHIRT", "layout": "a4", "copies": 21},
        {"cetak": 1, "products": "OTHER", "layout": "a4", "copies": 1},
    ],
)
def test_bad_label_requests_come_back_as_the_form_with_errors(client, booth, query):
    client.force_login(booth.owner)
    other = Product.objects.filter(exhibitor=booth.world.amplang).first()
    query = {
        **query,
        "products": {
            "SHIRT": booth.world.shirt.pk,
            "OTHER": other.pk,
            "hidden": booth.world.hidden.pk,
        }.get(query.get("products"), query.get("products")),
    }
    query = {k: v for k, v in query.items() if v is not None}
    response = client.get(url("pos_labels", booth), query)
    assert response.status_code == 400
    assert response.context["form"].errors


def test_the_overview_links_to_the_till_the_day_and_the_labels(client, booth):
    client.force_login(booth.owner)
    html = client.get(reverse("dashboard:exhibitor", args=[booth.business.slug])).content.decode()
    slug = booth.world.expo.slug
    assert url("pos_till", booth, slug) in html
    assert url("pos_day", booth, slug) in html
    assert url("pos_flagged", booth, slug) in html
    assert url("pos_labels", booth) in html


def test_a_past_day_with_sales_outside_the_expo_can_be_shown_and_closed(client, booth):
    # Sold on the 2nd of December, a week after the expo (a till used after it, or the
    # demo's before it): the day is listed, shown and closed like the expo's own days.
    shirt = booth.world.shirt
    sale = sell(
        booth, "later", [(shirt.pk, 1)], "cash", when=at(24, 10) + datetime.timedelta(days=8)
    )
    client.force_login(booth.owner)
    target = url("pos_day", booth, booth.world.expo.slug)

    page = client.get(target + "?tanggal=2021-12-02")
    closed = client.post(target, {"tanggal": "2021-12-02", "cash_counted": "150000"})
    empty = client.get(target + "?tanggal=2021-12-01")  # no sales then: today instead

    assert page.status_code == 200
    assert page.context["summary"]["date"] == datetime.date(2021, 12, 2)
    assert [s.number for s in page.context["sales"]] == [sale.number]
    assert page.context["summary"]["cash_expected"] == 150000
    assert [d["query"] for d in page.context["days"]] == ["2021-11-24", "2021-11-25", "2021-12-02"]
    assert closed.status_code == 302
    assert closed["Location"] == target + "?tanggal=2021-12-02"
    day = PosDay.objects.get()
    assert (day.date, day.cash_expected, day.difference) == (datetime.date(2021, 12, 2), 150000, 0)
    today = timezone.localdate(timezone.now(), booth.world.expo.tzinfo)
    assert empty.context["summary"]["date"] == today


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2031-01-01"])
def test_a_day_far_off_or_to_come_is_today(client, booth, day):
    client.force_login(booth.owner)
    response = client.get(url("pos_day", booth, booth.world.expo.slug) + f"?tanggal={day}")
    assert response.status_code == 200
    assert response.context["summary"]["count"] == 0
    today = timezone.localdate(timezone.now(), booth.world.expo.tzinfo)
    assert response.context["summary"]["date"] == today


@pytest.mark.parametrize("number", ["K1-%00", "x" * 300, "%F0%9F%9B%8D"])
def test_a_malformed_sale_number_is_404(client, booth, number):
    client.force_login(booth.owner)
    target = url("pos_flagged", booth, booth.world.expo.slug) + f"{number}/selesai/"
    assert client.post(target, {"note": "x"}).status_code == 404


def test_a_malformed_receipt_token_is_404(client):
    for token in ("abc%00", "x" * 200):
        assert client.get(f"/struk/{token}/").status_code == 404


def test_the_days_with_sales_are_days_in_the_expo_s_zone(booth):
    """00:30 WIB on the 3rd of December is 17:30 UTC on the 2nd: a day of its own."""
    from gelar.pos.selectors import sale_dates

    shirt = booth.world.shirt
    wib = booth.world.expo.tzinfo
    sell(booth, "late", [(shirt.pk, 1)], when=datetime.datetime(2021, 12, 2, 23, 30, tzinfo=wib))
    sell(booth, "night", [(shirt.pk, 1)], when=datetime.datetime(2021, 12, 3, 0, 30, tzinfo=wib))
    sell(booth, "again", [(shirt.pk, 1)], when=datetime.datetime(2021, 12, 3, 9, 0, tzinfo=wib))

    assert sale_dates(exhibitor=booth.business, expo=booth.world.expo) == {
        datetime.date(2021, 12, 2),
        datetime.date(2021, 12, 3),
    }
