from django.core.management.base import BaseCommand, CommandError

from gelar.demo.services import demo_load


class Command(BaseCommand):
    help = (
        "Load the demo: Pekalongan Hybrid Expo 2021 (closed, a virtual mall now) and an "
        "upcoming 2027 expo, 100 exhibitors x scale, their products and pictures, payment "
        "settings (synthetic QRIS codes), orders in every status, and live shopping (the "
        "Mayor's 2021 promotion, and a 2027 session on air now). "
        "If the demo organizer exists, only puts that session back on air, unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiply the exhibitors (100 x N; the extra ones are online) and raise "
            "the products per exhibitor (5-7 at 1, 20-22 from 10). Default 1.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo organizer's expos, orders, exhibitors and products first.",
        )

    def handle(self, *args, scale: int, reset: bool, **options):
        if not 1 <= scale <= 100:
            raise CommandError("--scale must be between 1 and 100.")
        summary = demo_load(scale=scale, reset=reset, stdout=self.stdout)
        style = self.style.SUCCESS if summary.loaded else self.style.WARNING
        self.stdout.write(style(summary.as_text()))
