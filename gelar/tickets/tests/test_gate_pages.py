"""The gate scanner's shell: the page, its service worker and its manifest.

What the scanner does (scanning, offline decisions, sync) is tested in Chromium by
tests/browser/test_gate_journey.py; these check what the server hands it.
"""

import json
import re

from django.contrib.staticfiles import finders
from django.templatetags.static import static

from gelar.tickets.views_gate import SHELL_STATIC


def test_the_scanner_page_holds_no_secret_and_carries_its_urls_and_texts(client):
    response = client.get("/gerbang/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert '<link rel="manifest" href="/gerbang/manifest.webmanifest">' in html
    assert f'<script src="{static("js/gate.js")}"></script>' in html
    for part in ("pairing", "scanner", "answer", "code", "pending", "gate-name", "camera"):
        assert f'data-gate="{part}"' in html
    # The wedge input has a label; the answer is announced.
    assert '<label for="gate-code">' in html
    assert 'role="status" aria-live="assertive"' in html
    urls = json.loads(re.search(r'id="gate-urls"[^>]*>(.*?)</script>', html).group(1))
    assert urls == {
        "tickets": "/api/v1/gate/tickets",
        "scan": "/api/v1/gate/scan",
        "sync": "/api/v1/gate/sync",
        "jsqr": static("vendor/jsqr/jsQR.js"),
        "worker": "/gerbang/sw.js",
        "scope": "/gerbang/",
    }
    texts = json.loads(re.search(r'id="gate-texts"[^>]*>(.*?)</script>', html).group(1))
    assert "%(gate)s" in texts["already_used"] and "%(time)s" in texts["already_used"]
    assert "Bearer" not in html


def test_the_scanner_speaks_english_under_en(client):
    response = client.get("/en/gerbang/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "<h1>Gate scanner</h1>" in html
    assert '"worker": "/en/gerbang/sw.js"' in html


def test_the_service_worker_is_served_under_the_scanner_with_its_shell(client):
    response = client.get("/gerbang/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/gerbang/"
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    shell = json.loads(re.match(r"const SHELL = (.*);\n", body).group(1))
    assert shell == ["/gerbang/", "/gerbang/manifest.webmanifest"] + [
        static(path) for path in SHELL_STATIC
    ]
    cache = re.search(r'const CACHE = "(gate-[0-9a-f]{16})";', body).group(1)
    assert 'self.addEventListener("fetch"' in body
    # Same files, same cache name: a new one only with a new release.
    assert cache in client.get("/gerbang/sw.js").content.decode()
    assert cache not in client.get("/en/gerbang/sw.js").content.decode()


def test_every_file_of_the_shell_exists():
    for path in SHELL_STATIC + (
        "js/shell_worker.js",
        "vendor/jsqr/LICENSE",
        "vendor/jsqr/README.md",
    ):
        assert finders.find(path), path


def test_the_manifest_makes_the_scanner_installable(client):
    response = client.get("/gerbang/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["start_url"] == "/gerbang/"
    assert manifest["scope"] == "/gerbang/"
    assert manifest["display"] == "standalone"
    assert manifest["lang"] == "id"
    assert [icon["sizes"] for icon in manifest["icons"]] == ["any", "192x192", "512x512"]
    assert [icon["src"] for icon in manifest["icons"]] == [
        static("gate/icon.svg"),
        static("gate/icon-192.png"),
        static("gate/icon-512.png"),
    ]


def test_the_shell_answers_only_get(client):
    assert client.post("/gerbang/").status_code == 405
    assert client.post("/gerbang/sw.js").status_code == 405
    assert client.get("/gerbang/nothing").status_code == 404
