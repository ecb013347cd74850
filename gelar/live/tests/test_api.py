"""The viewers' HTTP side: the polling API, the chat over HTTP, the click counter, and
the expo home with the live panel rendered by the server."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from gelar.events.models import AgendaSession, Expo
from gelar.live import services as live
from gelar.live.models import ChatMessage, Pin, Viewer
from gelar.testing import at, build_expo, make_session

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def clean_presence():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world():
    return build_expo()


@pytest.fixture
def session(world):
    return AgendaSession.objects.select_related("expo__organizer").get(
        expo=world.expo, title="Promosi Produk UMKM oleh Wali Kota"
    )


def _url(session, tail: str = "") -> str:
    return f"/api/v1/live/sessions/{session.pk}{tail}"


def _post(client, url: str, body: dict):
    return client.post(url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")


def test_state_has_the_snapshot_and_the_chat_after_an_id(client, world, session):
    pin = live.live_pin(session=session, product=world.shirt, actor=None)
    viewer = Viewer.objects.create(expo=world.expo, display_name="Ayu")
    now = timezone.now()
    first = ChatMessage.objects.create(
        session=session, viewer=viewer, display_name="Ayu", text="Halo", created_at=now
    )
    second = ChatMessage.objects.create(
        session=session,
        viewer=viewer,
        display_name="Ayu",
        text="Ada ukuran L?",
        created_at=now + datetime.timedelta(seconds=1),
    )

    body = client.get(_url(session)).json()
    assert body["snapshot"]["version"] == 1
    assert body["snapshot"]["pin"]["id"] == pin.pk
    assert [m["text"] for m in body["chat"]] == ["Halo", "Ada ukuran L?"]
    body = client.get(_url(session, f"?after={first.pk}")).json()
    assert [m["id"] for m in body["chat"]] == [second.pk]


def _say(session, viewer, text: str, seconds: int) -> ChatMessage:
    return ChatMessage.objects.create(
        session=session,
        viewer=viewer,
        display_name=viewer.display_name,
        text=text,
        created_at=at(24, 10) + datetime.timedelta(seconds=seconds),
    )


def test_state_names_the_messages_hidden_in_the_recent_window(client, world, session):
    viewer = Viewer.objects.create(expo=world.expo, display_name="Ayu")
    # 52 messages: the first two fall out of the window of the last 50.
    said = [_say(session, viewer, f"pesan {i}", i) for i in range(52)]
    hidden = [said[0], said[10], said[51]]
    ChatMessage.objects.filter(pk__in=[m.pk for m in hidden]).update(hidden_at=timezone.now())

    # A viewer who saw up to message 50 learns that 10 and 51 are gone, and gets nothing new.
    body = client.get(_url(session, f"?after={said[50].pk}")).json()
    assert body["chat"] == []
    assert body["hidden"] == [said[10].pk, said[51].pk]
    body = client.get(_url(session)).json()
    assert body["hidden"] == [said[10].pk, said[51].pk]
    assert len(body["chat"]) == 49
    assert said[10].pk not in [m["id"] for m in body["chat"]]


def test_state_of_a_quiet_session_hides_nothing(client, session):
    assert client.get(_url(session)).json()["hidden"] == []


def test_state_of_unknown_or_draft_sessions_is_404(client, world, session):
    assert client.get("/api/v1/live/sessions/999999").status_code == 404
    assert client.get("/api/v1/live/sessions/99999999999999999999999").status_code == 404
    assert client.get(_url(session, "?after=abc")).status_code == 422
    Expo.objects.filter(pk=world.expo.pk).update(status=Expo.Status.DRAFT)
    response = client.get(_url(session), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert response.json() == {"detail": "Sesi siaran tidak ditemukan."}


def test_viewer_name_sets_the_cookie_and_chat_uses_it(client, world, session):
    refused = _post(client, _url(session, "/chat"), {"text": "Halo"})
    assert refused.status_code == 403
    assert refused.json()["code"] == "no_name"

    response = _post(client, _url(session, "/viewer"), {"display_name": "  Ayu  Lestari "})
    assert response.status_code == 200
    assert response.json() == {"display_name": "Ayu Lestari"}
    cookie = response.cookies["gelar_viewer"]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    viewer = Viewer.objects.get()
    assert cookie.value == viewer.key

    posted = _post(client, _url(session, "/chat"), {"text": "Batiknya bagus!"})
    assert posted.status_code == 201
    assert posted.json()["name"] == "Ayu Lestari"
    assert posted.json()["text"] == "Batiknya bagus!"

    # Renaming keeps the same viewer.
    _post(client, _url(session, "/viewer"), {"display_name": "Ayu"})
    assert list(Viewer.objects.values_list("display_name", flat=True)) == ["Ayu"]


def test_chat_refusals_are_4xx_and_store_nothing(client, world, session):
    _post(client, _url(session, "/viewer"), {"display_name": "Ayu"})
    assert _post(client, _url(session, "/viewer"), {"display_name": ""}).status_code == 422
    assert _post(client, _url(session, "/chat"), {"text": "   "}).status_code == 422
    assert _post(client, _url(session, "/chat"), {"text": "x" * 201}).status_code == 422
    assert _post(client, _url(session, "/chat"), {"text": "x" * 5000}).status_code == 422
    broken = client.post(_url(session, "/chat"), "{", content_type="application/json")
    assert broken.status_code == 400
    assert not ChatMessage.objects.exists()

    codes = [_post(client, _url(session, "/chat"), {"text": f"pesan {i}"}) for i in range(6)]
    assert [r.status_code for r in codes] == [201, 201, 201, 201, 201, 429]
    assert codes[-1].json()["code"] == "flood"
    assert int(codes[-1]["Retry-After"]) >= 1
    assert ChatMessage.objects.count() == 5


def test_muted_viewer_is_refused(client, world, session):
    _post(client, _url(session, "/viewer"), {"display_name": "Ayu"})
    Viewer.objects.update(muted_until=timezone.now() + datetime.timedelta(minutes=5))
    response = _post(client, _url(session, "/chat"), {"text": "Halo"})
    assert response.status_code == 403
    assert response.json()["code"] == "muted"
    assert not ChatMessage.objects.exists()


def test_pin_click_counts(client, world, session):
    pin = live.live_pin(session=session, product=world.shirt, actor=None)
    assert client.post(f"/api/v1/live/pins/{pin.pk}/click").json() == {"clicks": 1}
    assert client.post(f"/api/v1/live/pins/{pin.pk}/click").json() == {"clicks": 2}
    assert client.post(f"/api/v1/live/pins/{pin.pk + 99}/click").status_code == 404
    Expo.objects.filter(pk=world.expo.pk).update(status=Expo.Status.DRAFT)
    assert client.post(f"/api/v1/live/pins/{pin.pk}/click").status_code == 404
    assert Pin.objects.get().clicks == 2


def _on_air(session):
    """Move the session around now, so the expo home shows it on air."""
    now = timezone.now()
    Expo.objects.filter(pk=session.expo_id).update(
        status=Expo.Status.LIVE,
        start_date=now.date() - datetime.timedelta(days=1),
        end_date=now.date() + datetime.timedelta(days=1),
    )
    AgendaSession.objects.filter(pk=session.pk).update(
        starts_at=now - datetime.timedelta(minutes=10), ends_at=now + datetime.timedelta(hours=1)
    )
    # Other sessions later, so this one is on air and the programme is not over.
    AgendaSession.objects.filter(expo_id=session.expo_id).exclude(pk=session.pk).update(
        starts_at=now + datetime.timedelta(hours=2), ends_at=now + datetime.timedelta(hours=3)
    )


def test_expo_home_renders_the_pin_for_a_late_joiner(client, world, session):
    _on_air(session)
    pin = live.live_pin(session=session, product=world.shirt, actor=None)
    live.live_announce(session=session, actor=None, text="Diskon 10% selama sesi")

    response = client.get(f"/en/expo/{world.expo.slug}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="live-panel"' in html
    assert 'data-version="2"' in html
    assert "Kemeja Batik Tulis Sekar Jagad" in html
    assert "3 left" in html
    assert "Diskon 10% selama sesi" in html
    assert f'name="pin" value="{pin.pk}"' in html
    assert f'name="product" value="{world.shirt.pk}"' in html
    assert f'action="/en/expo/{world.expo.slug}/keranjang/tambah/"' in html
    assert "js/live.js" in html


def _home(client, world, monkeypatch, now) -> str:
    monkeypatch.setattr(timezone, "now", lambda: now)
    response = client.get(f"/en/expo/{world.expo.slug}/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_panel_shows_the_next_session_within_12_hours(client, world, monkeypatch):
    html = _home(client, world, monkeypatch, at(24, 8))
    opening = world.opening
    assert 'id="live-panel"' in html
    assert "Starts at 09:00 WIB" in html
    assert f"/ws/live/{opening.pk}/" in html
    assert 'data-starts-at="2021-11-24T02:00:00.000+00:00"' in html
    assert 'data-ends-at="2021-11-24T03:00:00.000+00:00"' in html
    # The page changes when the session starts: live.js reloads it then.
    assert 'data-changes-at="2021-11-24T02:00:00.000+00:00"' in html
    assert 'data-now="2021-11-24T01:00:00.000+00:00"' in html
    assert "js/live.js" in html


def test_the_panel_waits_for_a_session_more_than_12_hours_ahead(client, world, monkeypatch):
    # The Mayor's session is over; the talk show starts at 13:00 the next day.
    html = _home(client, world, monkeypatch, at(24, 12))
    assert 'id="live-panel"' not in html
    assert "js/live.js" not in html
    html = _home(client, world, monkeypatch, at(25, 1, 30))
    assert "Starts at 13:00 WIB" in html
    talk = AgendaSession.objects.get(expo=world.expo, title="Talkshow Batik Naik Kelas")
    assert f"/ws/live/{talk.pk}/" in html


def test_the_panel_on_air_changes_when_the_session_ends_or_the_next_starts(
    client, world, session, monkeypatch
):
    html = _home(client, world, monkeypatch, at(24, 10, 15))
    assert f"/ws/live/{session.pk}/" in html
    assert "Starts at" not in html
    assert 'data-ends-at="2021-11-24T04:30:00.000+00:00"' in html
    assert 'data-changes-at="2021-11-24T04:30:00.000+00:00"' in html
    # A session starting before the Mayor's ends takes the air at its start.
    make_session(expo=world.expo, title="Kuis", starts_at=at(24, 11), ends_at=at(24, 12))
    html = _home(client, world, monkeypatch, at(24, 10, 15))
    assert 'data-ends-at="2021-11-24T04:30:00.000+00:00"' in html
    assert 'data-changes-at="2021-11-24T04:00:00.000+00:00"' in html


def test_the_panel_has_one_live_region_and_the_chat_is_a_log(client, world, session):
    _on_air(session)
    html = client.get(f"/en/expo/{world.expo.slug}/").content.decode()
    assert html.count("aria-live=") == 1
    assert '<p class="visually-hidden" data-live="pin-news" aria-live="polite"' in html
    assert 'role="log"' in html


def test_expo_home_without_a_session_on_air_has_no_panel(client, world):
    html = client.get(f"/en/expo/{world.expo.slug}/").content.decode()
    assert 'id="live-panel"' not in html
    assert "js/live.js" not in html


def test_buy_now_adds_to_the_cart_and_counts_the_pin(client, world, session):
    pin = live.live_pin(session=session, product=world.shirt, actor=None)
    url = f"/expo/{world.expo.slug}/keranjang/tambah/"
    response = client.post(url, {"product": world.shirt.pk, "pin": pin.pk})
    assert response.status_code == 302
    # A pin of another product, or junk, is not counted and does not refuse the product.
    client.post(url, {"product": world.amplang.products.get().pk, "pin": pin.pk})
    client.post(url, {"product": world.shirt.pk, "pin": "abc"})
    pin.refresh_from_db()
    assert pin.add_to_carts == 1
    assert client.session["shop_cart"][str(world.expo.pk)] == {
        str(world.shirt.pk): 2,
        str(world.amplang.products.get().pk): 1,
    }


def test_junk_pins_and_cookies_are_ignored_not_errors(client, world, session):
    _on_air(session)
    url = f"/expo/{world.expo.slug}/keranjang/tambah/"
    # "²".isdigit() is True in Python; int("²") is not.
    assert client.post(url, {"product": world.shirt.pk, "pin": "²"}).status_code == 302
    client.cookies["gelar_viewer"] = "ab\x00cd"
    assert client.get(f"/expo/{world.expo.slug}/").status_code == 200
    response = _post(client, _url(session, "/chat"), {"text": "halo"})
    assert response.status_code == 403
    assert not ChatMessage.objects.exists()
