"""A Celery task for bench/task_latency.py only: the worker it starts imports this module
(--include task_probe); no deployed worker knows it."""

import time

from celery import shared_task
from django.conf import settings


@shared_task(name="bench.task_probe.started")
def started(sent_at: float, key: str) -> None:
    """Note how long after its sending the task began (seconds, in Redis list `key`)."""
    import redis

    now = time.time()
    redis.Redis.from_url(settings.REDIS_URL).rpush(key, now - sent_at)
