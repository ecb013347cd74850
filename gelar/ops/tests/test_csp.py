"""The Content Security Policy, and the templates that must live within it."""

import base64
import hashlib
import json
import re
from pathlib import Path

import pytest

from gelar.ops.tests.test_security import PRODUCTION, run

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
EXPECTED = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'sha256-IPrcysC/gg3ahrrHX10YBHBkdLhGljSqDDLoxwzdlBo='"],
    "img-src": ["'self'", "data:", "blob:"],
    "media-src": ["'self'", "blob:", "https:"],
    "connect-src": ["'self'", "ws://127.0.0.1:8000"],
    "frame-src": ["https://www.youtube-nocookie.com", "https://www.youtube.com"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'", "https://*.midtrans.com"],
    "frame-ancestors": ["'none'"],
}


def policy(header: str) -> dict[str, list[str]]:
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/", "/en/", "/akun/login/", "/api/v1/expos"])
def test_every_response_carries_the_policy(client, settings, url):
    settings.SITE_URL = "http://127.0.0.1:8000"
    response = client.get(url)
    assert response.status_code == 200
    assert policy(response["Content-Security-Policy"]) == EXPECTED


@pytest.mark.django_db
def test_the_error_page_is_covered_when_debug_is_off(client, settings):
    settings.DEBUG = False
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert policy(response["Content-Security-Policy"])["script-src"] == ["'self'"]


@pytest.mark.parametrize("name", ["500.html", "503.html"])
def test_the_error_pages_style_is_the_one_the_policy_allows(name):
    page = (TEMPLATES / name).read_text()
    (css,) = re.findall(r"<style>(.*?)</style>", page, re.S)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in EXPECTED["style-src"]


def test_an_https_site_allows_its_own_secure_sockets(tmp_path):
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']['connect-src']))"
    )
    done = run(["-c", code], PRODUCTION, tmp_path)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == ["'self'", "wss://gelar.example.id"]


# What the policy refuses, searched in every template (allauth's overrides included).
FORBIDDEN = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "style element": re.compile(r"<style[\s>]", re.I),
    "event handler attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}
# Allowed by hash (see CONTENT_SECURITY_POLICY in settings): the error pages render
# without static files, and share one <style>.
ALLOWED = {("500.html", "style element"), ("503.html", "style element")}


def test_no_template_needs_what_the_policy_refuses():
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text()
        name = str(path.relative_to(TEMPLATES))
        for what, pattern in FORBIDDEN.items():
            if pattern.search(text) and (name, what) not in ALLOWED:
                found.append(f"{name}: {what}")
    assert found == []
