"""The viewers' socket, through channels' test communicator and the in-memory layer.

Transactional: the consumer reads in another thread, so the data must be committed.
"""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core.cache import cache
from django.utils import translation

from gelar.asgi import application as asgi_application
from gelar.events.models import AgendaSession, Expo
from gelar.live import services as live
from gelar.live.chat import viewer_for
from gelar.live.models import ChatMessage
from gelar.live.routing import websocket_urlpatterns
from gelar.live.tests.sockets import LiveSocket
from gelar.testing import build_expo, make_user

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _router():
    from channels.routing import URLRouter

    return URLRouter(websocket_urlpatterns)


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
    return AgendaSession.objects.select_related("expo").get(
        expo=world.expo, title="Promosi Produk UMKM oleh Wali Kota"
    )


def _socket(session_id, cookie: str = "") -> LiveSocket:
    headers = [(b"cookie", cookie.encode())] if cookie else []
    return LiveSocket(_router(), f"/ws/live/{session_id}/", headers=headers)


def test_connect_gets_the_snapshot_and_history_then_a_pin(world, session):
    host = make_user(email="host@pekalongankota.go.id")

    async def run():
        socket = _socket(session.pk)
        connected, _ = await socket.connect()
        assert connected
        snapshot = await socket.receive_json_from()
        assert (snapshot["type"], snapshot["version"], snapshot["pin"]) == ("snapshot", 0, None)
        assert snapshot["viewers"] == 1
        assert await socket.receive_json_from() == {"type": "chat.history", "messages": []}

        await sync_to_async(live.live_pin)(session=session, product=world.shirt, actor=host)
        pinned = await socket.receive_json_from(timeout=2)
        assert pinned["type"] == "snapshot"
        assert pinned["version"] == 1
        assert pinned["pin"]["product"]["name"] == "Kemeja Batik Tulis Sekar Jagad"
        assert pinned["pin"]["product"]["stock"] == 3

        await socket.send_json_to({"type": "ping"})
        assert await socket.receive_json_from() == {"type": "pong"}
        await socket.disconnect()

    async_to_sync(run)()


def test_a_late_joiner_gets_what_is_pinned_now(world, session):
    live.live_pin(session=session, product=world.shirt, actor=None)

    async def run():
        socket = _socket(session.pk)
        await socket.connect()
        snapshot = await socket.receive_json_from()
        assert snapshot["version"] == 1
        assert snapshot["pin"]["product"]["id"] == world.shirt.pk
        await socket.disconnect()

    async_to_sync(run)()


def test_unknown_and_draft_sessions_are_closed_with_4404(world, session):
    Expo.objects.filter(pk=world.expo.pk).update(status=Expo.Status.DRAFT)

    async def run():
        for session_id in (session.pk, 999999, 2**70):
            socket = _socket(session_id)
            connected, _ = await socket.connect()
            assert connected
            assert await socket.receive_output() == {"type": "websocket.close", "code": 4404}

    async_to_sync(run)()


def test_chat_send_reaches_another_socket(world, session):
    viewer = viewer_for(expo=world.expo, key=None, display_name="Ayu")

    async def run():
        writer = _socket(session.pk, cookie=f"gelar_viewer={viewer.key}")
        reader = _socket(session.pk)
        for socket in (writer, reader):
            await socket.connect()
            await socket.receive_json_from()  # snapshot
            await socket.receive_json_from()  # history
        await writer.send_json_to({"type": "chat.send", "text": "Batiknya bagus sekali!"})
        message = await reader.receive_json_from(timeout=2)
        assert message["type"] == "chat.message"
        assert (message["message"]["name"], message["message"]["text"]) == (
            "Ayu",
            "Batiknya bagus sekali!",
        )
        echoed = await writer.receive_json_from(timeout=2)
        assert echoed["message"]["id"] == message["message"]["id"]
        await writer.disconnect()
        await reader.disconnect()

    async_to_sync(run)()
    assert list(ChatMessage.objects.values_list("display_name", "text")) == [
        ("Ayu", "Batiknya bagus sekali!")
    ]


def test_refusals_go_to_the_sender_only(world, session):
    async def run():
        anonymous = _socket(session.pk)
        reader = _socket(session.pk)
        for socket in (anonymous, reader):
            await socket.connect()
            await socket.receive_json_from()
            await socket.receive_json_from()
        with translation.override("en"):
            await anonymous.send_json_to({"type": "chat.send", "text": "halo"})
            assert await anonymous.receive_json_from() == {
                "type": "error",
                "code": "no_name",
                "message": "Masukkan nama Anda sebelum mengobrol.",
            }
        await anonymous.send_to(text_data="not json")
        assert (await anonymous.receive_json_from())["code"] == "bad_request"
        await anonymous.send_to(text_data="x" * 5000)
        assert (await anonymous.receive_json_from())["code"] == "bad_request"
        await anonymous.send_json_to({"type": "pin.everything"})
        assert (await anonymous.receive_json_from())["code"] == "bad_request"
        assert await reader.receive_nothing(timeout=0.2)
        await anonymous.disconnect()
        await reader.disconnect()

    async_to_sync(run)()
    assert not ChatMessage.objects.exists()


def test_the_asgi_application_checks_the_origin(session):
    async def run():
        foreign = LiveSocket(
            asgi_application,
            f"/ws/live/{session.pk}/",
            headers=[(b"origin", b"https://evil.example"), (b"host", b"localhost")],
        )
        connected, _ = await foreign.connect()
        assert not connected
        own = LiveSocket(
            asgi_application,
            f"/ws/live/{session.pk}/",
            headers=[(b"origin", b"http://localhost"), (b"host", b"localhost")],
        )
        connected, _ = await own.connect()
        assert connected
        assert (await own.receive_json_from())["type"] == "snapshot"
        await own.disconnect()

    async_to_sync(run)()


def test_a_deeply_nested_frame_or_a_failing_database_keeps_the_socket(world, session, monkeypatch):
    from gelar.live import consumers

    def broken(*args):
        raise RuntimeError("database is away")

    monkeypatch.setattr(consumers, "_chat_post", broken)

    async def run():
        socket = _socket(session.pk)
        await socket.connect()
        await socket.receive_json_from()
        await socket.receive_json_from()
        await socket.send_to(text_data="[" * 2000)
        assert (await socket.receive_json_from())["code"] == "bad_request"
        await socket.send_json_to({"type": "chat.send", "text": "halo"})
        assert (await socket.receive_json_from())["code"] == "unavailable"
        await socket.send_json_to({"type": "ping"})
        assert await socket.receive_json_from() == {"type": "pong"}
        await socket.disconnect()

    async_to_sync(run)()
    assert consumers._local == {}


def test_a_nul_in_the_viewer_cookie_is_no_viewer(world, session):
    async def run():
        socket = _socket(session.pk, cookie="gelar_viewer=ab\x00cd")
        await socket.connect()
        await socket.receive_json_from()
        await socket.receive_json_from()
        await socket.send_json_to({"type": "chat.send", "text": "halo"})
        assert (await socket.receive_json_from())["code"] == "no_name"
        await socket.disconnect()

    async_to_sync(run)()
