"""Visits: reports.services.visit_record and the beacon POST /expo/<slug>/jejak/.

One row per visitor per day (in the expo's zone), the cookie's key stored as its
SHA-256; a repeat changes nothing; bots, the organizer's team, unknown expos and booths
not accepted at the expo are not counted. The cookie is signed (a made-up key is no
visitor) and one address makes at most 60 new visitors an hour.
"""

import datetime
import hashlib

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext as _

from gelar.events.models import Expo
from gelar.public import views_visit
from gelar.reports.models import BoothVisit, Visit
from gelar.reports.services import visit_record
from gelar.reports.tests import collect_world
from gelar.testing import WIB, make_expo

pytestmark = pytest.mark.django_db
world = collect_world.world

UTC = datetime.UTC
KEY = "k" * 32
CHROME = (
    "Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Mobile Safari/537.36"
)


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def key_of(cookie_value: str) -> str:
    """The visitor's key inside the signed cookie, read back as the beacon reads it."""
    request = HttpRequest()
    request.COOKIES["gelar_vid"] = cookie_value
    return request.get_signed_cookie("gelar_vid", salt="gelar.reports.visitor")


def signed(key: str) -> str:
    """The cookie's value the beacon gives the visitor with this key."""
    response = HttpResponse()
    response.set_signed_cookie("gelar_vid", key, salt="gelar.reports.visitor")
    return response.cookies["gelar_vid"].value


def beacon(client, expo, *, booth=None, **extra):
    data = {"booth": booth} if booth is not None else {}
    extra.setdefault("HTTP_USER_AGENT", CHROME)
    return client.post(reverse("public:visit", args=[expo.slug]), data, **extra)


# --- the service ---


def test_a_visit_is_counted_once_a_day_in_the_expos_zone(world):
    expo = world.expo
    # 23 November 17:30 UTC is already the 24th, 00:30, in Pekalongan (WIB).
    visit_record(
        expo=expo, visitor_key=KEY, now=datetime.datetime(2021, 11, 23, 17, 30, tzinfo=UTC)
    )
    visit_record(expo=expo, visitor_key=KEY, now=datetime.datetime(2021, 11, 24, 9, 0, tzinfo=WIB))
    visit_record(expo=expo, visitor_key=KEY, now=datetime.datetime(2021, 11, 25, 8, 0, tzinfo=WIB))
    rows = list(Visit.objects.order_by("day").values_list("visitor", "day", "first_seen"))
    assert rows == [
        (
            sha(KEY),
            datetime.date(2021, 11, 24),
            datetime.datetime(2021, 11, 23, 17, 30, tzinfo=UTC),
        ),
        (sha(KEY), datetime.date(2021, 11, 25), datetime.datetime(2021, 11, 25, 1, 0, tzinfo=UTC)),
    ]
    assert BoothVisit.objects.count() == 0


def test_a_booth_visit_is_also_a_visit_of_the_expo(world):
    now = datetime.datetime(2021, 11, 24, 10, 0, tzinfo=WIB)
    for _repeat in range(2):
        visit_record(expo=world.expo, visitor_key=KEY, exhibitor=world.batik, now=now)
    visit_record(expo=world.expo, visitor_key=KEY, exhibitor=world.amplang, now=now)
    visit_record(expo=world.expo, visitor_key="other-visitor", exhibitor=world.batik, now=now)
    assert sorted(Visit.objects.values_list("visitor", flat=True)) == sorted(
        [sha(KEY), sha("other-visitor")]
    )
    assert sorted(BoothVisit.objects.values_list("exhibitor__name", "visitor")) == sorted(
        [
            ("Amplang Café Banjarbaru", sha(KEY)),
            ("Batik Sekar Jagad", sha(KEY)),
            ("Batik Sekar Jagad", sha("other-visitor")),
        ]
    )
    assert set(BoothVisit.objects.values_list("day", flat=True)) == {datetime.date(2021, 11, 24)}


def test_an_empty_key_is_a_programming_error(world):
    with pytest.raises(ValueError):
        visit_record(expo=world.expo, visitor_key="")


# --- the beacon ---


def test_the_beacon_gives_a_new_visitor_a_cookie_and_counts_them(client, world):
    response = beacon(client, world.expo)
    assert response.status_code == 204
    cookie = response.cookies["gelar_vid"]
    # "<key>:<timestamp>:<signature>": the key is 32 random characters.
    key = key_of(cookie.value)
    assert len(key) == 32 and cookie.value.startswith(key + ":")
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert cookie["max-age"] == 365 * 24 * 3600
    assert cookie["secure"] == ""
    assert "no-cache" in response["Cache-Control"]
    (visit,) = Visit.objects.all()
    assert (visit.expo, visit.visitor) == (world.expo, sha(key))

    # The same browser again, on the booth page: the expo visit is not counted twice.
    again = beacon(client, world.expo, booth=world.batik.slug)
    assert again.status_code == 204
    assert "gelar_vid" not in again.cookies
    assert Visit.objects.count() == 1
    (booth_visit,) = BoothVisit.objects.all()
    assert (booth_visit.exhibitor, booth_visit.visitor) == (world.batik, sha(key))


def test_the_cookie_is_secure_over_https(client, world):
    response = beacon(client, world.expo, secure=True)
    assert response.status_code == 204
    assert response.cookies["gelar_vid"]["secure"] is True


def test_a_malformed_cookie_is_replaced(client, world):
    client.cookies["gelar_vid"] = "not a key; injected"
    response = beacon(client, world.expo)
    assert response.status_code == 204
    key = key_of(response.cookies["gelar_vid"].value)
    assert list(Visit.objects.values_list("visitor", flat=True)) == [sha(key)]


@pytest.mark.parametrize(
    "forged",
    [
        "A" * 32,  # a well-formed key, unsigned: the old way, or made up
        "A" * 32 + ":1xXgxt:not-the-signature",
        "B" * 32 + ":" + signed("A" * 32).split(":", 1)[1],  # another key's signature
    ],
)
def test_a_made_up_key_is_not_a_visitor(client, world, forged):
    client.cookies["gelar_vid"] = forged
    response = beacon(client, world.expo, booth=world.batik.slug)
    assert response.status_code == 204
    key = key_of(response.cookies["gelar_vid"].value)
    assert key not in ("A" * 32, "B" * 32)
    assert list(Visit.objects.values_list("visitor", flat=True)) == [sha(key)]
    assert list(BoothVisit.objects.values_list("visitor", flat=True)) == [sha(key)]


def test_a_signed_key_is_the_same_visitor_on_another_day(client, world):
    client.cookies["gelar_vid"] = signed(KEY)
    response = beacon(client, world.expo)
    assert response.status_code == 204
    assert "gelar_vid" not in response.cookies
    assert list(Visit.objects.values_list("visitor", flat=True)) == [sha(KEY)]


# --- the budget of new visitors per address ---


def test_one_address_makes_at_most_60_new_visitors_an_hour(world):
    assert views_visit.NEW_VISITORS_PER_HOUR == 60
    for _n in range(60):
        # A fresh client each time: no cookie, a new visitor.
        response = beacon(Client(), world.expo, REMOTE_ADDR="203.0.113.7")
        assert response.status_code == 204 and "gelar_vid" in response.cookies
    refused = beacon(Client(), world.expo, booth=world.batik.slug, REMOTE_ADDR="203.0.113.7")
    # The same answer as ever, but no cookie and nothing counted.
    assert refused.status_code == 204
    assert "gelar_vid" not in refused.cookies
    assert (Visit.objects.count(), BoothVisit.objects.count()) == (60, 0)

    # Another address has its own budget.
    other = beacon(Client(), world.expo, REMOTE_ADDR="198.51.100.20")
    assert other.status_code == 204 and "gelar_vid" in other.cookies
    # A visitor of the spent address who already has their cookie is still counted.
    returning = Client()
    returning.cookies["gelar_vid"] = signed(KEY)
    assert (
        beacon(returning, world.expo, booth=world.batik.slug, REMOTE_ADDR="203.0.113.7").status_code
        == 204
    )
    assert (Visit.objects.count(), BoothVisit.objects.count()) == (62, 1)
    assert BoothVisit.objects.get().visitor == sha(KEY)


def test_the_budget_is_per_client_behind_a_trusted_proxy(world, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for _n in range(60):
        beacon(
            Client(),
            world.expo,
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7",
        )
    # Another visitor behind the same proxy is not the spent address.
    response = beacon(
        Client(), world.expo, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.20"
    )
    assert "gelar_vid" in response.cookies
    # Whatever a client writes further left is not its address.
    spent = beacon(
        Client(),
        world.expo,
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.7",
    )
    assert "gelar_vid" not in spent.cookies
    assert Visit.objects.count() == 61


def test_the_beacon_needs_no_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    assert beacon(client, world.expo).status_code == 204
    assert Visit.objects.count() == 1


def test_the_beacon_counts_a_closed_expo_as_a_virtual_mall(client, world):
    Expo.objects.filter(pk=world.expo.pk).update(status=Expo.Status.CLOSED)
    assert beacon(client, world.expo, booth=world.amplang.slug).status_code == 204
    assert (Visit.objects.count(), BoothVisit.objects.count()) == (1, 1)


@pytest.mark.parametrize(
    "agent",
    ["Googlebot/2.1", "Mozilla/5.0 (compatible; bingbot/2.0)", "Baiduspider", "SomeCrawler/1.0"],
)
def test_bots_are_not_counted(client, world, agent):
    response = beacon(client, world.expo, booth=world.batik.slug, HTTP_USER_AGENT=agent)
    assert response.status_code == 204
    assert "gelar_vid" not in response.cookies
    assert (Visit.objects.count(), BoothVisit.objects.count()) == (0, 0)


def test_the_organizers_team_is_not_counted(client, world):
    client.force_login(world.organizer_staff)
    assert beacon(client, world.expo, booth=world.batik.slug).status_code == 204
    assert (Visit.objects.count(), BoothVisit.objects.count()) == (0, 0)
    # An exhibitor looking around is a visitor like any other.
    client.force_login(world.outsider)
    assert beacon(client, world.expo, booth=world.batik.slug).status_code == 204
    assert (Visit.objects.count(), BoothVisit.objects.count()) == (1, 1)


def test_unknown_and_draft_expos_are_404(client, world):
    draft = make_expo(status=Expo.Status.DRAFT)
    assert client.post("/expo/no-such-expo/jejak/", HTTP_USER_AGENT=CHROME).status_code == 404
    assert beacon(client, draft).status_code == 404
    assert Visit.objects.count() == 0


def test_a_booth_not_accepted_at_the_expo_is_404(client, world):
    other = make_expo()
    assert beacon(client, world.expo, booth=world.applicant.slug).status_code == 404
    assert beacon(client, world.expo, booth="no-such-booth").status_code == 404
    assert beacon(client, other, booth=world.batik.slug).status_code == 404
    assert (Visit.objects.count(), BoothVisit.objects.count()) == (0, 0)


@pytest.mark.parametrize("booth", ["../admin", "a b", "x" * 81, "batik\x00"])
def test_a_malformed_booth_is_400_in_indonesian(client, world, booth):
    response = beacon(client, world.expo, booth=booth)
    assert response.status_code == 400
    assert response.content.decode() == _("This booth name is not valid.")
    assert Visit.objects.count() == 0


def test_only_post_is_accepted(client, world):
    assert client.get(reverse("public:visit", args=[world.expo.slug])).status_code == 405
    assert Visit.objects.count() == 0


def test_every_page_a_visitor_lands_on_sends_the_beacon(client, world):
    url = reverse("public:visit", args=[world.expo.slug])
    expo_tag = f'<script src="/static/js/visit.js" defer data-url="{url}"></script>'
    booth_tag = (
        f'<script src="/static/js/visit.js" defer data-url="{url}" '
        f'data-booth="{world.batik.slug}"></script>'
    )
    slug = world.expo.slug
    pages = {
        reverse("public:expo_home", args=[slug]): expo_tag,
        reverse("public:directory", args=[slug]): expo_tag,
        reverse("public:search", args=[slug]) + "?q=batik": expo_tag,
        reverse("public:floor_plan", args=[slug]): expo_tag,
        reverse("public:booth", args=[slug, world.batik.slug]): booth_tag,
        # A product seen is its seller's booth visited.
        reverse("public:product", args=[slug, world.batik.slug, world.shirt.slug]): booth_tag,
    }
    for path, tag in pages.items():
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.content.decode().count("js/visit.js") == 1, path
        assert tag in response.content.decode(), path
        assert "gelar_vid" not in response.cookies, path
    assert Visit.objects.count() == 0


def test_the_expo_home_and_the_booth_page_load_the_beacon_and_count_nothing(client, world):
    home = client.get(reverse("public:expo_home", args=[world.expo.slug]))
    booth = client.get(reverse("public:booth", args=[world.expo.slug, world.batik.slug]))
    url = reverse("public:visit", args=[world.expo.slug])
    assert f'src="/static/js/visit.js" defer data-url="{url}"></script>' in home.content.decode()
    assert (
        f'src="/static/js/visit.js" defer data-url="{url}" data-booth="{world.batik.slug}">'
        in booth.content.decode()
    )
    # The pages themselves set no visitor cookie and count nothing: they stay cacheable.
    assert "gelar_vid" not in home.cookies and "gelar_vid" not in booth.cookies
    assert Visit.objects.count() == 0
