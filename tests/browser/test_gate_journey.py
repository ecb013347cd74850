"""A visitor registers for a time slot; the gate scanner admits the ticket once, refuses
it the second time, and keeps scanning with the network cut: the scans wait on the
device (through a reload) and reach the server when the network is back.

The scanner is fed the way a USB scanner feeds it (the keyboard-wedge path): the code
typed into the focused input, then Enter. The slot and the gate device are made by the
test (the demo's own slots may be full or at another time); on SQLite the live server
shares the test's connection (demo_site_writable) and everything is rolled back after
the test; on PostgreSQL they are written from a short-lived thread (autocommit), so the
server sees them, and stay for the session.

Elements are found by data-gate attributes; the answer by its data-result, not by its
text, which is being translated; names are looked for as text.
"""

import datetime
import threading
from urllib.parse import urlparse

import pytest
from django.db import connection, connections
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

EXPO = "pekalongan-hybrid-expo-2027"
GATE = "Gerbang B"
VISITOR = "Dewi Anggraini"
OTHER = "Bayu Saputra"
LAPTOP = {"viewport": {"width": 1280, "height": 900}}
SYNC_MS = 15000  # the "online" event syncs at once; the retry runs every 10 s


def _committed(write):
    """Run write() so that the live server sees its rows (see the module docstring)."""
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


def _prepare():
    """A public slot open now, a second visitor's ticket in it, and the gate device."""
    from gelar.events.models import Expo
    from gelar.tickets import services
    from gelar.tickets.models import TimeSlot

    expo = Expo.objects.get(slug=EXPO)
    now = timezone.now()
    # Starts in a few minutes (registration is open), so it is within the gate's window.
    slot = TimeSlot.objects.create(
        expo=expo,
        name="Uji gerbang",
        starts_at=now + datetime.timedelta(minutes=5),
        ends_at=now + datetime.timedelta(hours=3),
        capacity=20,
    )
    other, other_secret = services.register_for_slot(
        slot=slot, holder_name=OTHER, whatsapp="081298765432"
    )
    device, token = services.gate_device_create(expo=expo, actor=None, name=GATE)
    return slot.pk, other.pk, services.ticket_code(other_secret), device.pk, token


def _register(browser, site: str, slot_pk: int) -> str:
    """The visitor's registration on a phone; the code their ticket's QR holds."""
    from gelar.tickets.services import ticket_code

    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()
        page.goto(f"{site}/expo/{EXPO}/kunjungan/")
        page.locator(f"input[name=slot][value='{slot_pk}']").check()
        page.locator("[name=name]").fill(VISITOR)
        page.locator("[name=whatsapp]").fill("0813 1111 2222")
        page.locator("form[action$='/kunjungan/'] button[type=submit]").click()
        page.wait_for_url("**/tiket/*/")
        expect(page.locator("main")).to_contain_text(VISITOR)
        secret = urlparse(page.url).path.rstrip("/").rsplit("/", 1)[1]
        return ticket_code(secret)
    finally:
        context.close()


def _scan(page, code: str) -> None:
    """As a USB scanner does it: type into whatever has the focus, then Enter."""
    expect(page.locator("[data-gate=code]")).to_be_focused()
    page.keyboard.type(code)
    page.keyboard.press("Enter")


def _direction(page, value: str) -> None:
    page.locator(f"[data-gate=scan-form] input[name=direction][value={value}]").check()


def test_the_gate_admits_once_refuses_twice_and_keeps_scanning_offline(demo_site_writable, browser):
    from gelar.tickets.models import Scan, Ticket

    site = demo_site_writable
    slot_pk, other_pk, other_code, device_pk, token = _committed(_prepare)
    code = _register(browser, site, slot_pk)

    context = browser.new_context(**LAPTOP)
    try:
        page = context.new_page()
        # The pairing link the console shows; the token leaves the address bar at once.
        page.goto(f"{site}/gerbang/#token={token}")
        expect(page.locator("body[data-ready='1']")).to_have_count(1)
        assert "token" not in page.url
        expect(page.locator("[data-gate=pairing]")).to_be_hidden()
        expect(page.locator("[data-gate=scanner]")).to_be_visible()
        expect(page.locator("[data-gate=gate-name]")).to_have_text(GATE)
        expect(page.locator("[data-gate=pending]")).to_have_text("0")
        # The service worker holds the shell before the network goes.
        page.wait_for_function("navigator.serviceWorker.controller !== null")
        assert axe_violations(page) == []

        answer = page.locator("[data-gate=answer]")
        _scan(page, code)
        expect(answer).to_have_attribute("data-result", "admitted")
        expect(answer).to_have_attribute("data-offline", "0")
        expect(answer.locator("[data-gate=holder]")).to_have_text(VISITOR)

        _scan(page, code)
        expect(answer).to_have_attribute("data-result", "already_used")
        expect(answer.locator("[data-gate=reason]")).to_contain_text(GATE)
        expect(answer.locator("[data-gate=holder]")).to_have_text(VISITOR)
        assert axe_violations(page) == []

        ticket = Ticket.objects.get(holder_name=VISITOR, slot_id=slot_pk)
        assert ticket.admitted_gate_id == device_pk
        assert list(
            Scan.objects.filter(ticket=ticket)
            .order_by("scanned_at")
            .values_list("result", "offline")
        ) == [("admitted", False), ("already_used", False)]

        # The network goes: the device decides by itself and queues.
        context.set_offline(True)
        _scan(page, other_code)
        expect(answer).to_have_attribute("data-result", "admitted")
        expect(answer).to_have_attribute("data-offline", "1")
        expect(answer.locator("[data-gate=holder]")).to_have_text(OTHER)
        expect(page.locator("[data-gate=pending]")).to_have_text("1")
        # The visitor walks out: this device admitted them online, so it knows them.
        _direction(page, "exit")
        _scan(page, code)
        expect(answer).to_have_attribute("data-result", "exited")
        expect(answer.locator("[data-gate=holder]")).to_have_text(VISITOR)
        expect(page.locator("[data-gate=pending]")).to_have_text("2")
        # The other one again, by mistake: refused here, and not queued (the server
        # learns of his entry from the queue).
        _direction(page, "entry")
        _scan(page, other_code)
        expect(answer).to_have_attribute("data-result", "already_used")
        expect(answer.locator("[data-gate=reason]")).to_contain_text(GATE)
        expect(page.locator("[data-gate=pending]")).to_have_text("2")
        assert Scan.objects.filter(device_id=device_pk).count() == 2

        # A reload with no network: the shell comes from the service worker, the queue
        # from IndexedDB.
        reloaded = page.reload()
        assert reloaded.from_service_worker
        expect(page.locator("body[data-ready='1']")).to_have_count(1)
        expect(page.locator("[data-gate=scanner]")).to_be_visible()
        expect(page.locator("[data-gate=pending]")).to_have_text("2")
        assert Scan.objects.filter(device_id=device_pk).count() == 2

        # The network is back: the queue is synced and emptied.
        context.set_offline(False)
        expect(page.locator("[data-gate=pending]")).to_have_text("0", timeout=SYNC_MS)
        synced = list(
            Scan.objects.filter(offline=True, device_id=device_pk)
            .order_by("scanned_at")
            .values_list("ticket_id", "direction", "result")
        )
        assert synced == [(other_pk, "entry", "admitted"), (ticket.pk, "exit", "exited")]
        other = Ticket.objects.get(pk=other_pk)
        assert other.admitted_gate_id == device_pk
        assert other.inside is True
        ticket.refresh_from_db()
        assert ticket.inside is False
    finally:
        context.close()


def _camera_file(directory, code: str) -> str:
    """A Y4M video (what Chromium's fake camera plays) of the ticket's QR code."""
    import qrcode
    from PIL import Image

    width, height = 640, 480
    qr = qrcode.make(code, box_size=8, border=4).get_image().convert("L")
    qr = qr.resize((400, 400), Image.NEAREST)
    frame = Image.new("L", (width, height), 255)
    frame.paste(qr, ((width - 400) // 2, (height - 400) // 2))
    chroma = bytes([128]) * (width // 2 * height // 2 * 2)  # no colour
    path = directory / "qr.y4m"
    with path.open("wb") as video:
        video.write(f"YUV4MPEG2 W{width} H{height} F5:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(2):
            video.write(b"FRAME\n" + frame.tobytes() + chroma)
    return str(path)


def test_a_gate_paired_by_typing_its_code_reads_a_ticket_with_the_camera(
    demo_site_writable, browser, tmp_path
):
    """The camera path where the browser has no BarcodeDetector (Chromium on Linux):
    the vendored jsQR reads the code from Chromium's fake camera."""
    from gelar.tickets.models import Scan

    site = demo_site_writable
    _slot_pk, other_pk, other_code, device_pk, token = _committed(_prepare)
    camera = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=CHROMIUM_ARGS
        + [
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={_camera_file(tmp_path, other_code)}",
        ],
    )
    try:
        context = camera.new_context(**PHONE, permissions=["camera"])
        page = context.new_page()
        page.goto(f"{site}/gerbang/")
        expect(page.locator("body[data-ready='1']")).to_have_count(1)
        expect(page.locator("[data-gate=pairing]")).to_be_visible()
        expect(page.locator("[data-gate=scanner]")).to_be_hidden()
        assert axe_violations(page) == []

        # A wrong code is refused by the server and not kept.
        page.locator("#gate-token").fill("x" * 43)
        page.locator("[data-gate=pair-form] button[type=submit]").click()
        expect(page.locator("[data-gate=pair-error]")).not_to_be_empty()
        assert page.evaluate("localStorage.getItem('gelar.gate.token')") is None

        page.locator("#gate-token").fill(token)
        page.locator("[data-gate=pair-form] button[type=submit]").click()
        expect(page.locator("[data-gate=scanner]")).to_be_visible()
        expect(page.locator("[data-gate=gate-name]")).to_have_text(GATE)
        assert page.evaluate("'BarcodeDetector' in window") is False

        page.locator("[data-gate=camera]").click()
        answer = page.locator("[data-gate=answer]")
        expect(answer).to_have_attribute("data-result", "admitted", timeout=10000)
        expect(answer.locator("[data-gate=holder]")).to_have_text(OTHER)
        # The code stays in view: read once, not again and again.
        page.wait_for_timeout(4000)
        page.locator("[data-gate=camera]").click()
        expect(page.locator("[data-gate=video]")).to_be_hidden()
        assert list(
            Scan.objects.filter(device_id=device_pk).values_list("ticket_id", "result")
        ) == [(other_pk, "admitted")]
        context.close()
    finally:
        camera.close()
