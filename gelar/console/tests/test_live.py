"""The host console (/console/<expo>/live/): who may, the run sheet, pins, the
announcement, chat moderation, the stats page, and a checkout attributed to a pin.

The Pekalongan organizer has an admin, a staff member and a live-stream host (they
may), and a gate officer (they may not); the outsider is the admin of another
organizer. The Mayor's session is the one they run.
"""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as t

from gelar.audit.models import AuditEntry
from gelar.catalog.models import Product
from gelar.events.models import AgendaSession, Expo, OrganizerMember
from gelar.live.models import (
    ChatMessage,
    ChatSettings,
    LiveState,
    Pin,
    RunSheetItem,
    Viewer,
    ViewerSample,
)
from gelar.live.runsheet import runsheet_add
from gelar.orders.models import OrderLine
from gelar.orders.services import order_mark_paid
from gelar.shop.cart import PINS_KEY, SESSION_KEY
from gelar.testing import (
    ExpoWorld,
    accept_every_payment,
    at,
    build_expo,
    make_organizer,
    make_organizer_member,
    make_product,
    make_user,
)

pytestmark = pytest.mark.django_db
Role = OrganizerMember.Role


@dataclass
class Studio:
    world: ExpoWorld
    expo: Expo
    session: AgendaSession
    snack: Product
    admin: object
    staff: object
    host: object
    gate: object
    outsider: object
    viewer: Viewer
    message: ChatMessage


def member(organizer, email: str, role: str):
    user = make_user(email=email)
    make_organizer_member(organizer=organizer, user=user, role=role)
    return user


@pytest.fixture
def studio() -> Studio:
    world = accept_every_payment(build_expo())
    organizer = world.expo.organizer
    session = AgendaSession.objects.get(expo=world.expo, title__startswith="Promosi")
    viewer = Viewer.objects.create(expo=world.expo, display_name="Sari")
    message = ChatMessage.objects.create(
        session=session,
        viewer=viewer,
        display_name="Sari",
        text="Berapa harga kemejanya?",
        created_at=timezone.now(),
    )
    other = build_expo(suffix="-lain", organizer=make_organizer(slug="dinas-batang"))
    return Studio(
        world=world,
        expo=world.expo,
        session=session,
        snack=Product.objects.get(exhibitor=world.amplang),
        admin=member(organizer, "admin@dindakop.example", Role.ADMIN),
        staff=member(organizer, "staf@dindakop.example", Role.STAFF),
        host=member(organizer, "host@dindakop.example", Role.HOST),
        gate=member(organizer, "gate@dindakop.example", Role.GATE),
        outsider=member(other.expo.organizer, "admin@batang.example", Role.ADMIN),
        viewer=viewer,
        message=message,
    )


def url(name: str, studio: Studio, *args) -> str:
    if name == "live_sessions":
        return reverse("console:live_sessions", args=[studio.expo.slug])
    return reverse(f"console:{name}", args=[studio.expo.slug, studio.session.pk, *args])


def db_state() -> dict:
    """Every row the host console can change, to prove a refused request changed nothing."""
    models = (RunSheetItem, Pin, LiveState, ChatMessage, Viewer, ChatSettings, AuditEntry)
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in models}


def run_sheet(studio: Studio) -> list[str]:
    return list(
        RunSheetItem.objects.filter(session=studio.session)
        .order_by("position")
        .values_list("product__name", flat=True)
    )


def positions(studio: Studio) -> list[int]:
    return list(
        RunSheetItem.objects.filter(session=studio.session)
        .order_by("position")
        .values_list("position", flat=True)
    )


def html(response) -> str:
    return response.content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# --- who may ------------------------------------------------------------------------

PAGES = ["live_sessions", "live_console", "live_stats"]


@pytest.mark.parametrize("who", ["admin", "staff", "host"])
@pytest.mark.parametrize("page", PAGES)
def test_members_with_a_live_role_open_the_pages(client, studio, who, page):
    client.force_login(getattr(studio, who))
    response = client.get(url(page, studio))
    assert response.status_code == 200
    if page != "live_sessions":
        assert studio.session.title in html(response)


@pytest.mark.parametrize("who", ["gate", "outsider"])
@pytest.mark.parametrize("page", PAGES)
def test_others_get_404(client, studio, who, page):
    client.force_login(getattr(studio, who))
    assert client.get(url(page, studio)).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, studio):
    response = client.get(url("live_console", studio))
    assert response.status_code == 302
    assert "login" in response.url


def test_a_session_of_another_expo_is_404(client, studio):
    other = AgendaSession.objects.exclude(expo=studio.expo).first()
    client.force_login(studio.host)
    response = client.get(reverse("console:live_console", args=[studio.expo.slug, other.pk]))
    assert response.status_code == 404


def test_the_host_sees_only_the_live_tabs(client, studio):
    client.force_login(studio.host)
    page = html(client.get(url("live_sessions", studio)))
    assert reverse("console:live_sessions", args=[studio.expo.slug]) in page
    assert reverse("console:orders", args=[studio.expo.slug]) not in page
    client.force_login(studio.staff)
    page = html(client.get(url("live_sessions", studio)))
    assert reverse("console:orders", args=[studio.expo.slug]) in page


def every_action(studio: Studio, item: RunSheetItem) -> list[tuple[str, dict]]:
    return [
        (url("live_runsheet_add", studio), {"product": studio.snack.pk}),
        (url("live_runsheet_remove", studio, item.pk), {}),
        (url("live_runsheet_up", studio, item.pk), {}),
        (url("live_runsheet_down", studio, item.pk), {}),
        (url("live_pin", studio, item.pk), {}),
        (url("live_unpin", studio), {}),
        (url("live_announce", studio), {"text": "Diskon 10%"}),
        (url("live_chat_rules", studio), {"slow_mode_seconds": "30"}),
        (url("live_chat_words", studio), {"blocked_words": "jelek"}),
        (url("live_chat_delete", studio, studio.message.pk), {}),
        (url("live_viewer_mute", studio, studio.viewer.pk), {}),
        (url("live_viewer_unmute", studio, studio.viewer.pk), {}),
        (url("live_viewer_ban", studio, studio.viewer.pk), {}),
    ]


@pytest.mark.parametrize("who", ["gate", "outsider"])
def test_others_post_nothing(client, studio, who):
    item = runsheet_add(session=studio.session, product=studio.world.shirt, actor=studio.host)
    extra = make_product(exhibitor=studio.world.batik, name="Syal Batik")
    runsheet_add(session=studio.session, product=extra, actor=studio.host)
    before = db_state()
    client.force_login(getattr(studio, who))
    for action, data in every_action(studio, item):
        assert client.post(action, data).status_code == 404, action
    assert db_state() == before


def test_get_on_an_action_changes_nothing(client, studio):
    item = runsheet_add(session=studio.session, product=studio.world.shirt, actor=studio.host)
    before = db_state()
    client.force_login(studio.host)
    for action, _data in every_action(studio, item):
        assert client.get(action).status_code == 405, action
    assert db_state() == before


# --- the sessions -------------------------------------------------------------------


def test_the_session_on_air_is_marked(client, studio, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: at(24, 10, 15))
    client.force_login(studio.host)
    page = html(client.get(url("live_sessions", studio)))
    on_air = page.index(t("On air"))
    # The badge is on the Mayor's session (its time line comes before its title).
    assert page.count(t("On air")) == 1
    assert (
        page.index("Pembukaan Pekalongan Hybrid Expo") < on_air < page.index(studio.session.title)
    )
    assert reverse("console:live_console", args=[studio.expo.slug, studio.session.pk]) in page


# --- run sheet ----------------------------------------------------------------------


def test_run_sheet_add_move_remove(client, studio):
    world = studio.world
    scarf = make_product(exhibitor=world.batik, name="Syal Batik")
    client.force_login(studio.host)
    for product, note in [(world.shirt, "Wali Kota memakainya"), (studio.snack, ""), (scarf, "")]:
        response = client.post(
            url("live_runsheet_add", studio), {"product": product.pk, "note": note}
        )
        assert response.status_code == 302
        assert response.url == url("live_console", studio) + "#run-sheet"
    shirt, snack, scarf_item = RunSheetItem.objects.filter(session=studio.session).order_by("pk")
    assert run_sheet(studio) == [
        "Kemeja Batik Tulis Sekar Jagad",
        "Amplang Ikan Tenggiri",
        "Syal Batik",
    ]
    assert positions(studio) == [0, 1, 2]
    assert shirt.note == "Wali Kota memakainya"

    client.post(url("live_runsheet_up", studio, scarf_item.pk))
    assert run_sheet(studio) == [
        "Kemeja Batik Tulis Sekar Jagad",
        "Syal Batik",
        "Amplang Ikan Tenggiri",
    ]
    client.post(url("live_runsheet_up", studio, scarf_item.pk))
    assert run_sheet(studio) == [
        "Syal Batik",
        "Kemeja Batik Tulis Sekar Jagad",
        "Amplang Ikan Tenggiri",
    ]
    # At the top, up does nothing; at the bottom, down does nothing.
    client.post(url("live_runsheet_up", studio, scarf_item.pk))
    client.post(url("live_runsheet_down", studio, snack.pk))
    assert run_sheet(studio) == [
        "Syal Batik",
        "Kemeja Batik Tulis Sekar Jagad",
        "Amplang Ikan Tenggiri",
    ]
    client.post(url("live_runsheet_down", studio, scarf_item.pk))
    assert run_sheet(studio) == [
        "Kemeja Batik Tulis Sekar Jagad",
        "Syal Batik",
        "Amplang Ikan Tenggiri",
    ]

    client.post(url("live_runsheet_remove", studio, scarf_item.pk))
    assert run_sheet(studio) == ["Kemeja Batik Tulis Sekar Jagad", "Amplang Ikan Tenggiri"]
    assert positions(studio) == [0, 1]
    actions = list(
        AuditEntry.objects.filter(object_type="live.runsheetitem")
        .order_by("pk")
        .values_list("action", "actor")
    )
    assert actions == (
        [("live.runsheet.add", studio.host.pk)] * 3
        + [("live.runsheet.move", studio.host.pk)] * 3
        + [("live.runsheet.remove", studio.host.pk)]
    )
    page = html(client.get(url("live_console", studio)))
    assert page.index("Kemeja Batik Tulis Sekar Jagad") < page.index("Amplang Ikan Tenggiri")
    assert "Wali Kota memakainya" in page


def test_run_sheet_refuses_what_cannot_be_sold_or_is_there(client, studio):
    world = studio.world
    runsheet_add(session=studio.session, product=world.shirt, actor=studio.host)
    applicant_product = Product.objects.get(exhibitor=world.applicant)
    before = db_state()
    client.force_login(studio.host)
    for product in (world.shirt, world.hidden, applicant_product):
        response = client.post(url("live_runsheet_add", studio), {"product": product.pk})
        assert response.status_code == 400
    response = client.post(url("live_runsheet_add", studio), {"product": "abc", "note": "x" * 201})
    assert response.status_code == 400
    assert db_state() == before


def test_the_product_list_is_searchable_and_leaves_out_the_run_sheet(client, studio):
    runsheet_add(session=studio.session, product=studio.world.shirt, actor=studio.host)
    client.force_login(studio.host)
    offered = client.get(url("live_console", studio)).context["offered"]
    assert studio.world.shirt not in offered
    assert studio.snack in offered
    assert studio.world.hidden not in offered
    found = client.get(url("live_console", studio), {"q": "amplang"}).context["offered"]
    assert [p.name for p in found] == ["Amplang Ikan Tenggiri"]


# --- pin, unpin, announcement -------------------------------------------------------


def test_pin_and_unpin_through_the_page(client, studio):
    world = studio.world
    shirt = runsheet_add(session=studio.session, product=world.shirt, actor=studio.host)
    snack = runsheet_add(session=studio.session, product=studio.snack, actor=studio.host)
    client.force_login(studio.host)

    response = client.post(url("live_pin", studio, shirt.pk))
    assert (response.status_code, response.url) == (302, url("live_console", studio) + "#pinned")
    state = LiveState.objects.get(session=studio.session)
    first = Pin.objects.get()
    assert (state.pin_id, first.product_id, first.pinned_by_id) == (
        first.pk,
        world.shirt.pk,
        studio.host.pk,
    )
    page = html(client.get(url("live_console", studio)))
    assert f'action="{url("live_unpin", studio)}"' in page
    assert f'action="{url("live_pin", studio, shirt.pk)}"' not in page
    assert f'action="{url("live_pin", studio, snack.pk)}"' in page

    client.post(url("live_pin", studio, snack.pk))
    first.refresh_from_db()
    second = Pin.objects.exclude(pk=first.pk).get()
    assert first.unpinned_at is not None
    assert LiveState.objects.get(session=studio.session).pin_id == second.pk

    response = client.post(url("live_unpin", studio))
    assert response.status_code == 302
    second.refresh_from_db()
    assert LiveState.objects.get(session=studio.session).pin_id is None
    assert second.unpinned_at is not None
    assert list(
        AuditEntry.objects.filter(action__in=["live.pin", "live.unpin"])
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["live.pin", "live.pin", "live.unpin"]


def test_pinning_a_product_no_longer_for_sale_is_refused(client, studio):
    item = runsheet_add(session=studio.session, product=studio.world.shirt, actor=studio.host)
    Product.objects.filter(pk=studio.world.shirt.pk).update(is_active=False)
    before = db_state()
    client.force_login(studio.host)
    response = client.post(url("live_pin", studio, item.pk))
    assert response.status_code == 400
    assert t("This product is not for sale in this expo and cannot be pinned.") in html(response)
    assert db_state() == before


def test_announcement(client, studio):
    client.force_login(studio.staff)
    response = client.post(url("live_announce", studio), {"text": "  Diskon   10% hari ini "})
    assert response.status_code == 302
    assert LiveState.objects.get(session=studio.session).announcement == "Diskon 10% hari ini"
    before = db_state()
    response = client.post(url("live_announce", studio), {"text": "x" * 301})
    assert response.status_code == 400
    assert db_state() == before
    client.post(url("live_announce", studio), {"text": ""})
    assert LiveState.objects.get(session=studio.session).announcement == ""


# --- chat moderation ----------------------------------------------------------------


def test_delete_mute_unmute_ban_through_the_page(client, studio):
    client.force_login(studio.host)
    response = client.post(url("live_chat_delete", studio, studio.message.pk))
    assert (response.status_code, response.url) == (302, url("live_console", studio) + "#chat")
    studio.message.refresh_from_db()
    assert studio.message.hidden_at is not None
    assert studio.message.hidden_by_id == studio.host.pk
    # Still listed for the host, marked deleted, without a delete button.
    page = html(client.get(url("live_console", studio)))
    assert "Berapa harga kemejanya?" in page
    assert f'action="{url("live_chat_delete", studio, studio.message.pk)}"' not in page

    before = timezone.now()
    client.post(url("live_viewer_mute", studio, studio.viewer.pk))
    studio.viewer.refresh_from_db()
    muted_for = studio.viewer.muted_until - before
    assert datetime.timedelta(minutes=10) <= muted_for < datetime.timedelta(minutes=10, seconds=30)
    page = html(client.get(url("live_console", studio)))
    assert f'action="{url("live_viewer_unmute", studio, studio.viewer.pk)}"' in page

    client.post(url("live_viewer_unmute", studio, studio.viewer.pk))
    studio.viewer.refresh_from_db()
    assert studio.viewer.muted_until is None

    client.post(url("live_viewer_ban", studio, studio.viewer.pk))
    studio.viewer.refresh_from_db()
    assert studio.viewer.banned_at is not None
    assert list(
        AuditEntry.objects.filter(action__startswith="live.")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["live.chat_delete", "live.viewer_mute", "live.viewer_unmute", "live.viewer_ban"]


def test_a_viewer_or_message_of_elsewhere_is_404(client, studio):
    other_session = studio.world.opening
    elsewhere = ChatMessage.objects.create(
        session=other_session,
        viewer=studio.viewer,
        display_name="Sari",
        text="Halo",
        created_at=timezone.now(),
    )
    other_expo = Expo.objects.exclude(pk=studio.expo.pk).get()
    stranger = Viewer.objects.create(expo=other_expo, display_name="Joko")
    before = db_state()
    client.force_login(studio.host)
    assert client.post(url("live_chat_delete", studio, elsewhere.pk)).status_code == 404
    assert client.post(url("live_viewer_ban", studio, stranger.pk)).status_code == 404
    assert db_state() == before


# --- the console kept current (live_host.js) -----------------------------------------


def test_the_console_refreshes_the_count_and_the_chat_from_a_fragment(client, studio):
    client.force_login(studio.host)
    page = html(client.get(url("live_console", studio)))
    fragment_url = url("live_console", studio) + "?part=now"
    assert f'data-host-refresh="{fragment_url}"' in page
    assert '<dd data-host="viewers">0</dd>' in page
    assert '<div data-host="messages">' in page
    assert "js/live_host.js" in page

    later = ChatMessage.objects.create(
        session=studio.session,
        viewer=Viewer.objects.create(expo=studio.expo, display_name="Budi"),
        display_name="Budi",
        text="Ukuran XL ada?",
        created_at=timezone.now(),
    )
    response = client.get(fragment_url)
    assert response.status_code == 200
    fragment = html(response)
    assert fragment.startswith('<div data-host="viewers">0</div>')
    # Newest first, each with the forms of the page, which post as they do there.
    assert fragment.index("Ukuran XL ada?") < fragment.index("Berapa harga kemejanya?")
    assert f'action="{url("live_chat_delete", studio, later.pk)}"' in fragment
    assert f'action="{url("live_viewer_mute", studio, later.viewer_id)}"' in fragment
    assert f'action="{url("live_viewer_ban", studio, later.viewer_id)}"' in fragment
    assert fragment.count('name="csrfmiddlewaretoken"') == 6
    assert "<html" not in fragment
    assert 'id="run-sheet"' not in fragment

    response = client.post(url("live_chat_delete", studio, later.pk))
    assert response.status_code == 302
    later.refresh_from_db()
    assert later.hidden_by_id == studio.host.pk
    assert f'action="{url("live_chat_delete", studio, later.pk)}"' not in html(
        client.get(fragment_url)
    )


@pytest.mark.parametrize("who", ["gate", "outsider"])
def test_others_get_no_fragment(client, studio, who):
    before = db_state()
    client.force_login(getattr(studio, who))
    response = client.get(url("live_console", studio) + "?part=now")
    assert response.status_code == 404
    assert "Berapa harga kemejanya?" not in html(response)
    assert db_state() == before


def test_an_anonymous_fragment_request_is_sent_to_sign_in(client, studio):
    response = client.get(url("live_console", studio) + "?part=now")
    assert response.status_code == 302
    assert "login" in response.url


def test_chat_rules_and_blocked_words(client, studio):
    client.force_login(studio.host)
    response = client.post(url("live_chat_rules", studio), {"slow_mode_seconds": "30"})
    assert response.status_code == 302
    state = LiveState.objects.get(session=studio.session)
    assert (state.chat_open, state.slow_mode_seconds) == (False, 30)
    client.post(url("live_chat_rules", studio), {"chat_open": "on", "slow_mode_seconds": "0"})
    state.refresh_from_db()
    assert (state.chat_open, state.slow_mode_seconds) == (True, 0)

    before = db_state()
    for bad in ("-1", "601", "lama", ""):
        response = client.post(
            url("live_chat_rules", studio), {"chat_open": "on", "slow_mode_seconds": bad}
        )
        assert response.status_code == 400, bad
    assert db_state() == before

    response = client.post(
        url("live_chat_words", studio), {"blocked_words": "Jelek\nkurang ajar\n"}
    )
    assert response.status_code == 302
    assert ChatSettings.objects.get(expo=studio.expo).blocked_words == "jelek\nkurang ajar"
    page = html(client.get(url("live_console", studio)))
    assert "kurang ajar" in page
    before = db_state()
    response = client.post(url("live_chat_words", studio), {"blocked_words": "x" * 51})
    assert response.status_code == 400
    assert db_state() == before


# --- stats --------------------------------------------------------------------------


def test_stats_page_shows_exact_numbers(client, studio):
    world = studio.world
    pin = Pin.objects.create(
        session=studio.session,
        product=world.shirt,
        pinned_at=at(24, 10, 5),
        clicks=12,
        add_to_carts=4,
    )
    for minute, viewers in [(0, 120), (5, 300), (10, 240)]:
        ViewerSample.objects.create(session=studio.session, at=at(24, 10, minute), viewers=viewers)
    # Through the shop: "Beli sekarang" sends the pin, the cart keeps it, the checkout
    # carries it onto the order line.
    client.post(
        f"/expo/{studio.expo.slug}/keranjang/tambah/",
        {"product": world.shirt.pk, "quantity": 2, "pin": pin.pk},
    )
    assert client.session[PINS_KEY] == {str(studio.expo.pk): {str(world.shirt.pk): pin.pk}}
    page = html(client.get(f"/expo/{studio.expo.slug}/checkout/"))
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    response = client.post(
        f"/expo/{studio.expo.slug}/checkout/",
        {
            "name": "Rina Kusuma",
            "whatsapp": "0812-3456-7890",
            "idempotency_key": key,
            f"delivery-{world.batik.pk}": "pickup",
            f"payment-{world.batik.pk}": "qris",
        },
    )
    assert response.status_code == 302
    line = OrderLine.objects.get()
    assert (line.live_pin_id, line.quantity) == (pin.pk, 2)
    assert client.session[SESSION_KEY] == {}
    assert PINS_KEY not in client.session
    order_mark_paid(order=line.order, actor=None)

    client.force_login(studio.host)
    response = client.get(url("live_stats", studio))
    stats = response.context["stats"]
    assert (stats["peak_viewers"], stats["average_viewers"], stats["chat_messages"]) == (
        300,
        220,
        1,
    )
    assert [(r["clicks"], r["add_to_carts"], r["orders"], r["omzet"]) for r in stats["pins"]] == [
        (12, 5, 1, 300000)
    ]
    page = html(response)
    assert "Rp300.000" in page
    assert "Kemeja Batik Tulis Sekar Jagad" in page


def test_the_cart_keeps_a_pin_per_line_until_the_line_goes(client, studio):
    world = studio.world
    pin = Pin.objects.create(session=studio.session, product=world.shirt, pinned_at=at(24, 10))
    add = f"/expo/{studio.expo.slug}/keranjang/tambah/"
    client.post(add, {"product": world.shirt.pk, "pin": pin.pk})
    client.post(add, {"product": studio.snack.pk, "pin": "abc"})
    assert client.session[PINS_KEY] == {str(studio.expo.pk): {str(world.shirt.pk): pin.pk}}
    # Added again without a pin: the line keeps the pin it came from.
    client.post(add, {"product": world.shirt.pk})
    assert client.session[PINS_KEY] == {str(studio.expo.pk): {str(world.shirt.pk): pin.pk}}
    client.post(f"/expo/{studio.expo.slug}/keranjang/", {"remove": world.shirt.pk})
    assert PINS_KEY not in client.session
