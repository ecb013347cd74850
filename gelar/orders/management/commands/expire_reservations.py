"""Release the stock of unpaid orders whose reservation is over.

`expire_reservations` runs once (for cron or a systemd timer);
`expire_reservations --every 60` keeps running and expires every minute (the
demo starts it beside the web server). With a task queue (CELERY_BROKER_URL),
Celery beat sends gelar.orders.tasks.expire_reservations every minute instead;
without one, one of the two must run in every deployment. Running several at
once is safe: each order is expired, and its stock given back, by one run only.
"""

import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, close_old_connections

from gelar.orders.services import reservations_expire

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Expire unpaid orders past their reservation and give their stock back."

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            metavar="SECONDS",
            help="keep running, expiring every SECONDS (at least 5) until interrupted",
        )

    def handle(self, *args, every=None, **options):
        if every is None:
            self.stdout.write(f"{reservations_expire()} order(s) expired")
            return
        if every < 5:
            raise CommandError("--every must be at least 5 seconds")
        try:
            while True:
                # A database restart between runs must not end the loop.
                close_old_connections()
                try:
                    expired = reservations_expire()
                except DatabaseError:
                    # A locked SQLite file or a restarting server: try at the next tick
                    # rather than stop releasing reservations for good.
                    log.exception("expire_reservations run failed; retrying in %ss", every)
                else:
                    if expired:
                        self.stdout.write(f"{expired} order(s) expired")
                time.sleep(every)
        except KeyboardInterrupt:
            return
