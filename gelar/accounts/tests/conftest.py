import pytest
from django.core.cache import cache

from gelar.accounts import sms


@pytest.fixture(autouse=True)
def _isolated(settings):
    # Rate-limit counters and used TOTP codes live in the cache: start clean.
    cache.clear()
    sms.outbox.clear()
    settings.SMS_BACKEND = "gelar.accounts.sms.LocmemBackend"
    yield
    cache.clear()
    sms.outbox.clear()
