"""The organizer's report in the console (/console/<expo>/report/): who may see it, every
figure of the hand-built Pekalongan 2021 expo (gelar/reports/tests/fixtures.py: the
figures below are the ones its docstring computes by hand), the live block that polls
while the expo is live and shows a new paid order, the exhibitors' pages, escaping,
an empty expo, and a number of queries that does not grow with the exhibitors.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gelar.console import views_report
from gelar.events.models import Expo, OrganizerMember
from gelar.orders.models import Order
from gelar.reports.tests.fixtures import NOW, _order, busy_expo, report_fixture
from gelar.testing import (
    at,
    html_rows,
    html_terms,
    make_exhibitor,
    make_expo,
    make_organizer,
    make_organizer_member,
    make_participation,
    make_product,
    make_user,
)

pytestmark = pytest.mark.django_db

Role = OrganizerMember.Role


@pytest.fixture(autouse=True)
def second_morning(monkeypatch):
    """The report is looked at on the expo's second morning (the fixture's NOW)."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)


@pytest.fixture
def world():
    world = report_fixture()
    organizer = world["organizer"]
    people = world["users"]
    for role in (Role.STAFF, Role.HOST, Role.GATE):
        user = make_user(email=f"{role}@dindakop.example")
        make_organizer_member(organizer=organizer, user=user, role=role)
        people[role] = user
    # The admin of another organizer, which has an expo of its own.
    stranger = make_user(email="admin@other.example")
    other = make_organizer(slug="dinas-lain", name="Dinas Lain")
    make_organizer_member(organizer=other, user=stranger, role=Role.ADMIN)
    make_expo(organizer=other, slug="expo-lain")
    people["stranger"] = stranger
    return world


def url(world, name: str = "console:report", **query) -> str:
    path = reverse(name, args=[world["expo"].slug])
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def rows_with(html: str, attribute: str) -> dict[str, list[str]]:
    return {attrs[attribute]: cells for attrs, cells in html_rows(html) if attribute in attrs}


# --- who may see it ---


@pytest.mark.parametrize("name", ["console:report", "console:report_live"])
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        (Role.STAFF, 200),
        # The report holds every exhibitor's sales: as for the orders, not for hosts
        # (they have their sessions' stats) nor gate officers (they have occupancy).
        (Role.HOST, 404),
        (Role.GATE, 404),
        ("stranger", 404),
        ("owner", 404),  # an exhibitor of the expo: their own report is in the dashboard
    ],
)
def test_who_may_see_the_report(client, world, name, who, status):
    client.force_login(world["users"][who])
    assert client.get(url(world, name)).status_code == status


def test_others_are_sent_to_sign_in_and_nothing_is_posted(client, world):
    for name in ("console:report", "console:report_live"):
        response = client.get(url(world, name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    client.force_login(world["users"]["admin"])
    orders = Order.objects.count()
    assert client.post(url(world)).status_code == 405
    assert client.post(url(world, "console:report_live")).status_code == 405
    assert Order.objects.count() == orders
    # An expo that does not exist is a 404 like another organizer's.
    assert client.get(reverse("console:report", args=["expo-lain"])).status_code == 404
    assert client.get(reverse("console:report", args=["tidak-ada"])).status_code == 404


def test_the_console_links_to_the_report(client, world):
    client.force_login(world["users"]["admin"])
    html = client.get(reverse("console:orders", args=[world["expo"].slug])).content.decode()
    assert f'href="{url(world)}"' in html
    html = client.get(url(world)).content.decode()
    assert f'<a href="{url(world)}" aria-current="page">{_("Report")}</a>' in html
    assert f'href="{reverse("console:report_exports", args=[world["expo"].slug])}"' in html


# --- the figures ---


def test_visitors_sales_bulk_and_self_reported_are_kept_apart(client, world):
    client.force_login(world["users"]["admin"])
    html = client.get(url(world)).content.decode()
    terms = html_terms(html)
    visitor_days = ngettext("%(counter)s visitor-day", "%(counter)s visitor-days", 5) % {
        "counter": 5
    }
    tickets = ngettext("of %(counter)s ticket issued", "of %(counter)s tickets issued", 5) % {
        "counter": 5
    }
    items = ngettext("%(counter)s item", "%(counter)s items", 20) % {"counter": 20}
    now = _("capacity now %(capacity)s; admitted today %(today)s") % {"capacity": 200, "today": 1}
    assert terms[:17] == [
        (_("Online visitors"), f"4 {visitor_days}"),  # v1..v4; five visitor-days
        (_("Peak stream viewers at once"), "150 25 Nov, 13.10 WIB"),  # the talkshow
        (_("Admitted at the venue"), f"4 {tickets}"),  # T1, T2, T3, T6 of T1..T6 less T5
        (_("Inside the venue now"), f"1 {now}"),  # T3
        (_("Retail omzet"), "Rp1.585.000"),  # 1,105,000 online + 480,000 at the booths
        (_("Orders and booth sales"), f"10 {items}"),
        (_("Inquiries"), "7"),
        (_("Waiting for an answer"), "2"),
        (_("Answered"), "1"),
        (_("Quoted"), "1 (Rp5.000.000)"),
        (_("Won"), "2 (Rp5.500.000)"),  # 3,500,000 + 2,000,000: not in the retail omzet
        (_("Lost"), "1"),
        (_("Reports received"), "3"),
        (_("By WhatsApp"), "Rp500.000"),
        (_("On marketplaces"), "Rp550.000"),
        (_("After the expo"), "Rp200.000"),
        (_("Total reported"), "Rp1.250.000"),  # beside the platform's figures, not added
    ]
    channels = rows_with(html, "data-channel")
    # 1,105,000 / 1,585,000 = 69.72 %; 480,000 / 1,585,000 = 30.28 %; planned 70 / 30.
    assert channels == {
        "online": [_("Online"), "6", "14", "Rp1.105.000", "69,7%", "70%"],
        "venue": [_("At the venue"), "4", "6", "Rp480.000", "30,3%", "30%"],
    }
    assert [_("Retail"), "10", "20", "Rp1.585.000", "", ""] in [c for _a, c in html_rows(html)]
    assert (
        _("Figures as of %(time)s, %(day)s.")
        % {
            "time": "10.00 WIB",
            "day": "Kamis, 25 November 2021",
        }
        in html
    )


def test_days_hours_categories_and_regions(client, world):
    client.force_login(world["users"]["admin"])
    html = client.get(url(world)).content.decode()
    rows = [cells for _attrs, cells in html_rows(html)]
    online, venue = _("Online"), _("At the venue")
    day_header = [_("Day"), online, venue, _("Omzet"), _("Orders"), _("Online visitors")]
    day_header.append(_("Admitted"))
    start = rows.index(day_header) + 1
    # WIB days: O2 (25th 06:30 WIB) is the 25th; after the expo only the days with a
    # figure: not the empty 26th, the 27th (O11).
    assert rows[start : start + 3] == [
        ["Rab 24 Nov", "Rp500.000", "Rp250.000", "Rp750.000", "4", "2", "3"],
        ["Kam 25 Nov", "Rp580.000", "Rp230.000", "Rp810.000", "5", "3", "1"],
        ["Sab 27 Nov", "Rp25.000", "Rp0", "Rp25.000", "1", "0", "0"],
    ]
    hour_header = [_("Hour"), online, venue, _("Omzet"), _("Orders")]
    start = rows.index(hour_header) + 1
    assert rows[start : start + 9] == [
        ["06.00", "Rp100.000", "Rp0", "Rp100.000", "1"],  # O2
        ["09.00", "Rp330.000", "Rp50.000", "Rp380.000", "2"],  # O8, S4
        ["10.00", "Rp300.000", "Rp100.000", "Rp400.000", "2"],  # O1, S3
        ["11.00", "Rp25.000", "Rp0", "Rp25.000", "1"],  # O11
        ["13.00", "Rp0", "Rp150.000", "Rp150.000", "1"],  # S1
        ["14.00", "Rp150.000", "Rp0", "Rp150.000", "1"],  # O7
        ["15.00", "Rp0", "Rp180.000", "Rp180.000", "1"],  # S2
        ["23.00", "Rp200.000", "Rp0", "Rp200.000", "1"],  # O3
        [_("Category"), _("Exhibitors"), online, venue, _("Omzet"), _("Orders"), _("Share")],
    ]
    start += 9
    assert rows[start : start + 4] == [
        ["Batik & Fesyen", "2", "Rp830.000", "Rp330.000", "Rp1.160.000", "5", "73,2%"],
        ["Makanan", "2", "Rp275.000", "Rp150.000", "Rp425.000", "5", "26,8%"],
        ["Kerajinan", "1", "Rp0", "Rp0", "Rp0", "0", "0,0%"],
        [_("Province"), _("Exhibitors"), online, venue, _("Omzet"), _("Orders"), _("Share")],
    ]
    start += 4
    assert rows[start : start + 3] == [
        ["Jawa Tengah", "3", "Rp780.000", "Rp480.000", "Rp1.260.000", "7", "79,5%"],
        ["Jawa Barat", "1", "Rp200.000", "Rp0", "Rp200.000", "1", "12,6%"],
        ["Kalimantan Selatan", "1", "Rp125.000", "Rp0", "Rp125.000", "2", "7,9%"],
    ]


def test_charts_are_drawn_with_their_figures(client, world):
    client.force_login(world["users"]["admin"])
    html = client.get(url(world)).content.decode()
    assert html.count('<svg class="chart" role="img"') == 5
    for title in (
        _("Sales by channel against the planned split"),
        _("Omzet by day"),
        _("Omzet by hour of the day"),
        _("Omzet by category"),
        _("Omzet by province of origin"),
    ):
        assert f">{title}</title>" in html
    # The split: actual 69,7 % / 30,3 % against the plan's 70 / 30.
    assert f"{_('Online')} 69,7%</text>" in html
    assert f"{_('At the venue')} 30,3%</text>" in html
    assert f"{_('Online')} 70,0%</text>" in html
    # The categories in the chart's description, short amounts.
    assert "Batik &amp; Fesyen: Rp1,2 jt; Makanan: Rp425 rb; Kerajinan: Rp0." in html


def test_exhibitors_products_sessions_and_naik_kelas(client, world):
    client.force_login(world["users"]["admin"])
    html = client.get(url(world)).content.decode()
    exhibitors = rows_with(html, "data-exhibitor")
    venue, online, unreported = _("At the venue"), _("Online"), _("not reported")

    def won(value):
        return _("won %(value)s") % {"value": value}

    # Most omzet first; the applicant (Tenun) is in no row.
    assert list(exhibitors.items()) == [
        (
            "batik-sekar-jagad",
            [
                "Batik Sekar Jagad Batik & Fesyen · Kota Pekalongan, Jawa Tengah",
                f"{venue} A-01",
                "Rp630.000",  # O1 300,000 + O8 330,000
                "Rp330.000",  # S1 150,000 + S2 180,000 (flagged: the goods left)
                "Rp960.000",
                "4",
                "3",
                f"4 {won('Rp3.500.000')}",
                "Rp800.000",
                "25,0%",  # 4,000,000 -> 5,000,000 a month
                "220,0% Pekalongan Hybrid Expo 2020",  # 1,760,000 against 550,000
            ],
        ),
        (
            "kopi-petungkriyono",
            [
                "Kopi Petungkriyono Makanan · Kabupaten Pekalongan, Jawa Tengah",
                f"{venue} A-02",
                "Rp150.000",
                "Rp150.000",
                "Rp300.000",
                "3",
                "0",
                f"1 {won('Rp2.000.000')}",
                unreported,
                "–",
                "–",  # refused in 2020: no previous expo
            ],
        ),
        (
            "batik-tasik-indah",
            [
                "Batik Tasik Indah Batik & Fesyen · Kabupaten Tasikmalaya, Jawa Barat",
                online,
                "Rp200.000",
                "Rp0",
                "Rp200.000",
                "1",
                "0",
                "1",
                "Rp300.000",
                "–",
                "–",
            ],
        ),
        (
            "amplang-banjarbaru",
            [
                "Amplang Banjarbaru Makanan · Kota Banjarbaru, Kalimantan Selatan",
                online,
                "Rp125.000",  # O2 100,000 + O11 25,000; O5 was cancelled
                "Rp0",
                "Rp125.000",
                "2",
                "1",
                "1",
                "Rp150.000",
                "-10,0%",
                "450,0% Pekalongan Hybrid Expo 2020",  # 275,000 against 50,000
            ],
        ),
        (
            "anyaman-pandan-ayu",
            [
                "Anyaman Pandan Ayu Kerajinan · Kota Pekalongan, Jawa Tengah",
                online,
                "Rp0",
                "Rp0",
                "Rp0",
                "0",
                "0",
                "0",
                unreported,
                "–",
                "–",
            ],
        ),
    ]
    assert "Tenun Belum Diterima" not in html
    rows = [cells for _attrs, cells in html_rows(html)]
    start = rows.index([_("Product"), _("Sold"), online, venue, _("Omzet")]) + 1
    assert rows[start : start + 6] == [
        ["Kemeja Batik Tulis Batik Sekar Jagad", "4", "Rp450.000", "Rp150.000", "Rp600.000"],
        ["Selendang Sutra Batik Sekar Jagad", "4", "Rp180.000", "Rp180.000", "Rp360.000"],
        ["Kopi Robusta 250 g Kopi Petungkriyono", "6", "Rp150.000", "Rp150.000", "Rp300.000"],
        ["Kain Batik Tasik Batik Tasik Indah", "1", "Rp200.000", "Rp0", "Rp200.000"],
        ["Amplang Tenggiri Amplang Banjarbaru", "5", "Rp125.000", "Rp0", "Rp125.000"],
        [
            _("Pinned product"),
            _("Pinned"),
            _("Clicks"),
            _("Added to cart"),
            _("Paid orders"),
            _("Omzet"),
        ],
    ]
    # The promotion's pins: P1 brought O1 (2 shirts); P2's order was cancelled.
    assert rows[start + 6 : start + 10] == [
        ["Kemeja Batik Tulis Batik Sekar Jagad", "10.05–10.20 WIB", "12", "5", "1", "Rp300.000"],
        ["Amplang Tenggiri Amplang Banjarbaru", "10.20 WIB –", "4", "1", "0", "Rp0"],
        rows[start + 5],
        ["Kain Batik Tasik Batik Tasik Indah", "13.05 WIB –", "3", "0", "0", "Rp0"],
    ]
    terms = html_terms(html)
    sessions = terms[terms.index((_("Peak viewers at once"), "120")) :]
    assert sessions[:12] == [
        (_("Peak viewers at once"), "120"),
        (_("Average viewers"), "85"),  # (40 + 120 + 95) / 3
        (_("Clicks on pins"), "16"),
        (_("Added to cart"), "6"),
        (_("Paid orders"), "1"),
        (_("Omzet from pins"), "Rp300.000"),
        (_("Peak viewers at once"), "150"),
        (_("Average viewers"), "93"),  # (60 + 150 + 70) / 3 = 93.3
        (_("Clicks on pins"), "3"),
        (_("Added to cart"), "0"),
        (_("Paid orders"), "0"),
        (_("Omzet from pins"), "Rp0"),
    ]
    assert "<h3>Pembukaan</h3>" not in html  # not streamed: no samples, no pins
    assert sessions[12:] == [
        (_("Exhibitors who reported"), "3 " + _("of %(total)s") % {"total": 5}),
        # A grew 25 %, B fell 10 %: the median of the two is 7.5 %.
        (_("Turnover grew"), "1 " + _("median growth %(median)s") % {"median": "7,5%"}),
        (_("Opened a new sales channel"), "2"),  # A, C
        (_("Obtained a licence since their last expo"), "1 " + _("NIB, halal, P-IRT, BPOM")),
        (
            _("Came back from an earlier expo"),
            "2 " + _("%(grew)s sold more than there") % {"grew": 2},
        ),
    ]


def test_exhibitors_come_a_page_at_a_time(client, world, monkeypatch):
    monkeypatch.setattr(views_report, "EXHIBITORS_PER_PAGE", 2)
    client.force_login(world["users"]["admin"])
    html = client.get(url(world, page=2)).content.decode()
    assert list(rows_with(html, "data-exhibitor")) == ["batik-tasik-indah", "amplang-banjarbaru"]
    # The block asks for the same page when it refreshes.
    assert f'hx-get="{url(world, "console:report_live")}?page=2"' in html
    html = client.get(url(world, "console:report_live", page=3)).content.decode()
    assert list(rows_with(html, "data-exhibitor")) == ["anyaman-pandan-ayu"]
    # A page out of range is the last one, junk the first.
    html = client.get(url(world, page=99)).content.decode()
    assert list(rows_with(html, "data-exhibitor")) == ["anyaman-pandan-ayu"]
    html = client.get(url(world, page="x")).content.decode()
    assert list(rows_with(html, "data-exhibitor")) == ["batik-sekar-jagad", "kopi-petungkriyono"]


# --- refreshing in place ---


def test_the_live_block_polls_while_the_expo_is_live(client, world):
    client.force_login(world["users"]["admin"])
    html = client.get(url(world)).content.decode()
    live_url = url(world, "console:report_live")
    assert (
        f'<div id="report-live" class="report-live" hx-get="{live_url}" hx-trigger="every 30s" '
        'hx-swap="outerHTML">'
    ) in html
    assert 'src="/static/vendor/htmx/htmx.min.js" defer' in html
    assert '"allowEval":false' in html
    # The fragment is the same block with the same figures, and no page around it.
    fragment = client.get(live_url)
    assert fragment["Cache-Control"] == "private, no-store"
    fragment = fragment.content.decode()
    assert fragment.lstrip().startswith('<div id="report-live"')
    assert "<html" not in fragment
    assert rows_with(fragment, "data-channel") == rows_with(html, "data-channel")
    assert rows_with(fragment, "data-exhibitor") == rows_with(html, "data-exhibitor")
    assert html_terms(fragment) == html_terms(html)


def test_the_live_block_shows_a_new_paid_order(client, world):
    client.force_login(world["users"]["admin"])
    live_url = url(world, "console:report_live")
    before = client.get(live_url).content.decode()
    c, kain = world["exhibitors"]["C"], world["products"]["kain"]
    _order(world["expo"], c, Order.Status.PAID, [(kain, 2, None)], paid_at=at(25, 9, 50))
    after = client.get(live_url).content.decode()
    assert rows_with(before, "data-channel")["online"][1:4] == ["6", "14", "Rp1.105.000"]
    # 1,505,000 / 1,985,000 = 75.82 %; 480,000 / 1,985,000 = 24.18 %.
    assert rows_with(after, "data-channel") == {
        "online": [_("Online"), "7", "16", "Rp1.505.000", "75,8%", "70%"],
        "venue": [_("At the venue"), "4", "6", "Rp480.000", "24,2%", "30%"],
    }
    assert rows_with(after, "data-exhibitor")["batik-tasik-indah"][2:6] == [
        "Rp600.000",
        "Rp0",
        "Rp600.000",
        "2",
    ]


def test_a_closed_expo_is_not_polled(client, world):
    expo = world["expo"]
    expo.status = Expo.Status.CLOSED
    expo.save(update_fields=["status"])
    client.force_login(world["users"]["admin"])
    html = client.get(url(world)).content.decode()
    assert "hx-trigger" not in html
    assert '<div id="report-live" class="report-live">' in html
    assert _("The expo is not live: the figures do not refresh by themselves.") in html
    # "Refresh now" still fetches the block once (a plain link without JavaScript).
    assert (
        f'href="{url(world)}" hx-get="{url(world, "console:report_live")}" '
        'hx-target="#report-live" hx-swap="outerHTML"'
    ) in html


# --- names typed by exhibitors, an empty expo ---


def test_hostile_names_are_escaped(client, world):
    name = '<script>alert("x")</script> Batik'
    exhibitor = make_exhibitor(name=name, slug="jahat")
    make_participation(expo=world["expo"], exhibitor=exhibitor)
    product = make_product(exhibitor=exhibitor, name="<img src=x onerror=alert(1)>", images=0)
    _order(world["expo"], exhibitor, Order.Status.PAID, [(product, 5, None)], paid_at=at(25, 9))
    client.force_login(world["users"]["admin"])
    html = client.get(url(world)).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Batik" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert rows_with(html, "data-exhibitor")["jahat"][4] == "Rp750.000"  # 5 x 150,000


def test_an_expo_without_anything_yet(client):
    expo = make_expo(slug="kosong", status=Expo.Status.PUBLISHED)
    admin = make_user(email="admin@kosong.example")
    make_organizer_member(organizer=expo.organizer, user=admin, role=Role.ADMIN)
    client.force_login(admin)
    response = client.get(reverse("console:report", args=["kosong"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert rows_with(html, "data-channel") == {
        "online": [_("Online"), "0", "0", "Rp0", "–", "70%"],
        "venue": [_("At the venue"), "0", "0", "Rp0", "–", "30%"],
    }
    assert html.count(f'<p class="chart-empty">{_("No sales yet.")}</p>') == 4
    assert _("No sales yet") in html  # the split's first bar
    assert _("No exhibitor has been accepted yet.") in html
    assert _("No live session has been streamed yet.") in html
    # Published, and it is one of its days (the 25th at 10.00): the calendar says live.
    assert 'hx-trigger="every 30s"' in html


# --- queries ---


def _busy_expo(exhibitors: int, suffix: str):
    """fixtures.busy_expo, live, with an admin of its organizer."""
    world = busy_expo(exhibitors, suffix, status=Expo.Status.LIVE)
    admin = make_user(email=f"admin{suffix}@example.com")
    make_organizer_member(organizer=world.expo.organizer, user=admin, role=Role.ADMIN)
    return world, admin


def test_the_number_of_queries_does_not_grow_with_the_exhibitors(client):
    small, small_admin = _busy_expo(2, "-s")
    large, large_admin = _busy_expo(6, "-l")

    def queries(world, admin) -> int:
        client.force_login(admin)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("console:report", args=[world.expo.slug]))
        assert response.status_code == 200
        return len(captured)

    queries(small, small_admin)  # warm the caches (content types, sessions)
    assert queries(small, small_admin) == queries(large, large_admin)
    client.force_login(large_admin)
    html = client.get(reverse("console:report", args=[large.expo.slug])).content.decode()
    assert len(rows_with(html, "data-exhibitor")) == 8
    assert html.count('class="report-box report-session"') == 6


def test_screens_share_the_report_for_a_few_seconds(client, world, settings):
    from django.core.cache import cache

    settings.GELAR_REPORT_CACHE_SECONDS = 15
    cache.clear()
    client.force_login(world["users"]["admin"])
    live_url = url(world, "console:report_live")
    before = rows_with(client.get(live_url).content.decode(), "data-channel")
    c, kain = world["exhibitors"]["C"], world["products"]["kain"]
    _order(world["expo"], c, Order.Status.PAID, [(kain, 2, None)], paid_at=at(25, 9, 50))

    with CaptureQueriesContext(connection) as queries:
        shared = rows_with(client.get(live_url).content.decode(), "data-channel")
    # Within the window the block is the report already made: no report queries, only
    # the session, the user and the expo.
    assert shared == before
    assert len(queries) < 8
    cache.clear()
    fresh = rows_with(client.get(live_url).content.decode(), "data-channel")
    assert int(fresh["online"][1]) == int(before["online"][1]) + 1
