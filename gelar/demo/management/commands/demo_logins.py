from django.core.management.base import BaseCommand

from gelar.demo.services import DEMO_BASE_URL, demo_logins_text


class Command(BaseCommand):
    help = "Print the demo's URL and logins (Indonesian and English)."

    def add_arguments(self, parser):
        parser.add_argument("--base-url", default=DEMO_BASE_URL, help=f"Default {DEMO_BASE_URL}")

    def handle(self, *args, base_url: str, **options):
        self.stdout.write(demo_logins_text(base_url=base_url))
