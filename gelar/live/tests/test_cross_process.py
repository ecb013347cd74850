"""Two app processes over Redis: what one process broadcasts reaches the other's viewers.

Two granian ASGI servers (one worker each) share the test's PostgreSQL database
and a Redis database of their own. A viewer's socket is open on process B; the
host pins a product through process A's console (an HTTP POST with a session
cookie), and a viewer posts a chat message through A's API: both reach the
socket on B. The in-process channel layer could not do that, so this test is
the proof that the Redis layer is wired in.

Runs only on PostgreSQL (SQLite's file would do, but production is PostgreSQL)
with Redis on 127.0.0.1:6379; it skips otherwise, except that under CI on
PostgreSQL a missing Redis fails it. The check of the Redis layer's read timeout
runs everywhere: a race that loses one socket in a hundred every 5 s is too rare
for a 10-second test to catch (bench/live.sh, with 2,000 sockets, does).
"""

import asyncio
import contextlib
import http.client
import json
import os
import runpy
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
import websockets
from channels_redis.core import RedisChannelLayer
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from gelar.events.models import AgendaSession, OrganizerMember
from gelar.live import runsheet
from gelar.live.chat import viewer_for
from gelar.testing import build_expo, make_organizer_member, make_user

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# Redis databases 1..15 are claimed with this key (SET NX), here and by bench/live.py,
# so parallel runs never share one (channel names and presence keys would mix).
CLAIM_KEY = "gelar:cross-process-test:claim"
START_SECONDS = 30
EVENT_SECONDS = 5
PROCESS_SECONDS = 15

needs_postgresql = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL (DATABASE_URL=postgres://...): two processes share the database",
)


def test_the_redis_layer_reads_longer_than_it_blocks(monkeypatch):
    """channels_redis waits for a viewer's next event in BZPOPMIN for 5 s; redis-py 8
    gives up a read after 5 s by default (socket_timeout). When the read lost that race
    the consumer died and its viewer's socket closed (django/channels_redis#422), so
    the layer's connections must read for longer than the blocking pop lasts."""
    monkeypatch.setenv("REDIS_URL", f"redis://{REDIS_HOST}:{REDIS_PORT}/0")
    production = runpy.run_path(str(Path(settings.BASE_DIR) / "gelar" / "settings.py"))
    layer = RedisChannelLayer(**production["CHANNEL_LAYERS"]["default"]["CONFIG"])
    reader = layer.create_pool(0).make_connection()  # not connected: no Redis needed
    assert reader.socket_timeout is None or reader.socket_timeout > layer.brpop_timeout


@pytest.fixture
def redis_db():
    """The number of an empty Redis database claimed for this test, emptied afterwards."""
    try:
        redis.Redis(host=REDIS_HOST, port=REDIS_PORT, socket_timeout=2).ping()
    except redis.RedisError as error:
        reason = f"needs Redis on {REDIS_HOST}:{REDIS_PORT} ({error})"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    token = secrets.token_hex(8)
    for number in range(15, 0, -1):
        client = redis.Redis(host=REDIS_HOST, port=REDIS_PORT, db=number, socket_timeout=2)
        if not client.set(CLAIM_KEY, token, nx=True, ex=120):
            continue
        if client.dbsize() == 1:  # empty but for our claim: nobody else uses it
            break
        client.delete(CLAIM_KEY)
    else:
        pytest.fail("no empty Redis database among 1..15 to run two processes on")
    try:
        yield number
    finally:
        client.flushdb()
        client.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{quote(db['NAME'], safe='')}"


def _request(port: int, method: str, path: str, *, headers: dict, body: bytes = b""):
    """(status, body) of one HTTP request to 127.0.0.1:port; no redirects followed."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=EVENT_SECONDS)
    try:
        conn.request(method, path, body=body, headers={**headers, "Host": f"127.0.0.1:{port}"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class AppProcesses:
    """granian ASGI servers of gelar.asgi, each in its own process group."""

    def __init__(self, *, redis_db: int, log_dir: str) -> None:
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "gelar.settings",
            "DEBUG": "1",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": _database_url(),
            "DB_CONN_MAX_AGE": "0",
            "REDIS_URL": f"redis://{REDIS_HOST}:{REDIS_PORT}/{redis_db}",
            "LOG_LEVEL": "WARNING",
        }
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def start(self) -> int:
        port = _free_port()
        log = Path(self.log_dir) / f"server-{port}.log"
        granian = Path(sys.executable).with_name("granian")
        with log.open("wb") as out:
            process = subprocess.Popen(
                [granian, "--interface", "asgi", "--workers", "1", "--host", "127.0.0.1"]
                + ["--port", str(port), "--log-level", "warning", "gelar.asgi:application"],
                cwd=settings.BASE_DIR,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append(process)
        self.logs.append(log)
        return port

    def wait_ready(self, port: int, path: str) -> None:
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            for process, log in zip(self.processes, self.logs, strict=True):
                if process.poll() is not None:
                    pytest.fail(f"an app process exited:\n{log.read_text()}")
            with contextlib.suppress(OSError):
                if _request(port, "GET", path, headers={})[0] == 200:
                    return
            time.sleep(0.2)
        pytest.fail(f"the app process on port {port} did not answer within {START_SECONDS} s")

    def stop(self) -> None:
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)

    def output(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()}" for log in self.logs)


async def _next_event(ws, wanted, *, seconds: float = EVENT_SECONDS) -> dict:
    """The first event for which wanted(event) is true (viewer counts pass by), or fail."""

    async def scan() -> dict:
        while True:
            event = json.loads(await ws.recv())
            if wanted(event):
                return event

    try:
        return await asyncio.wait_for(scan(), seconds)
    except TimeoutError:
        pytest.fail(f"no such event on process B within {seconds} s")


@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_pin_and_a_chat_message_made_through_one_process_reach_a_viewer_of_the_other(
    redis_db,
):
    world = build_expo()
    session = AgendaSession.objects.select_related("expo").get(
        expo=world.expo, title="Promosi Produk UMKM oleh Wali Kota"
    )
    host = make_user(email="host@pekalongankota.go.id")
    make_organizer_member(organizer=world.expo.organizer, user=host, role=OrganizerMember.Role.HOST)
    item = runsheet.runsheet_add(session=session, product=world.shirt, actor=host, note="")
    browser = Client()
    browser.force_login(host)  # a session row in the database both processes read
    signed_in = browser.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = secrets.token_hex(16)  # the cookie's secret, echoed in the header
    host_headers = {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={signed_in}; {settings.CSRF_COOKIE_NAME}={csrf}",
        "X-CSRFToken": csrf,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    viewer = viewer_for(expo=world.expo, key=None, display_name="Sari")
    pin_path = reverse("console:live_pin", args=[world.expo.slug, session.pk, item.pk])
    snapshot_path = reverse("api-v1:live_session", args=[session.pk])
    chat_path = reverse("api-v1:live_chat", args=[session.pk])

    with tempfile.TemporaryDirectory(prefix="gelar-cross-process-") as log_dir:
        apps = AppProcesses(redis_db=redis_db, log_dir=log_dir)
        try:
            port_a, port_b = apps.start(), apps.start()
            apps.wait_ready(port_a, snapshot_path)
            apps.wait_ready(port_b, snapshot_path)

            async def scenario() -> tuple[dict, dict, tuple[int, bytes], tuple[int, bytes]]:
                async with websockets.connect(
                    f"ws://127.0.0.1:{port_b}/ws/live/{session.pk}/",
                    origin=f"http://127.0.0.1:{port_b}",
                    proxy=None,
                    open_timeout=EVENT_SECONDS,
                ) as ws:
                    hello = await _next_event(ws, lambda e: e["type"] == "snapshot")
                    assert (hello["version"], hello["pin"]) == (0, None)
                    await _next_event(ws, lambda e: e["type"] == "chat.history")

                    pinned = await asyncio.to_thread(
                        _request, port_a, "POST", pin_path, headers=host_headers
                    )
                    snapshot = await _next_event(
                        ws, lambda e: e["type"] == "snapshot" and e["pin"] is not None
                    )
                    posted = await asyncio.to_thread(
                        _request,
                        port_a,
                        "POST",
                        chat_path,
                        headers={
                            "Cookie": f"gelar_viewer={viewer.key}",
                            "Content-Type": "application/json",
                        },
                        body=json.dumps({"text": "Kemejanya masih ada ukuran L?"}).encode(),
                    )
                    message = await _next_event(ws, lambda e: e["type"] == "chat.message")
                    return snapshot, message, pinned, posted

            started = time.monotonic()
            snapshot, message, pinned, posted = asyncio.run(
                asyncio.wait_for(scenario(), PROCESS_SECONDS)
            )
            elapsed = time.monotonic() - started
        except BaseException:
            apps.stop()
            print(apps.output())
            raise
        apps.stop()

    assert pinned[0] == 302, pinned
    assert snapshot["version"] == 1
    assert snapshot["pin"]["product"]["name"] == "Kemeja Batik Tulis Sekar Jagad"
    assert (snapshot["pin"]["product"]["price"], snapshot["pin"]["product"]["stock"]) == (
        150000,
        3,
    )
    assert posted[0] == 201, posted
    assert (message["message"]["name"], message["message"]["text"]) == (
        "Sari",
        "Kemejanya masih ada ukuran L?",
    )
    assert message["message"]["id"] == json.loads(posted[1])["id"]
    assert elapsed < PROCESS_SECONDS
    session.refresh_from_db()
    assert session.live_state.pin.product_id == world.shirt.pk
