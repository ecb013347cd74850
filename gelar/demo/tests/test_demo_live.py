"""The demo's live shopping: the Mayor's 2021 promotion as it went, and a 2027 session
on air whenever the demo is loaded, both written through the live services."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from gelar.accounts.models import User
from gelar.audit.models import AuditEntry
from gelar.demo import data
from gelar.demo.services import demo_load, demo_on_air
from gelar.events.models import AgendaSession
from gelar.events.selectors import agenda_on_air
from gelar.live.chat import chat_history
from gelar.live.models import ChatMessage, LiveState, Pin, RunSheetItem, Viewer, ViewerSample
from gelar.live.stats import session_stats
from gelar.orders.models import Order, OrderLine

pytestmark = pytest.mark.django_db
WIB = zoneinfo.ZoneInfo("Asia/Jakarta")
MAYOR_2021 = "Promosi Produk UMKM bersama Wali Kota"


@pytest.fixture
def demo():
    return demo_load(scale=1)


def mayor_session() -> AgendaSession:
    return AgendaSession.objects.get(expo__slug="pekalongan-hybrid-expo-2021", title=MAYOR_2021)


def on_air_session() -> AgendaSession:
    return AgendaSession.objects.get(
        expo__slug="pekalongan-hybrid-expo-2027", title=data.LIVE_ON_AIR_TITLE
    )


def wib(hour: int, minute: int) -> datetime.datetime:
    return datetime.datetime(2021, 11, 24, hour, minute, tzinfo=WIB)


def test_the_mayors_run_sheet_pins_and_announcement(demo):
    session = mayor_session()
    items = list(RunSheetItem.objects.filter(session=session).select_related("product__exhibitor"))
    assert [(i.position, i.product.exhibitor.name, i.note) for i in items] == [
        (n, name, note) for n, (name, _kind, note) in enumerate(data.LIVE_2021_RUN_SHEET)
    ]
    for item, (_name, kind, _note) in zip(items, data.LIVE_2021_RUN_SHEET, strict=True):
        assert item.product.name.startswith(kind)
        assert item.product.is_active and item.product.stock > 0

    pins = list(Pin.objects.filter(session=session).order_by("pinned_at"))
    host = User.objects.get(email="host.dinas@gelar.test")
    assert [
        (p.product_id, p.pinned_at, p.unpinned_at, p.clicks, p.add_to_carts, p.pinned_by)
        for p in pins
    ] == [
        (items[0].product_id, wib(10, 8), wib(10, 22), 96, 31, host),
        (items[1].product_id, wib(10, 22), wib(10, 38), 142, 48, host),
        (items[2].product_id, wib(10, 38), None, 57, 19, host),
    ]
    state = LiveState.objects.get(session=session)
    assert (state.pin, state.announcement) == (pins[2], data.LIVE_2021_ANNOUNCEMENT)
    # Three pins and the announcement, each a new version, each audited.
    assert state.version == 4
    assert AuditEntry.objects.filter(action="live.pin", changes__session=session.pk).count() == 3
    assert AuditEntry.objects.filter(action="live.runsheet.add").count() == 6 + 5


def test_the_mayors_chat_is_moderated_and_filtered(demo):
    session = mayor_session()
    messages = list(ChatMessage.objects.filter(session=session))
    assert len(messages) == 30
    assert Viewer.objects.filter(expo=session.expo).count() == 10
    assert {m.display_name for m in messages} == set(data.LIVE_2021_VIEWERS)
    assert messages[0].created_at == wib(10, 2)
    assert messages[-1].created_at == wib(10, 55)

    [hidden] = [m for m in messages if m.hidden_at]
    assert (hidden.display_name, hidden.text) == ("Promo Toko Sebelah", data.LIVE_2021_SPAM)
    assert (hidden.hidden_by.email, hidden.hidden_at) == ("host.dinas@gelar.test", wib(10, 20))
    assert AuditEntry.objects.get(action="live.chat_delete").object_id == str(hidden.pk)
    # The word filter masked the one rude word, keeping the rest of the message.
    masked = [m.text for m in messages if "*" in m.text]
    assert masked == ["*****, murah banget! Langsung beli dua."]
    # A viewer joining the replay's chat history sees the 29 messages left.
    history = chat_history(session=session, limit=200)
    assert len(history) == 29
    assert data.LIVE_2021_SPAM not in [m["text"] for m in history]


def test_the_mayors_stats_have_viewers_orders_and_omzet(demo):
    session = mayor_session()
    stats = session_stats(session=session)
    assert (stats["peak_viewers"], stats["average_viewers"], stats["samples"]) == (803, 526, 120)
    assert (stats["chat_messages"], stats["chat_hidden"]) == (30, 1)
    assert (stats["clicks"], stats["add_to_carts"], stats["orders"]) == (295, 98, 4)
    samples = list(ViewerSample.objects.filter(session=session).values_list("at", "viewers"))
    assert samples[0] == (wib(10, 0), 156)
    assert samples[-1][0] == session.ends_at - datetime.timedelta(seconds=30)
    assert max(samples, key=lambda s: s[1]) == (wib(10, 23) + datetime.timedelta(seconds=30), 803)

    # Each pin's omzet is the sum of its paid lines; the orders are the demo's, paid.
    lines = OrderLine.objects.filter(live_pin__session=session).select_related("order")
    assert [(line.quantity, line.order.status) for line in lines] == [
        (1, "paid"),
        (2, "paid"),
        (3, "paid"),
        (1, "paid"),
    ]
    by_pin = {row["pin"].pk: row for row in stats["pins"]}
    for pin in Pin.objects.filter(session=session):
        own = [line for line in lines if line.live_pin_id == pin.pk]
        assert by_pin[pin.pk]["orders"] == len(own)
        assert by_pin[pin.pk]["omzet"] == sum(line.line_total for line in own)
        for line in own:
            assert line.line_total == pin.product.price * line.quantity
    assert [row["orders"] for row in stats["pins"]] == [1, 2, 1]
    assert stats["omzet"] == sum(line.line_total for line in lines) == 2_085_000
    for order in Order.objects.filter(lines__live_pin__session=session):
        assert order.expo.slug == "pekalongan-hybrid-expo-2021"
        assert session.starts_at < order.created_at < order.paid_at < session.ends_at


def test_a_2027_session_is_on_air_with_a_run_sheet_and_a_pin(demo):
    session = on_air_session()
    now = timezone.now()
    on_air = agenda_on_air(expo=session.expo, now=now)
    assert on_air.current == session
    assert session.starts_at < now - datetime.timedelta(minutes=29)
    assert session.ends_at > now + datetime.timedelta(minutes=179)
    assert [(s.name, s.role) for s in session.speakers.all()] == data.LIVE_ON_AIR_SPEAKERS
    assert demo.on_air_until == session.ends_at
    assert "On air:" in demo.as_text()

    items = list(RunSheetItem.objects.filter(session=session).select_related("product__exhibitor"))
    assert len(items) == 5
    categories = [i.product.exhibitor.category.slug for i in items]
    assert categories == ["batik-fesyen", "makanan", "minuman", "kerajinan", "produk-unggulan"]
    assert [i.note for i in items] == [data.LIVE_ON_AIR_NOTES[c] for c in categories]
    # Not the demo owners' shops: their dashboards keep their own orders.
    assert not items[0].product.exhibitor.members.exists()
    state = LiveState.objects.select_related("pin").get(session=session)
    assert state.pin.product_id == items[0].product_id
    assert state.pin.unpinned_at is None
    assert state.announcement == data.LIVE_ON_AIR_ANNOUNCEMENT
    assert ChatMessage.objects.filter(session=session).count() == 4


def test_the_expo_home_shows_the_live_panel_with_the_pin(client, demo):
    session = on_air_session()
    product = LiveState.objects.get(session=session).pin.product
    page = client.get(reverse("public:expo_home", args=["pekalongan-hybrid-expo-2027"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="live-panel"' in html
    assert product.name in html
    assert f"Sisa {product.stock}" in html
    assert data.LIVE_ON_AIR_ANNOUNCEMENT in html
    assert f"/ws/live/{session.pk}/" in html


def test_the_demo_host_runs_both_sessions_from_the_console(client, demo):
    client.force_login(User.objects.get(email="host.dinas@gelar.test"))
    home = client.get(reverse("console:home")).content.decode()
    live_2027 = reverse("console:live_sessions", args=["pekalongan-hybrid-expo-2027"])
    assert f'href="{live_2027}"' in home
    sessions = client.get(live_2027).content.decode()
    session = on_air_session()
    assert reverse("console:live_console", args=[session.expo.slug, session.pk]) in sessions

    mayor = mayor_session()
    console = client.get(reverse("console:live_console", args=[mayor.expo.slug, mayor.pk]))
    assert console.status_code == 200
    html = console.content.decode()
    for name, _kind, note in data.LIVE_2021_RUN_SHEET:
        assert name in html
        assert note in html
    assert data.LIVE_2021_SPAM in html  # shown struck through to the moderators
    stats = client.get(reverse("console:live_stats", args=[mayor.expo.slug, mayor.pk]))
    assert stats.status_code == 200
    assert stats.context["stats"]["omzet"] == 2_085_000


def test_loading_again_puts_the_live_session_back_on_air(demo):
    session = on_air_session()
    AgendaSession.objects.filter(pk=session.pk).update(
        starts_at=datetime.datetime(2026, 1, 5, 9, 0, tzinfo=WIB),
        ends_at=datetime.datetime(2026, 1, 5, 11, 0, tzinfo=WIB),
    )
    before = AuditEntry.objects.count()
    again = demo_load(scale=1)
    assert not again.loaded
    session.refresh_from_db()
    now = timezone.now()
    assert agenda_on_air(expo=session.expo, now=now).current == session
    entry = AuditEntry.objects.get(action="agenda.update", object_id=str(session.pk))
    assert entry.actor is None
    assert set(entry.changes) == {"starts_at", "ends_at"}
    assert AuditEntry.objects.count() == before + 1
    assert [(s.name, s.role) for s in session.speakers.all()] == data.LIVE_ON_AIR_SPEAKERS
    assert again.on_air_until == session.ends_at

    # On air for long enough already: a later start writes nothing.
    assert demo_on_air(now=now + datetime.timedelta(minutes=30)) == session
    assert AuditEntry.objects.count() == before + 1
    # Less than an hour left: it moves again.
    demo_on_air(now=session.ends_at - datetime.timedelta(minutes=30))
    assert AuditEntry.objects.filter(action="agenda.update").count() == 2


def test_reset_deletes_and_rebuilds_the_live_rows(demo):
    def counts() -> tuple:
        return (
            RunSheetItem.objects.count(),
            Pin.objects.count(),
            LiveState.objects.count(),
            ChatMessage.objects.count(),
            ChatMessage.objects.filter(hidden_at__isnull=False).count(),
            Viewer.objects.count(),
            ViewerSample.objects.count(),
            OrderLine.objects.filter(live_pin__isnull=False).count(),
        )

    assert counts() == (11, 4, 2, 34, 1, 13, 120, 4)
    rebuilt = demo_load(scale=1, reset=True)
    assert rebuilt.loaded and rebuilt.orders == 325
    assert counts() == (11, 4, 2, 34, 1, 13, 120, 4)
    assert AgendaSession.objects.filter(title=data.LIVE_ON_AIR_TITLE).count() == 1
