"""The Celery app: background workers and beat over the Redis broker (docs/adr/0009).

    celery -A gelar worker --concurrency 2     # runs the tasks of gelar/<app>/tasks.py
    celery -A gelar beat                       # sends the periodic ones (CELERY_BEAT_SCHEDULE)

Its configuration is Django's settings under the CELERY_ prefix. Web processes never
import this module unless a broker is configured: without one (the embedded demo),
gelar.common.tasks runs tasks in a thread after commit and `manage.py
expire_reservations --every 60` expires reservations.
"""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gelar.settings")

app = Celery("gelar")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

NO_BROKER = (
    "gelar: CELERY_BROKER_URL is not set, so no web process sends tasks to a worker "
    "(docs/deploy.md); set it in the environment file (e.g. redis://127.0.0.1:6379/1) "
    "or run `manage.py expire_reservations --every 60` instead of the worker and beat."
)


@signals.worker_init.connect
@signals.beat_init.connect
def refuse_without_a_broker(**kwargs) -> None:
    """A worker or beat without CELERY_BROKER_URL would quietly wait for Celery's default
    broker (AMQP on localhost) forever while no reservation is released: stop instead,
    so that systemd shows the unit failed. (SystemExit: Celery's signals log and swallow
    an Exception from a receiver.)"""
    from django.conf import settings

    if not settings.CELERY_BROKER_URL:
        raise SystemExit(NO_BROKER)
