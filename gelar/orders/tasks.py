"""The orders' background tasks (Celery; gelar/celery.py)."""

import logging

from celery import shared_task

from gelar.orders.services import reservations_expire

logger = logging.getLogger(__name__)


# Sent every 60 s by beat (CELERY_BEAT_SCHEDULE). Safe to run twice at once or to
# repeat: each order is claimed by a conditional UPDATE, so only one run gives its stock
# back. A tick that waited in the queue longer than a minute is dropped (the expires
# option in the schedule): the next one does the same work.
@shared_task(name="gelar.orders.tasks.expire_reservations")
def expire_reservations() -> int:
    expired = reservations_expire()
    if expired:
        logger.info("%s order(s) expired", expired)
    return expired
