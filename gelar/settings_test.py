"""Test settings: the real settings with what makes tests fast and isolated."""

import os
import tempfile

os.environ.setdefault("DEBUG", "1")

from gelar.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="gelar-test-media-")
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="gelar-test-private-")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT = tempfile.mkdtemp(prefix="gelar-test-static-")
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "gelar.accounts.sms.LocmemBackend"
# Tests never need Redis: the in-memory channel layer reaches the test's sockets.
CHANNEL_LAYERS = {"default": {"BACKEND": "gelar.live.layers.InMemoryChannelLayer"}}
# Background tasks (gelar.common.tasks) run at once, in the test's thread and transaction.
GELAR_TASKS_SYNC = True
# Every test reads the report it has just changed.
GELAR_REPORT_CACHE_SECONDS = 0
# Rate limits count requests across tests in the in-memory cache, all from 127.0.0.1;
# gelar/ops/tests/test_ratelimits.py switches them on for its own.
RATELIMIT_ENABLE = False
