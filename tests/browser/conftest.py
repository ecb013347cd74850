"""Browser tests: Playwright for Python driving Debian's Chromium.

The demo expo is loaded once per session and served by Django's live-server
thread; the tests only read it, so they need no per-test flush. They run
after the unit tests (testpaths order), which never see the demo rows. The live
tests, which need WebSockets, get a granian ASGI process instead (asgi_demo_site).
"""

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop in this thread; the tests' own ORM
# reads are synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Flags this machine needs: no sandbox as root; no background networking, since
# the closed network refuses Chromium's own connections.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def _unavailable(reason: str):
    # Under CI a missing browser is a failure, never a silent skip.
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    if not (os.path.exists(CHROMIUM) or shutil.which(CHROMIUM)):
        _unavailable(f"{CHROMIUM} not found (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        _watch_csp(browser)
        yield browser
        browser.close()


# What Chromium refused under the Content Security Policy (its console says "...
# violates the following Content Security Policy directive ..."), from every context
# the tests open on the session's browser.
CSP_VIOLATIONS: list[str] = []


def _watch_csp(browser) -> None:
    new_context = browser.new_context

    def watched_context(**kwargs):
        context = new_context(**kwargs)
        context.on("console", _csp_console)
        return context

    browser.new_context = watched_context


def _csp_console(message) -> None:
    if "Content Security Policy" in message.text:
        CSP_VIOLATIONS.append(f"{message.location.get('url', '?')}: {message.text}")


@pytest.fixture(autouse=True)
def no_csp_violation():
    """Fails a browser test in whose pages the policy refused something."""
    CSP_VIOLATIONS.clear()
    yield
    found, CSP_VIOLATIONS[:] = list(CSP_VIOLATIONS), []
    assert not found, "Content Security Policy violations:\n" + "\n".join(found)


@pytest.fixture(scope="session")
def demo_site(django_db_setup, django_db_blocker):
    """The URL of a live server holding the scale-1 demo."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.db import connections
    from django.test.testcases import LiveServerThread

    from gelar.demo.services import demo_load
    from gelar.regions.models import Province, Regency
    from gelar.regions.services import regions_load_from_files

    with django_db_blocker.unblock():
        # Transactional tests ran before (the root conftest orders browser tests
        # last) and flushed the tables, the regions of the data migration included.
        if not Regency.objects.exists():
            regions_load_from_files(province_model=Province, regency_model=Regency)
        demo_load(scale=1)
        shared = {}
        for conn in connections.all():
            if conn.vendor == "sqlite" and conn.is_in_memory_db():
                shared[conn.alias] = conn
                conn.inc_thread_sharing()
        server = LiveServerThread(
            "127.0.0.1", StaticFilesHandler, connections_override=shared, port=0
        )
        server.daemon = True
        server.start()
        server.is_ready.wait()
        if server.error:
            raise server.error
        try:
            yield f"http://127.0.0.1:{server.port}"
        finally:
            server.terminate()
            for conn in shared.values():
                conn.dec_thread_sharing()


ROOT = Path(__file__).resolve().parents[2]
SERVER_START_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def asgi_demo_site(tmp_path_factory):
    """The URL of the demo served as `make demo` serves it: one granian ASGI worker for
    the pages and the live sockets, DEBUG off, collected static files.

    Django's live-server thread speaks WSGI only, and the in-memory channel layer
    reaches only the sockets of its own process, so the live tests get a server
    process of their own, on its own SQLite file under a temporary var dir (the
    embedded set-up: no DATABASE_URL, no REDIS_URL). It is the test's own copy: what
    the tests do there stays there and is deleted with it.
    """
    var = tmp_path_factory.mktemp("asgi-demo")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY_FILE")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="gelar.settings",
        GELAR_VAR_DIR=str(var),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "-v0"], ["load_demo"], ["collectstatic", "--noinput", "-v0"]):
        done = subprocess.run(manage + command, cwd=ROOT, env=env, capture_output=True, timeout=300)
        if done.returncode:
            pytest.fail(f"{command[0]} failed: {done.stderr.decode()[-3000:]}")
    port = _free_port()
    log = (var / "granian.log").open("wb")
    granian = Path(sys.executable).with_name("granian")
    server = subprocess.Popen(
        [str(granian), "--interface", "asginl", "--host", "127.0.0.1", "--port", str(port)]
        + ["--workers", "1", "gelar.asgi:application"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            if server.poll() is not None:
                pytest.fail(f"granian stopped: {(var / 'granian.log').read_text()}")
            try:
                with urllib.request.urlopen(url + "/", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"granian did not answer in {SERVER_START_SECONDS} s")
            time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page, impacts=("critical", "serious")) -> list[str]:
    """axe-core's violations of the given impacts on the page, one line each."""
    if not AXE_JS.exists():
        _unavailable(f"{AXE_JS} missing (npm ci installs axe-core)")
    # Evaluated through the DevTools protocol, which the page's Content Security Policy
    # does not govern: a <script> tag (add_script_tag) would be an inline script it refuses.
    page.evaluate(AXE_JS.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']}: {v['id']} ({v['help']}) at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in impacts
    ]


@pytest.fixture
def demo_site_writable(demo_site):
    """demo_site for a test that changes data through the browser.

    Playwright's sync API keeps an asyncio loop running in this thread, so the
    test body gets its own database connection (Django keeps connections in
    an asgiref Local, which follows the context while a loop runs): not the
    one demo_site handed to the live server. On SQLite (one in-memory
    database, shared cache) the server's writes then run outside the test's
    transaction and collide with its locks ("database table is locked").
    This hands the test's connection to the server for the test's duration:
    the server's writes join the test's transaction and are rolled back after
    it, and transaction.on_commit callbacks wait for the test (use
    django_capture_on_commit_callbacks). On PostgreSQL the server keeps its
    own connection: its writes are committed and stay for the session.
    """
    import threading

    from django.db import connections
    from django.test.testcases import LiveServerThread

    (server,) = [t for t in threading.enumerate() if isinstance(t, LiveServerThread)]
    override = server.connections_override  # the dict the server's request threads read
    previous = dict(override)
    for alias in previous:
        conn = connections[alias]
        conn.inc_thread_sharing()
        override[alias] = conn
    try:
        yield demo_site
    finally:
        # The test's connection stays marked as shared: a request thread whose
        # socket the browser closes late still calls its close() (a no-op on
        # an in-memory database) after the test.
        override.update(previous)


def committed(write):
    """Run write() so that the live server sees its rows: on SQLite the server shares the
    test's connection (demo_site_writable), so in place; on PostgreSQL from a short-lived
    thread in autocommit (the test's own transaction would hide them), re-raising its error.
    """
    import threading

    from django.db import connection, connections

    if connection.vendor == "sqlite":
        return write()
    result, errors = [], []

    def run():
        try:
            result.append(write())
        except BaseException as error:  # re-raised in the test's thread
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return result[0]
