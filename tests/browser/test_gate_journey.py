"""A visitor registers for a time slot; the gate scanner admits the ticket once, refuses
it the second time, and keeps scanning with the network cut (or behind a captive
portal): the scans, refusals too, wait on the device (through a reload) and reach the
server when the network is back. A scan timed ahead of the server's clock waits; one the
server rejects for good is dropped and counted. Revoked, the device forgets its token and
list but keeps its queue; unpairing with scans queued asks first.

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
from urllib.parse import urlparse

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE, axe_violations, committed

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

EXPO = "pekalongan-hybrid-expo-2027"
GATE = "Gerbang B"
VISITOR = "Dewi Anggraini"
OTHER = "Bayu Saputra"
LAPTOP = {"viewport": {"width": 1280, "height": 900}}
SYNC_MS = 15000  # the "online" event syncs at once; the retry runs every 10 s


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


_IDB = """async ([store, action, items]) => {
    const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open("gelar-gate", 1);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
    });
    try {
        return await new Promise((resolve, reject) => {
            const tx = db.transaction([store], action === "count" ? "readonly" : "readwrite");
            const request =
                action === "count" ? tx.objectStore(store).count() : null;
            if (action === "put") for (const item of items) tx.objectStore(store).put(item);
            tx.oncomplete = () => resolve(request ? request.result : null);
            tx.onerror = () => reject(tx.error);
        });
    } finally {
        db.close();
    }
}"""


def _stored(page, store: str) -> int:
    """How many records the scanner's IndexedDB store holds."""
    return page.evaluate(_IDB, [store, "count", []])


def _captive_portal(route):
    """What a hotel's Wi-Fi answers before its login: its own page, not the API's."""
    route.fulfill(status=200, content_type="text/html", body="<html><body>Login</body></html>")


def _validation_error(route):
    route.fulfill(
        status=422,
        content_type="application/json",
        body='{"detail": [{"type": "string_too_long", "loc": ["body", "body", "code"], '
        '"msg": "String should have at most 512 characters"}]}',
    )


def test_the_gate_admits_once_refuses_twice_and_keeps_scanning_offline(demo_site_writable, browser):
    from gelar.tickets import services
    from gelar.tickets.models import GateDevice, Scan, Ticket

    site = demo_site_writable
    slot_pk, other_pk, other_code, device_pk, token = committed(_prepare)
    code = _register(browser, site, slot_pk)
    bare_secret = code.removeprefix("GLR1.")  # from the ticket page's address: not a code

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
        expect(page.locator("[data-gate=rejected-row]")).to_be_hidden()
        # The service worker holds the shell before the network goes.
        page.wait_for_function("() => navigator.serviceWorker.controller !== null")
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

        # A validation error names what is wrong, readably.
        page.route("**/api/v1/gate/scan", _validation_error)
        _scan(page, code)
        expect(answer).to_have_attribute("data-result", "refused")
        expect(answer.locator("[data-gate=reason]")).to_contain_text(
            "code: String should have at most 512 characters"
        )
        page.unroute("**/api/v1/gate/scan")

        # A captive portal answers in the API's place: that is no network. The bare
        # secret is not a ticket code, so it is unknown here, and queued as refused.
        page.route("**/api/v1/gate/**", _captive_portal)
        _scan(page, bare_secret)
        expect(answer).to_have_attribute("data-result", "unknown")
        expect(answer).to_have_attribute("data-offline", "1")
        expect(page.locator("[data-gate=pending]")).to_have_text("1")

        # The network goes: the device decides by itself and queues.
        context.set_offline(True)
        page.unroute("**/api/v1/gate/**")
        _scan(page, other_code)
        expect(answer).to_have_attribute("data-result", "admitted")
        expect(answer).to_have_attribute("data-offline", "1")
        expect(answer.locator("[data-gate=holder]")).to_have_text(OTHER)
        expect(page.locator("[data-gate=pending]")).to_have_text("2")
        # The visitor walks out: this device admitted them online, so it knows them.
        _direction(page, "exit")
        _scan(page, code)
        expect(answer).to_have_attribute("data-result", "exited")
        expect(answer.locator("[data-gate=holder]")).to_have_text(VISITOR)
        expect(page.locator("[data-gate=pending]")).to_have_text("3")
        # The other one again, by mistake: refused here, and queued as a refusal.
        _direction(page, "entry")
        _scan(page, other_code)
        expect(answer).to_have_attribute("data-result", "already_used")
        expect(answer.locator("[data-gate=reason]")).to_contain_text(GATE)
        expect(page.locator("[data-gate=pending]")).to_have_text("4")
        assert Scan.objects.filter(device_id=device_pk).count() == 2
        verdicts = page.evaluate(
            """() => new Promise((resolve) => {
                indexedDB.open("gelar-gate", 1).onsuccess = (event) => {
                    const db = event.target.result;
                    const all = db.transaction(["queue"]).objectStore("queue").getAll();
                    all.onsuccess = () => {
                        db.close();
                        resolve(all.result
                            .sort((a, b) => a.scanned_at.localeCompare(b.scanned_at))
                            .map((item) => [item.verdict, "token" in item]));
                    };
                };
            })"""
        )
        assert verdicts == [
            ["refused", False],
            ["admitted", False],
            ["admitted", False],
            ["refused", False],
        ]

        # A reload with no network: the shell comes from the service worker, the queue
        # from IndexedDB.
        reloaded = page.reload()
        assert reloaded.from_service_worker
        expect(page.locator("body[data-ready='1']")).to_have_count(1)
        expect(page.locator("[data-gate=scanner]")).to_be_visible()
        expect(page.locator("[data-gate=pending]")).to_have_text("4")
        assert Scan.objects.filter(device_id=device_pk).count() == 2

        # Unpairing now would lose the queue: the scanner asks first; kept.
        page.locator("[data-gate=unpair]").click()
        dialog = page.locator("[data-gate=unpair-dialog]")
        expect(dialog).to_be_visible()
        expect(dialog.locator("[data-gate=lost-count]")).to_have_text("4")
        assert axe_violations(page) == []
        dialog.locator("button[value=cancel]").click()
        expect(dialog).to_be_hidden()
        expect(page.locator("[data-gate=scanner]")).to_be_visible()
        assert page.evaluate("localStorage.getItem('gelar.gate.token')") == token
        assert _stored(page, "queue") == 4

        # The network is back: the queue is synced and emptied; the refusals are
        # recorded as refusals and move nothing.
        context.set_offline(False)
        expect(page.locator("[data-gate=pending]")).to_have_text("0", timeout=SYNC_MS)
        synced = list(
            Scan.objects.filter(offline=True, device_id=device_pk)
            .order_by("scanned_at")
            .values_list("ticket_id", "direction", "result")
        )
        assert synced == [
            (None, "entry", "unknown"),  # no ticket: the server's own refusal
            (other_pk, "entry", "admitted"),
            (ticket.pk, "exit", "exited"),
            (other_pk, "entry", "refused_offline"),
        ]
        other = Ticket.objects.get(pk=other_pk)
        assert other.admitted_gate_id == device_pk
        assert other.inside is True
        ticket.refresh_from_db()
        assert ticket.inside is False

        # A device whose clock runs ahead: its scan waits for the server's clock. One
        # the server can never take (too old) is dropped and counted.
        now = timezone.now()
        page.evaluate(
            _IDB,
            [
                "queue",
                "put",
                [
                    {
                        "nonce": "ahead-1",
                        "code": other_code,
                        "direction": "exit",
                        "scanned_at": (now + datetime.timedelta(hours=1)).isoformat(),
                        "verdict": "admitted",
                    },
                    {
                        "nonce": "old-1",
                        "code": other_code,
                        "direction": "exit",
                        "scanned_at": (now - datetime.timedelta(days=90)).isoformat(),
                        "verdict": "admitted",
                    },
                ],
            ],
        )
        page.evaluate("window.dispatchEvent(new Event('online'))")
        expect(page.locator("[data-gate=rejected]")).to_have_text("1", timeout=SYNC_MS)
        expect(page.locator("[data-gate=rejected-row]")).to_be_visible()
        expect(page.locator("[data-gate=pending]")).to_have_text("1")
        assert _stored(page, "queue") == 1
        assert Scan.objects.filter(device_id=device_pk).count() == 6

        # The organizer revokes the device: token and ticket list go, the queue stays.
        committed(
            lambda: services.gate_device_revoke(
                device=GateDevice.objects.get(pk=device_pk), actor=None
            )
        )
        _scan(page, code)
        expect(page.locator("[data-gate=pairing]")).to_be_visible()
        expect(page.locator("[data-gate=scanner]")).to_be_hidden()
        expect(page.locator("[data-gate=pair-error]")).not_to_be_empty()
        assert page.evaluate("localStorage.getItem('gelar.gate.token')") is None
        assert _stored(page, "tickets") == 0
        assert _stored(page, "admitted") == 0
        assert _stored(page, "queue") == 1

        # Paired again (another device): the kept scan is still there; unpairing asks,
        # and this time the scans are discarded with everything else.
        _device, new_token = committed(
            lambda: services.gate_device_create(
                expo=GateDevice.objects.get(pk=device_pk).expo, actor=None, name="Gerbang C"
            )
        )
        page.locator("#gate-token").fill(new_token)
        page.locator("[data-gate=pair-form] button[type=submit]").click()
        expect(page.locator("[data-gate=gate-name]")).to_have_text("Gerbang C")
        expect(page.locator("[data-gate=pending]")).to_have_text("1")
        assert _stored(page, "tickets") == Ticket.objects.filter(expo__slug=EXPO).count()
        page.locator("[data-gate=unpair]").click()
        expect(dialog.locator("[data-gate=lost-count]")).to_have_text("1")
        dialog.locator("button[value=unpair]").click()
        expect(page.locator("[data-gate=pairing]")).to_be_visible()
        assert page.evaluate("localStorage.getItem('gelar.gate.token')") is None
        for store in ("queue", "tickets", "admitted", "meta"):
            assert _stored(page, store) == 0
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
    _slot_pk, other_pk, other_code, device_pk, token = committed(_prepare)
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
