"""The Celery app: background workers and beat over the Redis broker (docs/adr/0009).

    celery -A gelar worker --concurrency 2     # runs the tasks of gelar/<app>/tasks.py
    celery -A gelar beat                       # sends the periodic ones (CELERY_BEAT_SCHEDULE)

Its configuration is Django's settings under the CELERY_ prefix. Web processes never
import this module unless a broker is configured: without one (the embedded demo),
gelar.common.tasks runs tasks in a thread after commit and `manage.py
expire_reservations --every 60` expires reservations.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gelar.settings")

app = Celery("gelar")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
