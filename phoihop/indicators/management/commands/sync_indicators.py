"""Write the derived indicators registered in code into the catalogue (also done after migrate)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from phoihop.indicators.registry import registered, sync_catalogue


class Command(BaseCommand):
    help = "Synchronise the derived indicators registered by the modules into the catalogue."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = sync_catalogue()
        self.stdout.write(f"derived indicators: {len(registered())} registered, {changed} written")
