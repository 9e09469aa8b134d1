from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from phoihop.org.areas import load_areas


class Command(BaseCommand):
    help = (
        "Load administrative areas (2025 provinces and communes; the pre-2025 provinces, "
        "districts and communes they were formed from, with their successors)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province", action="append", help="2025 province code (repeatable); default all"
        )
        parser.add_argument(
            "--no-legacy",
            action="store_true",
            help="skip pre-2025 provinces, districts and communes",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        result = load_areas(provinces=options["province"], legacy=not options["no_legacy"])
        self.stdout.write(f"areas: {result.created} created, {result.updated} updated")
