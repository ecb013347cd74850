from django.core.management.base import BaseCommand

from gelar.accounts.demo import DEMO_TOTP_SECRET, TOTP_PERIOD, totp_code


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo organizer admin (admin.dinas@gelar.test)."

    def handle(self, *args, **options):
        self.stdout.write(totp_code())
        self.stderr.write(
            f"Valid for up to {TOTP_PERIOD} seconds. Secret for an authenticator app: "
            f"{DEMO_TOTP_SECRET}"
        )
