"""Serving the service worker of an offline app (the gate scanner, the booth till).

A worker controls only pages under its own path, so each app serves
static/js/shell_worker.js from its own URL, with the constants the worker reads
put in front of it: the URLs to keep, and a cache name that follows the files'
content and the URLs (a new release, or another language, replaces the old shell).
"""

import hashlib
import json
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.templatetags.static import static

WORKER = "js/shell_worker.js"


def _read(static_files: tuple[str, ...]) -> tuple[str, str]:
    """The worker's source and a digest of it and the app's static files."""
    hasher = hashlib.sha256()
    source = ""
    for path in (WORKER, *static_files):
        found = finders.find(path)
        if found is None:  # a missing file must not pass unnoticed
            raise FileNotFoundError(path)
        with open(found, "rb") as handle:
            content = handle.read()
        hasher.update(content)
        if path == WORKER:
            source = content.decode()
    return source, hasher.hexdigest()


_read_cached = lru_cache(maxsize=8)(_read)


def shell_worker_response(
    *, scope: str, manifest: str, static_files: tuple[str, ...], prefix: str, marker: str
) -> HttpResponse:
    """The worker for the app at `scope`: keeps its page, its manifest and `static_files`
    (paths under STATIC_URL) in caches named `prefix`...; `marker` is HTML only the
    app's own page holds (so a portal's page is never kept in its place)."""
    # In development the files change under a running server; in production they don't.
    source, version = _read(static_files) if settings.DEBUG else _read_cached(static_files)
    shell = [scope, manifest] + [static(path) for path in static_files]
    digest = hashlib.sha256((version + "\n".join(shell)).encode()).hexdigest()[:16]
    head = "".join(
        f"const {name} = {json.dumps(value)};\n"
        for name, value in (("SHELL", shell), ("CACHE", prefix + digest), ("CACHE_PREFIX", prefix))
    )
    # In single quotes, so the worker reads as it is written (an attribute: id="...").
    if "'" in marker or "\\" in marker:
        raise ValueError(f"marker must have no ' or backslash: {marker!r}")
    head += f"const MARKER = '{marker}';\n"
    response = HttpResponse(head + source, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = scope
    return response
