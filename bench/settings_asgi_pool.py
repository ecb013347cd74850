"""Gelar's settings with psycopg's connection pool, for the bench's ASGI run only.

Under ASGI, Django runs each request's sync view in a thread of its own, so its
per-thread persistent connections cannot be reused; a pool is the set-up
Django's docs give for ASGI. psycopg-pool is not a Gelar dependency: bench/pages.sh
installs it apart from the virtualenv (var/bench/pylib) for this run.
"""

from gelar.settings import *  # noqa: F403
from gelar.settings import DATABASES

# Django refuses a pool with persistent connections.
DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {"min_size": 4, "max_size": 4}
