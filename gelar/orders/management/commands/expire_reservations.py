"""Release the stock of unpaid orders whose reservation is over.

Run it every minute (cron or a systemd timer) until the task queue of issue 9
schedules gelar.orders.services.reservations_expire itself. Running it twice at
once is safe: each order is expired, and its stock given back, by one run only.
"""

from django.core.management.base import BaseCommand

from gelar.orders.services import reservations_expire


class Command(BaseCommand):
    help = "Expire unpaid orders past their reservation and give their stock back."

    def handle(self, *args, **options):
        expired = reservations_expire()
        self.stdout.write(f"{expired} order(s) expired")
